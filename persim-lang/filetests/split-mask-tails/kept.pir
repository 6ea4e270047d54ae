; passes: split-mask-tails
; Loops left alone: lanes at `2 · iv` (the mask is not `iv + lane`), a
; bound computed in the loop, and a bound that is a tile (not the same in
; every lane).
kernel @k(%0 out: ptr<f32> mut, %1 n: i32, %2 b: ptr<i32>) attrs {lanes = 4, local_mem = 0} {
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 16, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = const {value = 2, ty = i32} : i32
  %7 = const {value = 1.0, ty = f32} : f32
  %8 = splat %7 {shape = [4]} : tile<4xf32>
  %9 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %10 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %3, %4, %5 {
  ^(%11: i32):
    %12 = mul %11, %6 : i32
    %13 = splat %12 {shape = [4]} : tile<4xi32>
    %14 = add %13, %10 : tile<4xi32>
    %15 = splat %1 {shape = [4]} : tile<4xi32>
    %16 = cmp %14, %15 {pred = lt} : tile<4xi1>
    %17 = ptr_add %9, %14 : tile<4xptr<f32>>
    store %17, %8, %16 {arg = 0}
    yield
  }
  for %3, %4, %5 {
  ^(%18: i32):
    %19 = splat %18 {shape = [4]} : tile<4xi32>
    %20 = add %19, %10 : tile<4xi32>
    %21 = add %1, %18 : i32
    %22 = splat %21 {shape = [4]} : tile<4xi32>
    %23 = cmp %20, %22 {pred = lt} : tile<4xi1>
    %24 = ptr_add %9, %20 : tile<4xptr<f32>>
    store %24, %8, %23 {arg = 0}
    yield
  }
  %25 = splat %2 {shape = [4]} : tile<4xptr<i32>>
  %26 = ptr_add %25, %10 : tile<4xptr<i32>>
  %27 = load %26 {arg = 2} : tile<4xi32>
  for %3, %4, %5 {
  ^(%28: i32):
    %29 = splat %28 {shape = [4]} : tile<4xi32>
    %30 = add %29, %10 : tile<4xi32>
    %31 = cmp %30, %27 {pred = lt} : tile<4xi1>
    %32 = ptr_add %9, %30 : tile<4xptr<f32>>
    store %32, %8, %31 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 n: i32, %2 b: ptr<i32>) attrs {lanes = 4, local_mem = 0} {
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 16, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = const {value = 2, ty = i32} : i32
  %7 = const {value = 1.0, ty = f32} : f32
  %8 = splat %7 {shape = [4]} : tile<4xf32>
  %9 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %10 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %3, %4, %5 {
  ^(%11: i32):
    %12 = mul %11, %6 : i32
    %13 = splat %12 {shape = [4]} : tile<4xi32>
    %14 = add %13, %10 : tile<4xi32>
    %15 = splat %1 {shape = [4]} : tile<4xi32>
    %16 = cmp %14, %15 {pred = lt} : tile<4xi1>
    %17 = ptr_add %9, %14 : tile<4xptr<f32>>
    store %17, %8, %16 {arg = 0}
    yield
  }
  for %3, %4, %5 {
  ^(%18: i32):
    %19 = splat %18 {shape = [4]} : tile<4xi32>
    %20 = add %19, %10 : tile<4xi32>
    %21 = add %1, %18 : i32
    %22 = splat %21 {shape = [4]} : tile<4xi32>
    %23 = cmp %20, %22 {pred = lt} : tile<4xi1>
    %24 = ptr_add %9, %20 : tile<4xptr<f32>>
    store %24, %8, %23 {arg = 0}
    yield
  }
  %25 = splat %2 {shape = [4]} : tile<4xptr<i32>>
  %26 = ptr_add %25, %10 : tile<4xptr<i32>>
  %27 = load %26 {arg = 2} : tile<4xi32>
  for %3, %4, %5 {
  ^(%28: i32):
    %29 = splat %28 {shape = [4]} : tile<4xi32>
    %30 = add %29, %10 : tile<4xi32>
    %31 = cmp %30, %27 {pred = lt} : tile<4xi1>
    %32 = ptr_add %9, %30 : tile<4xptr<f32>>
    store %32, %8, %31 {arg = 0}
    yield
  }
  return
}
