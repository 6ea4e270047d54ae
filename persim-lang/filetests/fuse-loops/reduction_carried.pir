; passes: fuse-loops
; A reduction loop carrying its accumulator takes in the elementwise loop
; before it (same bounds): the load's body goes to the start of the
; reduction's, where forward-stores can then hand the chunk over.
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
  %8 = for %3, %4, %5, %7 : tile<4xf32> {
  ^(%9: i32, %10: tile<4xf32>):
    %11 = ptr_add %0, %9 : ptr<f32>
    %12 = splat %11 {shape = [4]} : tile<4xptr<f32>>
    %13 = load %12 {arg = 0} : tile<4xf32>
    buf_store %2, %9, %13
    %14 = buf_load %2, %9 {lanes = 4} : tile<4xf32>
    %15 = add %10, %14 : tile<4xf32>
    yield %15
  }
  %16 = reduce %8 {kind = sum, axis = 0} : f32
  store %1, %16 {arg = 1}
  return
}
