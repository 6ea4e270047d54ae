; passes: lower-tiles
; target: chains
; A target with three reduction chains (`Target::reduce_chains`): the ten
; full chunks of a 42-element row fold into three accumulators that rotate
; (each chunk folds into the first and the result moves to the back, so one
; chain's op waits on the op three chunks earlier, not the one before);
; after the loop the three combine pairwise, `(a + b) + c`, and the partial
; chunk joins before the vector is reduced. The loop keeps the bounds of an
; elementwise loop over the tile, so `fuse-loops` can still merge them.
kernel @red(%0 x: ptr<f32>, %1 out: ptr<f32> mut) files ["red.rs"] {
  %2 = arange {lo = 0, hi = 42} : tile<42xi32> loc(2:15)
  %3 = splat %0 {shape = [42]} : tile<42xptr<f32>> loc(3:18)
  %4 = ptr_add %3, %2 : tile<42xptr<f32>> loc(3:18)
  %5 = load %4 {arg = 0} : tile<42xf32> loc(3:13)
  %6 = reduce %5 {kind = sum, axis = 0} : f32 loc(4:15)
  store %1, %6 {arg = 1} loc(5:5)
  return
}
; expect:
kernel @red(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 752} files ["red.rs"] {
  %2 = alloc {ty = buf<44xi32>, offset = 0, tile = tile<42xi32>} : buf<44xi32> loc(2:15)
  %3 = alloc {ty = buf<44xptr<f32>>, offset = 192, tile = tile<42xptr<f32>>} : buf<44xptr<f32>> loc(3:18)
  %4 = alloc {ty = buf<44xf32>, offset = 576, tile = tile<42xf32>} : buf<44xf32> loc(3:13)
  %5 = const {value = 0, ty = i32} : i32 loc(2:15)
  %6 = const {value = 44, ty = i32} : i32 loc(2:15)
  %7 = const {value = 4, ty = i32} : i32 loc(2:15)
  for %5, %6, %7 {
  ^(%8: i32):
    %9 = arange {lo = 0, hi = 4} : tile<4xi32> loc(2:15)
    %10 = splat %8 {shape = [4]} : tile<4xi32> loc(2:15)
    %11 = add %9, %10 : tile<4xi32> loc(2:15)
    buf_store %2, %8, %11 loc(2:15)
    yield loc(2:15)
  } loc(2:15)
  %12 = const {value = 0, ty = i32} : i32 loc(3:18)
  %13 = const {value = 44, ty = i32} : i32 loc(3:18)
  %14 = const {value = 4, ty = i32} : i32 loc(3:18)
  for %12, %13, %14 {
  ^(%15: i32):
    %16 = splat %0 {shape = [4]} : tile<4xptr<f32>> loc(3:18)
    %17 = buf_load %2, %15 {lanes = 4} : tile<4xi32> loc(3:18)
    %18 = ptr_add %16, %17 : tile<4xptr<f32>> loc(3:18)
    buf_store %3, %15, %18 loc(3:18)
    yield loc(3:18)
  } loc(3:18)
  %19 = const {value = 0, ty = i32} : i32 loc(3:13)
  %20 = const {value = 40, ty = i32} : i32 loc(3:13)
  %21 = const {value = 4, ty = i32} : i32 loc(3:13)
  for %19, %20, %21 {
  ^(%22: i32):
    %23 = buf_load %3, %22 {lanes = 4} : tile<4xptr<f32>> loc(3:13)
    %24 = load %23 {arg = 0} : tile<4xf32> loc(3:13)
    buf_store %4, %22, %24 loc(3:13)
    yield loc(3:13)
  } loc(3:13)
  %25 = const {value = 40, ty = i32} : i32 loc(3:13)
  %26 = buf_load %3, %25 {lanes = 4} : tile<4xptr<f32>> loc(3:13)
  %27 = arange {lo = 0, hi = 4} : tile<4xi32> loc(3:13)
  %28 = const {value = 2, ty = i32} : i32 loc(3:13)
  %29 = splat %28 {shape = [4]} : tile<4xi32> loc(3:13)
  %30 = cmp %27, %29 {pred = lt} : tile<4xi1> loc(3:13)
  %31 = load %26, %30 {arg = 0} : tile<4xf32> loc(3:13)
  %32 = const {value = 40, ty = i32} : i32 loc(3:13)
  buf_store %4, %32, %31 loc(3:13)
  %33 = const {value = -0.0, ty = f32} : f32 loc(4:15)
  %34 = splat %33 {shape = [4]} : tile<4xf32> loc(4:15)
  %35 = const {value = 0, ty = i32} : i32 loc(4:15)
  %36 = const {value = 40, ty = i32} : i32 loc(4:15)
  %37 = const {value = 4, ty = i32} : i32 loc(4:15)
  %38, %39, %40 = for %35, %36, %37, %34, %34, %34 : tile<4xf32>, tile<4xf32>, tile<4xf32> {
  ^(%41: i32, %42: tile<4xf32>, %43: tile<4xf32>, %44: tile<4xf32>):
    %45 = buf_load %4, %41 {lanes = 4} : tile<4xf32> loc(4:15)
    %46 = add %42, %45 : tile<4xf32> loc(4:15)
    yield %43, %44, %46 loc(4:15)
  } loc(4:15)
  %47 = add %38, %39 : tile<4xf32> loc(4:15)
  %48 = add %47, %40 : tile<4xf32> loc(4:15)
  %49 = const {value = 40, ty = i32} : i32 loc(4:15)
  %50 = buf_load %4, %49 {lanes = 4} : tile<4xf32> loc(4:15)
  %51 = arange {lo = 0, hi = 4} : tile<4xi32> loc(4:15)
  %52 = const {value = 2, ty = i32} : i32 loc(4:15)
  %53 = splat %52 {shape = [4]} : tile<4xi32> loc(4:15)
  %54 = cmp %51, %53 {pred = lt} : tile<4xi1> loc(4:15)
  %55 = const {value = -0.0, ty = f32} : f32 loc(4:15)
  %56 = splat %55 {shape = [4]} : tile<4xf32> loc(4:15)
  %57 = select %54, %50, %56 : tile<4xf32> loc(4:15)
  %58 = add %48, %57 : tile<4xf32> loc(4:15)
  %59 = reduce %58 {kind = sum, axis = 0} : f32 loc(4:15)
  store %1, %59 {arg = 1} loc(5:5)
  return
}
