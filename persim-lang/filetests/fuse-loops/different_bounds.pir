; passes: fuse-loops
; The second loop stops four elements earlier: different iteration
; spaces, not fused. Unchanged.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 4096} {
  %1 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1024, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 1020, ty = i32} : i32
  %6 = const {value = 1.0, ty = f32} : f32
  %7 = splat %6 {shape = [4]} : tile<4xf32>
  for %2, %3, %4 {
  ^(%9: i32):
    buf_store %1, %9, %7
    yield
  }
  for %2, %5, %4 {
  ^(%10: i32):
    %11 = buf_load %1, %10 {lanes = 4} : tile<4xf32>
    %12 = ptr_add %0, %10 : ptr<f32>
    %13 = splat %12 {shape = [4]} : tile<4xptr<f32>>
    store %13, %11 {arg = 0}
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
  %5 = const {value = 1020, ty = i32} : i32
  %6 = const {value = 1.0, ty = f32} : f32
  %7 = splat %6 {shape = [4]} : tile<4xf32>
  for %2, %3, %4 {
  ^(%8: i32):
    buf_store %1, %8, %7
    yield
  }
  for %2, %5, %4 {
  ^(%9: i32):
    %10 = buf_load %1, %9 {lanes = 4} : tile<4xf32>
    %11 = ptr_add %0, %9 : ptr<f32>
    %12 = splat %11 {shape = [4]} : tile<4xptr<f32>>
    store %12, %10 {arg = 0}
    yield
  }
  return
}
