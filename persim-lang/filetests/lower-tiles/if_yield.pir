; passes: lower-tiles
; An `if` yielding an 8-element tile: one buffer for the result, which each
; branch fills. The `then` branch copies `x` into it; the `else` branch's
; `neg` overwrites `x` in place, since the branch reading `x` does not run
; then and nothing after the `if` reads `x`.
kernel @pick(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 c: i1) files ["pick.rs"] {
  %3 = arange {lo = 0, hi = 8} : tile<8xi32> loc(2:16)
  %4 = splat %0 {shape = [8]} : tile<8xptr<f32>> loc(3:16)
  %5 = ptr_add %4, %3 : tile<8xptr<f32>> loc(3:16)
  %6 = load %5 {arg = 0} : tile<8xf32> loc(3:13)
  %7 = if %2 : tile<8xf32> {
    yield %6 loc(5:9)
  } {
    %8 = neg %6 : tile<8xf32> loc(7:9)
    yield %8 loc(7:9)
  } loc(4:13)
  %9 = splat %1 {shape = [8]} : tile<8xptr<f32>> loc(9:11)
  %10 = ptr_add %9, %3 : tile<8xptr<f32>> loc(9:11)
  store %10, %7 {arg = 1} loc(9:5)
  return
}
; expect:
kernel @pick(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 c: i1) attrs {lanes = 4, local_mem = 320} files ["pick.rs"] {
  %3 = alloc {ty = buf<8xi32>, offset = 0, tile = tile<8xi32>} : buf<8xi32> loc(2:16)
  %4 = alloc {ty = buf<8xptr<f32>>, offset = 64, tile = tile<8xptr<f32>>} : buf<8xptr<f32>> loc(3:16)
  %5 = alloc {ty = buf<8xf32>, offset = 128, tile = tile<8xf32>} : buf<8xf32> loc(3:13)
  %6 = alloc {ty = buf<8xf32>, offset = 192, tile = tile<8xf32>} : buf<8xf32> loc(4:13)
  %7 = alloc {ty = buf<8xptr<f32>>, offset = 256, tile = tile<8xptr<f32>>} : buf<8xptr<f32>> loc(9:11)
  %8 = const {value = 0, ty = i32} : i32 loc(2:16)
  %9 = const {value = 8, ty = i32} : i32 loc(2:16)
  %10 = const {value = 4, ty = i32} : i32 loc(2:16)
  for %8, %9, %10 {
  ^(%11: i32):
    %12 = arange {lo = 0, hi = 4} : tile<4xi32> loc(2:16)
    %13 = splat %11 {shape = [4]} : tile<4xi32> loc(2:16)
    %14 = add %12, %13 : tile<4xi32> loc(2:16)
    buf_store %3, %11, %14 loc(2:16)
    yield loc(2:16)
  } loc(2:16)
  %15 = const {value = 0, ty = i32} : i32 loc(3:16)
  %16 = const {value = 8, ty = i32} : i32 loc(3:16)
  %17 = const {value = 4, ty = i32} : i32 loc(3:16)
  for %15, %16, %17 {
  ^(%18: i32):
    %19 = splat %0 {shape = [4]} : tile<4xptr<f32>> loc(3:16)
    %20 = buf_load %3, %18 {lanes = 4} : tile<4xi32> loc(3:16)
    %21 = ptr_add %19, %20 : tile<4xptr<f32>> loc(3:16)
    buf_store %4, %18, %21 loc(3:16)
    yield loc(3:16)
  } loc(3:16)
  %22 = const {value = 0, ty = i32} : i32 loc(3:13)
  %23 = const {value = 8, ty = i32} : i32 loc(3:13)
  %24 = const {value = 4, ty = i32} : i32 loc(3:13)
  for %22, %23, %24 {
  ^(%25: i32):
    %26 = buf_load %4, %25 {lanes = 4} : tile<4xptr<f32>> loc(3:13)
    %27 = load %26 {arg = 0} : tile<4xf32> loc(3:13)
    buf_store %5, %25, %27 loc(3:13)
    yield loc(3:13)
  } loc(3:13)
  if %2 {
    %28 = const {value = 0, ty = i32} : i32 loc(5:9)
    %29 = const {value = 8, ty = i32} : i32 loc(5:9)
    %30 = const {value = 4, ty = i32} : i32 loc(5:9)
    for %28, %29, %30 {
    ^(%31: i32):
      %32 = buf_load %5, %31 {lanes = 4} : tile<4xf32> loc(5:9)
      buf_store %6, %31, %32 loc(5:9)
      yield loc(5:9)
    } loc(5:9)
    yield loc(5:9)
  } {
    %33 = const {value = 0, ty = i32} : i32 loc(7:9)
    %34 = const {value = 8, ty = i32} : i32 loc(7:9)
    %35 = const {value = 4, ty = i32} : i32 loc(7:9)
    for %33, %34, %35 {
    ^(%36: i32):
      %37 = buf_load %5, %36 {lanes = 4} : tile<4xf32> loc(7:9)
      %38 = neg %37 : tile<4xf32> loc(7:9)
      buf_store %5, %36, %38 loc(7:9)
      yield loc(7:9)
    } loc(7:9)
    %39 = const {value = 0, ty = i32} : i32 loc(7:9)
    %40 = const {value = 8, ty = i32} : i32 loc(7:9)
    %41 = const {value = 4, ty = i32} : i32 loc(7:9)
    for %39, %40, %41 {
    ^(%42: i32):
      %43 = buf_load %5, %42 {lanes = 4} : tile<4xf32> loc(7:9)
      buf_store %6, %42, %43 loc(7:9)
      yield loc(7:9)
    } loc(7:9)
    yield loc(7:9)
  } loc(4:13)
  %44 = const {value = 0, ty = i32} : i32 loc(9:11)
  %45 = const {value = 8, ty = i32} : i32 loc(9:11)
  %46 = const {value = 4, ty = i32} : i32 loc(9:11)
  for %44, %45, %46 {
  ^(%47: i32):
    %48 = splat %1 {shape = [4]} : tile<4xptr<f32>> loc(9:11)
    %49 = buf_load %3, %47 {lanes = 4} : tile<4xi32> loc(9:11)
    %50 = ptr_add %48, %49 : tile<4xptr<f32>> loc(9:11)
    buf_store %7, %47, %50 loc(9:11)
    yield loc(9:11)
  } loc(9:11)
  %51 = const {value = 0, ty = i32} : i32 loc(9:5)
  %52 = const {value = 8, ty = i32} : i32 loc(9:5)
  %53 = const {value = 4, ty = i32} : i32 loc(9:5)
  for %51, %52, %53 {
  ^(%54: i32):
    %55 = buf_load %7, %54 {lanes = 4} : tile<4xptr<f32>> loc(9:5)
    %56 = buf_load %6, %54 {lanes = 4} : tile<4xf32> loc(9:5)
    store %55, %56 {arg = 1} loc(9:5)
    yield loc(9:5)
  } loc(9:5)
  return
}
