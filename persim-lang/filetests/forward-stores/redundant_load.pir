; passes: forward-stores
; Two loads of the same element with no store in between: the second is
; the first. (The loop before them fills the buffer; nothing is known
; after it.)
kernel @k(%0 out: ptr<f32> mut, %1 i: i32) attrs {lanes = 4, local_mem = 64} {
  %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %7 = const {value = 0, ty = i32} : i32
  %8 = const {value = 16, ty = i32} : i32
  %9 = const {value = 4, ty = i32} : i32
  for %7, %8, %9 {
  ^(%10: i32):
    %11 = cast %10 {to = f32} : f32
    %12 = splat %11 {shape = [4]} : tile<4xf32>
    buf_store %2, %10, %12
    yield
  }
  %3 = buf_load %2, %1 {lanes = 4} : tile<4xf32>
  %4 = buf_load %2, %1 {lanes = 4} : tile<4xf32>
  %5 = mul %3, %4 : tile<4xf32>
  %6 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  store %6, %5 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 i: i32) attrs {lanes = 4, local_mem = 64} {
  %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 16, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  for %3, %4, %5 {
  ^(%6: i32):
    %7 = cast %6 {to = f32} : f32
    %8 = splat %7 {shape = [4]} : tile<4xf32>
    buf_store %2, %6, %8
    yield
  }
  %9 = buf_load %2, %1 {lanes = 4} : tile<4xf32>
  %10 = mul %9, %9 : tile<4xf32>
  %11 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  store %11, %10 {arg = 0}
  return
}
