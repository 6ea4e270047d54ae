; passes: lower-tiles, pack-buffers
; Softmax of one 12-element row, lowered with 4 lanes and packed. In place,
; `x - max`, `exp` and the division all live in the load's buffer; packing
; then lets the pointer tiles of the load and of the store share bytes.
; check: local_mem = 268
kernel @softmax(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 n: i32) files ["softmax.rs"] {
  %3 = arange {lo = 0, hi = 12} : tile<12xi32> loc(3:16)
  %4 = splat %2 {shape = [12]} : tile<12xi32> loc(4:16)
  %5 = cmp %3, %4 {pred = lt} : tile<12xi1> loc(4:16)
  %6 = splat %1 {shape = [12]} : tile<12xptr<f32>> loc(5:18)
  %7 = ptr_add %6, %3 : tile<12xptr<f32>> loc(5:18)
  %8 = const {value = -inf, ty = f32} : f32 loc(5:13)
  %9 = splat %8 {shape = [12]} : tile<12xf32> loc(5:13)
  %10 = load %7, %5, %9 {arg = 1} : tile<12xf32> loc(5:13)
  %11 = reduce %10 {kind = max, axis = 0} : f32 loc(6:17)
  %12 = splat %11 {shape = [12]} : tile<12xf32> loc(6:17)
  %13 = sub %10, %12 : tile<12xf32> loc(6:13)
  %14 = exp %13 : tile<12xf32> loc(7:15)
  %15 = reduce %14 {kind = sum, axis = 0} : f32 loc(8:15)
  %16 = splat %15 {shape = [12]} : tile<12xf32> loc(9:30)
  %17 = div %14, %16 : tile<12xf32> loc(9:30)
  %18 = splat %0 {shape = [12]} : tile<12xptr<f32>> loc(9:11)
  %19 = ptr_add %18, %3 : tile<12xptr<f32>> loc(9:11)
  store %19, %17, %5 {arg = 0} loc(9:5)
  return
}
; expect:
kernel @softmax(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 n: i32) attrs {lanes = 4, local_mem = 268} files ["softmax.rs"] {
  %3 = alloc {ty = buf<12xi32>, offset = 128, tile = tile<12xi32>} : buf<12xi32> loc(3:16)
  %4 = alloc {ty = buf<12xi1>, offset = 256, tile = tile<12xi1>} : buf<12xi1> loc(4:16)
  %5 = alloc {ty = buf<12xptr<f32>>, offset = 0, tile = tile<12xptr<f32>>} : buf<12xptr<f32>> loc(5:18)
  %6 = alloc {ty = buf<12xf32>, offset = 192, tile = tile<12xf32>} : buf<12xf32> loc(5:13)
  %7 = alloc {ty = buf<12xptr<f32>>, offset = 0, tile = tile<12xptr<f32>>} : buf<12xptr<f32>> loc(9:11)
  %8 = const {value = 0, ty = i32} : i32 loc(3:16)
  %9 = const {value = 12, ty = i32} : i32 loc(3:16)
  %10 = const {value = 4, ty = i32} : i32 loc(3:16)
  for %8, %9, %10 {
  ^(%11: i32):
    %12 = arange {lo = 0, hi = 4} : tile<4xi32> loc(3:16)
    %13 = splat %11 {shape = [4]} : tile<4xi32> loc(3:16)
    %14 = add %12, %13 : tile<4xi32> loc(3:16)
    buf_store %3, %11, %14 loc(3:16)
    yield loc(3:16)
  } loc(3:16)
  %15 = const {value = 0, ty = i32} : i32 loc(4:16)
  %16 = const {value = 12, ty = i32} : i32 loc(4:16)
  %17 = const {value = 4, ty = i32} : i32 loc(4:16)
  for %15, %16, %17 {
  ^(%18: i32):
    %19 = buf_load %3, %18 {lanes = 4} : tile<4xi32> loc(4:16)
    %20 = splat %2 {shape = [4]} : tile<4xi32> loc(4:16)
    %21 = cmp %19, %20 {pred = lt} : tile<4xi1> loc(4:16)
    buf_store %4, %18, %21 loc(4:16)
    yield loc(4:16)
  } loc(4:16)
  %22 = const {value = 0, ty = i32} : i32 loc(5:18)
  %23 = const {value = 12, ty = i32} : i32 loc(5:18)
  %24 = const {value = 4, ty = i32} : i32 loc(5:18)
  for %22, %23, %24 {
  ^(%25: i32):
    %26 = splat %1 {shape = [4]} : tile<4xptr<f32>> loc(5:18)
    %27 = buf_load %3, %25 {lanes = 4} : tile<4xi32> loc(5:18)
    %28 = ptr_add %26, %27 : tile<4xptr<f32>> loc(5:18)
    buf_store %5, %25, %28 loc(5:18)
    yield loc(5:18)
  } loc(5:18)
  %29 = const {value = -inf, ty = f32} : f32 loc(5:13)
  %30 = const {value = 0, ty = i32} : i32 loc(5:13)
  %31 = const {value = 12, ty = i32} : i32 loc(5:13)
  %32 = const {value = 4, ty = i32} : i32 loc(5:13)
  for %30, %31, %32 {
  ^(%33: i32):
    %34 = buf_load %5, %33 {lanes = 4} : tile<4xptr<f32>> loc(5:13)
    %35 = buf_load %4, %33 {lanes = 4} : tile<4xi1> loc(5:13)
    %36 = splat %29 {shape = [4]} : tile<4xf32> loc(5:13)
    %37 = load %34, %35, %36 {arg = 1} : tile<4xf32> loc(5:13)
    buf_store %6, %33, %37 loc(5:13)
    yield loc(5:13)
  } loc(5:13)
  %38 = const {value = -inf, ty = f32} : f32 loc(6:17)
  %39 = splat %38 {shape = [4]} : tile<4xf32> loc(6:17)
  %40 = const {value = 0, ty = i32} : i32 loc(6:17)
  %41 = const {value = 12, ty = i32} : i32 loc(6:17)
  %42 = const {value = 4, ty = i32} : i32 loc(6:17)
  %43 = for %40, %41, %42, %39 : tile<4xf32> {
  ^(%44: i32, %45: tile<4xf32>):
    %46 = buf_load %6, %44 {lanes = 4} : tile<4xf32> loc(6:17)
    %47 = maximum %45, %46 : tile<4xf32> loc(6:17)
    yield %47 loc(6:17)
  } loc(6:17)
  %48 = reduce %43 {kind = max, axis = 0} : f32 loc(6:17)
  %49 = const {value = 0, ty = i32} : i32 loc(6:13)
  %50 = const {value = 12, ty = i32} : i32 loc(6:13)
  %51 = const {value = 4, ty = i32} : i32 loc(6:13)
  for %49, %50, %51 {
  ^(%52: i32):
    %53 = buf_load %6, %52 {lanes = 4} : tile<4xf32> loc(6:13)
    %54 = splat %48 {shape = [4]} : tile<4xf32> loc(6:13)
    %55 = sub %53, %54 : tile<4xf32> loc(6:13)
    buf_store %6, %52, %55 loc(6:13)
    yield loc(6:13)
  } loc(6:13)
  %56 = const {value = 0, ty = i32} : i32 loc(7:15)
  %57 = const {value = 12, ty = i32} : i32 loc(7:15)
  %58 = const {value = 4, ty = i32} : i32 loc(7:15)
  for %56, %57, %58 {
  ^(%59: i32):
    %60 = buf_load %6, %59 {lanes = 4} : tile<4xf32> loc(7:15)
    %61 = exp %60 : tile<4xf32> loc(7:15)
    buf_store %6, %59, %61 loc(7:15)
    yield loc(7:15)
  } loc(7:15)
  %62 = const {value = -0.0, ty = f32} : f32 loc(8:15)
  %63 = splat %62 {shape = [4]} : tile<4xf32> loc(8:15)
  %64 = const {value = 0, ty = i32} : i32 loc(8:15)
  %65 = const {value = 12, ty = i32} : i32 loc(8:15)
  %66 = const {value = 4, ty = i32} : i32 loc(8:15)
  %67 = for %64, %65, %66, %63 : tile<4xf32> {
  ^(%68: i32, %69: tile<4xf32>):
    %70 = buf_load %6, %68 {lanes = 4} : tile<4xf32> loc(8:15)
    %71 = add %69, %70 : tile<4xf32> loc(8:15)
    yield %71 loc(8:15)
  } loc(8:15)
  %72 = reduce %67 {kind = sum, axis = 0} : f32 loc(8:15)
  %73 = const {value = 0, ty = i32} : i32 loc(9:30)
  %74 = const {value = 12, ty = i32} : i32 loc(9:30)
  %75 = const {value = 4, ty = i32} : i32 loc(9:30)
  for %73, %74, %75 {
  ^(%76: i32):
    %77 = buf_load %6, %76 {lanes = 4} : tile<4xf32> loc(9:30)
    %78 = splat %72 {shape = [4]} : tile<4xf32> loc(9:30)
    %79 = div %77, %78 : tile<4xf32> loc(9:30)
    buf_store %6, %76, %79 loc(9:30)
    yield loc(9:30)
  } loc(9:30)
  %80 = const {value = 0, ty = i32} : i32 loc(9:11)
  %81 = const {value = 12, ty = i32} : i32 loc(9:11)
  %82 = const {value = 4, ty = i32} : i32 loc(9:11)
  for %80, %81, %82 {
  ^(%83: i32):
    %84 = splat %0 {shape = [4]} : tile<4xptr<f32>> loc(9:11)
    %85 = buf_load %3, %83 {lanes = 4} : tile<4xi32> loc(9:11)
    %86 = ptr_add %84, %85 : tile<4xptr<f32>> loc(9:11)
    buf_store %7, %83, %86 loc(9:11)
    yield loc(9:11)
  } loc(9:11)
  %87 = const {value = 0, ty = i32} : i32 loc(9:5)
  %88 = const {value = 12, ty = i32} : i32 loc(9:5)
  %89 = const {value = 4, ty = i32} : i32 loc(9:5)
  for %87, %88, %89 {
  ^(%90: i32):
    %91 = buf_load %7, %90 {lanes = 4} : tile<4xptr<f32>> loc(9:5)
    %92 = buf_load %6, %90 {lanes = 4} : tile<4xf32> loc(9:5)
    %93 = buf_load %4, %90 {lanes = 4} : tile<4xi1> loc(9:5)
    store %91, %92, %93 {arg = 0} loc(9:5)
    yield loc(9:5)
  } loc(9:5)
  return
}
