; passes: fuse-loops
; Between the loops, a scalar `buf_load` reads what the first loop wrote:
; it depends on the first loop (through memory), cannot move above it and
; blocks fusion. Unchanged.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 4096} {
  %1 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
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
    buf_store %1, %7, %10
    yield
  }
  %11 = buf_load %1, %2 {lanes = 0} : f32
  %12 = splat %11 {shape = [4]} : tile<4xf32>
  for %2, %3, %4 {
  ^(%13: i32):
    %14 = buf_load %1, %13 {lanes = 4} : tile<4xf32>
    %15 = add %14, %12 : tile<4xf32>
    %16 = splat %13 {shape = [4]} : tile<4xi32>
    %17 = add %6, %16 : tile<4xi32>
    %18 = ptr_add %5, %17 : tile<4xptr<f32>>
    store %18, %15 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 4096} {
  %1 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
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
    buf_store %1, %7, %10
    yield
  }
  %11 = buf_load %1, %2 {lanes = 0} : f32
  %12 = splat %11 {shape = [4]} : tile<4xf32>
  for %2, %3, %4 {
  ^(%13: i32):
    %14 = buf_load %1, %13 {lanes = 4} : tile<4xf32>
    %15 = add %14, %12 : tile<4xf32>
    %16 = splat %13 {shape = [4]} : tile<4xi32>
    %17 = add %6, %16 : tile<4xi32>
    %18 = ptr_add %5, %17 : tile<4xptr<f32>>
    store %18, %15 {arg = 0}
    yield
  }
  return
}
