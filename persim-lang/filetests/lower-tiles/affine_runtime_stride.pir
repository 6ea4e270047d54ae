; passes: lower-tiles
; target: dma-affine
; A tile `a + rows[:, None] * n + cols[None, :] * s` whose column stride is
; a run-time value (Triton passes `stride_ak`): the load tests it, one 2-D
; `copy_in` when `s == 1`, else the row-by-row walk of vector loads.
kernel @k(%0 a: ptr<f32>, %1 out: ptr<f32> mut, %2 n: i32, %3 s: i32) {
  %4 = arange {lo = 0, hi = 2} : tile<2xi32>
  %5 = arange {lo = 0, hi = 8} : tile<8xi32>
  %6 = expand_dims %4 {axis = 1} : tile<2x1xi32>
  %7 = splat %2 {shape = [2, 1]} : tile<2x1xi32>
  %8 = mul %6, %7 : tile<2x1xi32>
  %9 = broadcast %8 {shape = [2, 8]} : tile<2x8xi32>
  %10 = expand_dims %5 {axis = 0} : tile<1x8xi32>
  %11 = splat %3 {shape = [1, 8]} : tile<1x8xi32>
  %12 = mul %10, %11 : tile<1x8xi32>
  %13 = broadcast %12 {shape = [2, 8]} : tile<2x8xi32>
  %14 = add %9, %13 : tile<2x8xi32>
  %15 = splat %0 {shape = [2, 8]} : tile<2x8xptr<f32>>
  %16 = ptr_add %15, %14 : tile<2x8xptr<f32>>
  %17 = load %16 {arg = 0} : tile<2x8xf32>
  %18 = reduce %17 {axis = 1, kind = sum} : tile<2xf32>
  %19 = splat %1 {shape = [2]} : tile<2xptr<f32>>
  %20 = ptr_add %19, %4 : tile<2xptr<f32>>
  store %20, %18 {arg = 1}
  return
}
; check: cmp %3
; check: if
; check: copy_in
; check: = load
; expect:
kernel @k(%0 a: ptr<f32>, %1 out: ptr<f32> mut, %2 n: i32, %3 s: i32) attrs {lanes = 4, local_mem = 80} {
  %4 = alloc {ty = buf<16xf32>, offset = 0, tile = tile<2x8xf32>} : buf<16xf32>
  %5 = alloc {ty = buf<4xf32>, offset = 64, tile = tile<2xf32>} : buf<4xf32>
  %6 = const {value = 1, ty = i32} : i32
  %7 = cmp %3, %6 {pred = eq} : i1
  if %7 {
    %8 = const {value = 2, ty = i32} : i32
    %9 = const {value = 8, ty = i32} : i32
    %10 = const {value = 0, ty = i32} : i32
    %11 = ptr_add %0, %10 : ptr<f32>
    %12 = const {value = 0, ty = i32} : i32
    %13 = const {value = 8, ty = i32} : i32
    copy_in %4, %12, %11, %9, %8, %2, %13 {arg = 0}
    yield
  } {
    %14 = const {value = 0, ty = i32} : i32
    %15 = const {value = 2, ty = i32} : i32
    %16 = const {value = 1, ty = i32} : i32
    for %14, %15, %16 {
    ^(%17: i32):
      %18 = const {value = 8, ty = i32} : i32
      %19 = mul %17, %18 : i32
      %20 = mul %17, %2 : i32
      %21 = const {value = 0, ty = i32} : i32
      %22 = const {value = 8, ty = i32} : i32
      %23 = const {value = 4, ty = i32} : i32
      for %21, %22, %23 {
      ^(%24: i32):
        %25 = add %19, %24 : i32
        %26 = mul %24, %3 : i32
        %27 = add %20, %26 : i32
        %28 = splat %27 {shape = [4]} : tile<4xi32>
        %29 = arange {lo = 0, hi = 4} : tile<4xi32>
        %30 = splat %3 {shape = [4]} : tile<4xi32>
        %31 = mul %29, %30 : tile<4xi32>
        %32 = add %28, %31 : tile<4xi32>
        %33 = splat %0 {shape = [4]} : tile<4xptr<f32>>
        %34 = ptr_add %33, %32 : tile<4xptr<f32>>
        %35 = load %34 {arg = 0} : tile<4xf32>
        buf_store %4, %25, %35
        yield
      }
      yield
    }
    yield
  }
  %36 = const {value = 0, ty = i32} : i32
  %37 = const {value = 2, ty = i32} : i32
  %38 = const {value = 1, ty = i32} : i32
  for %36, %37, %38 {
  ^(%39: i32):
    %40 = const {value = 8, ty = i32} : i32
    %41 = mul %39, %40 : i32
    %42 = const {value = -0.0, ty = f32} : f32
    %43 = splat %42 {shape = [4]} : tile<4xf32>
    %44 = const {value = 0, ty = i32} : i32
    %45 = const {value = 8, ty = i32} : i32
    %46 = const {value = 4, ty = i32} : i32
    %47 = for %44, %45, %46, %43 : tile<4xf32> {
    ^(%48: i32, %49: tile<4xf32>):
      %50 = add %41, %48 : i32
      %51 = buf_load %4, %50 {lanes = 4} : tile<4xf32>
      %52 = add %49, %51 : tile<4xf32>
      yield %52
    }
    %53 = reduce %47 {kind = sum, axis = 0} : f32
    buf_store %5, %39, %53
    yield
  }
  %54 = const {value = 2, ty = i32} : i32
  %55 = const {value = 0, ty = i32} : i32
  %56 = ptr_add %1, %55 : ptr<f32>
  %57 = const {value = 0, ty = i32} : i32
  copy_out %56, %5, %57, %54 {arg = 1}
  return
}
