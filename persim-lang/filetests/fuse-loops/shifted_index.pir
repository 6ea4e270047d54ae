; passes: fuse-loops
; The second loop reads the buffer at iv + 4: iteration i reads what
; iteration i + 1 of the first loop writes (distance 1). Not fused.
; (The first loop, over other bounds, only zeroes the buffer.) Unchanged.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 4160} {
  %1 = alloc {ty = buf<1040xf32>, offset = 0} : buf<1040xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1024, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %6 = arange {lo = 0, hi = 4} : tile<4xi32>
  %17 = const {value = 1040, ty = i32} : i32
  %18 = const {value = 0.0, ty = f32} : f32
  %19 = splat %18 {shape = [4]} : tile<4xf32>
  for %2, %17, %4 {
  ^(%20: i32):
    buf_store %1, %20, %19
    yield
  }
  for %2, %3, %4 {
  ^(%7: i32):
    %8 = splat %7 {shape = [4]} : tile<4xi32>
    %9 = add %6, %8 : tile<4xi32>
    %10 = cast %9 {to = f32} : tile<4xf32>
    buf_store %1, %7, %10
    yield
  }
  for %2, %3, %4 {
  ^(%11: i32):
    %12 = add %11, %4 : i32
    %13 = buf_load %1, %12 {lanes = 4} : tile<4xf32>
    %14 = splat %11 {shape = [4]} : tile<4xi32>
    %15 = add %6, %14 : tile<4xi32>
    %16 = ptr_add %5, %15 : tile<4xptr<f32>>
    store %16, %13 {arg = 0}
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
  %7 = const {value = 1040, ty = i32} : i32
  %8 = const {value = 0.0, ty = f32} : f32
  %9 = splat %8 {shape = [4]} : tile<4xf32>
  for %2, %7, %4 {
  ^(%10: i32):
    buf_store %1, %10, %9
    yield
  }
  for %2, %3, %4 {
  ^(%11: i32):
    %12 = splat %11 {shape = [4]} : tile<4xi32>
    %13 = add %6, %12 : tile<4xi32>
    %14 = cast %13 {to = f32} : tile<4xf32>
    buf_store %1, %11, %14
    yield
  }
  for %2, %3, %4 {
  ^(%15: i32):
    %16 = add %15, %4 : i32
    %17 = buf_load %1, %16 {lanes = 4} : tile<4xf32>
    %18 = splat %15 {shape = [4]} : tile<4xi32>
    %19 = add %6, %18 : tile<4xi32>
    %20 = ptr_add %5, %19 : tile<4xptr<f32>>
    store %20, %17 {arg = 0}
    yield
  }
  return
}
