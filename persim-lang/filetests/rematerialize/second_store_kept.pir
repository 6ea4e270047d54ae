; passes: rematerialize
; The buffer is written again after the fill (an in-place update): its
; contents are no longer the fill's function of the index. Unchanged.
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
  buf_store %1, %2, %5
  %9 = buf_load %1, %4 {lanes = 4} : tile<4xi32>
  %10 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %11 = ptr_add %10, %9 : tile<4xptr<i32>>
  store %11, %9 {arg = 0}
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
  buf_store %1, %2, %5
  %9 = buf_load %1, %4 {lanes = 4} : tile<4xi32>
  %10 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %11 = ptr_add %10, %9 : tile<4xptr<i32>>
  store %11, %9 {arg = 0}
  return
}
