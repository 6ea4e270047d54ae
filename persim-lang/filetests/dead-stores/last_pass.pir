; passes: dead-stores
; Softmax's division pass: each quotient goes back into the row's buffer
; (the lowering's in-place result) and to the output. Nothing reads the
; buffer after the loop, and the loop reads each element before storing
; it: the store into the buffer goes; the output's stays.
kernel @k(%0 out: ptr<f32> mut, %1 s: f32) attrs {lanes = 4, local_mem = 64} {
  %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 16, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = splat %1 {shape = [4]} : tile<4xf32>
  for %3, %4, %5 {
  ^(%7: i32):
    %8 = buf_load %2, %7 {lanes = 4} : tile<4xf32>
    %9 = div %8, %6 : tile<4xf32>
    buf_store %2, %7, %9
    %10 = splat %0 {shape = [4]} : tile<4xptr<f32>>
    %11 = arange {lo = 0, hi = 4} : tile<4xi32>
    %12 = splat %7 {shape = [4]} : tile<4xi32>
    %13 = add %11, %12 : tile<4xi32>
    %14 = ptr_add %10, %13 : tile<4xptr<f32>>
    store %14, %9 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 s: f32) attrs {lanes = 4, local_mem = 64} {
  %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 16, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = splat %1 {shape = [4]} : tile<4xf32>
  for %3, %4, %5 {
  ^(%7: i32):
    %8 = buf_load %2, %7 {lanes = 4} : tile<4xf32>
    %9 = div %8, %6 : tile<4xf32>
    %10 = splat %0 {shape = [4]} : tile<4xptr<f32>>
    %11 = arange {lo = 0, hi = 4} : tile<4xi32>
    %12 = splat %7 {shape = [4]} : tile<4xi32>
    %13 = add %11, %12 : tile<4xi32>
    %14 = ptr_add %10, %13 : tile<4xptr<f32>>
    store %14, %9 {arg = 0}
    yield
  }
  return
}
