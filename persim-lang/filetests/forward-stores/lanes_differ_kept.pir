; passes: forward-stores
; A 4-lane store and a scalar load of its first element: the IR has no
; lane extraction, so the load stays. Unchanged.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 64} {
  %1 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %2 = const {value = 4, ty = i32} : i32
  %3 = const {value = 1.5, ty = f32} : f32
  %4 = splat %3 {shape = [4]} : tile<4xf32>
  buf_store %1, %2, %4
  %5 = buf_load %1, %2 {lanes = 0} : f32
  store %0, %5 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 64} {
  %1 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %2 = const {value = 4, ty = i32} : i32
  %3 = const {value = 1.5, ty = f32} : f32
  %4 = splat %3 {shape = [4]} : tile<4xf32>
  buf_store %1, %2, %4
  %5 = buf_load %1, %2 {lanes = 0} : f32
  store %0, %5 {arg = 0}
  return
}
