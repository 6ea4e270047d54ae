; passes: bulk-copies
; target: cranelift
; The same contiguous copy loop on a target without a DMA engine
; (`Target::bulk_copies` off): unchanged.
kernel @copy(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 0} {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 8, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  %6 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %7 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  for %2, %3, %4 {
  ^(%8: i32):
    %9 = splat %8 {shape = [4]} : tile<4xi32>
    %10 = add %5, %9 : tile<4xi32>
    %11 = ptr_add %6, %10 : tile<4xptr<f32>>
    %12 = load %11 {arg = 0} : tile<4xf32>
    %13 = ptr_add %7, %10 : tile<4xptr<f32>>
    store %13, %12 {arg = 1}
    yield
  }
  return
}
; expect:
kernel @copy(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 0} {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 8, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  %6 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %7 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  for %2, %3, %4 {
  ^(%8: i32):
    %9 = splat %8 {shape = [4]} : tile<4xi32>
    %10 = add %5, %9 : tile<4xi32>
    %11 = ptr_add %6, %10 : tile<4xptr<f32>>
    %12 = load %11 {arg = 0} : tile<4xf32>
    %13 = ptr_add %7, %10 : tile<4xptr<f32>>
    store %13, %12 {arg = 1}
    yield
  }
  return
}
