; passes: fuse-loops
; A loop carrying values is never the first of a pair: its results may feed
; the loop after it (here the sum scales every element), so the second loop
; must wait for the whole reduction. Unchanged.
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 64, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 0.0, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  %7 = for %2, %3, %4, %6 : tile<4xf32> {
  ^(%8: i32, %9: tile<4xf32>):
    %10 = ptr_add %0, %8 : ptr<f32>
    %11 = splat %10 {shape = [4]} : tile<4xptr<f32>>
    %12 = load %11 {arg = 0} : tile<4xf32>
    %13 = add %9, %12 : tile<4xf32>
    yield %13
  }
  for %2, %3, %4 {
  ^(%14: i32):
    %15 = ptr_add %0, %14 : ptr<f32>
    %16 = splat %15 {shape = [4]} : tile<4xptr<f32>>
    %17 = load %16 {arg = 0} : tile<4xf32>
    %18 = mul %17, %7 : tile<4xf32>
    %19 = ptr_add %1, %14 : ptr<f32>
    %20 = splat %19 {shape = [4]} : tile<4xptr<f32>>
    store %20, %18 {arg = 1}
    yield
  }
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 64, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 0.0, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  %7 = for %2, %3, %4, %6 : tile<4xf32> {
  ^(%8: i32, %9: tile<4xf32>):
    %10 = ptr_add %0, %8 : ptr<f32>
    %11 = splat %10 {shape = [4]} : tile<4xptr<f32>>
    %12 = load %11 {arg = 0} : tile<4xf32>
    %13 = add %9, %12 : tile<4xf32>
    yield %13
  }
  for %2, %3, %4 {
  ^(%14: i32):
    %15 = ptr_add %0, %14 : ptr<f32>
    %16 = splat %15 {shape = [4]} : tile<4xptr<f32>>
    %17 = load %16 {arg = 0} : tile<4xf32>
    %18 = mul %17, %7 : tile<4xf32>
    %19 = ptr_add %1, %14 : ptr<f32>
    %20 = splat %19 {shape = [4]} : tile<4xptr<f32>>
    store %20, %18 {arg = 1}
    yield
  }
  return
}
