; passes: fuse-loops
; The first loop stores to `out` (arg 1), the second loads `x` (arg 0)
; and stores to `out2` (arg 2): distinct slices, and a `&mut` slice
; overlaps no other argument, so the loops fuse.
; check: for
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 out2: ptr<f32> mut) attrs {lanes = 4, local_mem = 0} {
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1024, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = const {value = 1.0, ty = f32} : f32
  %7 = splat %6 {shape = [4]} : tile<4xf32>
  %8 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  %9 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %3, %4, %5 {
  ^(%10: i32):
    %11 = splat %10 {shape = [4]} : tile<4xi32>
    %12 = add %9, %11 : tile<4xi32>
    %13 = ptr_add %8, %12 : tile<4xptr<f32>>
    store %13, %7 {arg = 1}
    yield
  }
  %14 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %20 = splat %2 {shape = [4]} : tile<4xptr<f32>>
  for %3, %4, %5 {
  ^(%15: i32):
    %16 = splat %15 {shape = [4]} : tile<4xi32>
    %17 = add %9, %16 : tile<4xi32>
    %18 = ptr_add %14, %17 : tile<4xptr<f32>>
    %19 = load %18 {arg = 0} : tile<4xf32>
    %21 = ptr_add %20, %17 : tile<4xptr<f32>>
    store %21, %19 {arg = 2}
    yield
  }
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 out2: ptr<f32> mut) attrs {lanes = 4, local_mem = 0} {
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1024, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = const {value = 1.0, ty = f32} : f32
  %7 = splat %6 {shape = [4]} : tile<4xf32>
  %8 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  %9 = arange {lo = 0, hi = 4} : tile<4xi32>
  %10 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %11 = splat %2 {shape = [4]} : tile<4xptr<f32>>
  for %3, %4, %5 {
  ^(%12: i32):
    %13 = splat %12 {shape = [4]} : tile<4xi32>
    %14 = add %9, %13 : tile<4xi32>
    %15 = ptr_add %8, %14 : tile<4xptr<f32>>
    store %15, %7 {arg = 1}
    %16 = splat %12 {shape = [4]} : tile<4xi32>
    %17 = add %9, %16 : tile<4xi32>
    %18 = ptr_add %10, %17 : tile<4xptr<f32>>
    %19 = load %18 {arg = 0} : tile<4xf32>
    %20 = ptr_add %11, %17 : tile<4xptr<f32>>
    store %20, %19 {arg = 2}
    yield
  }
  return
}
