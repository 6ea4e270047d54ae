; passes: rematerialize
; A load at a constant index the fill loop stored at (4) is recomputed with
; the constant in place of the induction variable.
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 32} {
  %1 = alloc {ty = buf<8xi32>, offset = 0} : buf<8xi32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 8, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %2, %3, %4 {
  ^(%6: i32):
    %7 = splat %6 {shape = [4]} : tile<4xi32>
    %8 = add %5, %7 : tile<4xi32>
    buf_store %1, %6, %8
    yield
  }
  %9 = const {value = 4, ty = i32} : i32
  %10 = buf_load %1, %9 {lanes = 4} : tile<4xi32>
  %11 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %12 = ptr_add %11, %10 : tile<4xptr<i32>>
  store %12, %10 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 32} {
  %1 = alloc {ty = buf<8xi32>, offset = 0} : buf<8xi32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 8, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %2, %3, %4 {
  ^(%6: i32):
    %7 = splat %6 {shape = [4]} : tile<4xi32>
    %8 = add %5, %7 : tile<4xi32>
    buf_store %1, %6, %8
    yield
  }
  %9 = const {value = 4, ty = i32} : i32
  %10 = splat %9 {shape = [4]} : tile<4xi32>
  %11 = add %5, %10 : tile<4xi32>
  %12 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %13 = ptr_add %12, %11 : tile<4xptr<i32>>
  store %13, %11 {arg = 0}
  return
}
