; passes: prefetch-in-compute-loops
; Hints that stay where they are: the first loop's only sibling over the
; same chunks loads from global memory too (it waits on memory as well),
; and the loop that computes runs over other chunks (step 8), where the
; hint's address has no counterpart; the compute loop's own hint is not in
; a loop that touches global memory.
kernel @stay(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 w: ptr<f32>) attrs {lanes = 4, local_mem = 4096} {
  %3 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 1024, ty = i32} : i32
  %6 = const {value = 4, ty = i32} : i32
  %7 = const {value = 8, ty = i32} : i32
  %8 = arange {lo = 0, hi = 4} : tile<4xi32>
  %9 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  %10 = splat %2 {shape = [4]} : tile<4xptr<f32>>
  for %4, %5, %6 {
  ^(%11: i32):
    %12 = splat %11 {shape = [4]} : tile<4xi32>
    %13 = add %12, %8 : tile<4xi32>
    %14 = ptr_add %9, %13 : tile<4xptr<f32>>
    prefetch %14
    %15 = load %14 {arg = 1} : tile<4xf32>
    buf_store %3, %11, %15
    yield
  }
  for %4, %5, %6 {
  ^(%16: i32):
    %17 = splat %16 {shape = [4]} : tile<4xi32>
    %18 = add %17, %8 : tile<4xi32>
    %19 = ptr_add %10, %18 : tile<4xptr<f32>>
    %20 = load %19 {arg = 2} : tile<4xf32>
    %21 = buf_load %3, %16 {lanes = 4} : tile<4xf32>
    %22 = mul %20, %21 : tile<4xf32>
    buf_store %3, %16, %22
    yield
  }
  for %4, %5, %7 {
  ^(%23: i32):
    %24 = buf_load %3, %23 {lanes = 4} : tile<4xf32>
    %25 = exp %24 : tile<4xf32>
    %26 = splat %23 {shape = [4]} : tile<4xi32>
    %27 = add %26, %8 : tile<4xi32>
    %28 = ptr_add %10, %27 : tile<4xptr<f32>>
    prefetch %28
    buf_store %3, %23, %25
    yield
  }
  return
}
; expect:
kernel @stay(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 w: ptr<f32>) attrs {lanes = 4, local_mem = 4096} {
  %3 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 1024, ty = i32} : i32
  %6 = const {value = 4, ty = i32} : i32
  %7 = const {value = 8, ty = i32} : i32
  %8 = arange {lo = 0, hi = 4} : tile<4xi32>
  %9 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  %10 = splat %2 {shape = [4]} : tile<4xptr<f32>>
  for %4, %5, %6 {
  ^(%11: i32):
    %12 = splat %11 {shape = [4]} : tile<4xi32>
    %13 = add %12, %8 : tile<4xi32>
    %14 = ptr_add %9, %13 : tile<4xptr<f32>>
    prefetch %14
    %15 = load %14 {arg = 1} : tile<4xf32>
    buf_store %3, %11, %15
    yield
  }
  for %4, %5, %6 {
  ^(%16: i32):
    %17 = splat %16 {shape = [4]} : tile<4xi32>
    %18 = add %17, %8 : tile<4xi32>
    %19 = ptr_add %10, %18 : tile<4xptr<f32>>
    %20 = load %19 {arg = 2} : tile<4xf32>
    %21 = buf_load %3, %16 {lanes = 4} : tile<4xf32>
    %22 = mul %20, %21 : tile<4xf32>
    buf_store %3, %16, %22
    yield
  }
  for %4, %5, %7 {
  ^(%23: i32):
    %24 = buf_load %3, %23 {lanes = 4} : tile<4xf32>
    %25 = exp %24 : tile<4xf32>
    %26 = splat %23 {shape = [4]} : tile<4xi32>
    %27 = add %26, %8 : tile<4xi32>
    %28 = ptr_add %10, %27 : tile<4xptr<f32>>
    prefetch %28
    buf_store %3, %23, %25
    yield
  }
  return
}
