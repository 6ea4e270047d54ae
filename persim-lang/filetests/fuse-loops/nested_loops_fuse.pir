; passes: fuse-loops
; Two row loops with identical bounds, each with a column loop over
; global memory with distinct arguments. The row loops fuse, which makes
; the column loops siblings, and they fuse too.
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 out2: ptr<f32> mut) attrs {lanes = 4, local_mem = 0} {
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 8, ty = i32} : i32
  %5 = const {value = 1, ty = i32} : i32
  %6 = const {value = 64, ty = i32} : i32
  %7 = const {value = 4, ty = i32} : i32
  %8 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %3, %4, %5 {
  ^(%9: i32):
    %10 = mul %9, %6 : i32
    %11 = ptr_add %0, %10 : ptr<f32>
    %12 = ptr_add %1, %10 : ptr<f32>
    for %3, %6, %7 {
    ^(%13: i32):
      %14 = splat %13 {shape = [4]} : tile<4xi32>
      %15 = add %8, %14 : tile<4xi32>
      %16 = splat %11 {shape = [4]} : tile<4xptr<f32>>
      %17 = ptr_add %16, %15 : tile<4xptr<f32>>
      %18 = load %17 {arg = 0} : tile<4xf32>
      %19 = splat %12 {shape = [4]} : tile<4xptr<f32>>
      %20 = ptr_add %19, %15 : tile<4xptr<f32>>
      store %20, %18 {arg = 1}
      yield
    }
    yield
  }
  for %3, %4, %5 {
  ^(%21: i32):
    %22 = mul %21, %6 : i32
    %23 = ptr_add %0, %22 : ptr<f32>
    %24 = ptr_add %2, %22 : ptr<f32>
    for %3, %6, %7 {
    ^(%25: i32):
      %26 = splat %25 {shape = [4]} : tile<4xi32>
      %27 = add %8, %26 : tile<4xi32>
      %28 = splat %23 {shape = [4]} : tile<4xptr<f32>>
      %29 = ptr_add %28, %27 : tile<4xptr<f32>>
      %30 = load %29 {arg = 0} : tile<4xf32>
      %31 = exp %30 : tile<4xf32>
      %32 = splat %24 {shape = [4]} : tile<4xptr<f32>>
      %33 = ptr_add %32, %27 : tile<4xptr<f32>>
      store %33, %31 {arg = 2}
      yield
    }
    yield
  }
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 out2: ptr<f32> mut) attrs {lanes = 4, local_mem = 0} {
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 8, ty = i32} : i32
  %5 = const {value = 1, ty = i32} : i32
  %6 = const {value = 64, ty = i32} : i32
  %7 = const {value = 4, ty = i32} : i32
  %8 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %3, %4, %5 {
  ^(%9: i32):
    %10 = mul %9, %6 : i32
    %11 = ptr_add %0, %10 : ptr<f32>
    %12 = ptr_add %1, %10 : ptr<f32>
    %13 = mul %9, %6 : i32
    %14 = ptr_add %0, %13 : ptr<f32>
    %15 = ptr_add %2, %13 : ptr<f32>
    for %3, %6, %7 {
    ^(%16: i32):
      %17 = splat %16 {shape = [4]} : tile<4xi32>
      %18 = add %8, %17 : tile<4xi32>
      %19 = splat %11 {shape = [4]} : tile<4xptr<f32>>
      %20 = ptr_add %19, %18 : tile<4xptr<f32>>
      %21 = load %20 {arg = 0} : tile<4xf32>
      %22 = splat %12 {shape = [4]} : tile<4xptr<f32>>
      %23 = ptr_add %22, %18 : tile<4xptr<f32>>
      store %23, %21 {arg = 1}
      %24 = splat %16 {shape = [4]} : tile<4xi32>
      %25 = add %8, %24 : tile<4xi32>
      %26 = splat %14 {shape = [4]} : tile<4xptr<f32>>
      %27 = ptr_add %26, %25 : tile<4xptr<f32>>
      %28 = load %27 {arg = 0} : tile<4xf32>
      %29 = exp %28 : tile<4xf32>
      %30 = splat %15 {shape = [4]} : tile<4xptr<f32>>
      %31 = ptr_add %30, %25 : tile<4xptr<f32>>
      store %31, %29 {arg = 2}
      yield
    }
    yield
  }
  return
}
