; passes: split-mask-tails, canonicalize, dce
; A row of `n` floats summed in chunks of 4 over a block of 32: the loop
; runs to `sp` (the last chunk whose lanes are all below `n`) with plain
; loads, then from `sp` to 32 with the masked ones; the sum is carried
; from the first loop into the second, so it is added in the same order.
kernel @k(%0 out: ptr<f32> mut, %1 x: ptr<f32>, %2 n: i32) attrs {lanes = 4, local_mem = 0} {
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 32, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = const {value = 0.0, ty = f32} : f32
  %7 = splat %6 {shape = [4]} : tile<4xf32>
  %8 = for %3, %4, %5, %7 : tile<4xf32> {
  ^(%9: i32, %10: tile<4xf32>):
    %11 = arange {lo = 0, hi = 4} : tile<4xi32>
    %12 = splat %9 {shape = [4]} : tile<4xi32>
    %13 = add %11, %12 : tile<4xi32>
    %14 = splat %2 {shape = [4]} : tile<4xi32>
    %15 = cmp %13, %14 {pred = lt} : tile<4xi1>
    %16 = splat %1 {shape = [4]} : tile<4xptr<f32>>
    %17 = ptr_add %16, %13 : tile<4xptr<f32>>
    %18 = load %17, %15, %7 {arg = 1} : tile<4xf32>
    %19 = add %10, %18 : tile<4xf32>
    yield %19
  }
  %20 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  store %20, %8 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 x: ptr<f32>, %2 n: i32) attrs {lanes = 4, local_mem = 0} {
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 32, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = const {value = 0.0, ty = f32} : f32
  %7 = splat %6 {shape = [4]} : tile<4xf32>
  %8 = const {value = 32, ty = i64} : i64
  %9 = const {value = 4, ty = i64} : i64
  %10 = const {value = 0, ty = i64} : i64
  %11 = cast %2 {to = i64} : i64
  %12 = maximum %11, %10 : i64
  %13 = div %12, %9 : i64
  %14 = mul %13, %9 : i64
  %15 = minimum %14, %8 : i64
  %16 = cast %15 {to = i32} : i32
  %17 = for %3, %16, %5, %7 {mask_tail = "main"} : tile<4xf32> {
  ^(%18: i32, %19: tile<4xf32>):
    %20 = arange {lo = 0, hi = 4} : tile<4xi32>
    %21 = splat %18 {shape = [4]} : tile<4xi32>
    %22 = add %20, %21 : tile<4xi32>
    %23 = splat %1 {shape = [4]} : tile<4xptr<f32>>
    %24 = ptr_add %23, %22 : tile<4xptr<f32>>
    %25 = load %24 {arg = 1} : tile<4xf32>
    %26 = add %19, %25 : tile<4xf32>
    yield %26
  }
  %27 = for %16, %4, %5, %17 {mask_tail = "tail"} : tile<4xf32> {
  ^(%28: i32, %29: tile<4xf32>):
    %30 = arange {lo = 0, hi = 4} : tile<4xi32>
    %31 = splat %28 {shape = [4]} : tile<4xi32>
    %32 = add %30, %31 : tile<4xi32>
    %33 = splat %2 {shape = [4]} : tile<4xi32>
    %34 = cmp %32, %33 {pred = lt} : tile<4xi1>
    %35 = splat %1 {shape = [4]} : tile<4xptr<f32>>
    %36 = ptr_add %35, %32 : tile<4xptr<f32>>
    %37 = load %36, %34, %7 {arg = 1} : tile<4xf32>
    %38 = add %29, %37 : tile<4xf32>
    yield %38
  }
  %39 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  store %39, %27 {arg = 0}
  return
}
