; passes: dead-buffers
; Buffer %1 is never read, but it shares bytes with %2, which is: a store
; into %1 could be what a load of %2 sees, so %1 stays. The unread,
; non-overlapping %3 goes.
; check-not: offset = 128
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 192} {
  %1 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %3 = alloc {ty = buf<16xf32>, offset = 128} : buf<16xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 1.0, ty = f32} : f32
  buf_store %1, %4, %5
  buf_store %3, %4, %5
  %6 = buf_load %2, %4 {lanes = 0} : f32
  store %0, %6 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 64} {
  %1 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1.0, ty = f32} : f32
  buf_store %1, %3, %4
  %5 = buf_load %2, %3 {lanes = 0} : f32
  store %0, %5 {arg = 0}
  return
}
