; passes: bulk-copies
; target: dma
; An in-place update `x[i] += 1`: the store writes the parameter the load
; reads, so neither may leave the loop (iteration j's store precedes
; iteration j+1's load). Unchanged.
kernel @inc(%0 x: ptr<i32> mut) attrs {lanes = 4, local_mem = 0} {
  %1 = const {value = 0, ty = i32} : i32
  %2 = const {value = 16, ty = i32} : i32
  %3 = const {value = 4, ty = i32} : i32
  %4 = arange {lo = 0, hi = 4} : tile<4xi32>
  %5 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %6 = const {value = 1, ty = i32} : i32
  %7 = splat %6 {shape = [4]} : tile<4xi32>
  for %1, %2, %3 {
  ^(%8: i32):
    %9 = splat %8 {shape = [4]} : tile<4xi32>
    %10 = add %4, %9 : tile<4xi32>
    %11 = ptr_add %5, %10 : tile<4xptr<i32>>
    %12 = load %11 {arg = 0} : tile<4xi32>
    %13 = add %12, %7 : tile<4xi32>
    store %11, %13 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @inc(%0 x: ptr<i32> mut) attrs {lanes = 4, local_mem = 0} {
  %1 = const {value = 0, ty = i32} : i32
  %2 = const {value = 16, ty = i32} : i32
  %3 = const {value = 4, ty = i32} : i32
  %4 = arange {lo = 0, hi = 4} : tile<4xi32>
  %5 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %6 = const {value = 1, ty = i32} : i32
  %7 = splat %6 {shape = [4]} : tile<4xi32>
  for %1, %2, %3 {
  ^(%8: i32):
    %9 = splat %8 {shape = [4]} : tile<4xi32>
    %10 = add %4, %9 : tile<4xi32>
    %11 = ptr_add %5, %10 : tile<4xptr<i32>>
    %12 = load %11 {arg = 0} : tile<4xi32>
    %13 = add %12, %7 : tile<4xi32>
    store %11, %13 {arg = 0}
    yield
  }
  return
}
