; passes: lower-tiles
; out = x + y over one 16-element tile, 4 lanes: four chunks in one loop per
; op. The sum is written over `x`'s buffer (its last use); the offsets are
; read by every `ptr_add`, so each pointer tile gets its own buffer.
kernel @add(%0 x: ptr<f32>, %1 y: ptr<f32>, %2 out: ptr<f32> mut) files ["add.rs"] {
  %3 = arange {lo = 0, hi = 16} : tile<16xi32> loc(3:16)
  %4 = splat %0 {shape = [16]} : tile<16xptr<f32>> loc(4:13)
  %5 = ptr_add %4, %3 : tile<16xptr<f32>> loc(4:13)
  %6 = load %5 {arg = 0} : tile<16xf32> loc(4:13)
  %7 = splat %1 {shape = [16]} : tile<16xptr<f32>> loc(5:13)
  %8 = ptr_add %7, %3 : tile<16xptr<f32>> loc(5:13)
  %9 = load %8 {arg = 1} : tile<16xf32> loc(5:13)
  %10 = add %6, %9 : tile<16xf32> loc(6:15)
  %11 = splat %2 {shape = [16]} : tile<16xptr<f32>> loc(6:11)
  %12 = ptr_add %11, %3 : tile<16xptr<f32>> loc(6:11)
  store %12, %10 {arg = 2} loc(6:5)
  return
}
; expect:
kernel @add(%0 x: ptr<f32>, %1 y: ptr<f32>, %2 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 576} files ["add.rs"] {
  %3 = alloc {ty = buf<16xi32>, offset = 0, tile = tile<16xi32>} : buf<16xi32> loc(3:16)
  %4 = alloc {ty = buf<16xptr<f32>>, offset = 64, tile = tile<16xptr<f32>>} : buf<16xptr<f32>> loc(4:13)
  %5 = alloc {ty = buf<16xf32>, offset = 192, tile = tile<16xf32>} : buf<16xf32> loc(4:13)
  %6 = alloc {ty = buf<16xptr<f32>>, offset = 256, tile = tile<16xptr<f32>>} : buf<16xptr<f32>> loc(5:13)
  %7 = alloc {ty = buf<16xf32>, offset = 384, tile = tile<16xf32>} : buf<16xf32> loc(5:13)
  %8 = alloc {ty = buf<16xptr<f32>>, offset = 448, tile = tile<16xptr<f32>>} : buf<16xptr<f32>> loc(6:11)
  %9 = const {value = 0, ty = i32} : i32 loc(3:16)
  %10 = const {value = 16, ty = i32} : i32 loc(3:16)
  %11 = const {value = 4, ty = i32} : i32 loc(3:16)
  for %9, %10, %11 {
  ^(%12: i32):
    %13 = arange {lo = 0, hi = 4} : tile<4xi32> loc(3:16)
    %14 = splat %12 {shape = [4]} : tile<4xi32> loc(3:16)
    %15 = add %13, %14 : tile<4xi32> loc(3:16)
    buf_store %3, %12, %15 loc(3:16)
    yield loc(3:16)
  } loc(3:16)
  %16 = const {value = 0, ty = i32} : i32 loc(4:13)
  %17 = const {value = 16, ty = i32} : i32 loc(4:13)
  %18 = const {value = 4, ty = i32} : i32 loc(4:13)
  for %16, %17, %18 {
  ^(%19: i32):
    %20 = splat %0 {shape = [4]} : tile<4xptr<f32>> loc(4:13)
    %21 = buf_load %3, %19 {lanes = 4} : tile<4xi32> loc(4:13)
    %22 = ptr_add %20, %21 : tile<4xptr<f32>> loc(4:13)
    buf_store %4, %19, %22 loc(4:13)
    yield loc(4:13)
  } loc(4:13)
  %23 = const {value = 0, ty = i32} : i32 loc(4:13)
  %24 = const {value = 16, ty = i32} : i32 loc(4:13)
  %25 = const {value = 4, ty = i32} : i32 loc(4:13)
  for %23, %24, %25 {
  ^(%26: i32):
    %27 = buf_load %4, %26 {lanes = 4} : tile<4xptr<f32>> loc(4:13)
    %28 = load %27 {arg = 0} : tile<4xf32> loc(4:13)
    buf_store %5, %26, %28 loc(4:13)
    yield loc(4:13)
  } loc(4:13)
  %29 = const {value = 0, ty = i32} : i32 loc(5:13)
  %30 = const {value = 16, ty = i32} : i32 loc(5:13)
  %31 = const {value = 4, ty = i32} : i32 loc(5:13)
  for %29, %30, %31 {
  ^(%32: i32):
    %33 = splat %1 {shape = [4]} : tile<4xptr<f32>> loc(5:13)
    %34 = buf_load %3, %32 {lanes = 4} : tile<4xi32> loc(5:13)
    %35 = ptr_add %33, %34 : tile<4xptr<f32>> loc(5:13)
    buf_store %6, %32, %35 loc(5:13)
    yield loc(5:13)
  } loc(5:13)
  %36 = const {value = 0, ty = i32} : i32 loc(5:13)
  %37 = const {value = 16, ty = i32} : i32 loc(5:13)
  %38 = const {value = 4, ty = i32} : i32 loc(5:13)
  for %36, %37, %38 {
  ^(%39: i32):
    %40 = buf_load %6, %39 {lanes = 4} : tile<4xptr<f32>> loc(5:13)
    %41 = load %40 {arg = 1} : tile<4xf32> loc(5:13)
    buf_store %7, %39, %41 loc(5:13)
    yield loc(5:13)
  } loc(5:13)
  %42 = const {value = 0, ty = i32} : i32 loc(6:15)
  %43 = const {value = 16, ty = i32} : i32 loc(6:15)
  %44 = const {value = 4, ty = i32} : i32 loc(6:15)
  for %42, %43, %44 {
  ^(%45: i32):
    %46 = buf_load %5, %45 {lanes = 4} : tile<4xf32> loc(6:15)
    %47 = buf_load %7, %45 {lanes = 4} : tile<4xf32> loc(6:15)
    %48 = add %46, %47 : tile<4xf32> loc(6:15)
    buf_store %5, %45, %48 loc(6:15)
    yield loc(6:15)
  } loc(6:15)
  %49 = const {value = 0, ty = i32} : i32 loc(6:11)
  %50 = const {value = 16, ty = i32} : i32 loc(6:11)
  %51 = const {value = 4, ty = i32} : i32 loc(6:11)
  for %49, %50, %51 {
  ^(%52: i32):
    %53 = splat %2 {shape = [4]} : tile<4xptr<f32>> loc(6:11)
    %54 = buf_load %3, %52 {lanes = 4} : tile<4xi32> loc(6:11)
    %55 = ptr_add %53, %54 : tile<4xptr<f32>> loc(6:11)
    buf_store %8, %52, %55 loc(6:11)
    yield loc(6:11)
  } loc(6:11)
  %56 = const {value = 0, ty = i32} : i32 loc(6:5)
  %57 = const {value = 16, ty = i32} : i32 loc(6:5)
  %58 = const {value = 4, ty = i32} : i32 loc(6:5)
  for %56, %57, %58 {
  ^(%59: i32):
    %60 = buf_load %8, %59 {lanes = 4} : tile<4xptr<f32>> loc(6:5)
    %61 = buf_load %5, %59 {lanes = 4} : tile<4xf32> loc(6:5)
    store %60, %61 {arg = 2} loc(6:5)
    yield loc(6:5)
  } loc(6:5)
  return
}
