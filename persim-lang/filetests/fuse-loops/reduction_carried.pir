; passes: fuse-loops
; A reduction loop carries its accumulator: not a candidate, even though
; its bounds equal the elementwise loop's. Unchanged.
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 4096} {
  %2 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1024, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %7 = const {value = 0.0, ty = f32} : f32
  %8 = splat %7 {shape = [4]} : tile<4xf32>
  for %3, %4, %5 {
  ^(%9: i32):
    %10 = ptr_add %0, %9 : ptr<f32>
    %18 = splat %10 {shape = [4]} : tile<4xptr<f32>>
    %11 = load %18 {arg = 0} : tile<4xf32>
    buf_store %2, %9, %11
    yield
  }
  %12 = for %3, %4, %5, %8 : tile<4xf32> {
  ^(%13: i32, %14: tile<4xf32>):
    %15 = buf_load %2, %13 {lanes = 4} : tile<4xf32>
    %16 = add %14, %15 : tile<4xf32>
    yield %16
  }
  %17 = reduce %12 {kind = sum, axis = 0} : f32
  store %1, %17 {arg = 1}
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 4096} {
  %2 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1024, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = const {value = 0.0, ty = f32} : f32
  %7 = splat %6 {shape = [4]} : tile<4xf32>
  for %3, %4, %5 {
  ^(%8: i32):
    %9 = ptr_add %0, %8 : ptr<f32>
    %10 = splat %9 {shape = [4]} : tile<4xptr<f32>>
    %11 = load %10 {arg = 0} : tile<4xf32>
    buf_store %2, %8, %11
    yield
  }
  %12 = for %3, %4, %5, %7 : tile<4xf32> {
  ^(%13: i32, %14: tile<4xf32>):
    %15 = buf_load %2, %13 {lanes = 4} : tile<4xf32>
    %16 = add %14, %15 : tile<4xf32>
    yield %16
  }
  %17 = reduce %12 {kind = sum, axis = 0} : f32
  store %1, %17 {arg = 1}
  return
}
