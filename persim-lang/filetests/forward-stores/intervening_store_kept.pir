; passes: forward-stores
; Another store into the same buffer comes between (at an index that may
; or may not overlap), so the load must read memory. Unchanged.
kernel @k(%0 out: ptr<f32> mut, %1 i: i32, %2 j: i32) attrs {lanes = 4, local_mem = 64} {
  %3 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %4 = const {value = 1.5, ty = f32} : f32
  %5 = const {value = 2.5, ty = f32} : f32
  buf_store %3, %1, %4
  buf_store %3, %2, %5
  %6 = buf_load %3, %1 {lanes = 0} : f32
  store %0, %6 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 i: i32, %2 j: i32) attrs {lanes = 4, local_mem = 64} {
  %3 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %4 = const {value = 1.5, ty = f32} : f32
  %5 = const {value = 2.5, ty = f32} : f32
  buf_store %3, %1, %4
  buf_store %3, %2, %5
  %6 = buf_load %3, %1 {lanes = 0} : f32
  store %0, %6 {arg = 0}
  return
}
