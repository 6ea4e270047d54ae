; passes: fuse-loops
; The first loop's store has no `arg` attribute: it may write what the
; second loop loads (here it does: `out`, one chunk further on).
; Unchanged.
kernel @k(%0 x: ptr<f32> mut, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 0} {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1024, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 1.0, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  %7 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %8 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  %9 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %2, %3, %4 {
  ^(%10: i32):
    %11 = splat %10 {shape = [4]} : tile<4xi32>
    %12 = add %9, %11 : tile<4xi32>
    %13 = ptr_add %8, %12 : tile<4xptr<f32>>
    store %13, %6
    yield
  }
  for %2, %3, %4 {
  ^(%14: i32):
    %15 = add %14, %4 : i32
    %16 = splat %15 {shape = [4]} : tile<4xi32>
    %17 = add %9, %16 : tile<4xi32>
    %18 = ptr_add %8, %17 : tile<4xptr<f32>>
    %19 = load %18 {arg = 1} : tile<4xf32>
    %20 = splat %14 {shape = [4]} : tile<4xi32>
    %21 = add %9, %20 : tile<4xi32>
    %22 = ptr_add %7, %21 : tile<4xptr<f32>>
    store %22, %19 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @k(%0 x: ptr<f32> mut, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 0} {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1024, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 1.0, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  %7 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %8 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  %9 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %2, %3, %4 {
  ^(%10: i32):
    %11 = splat %10 {shape = [4]} : tile<4xi32>
    %12 = add %9, %11 : tile<4xi32>
    %13 = ptr_add %8, %12 : tile<4xptr<f32>>
    store %13, %6
    yield
  }
  for %2, %3, %4 {
  ^(%14: i32):
    %15 = add %14, %4 : i32
    %16 = splat %15 {shape = [4]} : tile<4xi32>
    %17 = add %9, %16 : tile<4xi32>
    %18 = ptr_add %8, %17 : tile<4xptr<f32>>
    %19 = load %18 {arg = 1} : tile<4xf32>
    %20 = splat %14 {shape = [4]} : tile<4xi32>
    %21 = add %9, %20 : tile<4xi32>
    %22 = ptr_add %7, %21 : tile<4xptr<f32>>
    store %22, %19 {arg = 0}
    yield
  }
  return
}
