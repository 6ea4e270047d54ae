; passes: forward-stores
; A scalar store forwards to a scalar load of the same element; the
; global store in between does not touch local memory.
; check-not: buf_load
kernel @k(%0 out: ptr<i32> mut, %1 a: i32) attrs {lanes = 4, local_mem = 64} {
  %2 = alloc {ty = buf<16xi32>, offset = 0} : buf<16xi32>
  %3 = const {value = 3, ty = i32} : i32
  %4 = mul %1, %1 : i32
  buf_store %2, %3, %4
  store %0, %1 {arg = 0}
  %5 = buf_load %2, %3 {lanes = 0} : i32
  %6 = add %5, %1 : i32
  store %0, %6 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 a: i32) attrs {lanes = 4, local_mem = 64} {
  %2 = alloc {ty = buf<16xi32>, offset = 0} : buf<16xi32>
  %3 = const {value = 3, ty = i32} : i32
  %4 = mul %1, %1 : i32
  buf_store %2, %3, %4
  store %0, %1 {arg = 0}
  %5 = add %4, %1 : i32
  store %0, %5 {arg = 0}
  return
}
