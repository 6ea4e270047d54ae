; passes: fuse-loops
; Both loops access the buffer at iv + 16 (each body computes it with its
; own constant): the same affine index and width in both loops, so
; iteration i of the second loop touches only what iteration i of the
; first touched. Fused.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 4160} {
  %1 = alloc {ty = buf<1040xf32>, offset = 0} : buf<1040xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1024, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %6 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %2, %3, %4 {
  ^(%7: i32):
    %8 = splat %7 {shape = [4]} : tile<4xi32>
    %9 = add %6, %8 : tile<4xi32>
    %10 = cast %9 {to = f32} : tile<4xf32>
    %11 = const {value = 16, ty = i32} : i32
    %12 = add %7, %11 : i32
    buf_store %1, %12, %10
    yield
  }
  for %2, %3, %4 {
  ^(%13: i32):
    %14 = const {value = 16, ty = i32} : i32
    %15 = add %14, %13 : i32
    %16 = buf_load %1, %15 {lanes = 4} : tile<4xf32>
    %17 = splat %13 {shape = [4]} : tile<4xi32>
    %18 = add %6, %17 : tile<4xi32>
    %19 = ptr_add %5, %18 : tile<4xptr<f32>>
    store %19, %16 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 4160} {
  %1 = alloc {ty = buf<1040xf32>, offset = 0} : buf<1040xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1024, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %6 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %2, %3, %4 {
  ^(%7: i32):
    %8 = splat %7 {shape = [4]} : tile<4xi32>
    %9 = add %6, %8 : tile<4xi32>
    %10 = cast %9 {to = f32} : tile<4xf32>
    %11 = const {value = 16, ty = i32} : i32
    %12 = add %7, %11 : i32
    buf_store %1, %12, %10
    %13 = const {value = 16, ty = i32} : i32
    %14 = add %13, %7 : i32
    %15 = buf_load %1, %14 {lanes = 4} : tile<4xf32>
    %16 = splat %7 {shape = [4]} : tile<4xi32>
    %17 = add %6, %16 : tile<4xi32>
    %18 = ptr_add %5, %17 : tile<4xptr<f32>>
    store %18, %15 {arg = 0}
    yield
  }
  return
}
