; passes: lower-tiles
; target: dma-affine
; The same tile on a DMA target: the load is one 2-D `copy_in` (2 rows of
; 8 elements, global stride `n`, buffer stride 8) into the tile's buffer,
; and the store of that buffer through `out + rows[:, None] * 8 + cols`
; one 2-D `copy_out`.
kernel @k(%0 a: ptr<f32>, %1 out: ptr<f32> mut, %2 n: i32) {
  %3 = arange {lo = 0, hi = 2} : tile<2xi32>
  %4 = arange {lo = 0, hi = 8} : tile<8xi32>
  %5 = expand_dims %3 {axis = 1} : tile<2x1xi32>
  %6 = splat %2 {shape = [2, 1]} : tile<2x1xi32>
  %7 = mul %5, %6 : tile<2x1xi32>
  %8 = splat %0 {shape = [2, 1]} : tile<2x1xptr<f32>>
  %9 = ptr_add %8, %7 : tile<2x1xptr<f32>>
  %10 = broadcast %9 {shape = [2, 8]} : tile<2x8xptr<f32>>
  %11 = expand_dims %4 {axis = 0} : tile<1x8xi32>
  %12 = broadcast %11 {shape = [2, 8]} : tile<2x8xi32>
  %13 = ptr_add %10, %12 : tile<2x8xptr<f32>>
  %14 = load %13 {arg = 0} : tile<2x8xf32>
  %17 = const {value = 8, ty = i32} : i32
  %18 = splat %17 {shape = [2, 1]} : tile<2x1xi32>
  %19 = mul %5, %18 : tile<2x1xi32>
  %20 = broadcast %19 {shape = [2, 8]} : tile<2x8xi32>
  %21 = add %20, %12 : tile<2x8xi32>
  %15 = splat %1 {shape = [2, 8]} : tile<2x8xptr<f32>>
  %16 = ptr_add %15, %21 : tile<2x8xptr<f32>>
  store %16, %14 {arg = 1}
  return
}
; check-not: load
; check-not: store %
; expect:
kernel @k(%0 a: ptr<f32>, %1 out: ptr<f32> mut, %2 n: i32) attrs {lanes = 4, local_mem = 64} {
  %3 = alloc {ty = buf<16xf32>, offset = 0, tile = tile<2x8xf32>} : buf<16xf32>
  %4 = const {value = 2, ty = i32} : i32
  %5 = const {value = 8, ty = i32} : i32
  %6 = const {value = 0, ty = i32} : i32
  %7 = ptr_add %0, %6 : ptr<f32>
  %8 = const {value = 0, ty = i32} : i32
  %9 = const {value = 8, ty = i32} : i32
  copy_in %3, %8, %7, %5, %4, %2, %9 {arg = 0}
  %10 = const {value = 8, ty = i32} : i32
  %11 = const {value = 2, ty = i32} : i32
  %12 = const {value = 8, ty = i32} : i32
  %13 = const {value = 0, ty = i32} : i32
  %14 = ptr_add %1, %13 : ptr<f32>
  %15 = const {value = 0, ty = i32} : i32
  %16 = const {value = 8, ty = i32} : i32
  copy_out %14, %3, %15, %12, %11, %10, %16 {arg = 1}
  return
}
