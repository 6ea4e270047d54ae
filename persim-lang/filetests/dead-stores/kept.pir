; passes: dead-stores
; Stores that stay: one whose elements the next iteration reads
; (`b[iv + 4]` is loaded at `iv + 4` one iteration later), and one whose
; buffer is read after the loop.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 192} {
  %1 = alloc {ty = buf<20xf32>, offset = 0} : buf<20xf32>
  %2 = alloc {ty = buf<16xf32>, offset = 128} : buf<16xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 16, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  for %3, %4, %5 {
  ^(%6: i32):
    %7 = buf_load %1, %6 {lanes = 4} : tile<4xf32>
    %8 = add %7, %7 : tile<4xf32>
    %9 = add %6, %5 : i32
    buf_store %1, %9, %8
    buf_store %2, %6, %8
    yield
  }
  %10 = buf_load %2, %3 {lanes = 4} : tile<4xf32>
  %11 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %12 = arange {lo = 0, hi = 4} : tile<4xi32>
  %13 = ptr_add %11, %12 : tile<4xptr<f32>>
  store %13, %10 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 192} {
  %1 = alloc {ty = buf<20xf32>, offset = 0} : buf<20xf32>
  %2 = alloc {ty = buf<16xf32>, offset = 128} : buf<16xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 16, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  for %3, %4, %5 {
  ^(%6: i32):
    %7 = buf_load %1, %6 {lanes = 4} : tile<4xf32>
    %8 = add %7, %7 : tile<4xf32>
    %9 = add %6, %5 : i32
    buf_store %1, %9, %8
    buf_store %2, %6, %8
    yield
  }
  %10 = buf_load %2, %3 {lanes = 4} : tile<4xf32>
  %11 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %12 = arange {lo = 0, hi = 4} : tile<4xi32>
  %13 = ptr_add %11, %12 : tile<4xptr<f32>>
  store %13, %10 {arg = 0}
  return
}
