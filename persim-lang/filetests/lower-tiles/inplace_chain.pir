; passes: lower-tiles
; A chain of elementwise ops on a 12-element tile: each link dies at the
; next, so the whole chain lives in the load's buffer; the only other
; buffers hold the offsets and the pointers.
; check: alloc {ty = buf<12xi32>
; check: alloc {ty = buf<12xptr<f32>>
; check: alloc {ty = buf<12xf32>
; check-not: %6 = alloc
kernel @chain(%0 x: ptr<f32>, %1 out: ptr<f32> mut) files ["chain.rs"] {
  %2 = arange {lo = 0, hi = 12} : tile<12xi32> loc(2:16)
  %3 = splat %0 {shape = [12]} : tile<12xptr<f32>> loc(3:16)
  %4 = ptr_add %3, %2 : tile<12xptr<f32>> loc(3:16)
  %5 = load %4 {arg = 0} : tile<12xf32> loc(3:13)
  %6 = abs %5 : tile<12xf32> loc(4:13)
  %7 = neg %6 : tile<12xf32> loc(5:13)
  %8 = exp %7 : tile<12xf32> loc(6:13)
  %9 = mul %8, %8 : tile<12xf32> loc(7:13)
  %10 = splat %1 {shape = [12]} : tile<12xptr<f32>> loc(8:11)
  %11 = ptr_add %10, %2 : tile<12xptr<f32>> loc(8:11)
  store %11, %9 {arg = 1} loc(8:5)
  return
}
; expect:
kernel @chain(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 352} files ["chain.rs"] {
  %2 = alloc {ty = buf<12xi32>, offset = 0, tile = tile<12xi32>} : buf<12xi32> loc(2:16)
  %3 = alloc {ty = buf<12xptr<f32>>, offset = 64, tile = tile<12xptr<f32>>} : buf<12xptr<f32>> loc(3:16)
  %4 = alloc {ty = buf<12xf32>, offset = 192, tile = tile<12xf32>} : buf<12xf32> loc(3:13)
  %5 = alloc {ty = buf<12xptr<f32>>, offset = 256, tile = tile<12xptr<f32>>} : buf<12xptr<f32>> loc(8:11)
  %6 = const {value = 0, ty = i32} : i32 loc(2:16)
  %7 = const {value = 12, ty = i32} : i32 loc(2:16)
  %8 = const {value = 4, ty = i32} : i32 loc(2:16)
  for %6, %7, %8 {
  ^(%9: i32):
    %10 = arange {lo = 0, hi = 4} : tile<4xi32> loc(2:16)
    %11 = splat %9 {shape = [4]} : tile<4xi32> loc(2:16)
    %12 = add %10, %11 : tile<4xi32> loc(2:16)
    buf_store %2, %9, %12 loc(2:16)
    yield loc(2:16)
  } loc(2:16)
  %13 = const {value = 0, ty = i32} : i32 loc(3:16)
  %14 = const {value = 12, ty = i32} : i32 loc(3:16)
  %15 = const {value = 4, ty = i32} : i32 loc(3:16)
  for %13, %14, %15 {
  ^(%16: i32):
    %17 = splat %0 {shape = [4]} : tile<4xptr<f32>> loc(3:16)
    %18 = buf_load %2, %16 {lanes = 4} : tile<4xi32> loc(3:16)
    %19 = ptr_add %17, %18 : tile<4xptr<f32>> loc(3:16)
    buf_store %3, %16, %19 loc(3:16)
    yield loc(3:16)
  } loc(3:16)
  %20 = const {value = 0, ty = i32} : i32 loc(3:13)
  %21 = const {value = 12, ty = i32} : i32 loc(3:13)
  %22 = const {value = 4, ty = i32} : i32 loc(3:13)
  for %20, %21, %22 {
  ^(%23: i32):
    %24 = buf_load %3, %23 {lanes = 4} : tile<4xptr<f32>> loc(3:13)
    %25 = load %24 {arg = 0} : tile<4xf32> loc(3:13)
    buf_store %4, %23, %25 loc(3:13)
    yield loc(3:13)
  } loc(3:13)
  %26 = const {value = 0, ty = i32} : i32 loc(4:13)
  %27 = const {value = 12, ty = i32} : i32 loc(4:13)
  %28 = const {value = 4, ty = i32} : i32 loc(4:13)
  for %26, %27, %28 {
  ^(%29: i32):
    %30 = buf_load %4, %29 {lanes = 4} : tile<4xf32> loc(4:13)
    %31 = abs %30 : tile<4xf32> loc(4:13)
    buf_store %4, %29, %31 loc(4:13)
    yield loc(4:13)
  } loc(4:13)
  %32 = const {value = 0, ty = i32} : i32 loc(5:13)
  %33 = const {value = 12, ty = i32} : i32 loc(5:13)
  %34 = const {value = 4, ty = i32} : i32 loc(5:13)
  for %32, %33, %34 {
  ^(%35: i32):
    %36 = buf_load %4, %35 {lanes = 4} : tile<4xf32> loc(5:13)
    %37 = neg %36 : tile<4xf32> loc(5:13)
    buf_store %4, %35, %37 loc(5:13)
    yield loc(5:13)
  } loc(5:13)
  %38 = const {value = 0, ty = i32} : i32 loc(6:13)
  %39 = const {value = 12, ty = i32} : i32 loc(6:13)
  %40 = const {value = 4, ty = i32} : i32 loc(6:13)
  for %38, %39, %40 {
  ^(%41: i32):
    %42 = buf_load %4, %41 {lanes = 4} : tile<4xf32> loc(6:13)
    %43 = exp %42 : tile<4xf32> loc(6:13)
    buf_store %4, %41, %43 loc(6:13)
    yield loc(6:13)
  } loc(6:13)
  %44 = const {value = 0, ty = i32} : i32 loc(7:13)
  %45 = const {value = 12, ty = i32} : i32 loc(7:13)
  %46 = const {value = 4, ty = i32} : i32 loc(7:13)
  for %44, %45, %46 {
  ^(%47: i32):
    %48 = buf_load %4, %47 {lanes = 4} : tile<4xf32> loc(7:13)
    %49 = buf_load %4, %47 {lanes = 4} : tile<4xf32> loc(7:13)
    %50 = mul %48, %49 : tile<4xf32> loc(7:13)
    buf_store %4, %47, %50 loc(7:13)
    yield loc(7:13)
  } loc(7:13)
  %51 = const {value = 0, ty = i32} : i32 loc(8:11)
  %52 = const {value = 12, ty = i32} : i32 loc(8:11)
  %53 = const {value = 4, ty = i32} : i32 loc(8:11)
  for %51, %52, %53 {
  ^(%54: i32):
    %55 = splat %1 {shape = [4]} : tile<4xptr<f32>> loc(8:11)
    %56 = buf_load %2, %54 {lanes = 4} : tile<4xi32> loc(8:11)
    %57 = ptr_add %55, %56 : tile<4xptr<f32>> loc(8:11)
    buf_store %5, %54, %57 loc(8:11)
    yield loc(8:11)
  } loc(8:11)
  %58 = const {value = 0, ty = i32} : i32 loc(8:5)
  %59 = const {value = 12, ty = i32} : i32 loc(8:5)
  %60 = const {value = 4, ty = i32} : i32 loc(8:5)
  for %58, %59, %60 {
  ^(%61: i32):
    %62 = buf_load %5, %61 {lanes = 4} : tile<4xptr<f32>> loc(8:5)
    %63 = buf_load %4, %61 {lanes = 4} : tile<4xf32> loc(8:5)
    store %62, %63 {arg = 1} loc(8:5)
    yield loc(8:5)
  } loc(8:5)
  return
}
