; passes: lower-tiles
; target: affine
; `a + rows[:, None] * n + cols[None, :]` with affine tiles: no index or
; pointer buffer; the load visits the tile row by row, each row's start
; computed once, its chunks `splat(row start + column) + arange` (a walk).
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
  %15 = splat %1 {shape = [2, 8]} : tile<2x8xptr<f32>>
  %16 = ptr_add %15, %12 : tile<2x8xptr<f32>>
  store %16, %14 {arg = 1}
  return
}
; check-not: buf<16xptr
; check-not: buf<16xi32
; check: load
; expect:
kernel @k(%0 a: ptr<f32>, %1 out: ptr<f32> mut, %2 n: i32) attrs {lanes = 4, local_mem = 64} {
  %3 = alloc {ty = buf<16xf32>, offset = 0, tile = tile<2x8xf32>} : buf<16xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 2, ty = i32} : i32
  %6 = const {value = 1, ty = i32} : i32
  for %4, %5, %6 {
  ^(%7: i32):
    %8 = const {value = 8, ty = i32} : i32
    %9 = mul %7, %8 : i32
    %10 = mul %7, %2 : i32
    %11 = const {value = 0, ty = i32} : i32
    %12 = const {value = 8, ty = i32} : i32
    %13 = const {value = 4, ty = i32} : i32
    for %11, %12, %13 {
    ^(%14: i32):
      %15 = add %9, %14 : i32
      %16 = add %10, %14 : i32
      %17 = splat %16 {shape = [4]} : tile<4xi32>
      %18 = arange {lo = 0, hi = 4} : tile<4xi32>
      %19 = add %17, %18 : tile<4xi32>
      %20 = splat %0 {shape = [4]} : tile<4xptr<f32>>
      %21 = ptr_add %20, %19 : tile<4xptr<f32>>
      %22 = load %21 {arg = 0} : tile<4xf32>
      buf_store %3, %15, %22
      yield
    }
    yield
  }
  %23 = const {value = 0, ty = i32} : i32
  %24 = const {value = 2, ty = i32} : i32
  %25 = const {value = 1, ty = i32} : i32
  for %23, %24, %25 {
  ^(%26: i32):
    %27 = const {value = 8, ty = i32} : i32
    %28 = mul %26, %27 : i32
    %29 = const {value = 0, ty = i32} : i32
    %30 = const {value = 8, ty = i32} : i32
    %31 = const {value = 4, ty = i32} : i32
    for %29, %30, %31 {
    ^(%32: i32):
      %33 = add %28, %32 : i32
      %34 = splat %32 {shape = [4]} : tile<4xi32>
      %35 = arange {lo = 0, hi = 4} : tile<4xi32>
      %36 = add %34, %35 : tile<4xi32>
      %37 = splat %1 {shape = [4]} : tile<4xptr<f32>>
      %38 = ptr_add %37, %36 : tile<4xptr<f32>>
      %39 = buf_load %3, %33 {lanes = 4} : tile<4xf32>
      store %38, %39 {arg = 1}
      yield
    }
    yield
  }
  return
}
