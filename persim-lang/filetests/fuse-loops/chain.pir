; passes: fuse-loops
; Three elementwise loops over one iteration space, each with the fresh
; bound constants lowering emits: one loop. The constants and splats
; between the loops move above the first one.
; check: for
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 8192} {
  %2 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %3 = alloc {ty = buf<1024xf32>, offset = 4096} : buf<1024xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 1024, ty = i32} : i32
  %6 = const {value = 4, ty = i32} : i32
  %7 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %8 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %4, %5, %6 {
  ^(%9: i32):
    %10 = splat %9 {shape = [4]} : tile<4xi32>
    %11 = add %8, %10 : tile<4xi32>
    %12 = ptr_add %7, %11 : tile<4xptr<f32>>
    %13 = load %12 {arg = 0} : tile<4xf32>
    buf_store %2, %9, %13
    yield
  }
  %14 = const {value = 0, ty = i32} : i32
  %15 = const {value = 1024, ty = i32} : i32
  %16 = const {value = 4, ty = i32} : i32
  for %14, %15, %16 {
  ^(%17: i32):
    %18 = buf_load %2, %17 {lanes = 4} : tile<4xf32>
    %19 = exp %18 : tile<4xf32>
    buf_store %3, %17, %19
    yield
  }
  %20 = const {value = 0, ty = i32} : i32
  %21 = const {value = 1024, ty = i32} : i32
  %22 = const {value = 4, ty = i32} : i32
  %23 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  for %20, %21, %22 {
  ^(%24: i32):
    %25 = splat %24 {shape = [4]} : tile<4xi32>
    %26 = add %8, %25 : tile<4xi32>
    %27 = ptr_add %23, %26 : tile<4xptr<f32>>
    %28 = buf_load %3, %24 {lanes = 4} : tile<4xf32>
    store %27, %28 {arg = 1}
    yield
  }
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 8192} {
  %2 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %3 = alloc {ty = buf<1024xf32>, offset = 4096} : buf<1024xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 1024, ty = i32} : i32
  %6 = const {value = 4, ty = i32} : i32
  %7 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %8 = arange {lo = 0, hi = 4} : tile<4xi32>
  %9 = const {value = 0, ty = i32} : i32
  %10 = const {value = 1024, ty = i32} : i32
  %11 = const {value = 4, ty = i32} : i32
  %12 = const {value = 0, ty = i32} : i32
  %13 = const {value = 1024, ty = i32} : i32
  %14 = const {value = 4, ty = i32} : i32
  %15 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  for %4, %5, %6 {
  ^(%16: i32):
    %17 = splat %16 {shape = [4]} : tile<4xi32>
    %18 = add %8, %17 : tile<4xi32>
    %19 = ptr_add %7, %18 : tile<4xptr<f32>>
    %20 = load %19 {arg = 0} : tile<4xf32>
    buf_store %2, %16, %20
    %21 = buf_load %2, %16 {lanes = 4} : tile<4xf32>
    %22 = exp %21 : tile<4xf32>
    buf_store %3, %16, %22
    %23 = splat %16 {shape = [4]} : tile<4xi32>
    %24 = add %8, %23 : tile<4xi32>
    %25 = ptr_add %15, %24 : tile<4xptr<f32>>
    %26 = buf_load %3, %16 {lanes = 4} : tile<4xf32>
    store %25, %26 {arg = 1}
    yield
  }
  return
}
