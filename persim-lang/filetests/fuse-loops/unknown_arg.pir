; passes: fuse-loops
; The store has no `arg` attribute: it may write anything the second
; loop's load reads. Unchanged.
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 0} {
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
    %15 = splat %14 {shape = [4]} : tile<4xi32>
    %16 = add %9, %15 : tile<4xi32>
    %17 = ptr_add %7, %16 : tile<4xptr<f32>>
    %18 = load %17 {arg = 0} : tile<4xf32>
    %19 = ptr_add %8, %16 : tile<4xptr<f32>>
    store %19, %18 {arg = 1}
    yield
  }
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 0} {
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
    %15 = splat %14 {shape = [4]} : tile<4xi32>
    %16 = add %9, %15 : tile<4xi32>
    %17 = ptr_add %7, %16 : tile<4xptr<f32>>
    %18 = load %17 {arg = 0} : tile<4xf32>
    %19 = ptr_add %8, %16 : tile<4xptr<f32>>
    store %19, %18 {arg = 1}
    yield
  }
  return
}
