; passes: prefetch-in-compute-loops
; A hint whose address is computed from a value read in its own loop (an
; index loaded from a local buffer) cannot be rebuilt in another loop: it
; stays, although a loop over the same chunks only computes.
kernel @gather(%0 out: ptr<f32> mut, %1 inp: ptr<f32>) attrs {lanes = 4, local_mem = 8192} {
  %2 = alloc {ty = buf<1024xi32>, offset = 0} : buf<1024xi32>
  %3 = alloc {ty = buf<1024xf32>, offset = 4096} : buf<1024xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 1024, ty = i32} : i32
  %6 = const {value = 4, ty = i32} : i32
  %7 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  for %4, %5, %6 {
  ^(%8: i32):
    %9 = buf_load %2, %8 {lanes = 4} : tile<4xi32>
    %10 = ptr_add %7, %9 : tile<4xptr<f32>>
    prefetch %10
    %11 = load %10 {arg = 1} : tile<4xf32>
    buf_store %3, %8, %11
    yield
  }
  for %4, %5, %6 {
  ^(%12: i32):
    %13 = buf_load %3, %12 {lanes = 4} : tile<4xf32>
    %14 = exp %13 : tile<4xf32>
    buf_store %3, %12, %14
    yield
  }
  return
}
; expect:
kernel @gather(%0 out: ptr<f32> mut, %1 inp: ptr<f32>) attrs {lanes = 4, local_mem = 8192} {
  %2 = alloc {ty = buf<1024xi32>, offset = 0} : buf<1024xi32>
  %3 = alloc {ty = buf<1024xf32>, offset = 4096} : buf<1024xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 1024, ty = i32} : i32
  %6 = const {value = 4, ty = i32} : i32
  %7 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  for %4, %5, %6 {
  ^(%8: i32):
    %9 = buf_load %2, %8 {lanes = 4} : tile<4xi32>
    %10 = ptr_add %7, %9 : tile<4xptr<f32>>
    prefetch %10
    %11 = load %10 {arg = 1} : tile<4xf32>
    buf_store %3, %8, %11
    yield
  }
  for %4, %5, %6 {
  ^(%12: i32):
    %13 = buf_load %3, %12 {lanes = 4} : tile<4xf32>
    %14 = exp %13 : tile<4xf32>
    buf_store %3, %12, %14
    yield
  }
  return
}
