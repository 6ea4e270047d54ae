; passes: fuse-loops
; A `call` may touch any memory: a loop containing one is never fused.
; Unchanged.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 0} {
  %1 = const {value = 0, ty = i32} : i32
  %2 = const {value = 1024, ty = i32} : i32
  %3 = const {value = 4, ty = i32} : i32
  %4 = const {value = 1.0, ty = f32} : f32
  %5 = splat %4 {shape = [4]} : tile<4xf32>
  %6 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %7 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %1, %2, %3 {
  ^(%8: i32):
    %9 = splat %8 {shape = [4]} : tile<4xi32>
    %10 = add %7, %9 : tile<4xi32>
    %11 = ptr_add %6, %10 : tile<4xptr<f32>>
    store %11, %5 {arg = 0}
    yield
  }
  for %1, %2, %3 {
  ^(%12: i32):
    call %12 {callee = "trace"}
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 0} {
  %1 = const {value = 0, ty = i32} : i32
  %2 = const {value = 1024, ty = i32} : i32
  %3 = const {value = 4, ty = i32} : i32
  %4 = const {value = 1.0, ty = f32} : f32
  %5 = splat %4 {shape = [4]} : tile<4xf32>
  %6 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %7 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %1, %2, %3 {
  ^(%8: i32):
    %9 = splat %8 {shape = [4]} : tile<4xi32>
    %10 = add %7, %9 : tile<4xi32>
    %11 = ptr_add %6, %10 : tile<4xptr<f32>>
    store %11, %5 {arg = 0}
    yield
  }
  for %1, %2, %3 {
  ^(%12: i32):
    call %12 {callee = "trace"}
    yield
  }
  return
}
