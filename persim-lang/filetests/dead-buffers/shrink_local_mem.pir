; passes: dead-buffers
; The dead buffers sit before and after the live one: local_mem becomes
; the live buffer's end (offsets are not compacted).
; check: local_mem = 4160
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 8256} {
  %1 = alloc {ty = buf<1024xi32>, offset = 0} : buf<1024xi32>
  %2 = alloc {ty = buf<16xi32>, offset = 4096} : buf<16xi32>
  %3 = alloc {ty = buf<1024xi32>, offset = 4160} : buf<1024xi32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  buf_store %1, %4, %5
  buf_store %2, %4, %5
  buf_store %3, %4, %5
  %6 = buf_load %2, %4 {lanes = 4} : tile<4xi32>
  %7 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %8 = ptr_add %7, %6 : tile<4xptr<i32>>
  store %8, %6 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 4160} {
  %1 = alloc {ty = buf<16xi32>, offset = 4096} : buf<16xi32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = arange {lo = 0, hi = 4} : tile<4xi32>
  buf_store %1, %2, %3
  %4 = buf_load %1, %2 {lanes = 4} : tile<4xi32>
  %5 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %6 = ptr_add %5, %4 : tile<4xptr<i32>>
  store %6, %4 {arg = 0}
  return
}
