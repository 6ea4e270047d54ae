; passes: bulk-copies
; target: dma
; local-mem: 40
; A DMA target with 40 bytes of local memory: the load's 32-byte buffer
; fits, the store's would not (at offset 64): only the load becomes a copy.
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
kernel @copy(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 32} {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 8, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  %6 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %7 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  %8 = alloc {ty = buf<8xf32>, offset = 0} : buf<8xf32>
  %9 = const {value = 0, ty = i32} : i32
  %10 = ptr_add %0, %9 : ptr<f32>
  %11 = const {value = 8, ty = i32} : i32
  %12 = const {value = 0, ty = i32} : i32
  copy_in %8, %12, %10, %11 {arg = 0}
  for %2, %3, %4 {
  ^(%13: i32):
    %14 = splat %13 {shape = [4]} : tile<4xi32>
    %15 = add %5, %14 : tile<4xi32>
    %16 = ptr_add %6, %15 : tile<4xptr<f32>>
    %17 = buf_load %8, %13 {lanes = 4} : tile<4xf32>
    %18 = ptr_add %7, %15 : tile<4xptr<f32>>
    store %18, %17 {arg = 1}
    yield
  }
  return
}
