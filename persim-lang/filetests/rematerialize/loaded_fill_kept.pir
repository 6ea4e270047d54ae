; passes: rematerialize
; The fill copies another buffer (a `buf_load` is not pure): repeating it
; at each use would be no cheaper than the load. Unchanged.
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 96} {
  %1 = alloc {ty = buf<8xi32>, offset = 0} : buf<8xi32>
  %2 = alloc {ty = buf<8xi32>, offset = 64} : buf<8xi32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 8, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = arange {lo = 0, hi = 4} : tile<4xi32>
  buf_store %2, %3, %6
  buf_store %2, %5, %6
  for %3, %4, %5 {
  ^(%7: i32):
    %8 = buf_load %2, %7 {lanes = 4} : tile<4xi32>
    buf_store %1, %7, %8
    yield
  }
  %9 = buf_load %1, %5 {lanes = 4} : tile<4xi32>
  %10 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %11 = ptr_add %10, %9 : tile<4xptr<i32>>
  store %11, %9 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 96} {
  %1 = alloc {ty = buf<8xi32>, offset = 0} : buf<8xi32>
  %2 = alloc {ty = buf<8xi32>, offset = 64} : buf<8xi32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 8, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = arange {lo = 0, hi = 4} : tile<4xi32>
  buf_store %2, %3, %6
  buf_store %2, %5, %6
  for %3, %4, %5 {
  ^(%7: i32):
    %8 = buf_load %2, %7 {lanes = 4} : tile<4xi32>
    buf_store %1, %7, %8
    yield
  }
  %9 = buf_load %1, %5 {lanes = 4} : tile<4xi32>
  %10 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %11 = ptr_add %10, %9 : tile<4xptr<i32>>
  store %11, %9 {arg = 0}
  return
}
