; passes: rematerialize
; Another buffer shares the filled buffer's bytes (packed buffers may) and
; is written after the fill: the bytes the load reads may no longer be the
; fill's. Unchanged.
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 32} {
  %1 = alloc {ty = buf<8xi32>, offset = 0} : buf<8xi32>
  %2 = alloc {ty = buf<8xi32>, offset = 0} : buf<8xi32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 8, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %3, %4, %5 {
  ^(%7: i32):
    %8 = splat %7 {shape = [4]} : tile<4xi32>
    %9 = add %6, %8 : tile<4xi32>
    buf_store %1, %7, %9
    yield
  }
  buf_store %2, %5, %6
  %10 = buf_load %1, %5 {lanes = 4} : tile<4xi32>
  %11 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %12 = ptr_add %11, %10 : tile<4xptr<i32>>
  store %12, %10 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 32} {
  %1 = alloc {ty = buf<8xi32>, offset = 0} : buf<8xi32>
  %2 = alloc {ty = buf<8xi32>, offset = 0} : buf<8xi32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 8, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %3, %4, %5 {
  ^(%7: i32):
    %8 = splat %7 {shape = [4]} : tile<4xi32>
    %9 = add %6, %8 : tile<4xi32>
    buf_store %1, %7, %9
    yield
  }
  buf_store %2, %5, %6
  %10 = buf_load %1, %5 {lanes = 4} : tile<4xi32>
  %11 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %12 = ptr_add %11, %10 : tile<4xptr<i32>>
  store %12, %10 {arg = 0}
  return
}
