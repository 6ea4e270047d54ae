; passes: lower-tiles
; `y = exp(x)` may not overwrite `x`: `z = y * x` reads `x` afterwards. `z`
; then overwrites `y` (operand 0, dead).
; check: buf<8xf32> loc(3:13)
; check: buf<8xf32> loc(4:13)
; check-not: buf<8xf32> loc(5:13)
kernel @later(%0 x: ptr<f32>, %1 out: ptr<f32> mut) files ["later.rs"] {
  %2 = arange {lo = 0, hi = 8} : tile<8xi32> loc(2:16)
  %3 = splat %0 {shape = [8]} : tile<8xptr<f32>> loc(3:16)
  %4 = ptr_add %3, %2 : tile<8xptr<f32>> loc(3:16)
  %5 = load %4 {arg = 0} : tile<8xf32> loc(3:13)
  %6 = exp %5 : tile<8xf32> loc(4:13)
  %7 = mul %6, %5 : tile<8xf32> loc(5:13)
  %8 = splat %1 {shape = [8]} : tile<8xptr<f32>> loc(6:11)
  %9 = ptr_add %8, %2 : tile<8xptr<f32>> loc(6:11)
  store %9, %7 {arg = 1} loc(6:5)
  return
}
; expect:
kernel @later(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 320} files ["later.rs"] {
  %2 = alloc {ty = buf<8xi32>, offset = 0, tile = tile<8xi32>} : buf<8xi32> loc(2:16)
  %3 = alloc {ty = buf<8xptr<f32>>, offset = 64, tile = tile<8xptr<f32>>} : buf<8xptr<f32>> loc(3:16)
  %4 = alloc {ty = buf<8xf32>, offset = 128, tile = tile<8xf32>} : buf<8xf32> loc(3:13)
  %5 = alloc {ty = buf<8xf32>, offset = 192, tile = tile<8xf32>} : buf<8xf32> loc(4:13)
  %6 = alloc {ty = buf<8xptr<f32>>, offset = 256, tile = tile<8xptr<f32>>} : buf<8xptr<f32>> loc(6:11)
  %7 = const {value = 0, ty = i32} : i32 loc(2:16)
  %8 = const {value = 8, ty = i32} : i32 loc(2:16)
  %9 = const {value = 4, ty = i32} : i32 loc(2:16)
  for %7, %8, %9 {
  ^(%10: i32):
    %11 = arange {lo = 0, hi = 4} : tile<4xi32> loc(2:16)
    %12 = splat %10 {shape = [4]} : tile<4xi32> loc(2:16)
    %13 = add %11, %12 : tile<4xi32> loc(2:16)
    buf_store %2, %10, %13 loc(2:16)
    yield loc(2:16)
  } loc(2:16)
  %14 = const {value = 0, ty = i32} : i32 loc(3:16)
  %15 = const {value = 8, ty = i32} : i32 loc(3:16)
  %16 = const {value = 4, ty = i32} : i32 loc(3:16)
  for %14, %15, %16 {
  ^(%17: i32):
    %18 = splat %0 {shape = [4]} : tile<4xptr<f32>> loc(3:16)
    %19 = buf_load %2, %17 {lanes = 4} : tile<4xi32> loc(3:16)
    %20 = ptr_add %18, %19 : tile<4xptr<f32>> loc(3:16)
    buf_store %3, %17, %20 loc(3:16)
    yield loc(3:16)
  } loc(3:16)
  %21 = const {value = 0, ty = i32} : i32 loc(3:13)
  %22 = const {value = 8, ty = i32} : i32 loc(3:13)
  %23 = const {value = 4, ty = i32} : i32 loc(3:13)
  for %21, %22, %23 {
  ^(%24: i32):
    %25 = buf_load %3, %24 {lanes = 4} : tile<4xptr<f32>> loc(3:13)
    %26 = load %25 {arg = 0} : tile<4xf32> loc(3:13)
    buf_store %4, %24, %26 loc(3:13)
    yield loc(3:13)
  } loc(3:13)
  %27 = const {value = 0, ty = i32} : i32 loc(4:13)
  %28 = const {value = 8, ty = i32} : i32 loc(4:13)
  %29 = const {value = 4, ty = i32} : i32 loc(4:13)
  for %27, %28, %29 {
  ^(%30: i32):
    %31 = buf_load %4, %30 {lanes = 4} : tile<4xf32> loc(4:13)
    %32 = exp %31 : tile<4xf32> loc(4:13)
    buf_store %5, %30, %32 loc(4:13)
    yield loc(4:13)
  } loc(4:13)
  %33 = const {value = 0, ty = i32} : i32 loc(5:13)
  %34 = const {value = 8, ty = i32} : i32 loc(5:13)
  %35 = const {value = 4, ty = i32} : i32 loc(5:13)
  for %33, %34, %35 {
  ^(%36: i32):
    %37 = buf_load %5, %36 {lanes = 4} : tile<4xf32> loc(5:13)
    %38 = buf_load %4, %36 {lanes = 4} : tile<4xf32> loc(5:13)
    %39 = mul %37, %38 : tile<4xf32> loc(5:13)
    buf_store %5, %36, %39 loc(5:13)
    yield loc(5:13)
  } loc(5:13)
  %40 = const {value = 0, ty = i32} : i32 loc(6:11)
  %41 = const {value = 8, ty = i32} : i32 loc(6:11)
  %42 = const {value = 4, ty = i32} : i32 loc(6:11)
  for %40, %41, %42 {
  ^(%43: i32):
    %44 = splat %1 {shape = [4]} : tile<4xptr<f32>> loc(6:11)
    %45 = buf_load %2, %43 {lanes = 4} : tile<4xi32> loc(6:11)
    %46 = ptr_add %44, %45 : tile<4xptr<f32>> loc(6:11)
    buf_store %6, %43, %46 loc(6:11)
    yield loc(6:11)
  } loc(6:11)
  %47 = const {value = 0, ty = i32} : i32 loc(6:5)
  %48 = const {value = 8, ty = i32} : i32 loc(6:5)
  %49 = const {value = 4, ty = i32} : i32 loc(6:5)
  for %47, %48, %49 {
  ^(%50: i32):
    %51 = buf_load %6, %50 {lanes = 4} : tile<4xptr<f32>> loc(6:5)
    %52 = buf_load %5, %50 {lanes = 4} : tile<4xf32> loc(6:5)
    store %51, %52 {arg = 1} loc(6:5)
    yield loc(6:5)
  } loc(6:5)
  return
}
