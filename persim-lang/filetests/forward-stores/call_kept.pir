; passes: forward-stores
; A `call` may write any memory: the load after it stays. Unchanged.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 64} {
  %1 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1.5, ty = f32} : f32
  buf_store %1, %2, %3
  call {callee = "clobber"}
  %4 = buf_load %1, %2 {lanes = 0} : f32
  store %0, %4 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 64} {
  %1 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1.5, ty = f32} : f32
  buf_store %1, %2, %3
  call {callee = "clobber"}
  %4 = buf_load %1, %2 {lanes = 0} : f32
  store %0, %4 {arg = 0}
  return
}
