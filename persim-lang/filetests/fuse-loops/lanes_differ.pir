; passes: fuse-loops
; The first loop stores 4-lane vectors at iv, the second loads a scalar
; at iv. Fusing would be legal (the scalar lies in the vector's slab), but
; the check asks for one width for all accesses to a buffer: it is
; conservative. Unchanged.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 4096} {
  %1 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1024, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 1.0, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  for %2, %3, %4 {
  ^(%7: i32):
    buf_store %1, %7, %6
    yield
  }
  for %2, %3, %4 {
  ^(%8: i32):
    %9 = buf_load %1, %8 {lanes = 0} : f32
    %10 = ptr_add %0, %8 : ptr<f32>
    store %10, %9 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 4096} {
  %1 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1024, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 1.0, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  for %2, %3, %4 {
  ^(%7: i32):
    buf_store %1, %7, %6
    yield
  }
  for %2, %3, %4 {
  ^(%8: i32):
    %9 = buf_load %1, %8 {lanes = 0} : f32
    %10 = ptr_add %0, %8 : ptr<f32>
    store %10, %9 {arg = 0}
    yield
  }
  return
}
