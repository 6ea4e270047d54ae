; passes: lower-tiles
; `x` is defined before the loop and read in it: `t = x * x` inside the loop
; has the last use of `x` in the text, but the next iteration reads `x`
; again, so `t` gets a buffer of its own, allocated in the loop body (one
; iteration's value). `s = t + acc` overwrites the carried value in the
; loop's buffer, so the yield copies nothing; after the loop, `exp` may
; overwrite `x`.
; check: for
; check: alloc {ty = buf<8xf32>
; check: loc(6:17)
kernel @inv(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 n: i32) files ["inv.rs"] {
  %3 = arange {lo = 0, hi = 8} : tile<8xi32> loc(2:16)
  %4 = splat %0 {shape = [8]} : tile<8xptr<f32>> loc(3:16)
  %5 = ptr_add %4, %3 : tile<8xptr<f32>> loc(3:16)
  %6 = load %5 {arg = 0} : tile<8xf32> loc(3:13)
  %7 = const {value = 0.0, ty = f32} : f32 loc(4:19)
  %8 = splat %7 {shape = [8]} : tile<8xf32> loc(4:19)
  %9 = const {value = 0, ty = i32} : i32 loc(5:5)
  %10 = const {value = 1, ty = i32} : i32 loc(5:5)
  %11 = for %9, %2, %10, %8 : tile<8xf32> {
  ^(%12: i32, %13: tile<8xf32>):
    %14 = mul %6, %6 : tile<8xf32> loc(6:17)
    %15 = add %14, %13 : tile<8xf32> loc(7:17)
    yield %15 loc(8:9)
  } loc(5:5)
  %16 = exp %6 : tile<8xf32> loc(10:13)
  %17 = add %11, %16 : tile<8xf32> loc(11:13)
  %18 = splat %1 {shape = [8]} : tile<8xptr<f32>> loc(12:11)
  %19 = ptr_add %18, %3 : tile<8xptr<f32>> loc(12:11)
  store %19, %17 {arg = 1} loc(12:5)
  return
}
; expect:
kernel @inv(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 n: i32) attrs {lanes = 4, local_mem = 384} files ["inv.rs"] {
  %3 = alloc {ty = buf<8xi32>, offset = 0, tile = tile<8xi32>} : buf<8xi32> loc(2:16)
  %4 = alloc {ty = buf<8xptr<f32>>, offset = 64, tile = tile<8xptr<f32>>} : buf<8xptr<f32>> loc(3:16)
  %5 = alloc {ty = buf<8xf32>, offset = 128, tile = tile<8xf32>} : buf<8xf32> loc(3:13)
  %6 = alloc {ty = buf<8xf32>, offset = 192, tile = tile<8xf32>} : buf<8xf32> loc(5:5)
  %7 = alloc {ty = buf<8xptr<f32>>, offset = 320, tile = tile<8xptr<f32>>} : buf<8xptr<f32>> loc(12:11)
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
  %28 = const {value = 0.0, ty = f32} : f32 loc(4:19)
  %29 = const {value = 0, ty = i32} : i32 loc(5:5)
  %30 = const {value = 1, ty = i32} : i32 loc(5:5)
  %31 = const {value = 0, ty = i32} : i32 loc(5:5)
  %32 = const {value = 8, ty = i32} : i32 loc(5:5)
  %33 = const {value = 4, ty = i32} : i32 loc(5:5)
  for %31, %32, %33 {
  ^(%34: i32):
    %35 = splat %28 {shape = [4]} : tile<4xf32> loc(5:5)
    buf_store %6, %34, %35 loc(5:5)
    yield loc(5:5)
  } loc(5:5)
  for %29, %2, %30 {
  ^(%36: i32):
    %37 = alloc {ty = buf<8xf32>, offset = 256, tile = tile<8xf32>} : buf<8xf32> loc(6:17)
    %38 = const {value = 0, ty = i32} : i32 loc(6:17)
    %39 = const {value = 8, ty = i32} : i32 loc(6:17)
    %40 = const {value = 4, ty = i32} : i32 loc(6:17)
    for %38, %39, %40 {
    ^(%41: i32):
      %42 = buf_load %5, %41 {lanes = 4} : tile<4xf32> loc(6:17)
      %43 = buf_load %5, %41 {lanes = 4} : tile<4xf32> loc(6:17)
      %44 = mul %42, %43 : tile<4xf32> loc(6:17)
      buf_store %37, %41, %44 loc(6:17)
      yield loc(6:17)
    } loc(6:17)
    %45 = const {value = 0, ty = i32} : i32 loc(7:17)
    %46 = const {value = 8, ty = i32} : i32 loc(7:17)
    %47 = const {value = 4, ty = i32} : i32 loc(7:17)
    for %45, %46, %47 {
    ^(%48: i32):
      %49 = buf_load %37, %48 {lanes = 4} : tile<4xf32> loc(7:17)
      %50 = buf_load %6, %48 {lanes = 4} : tile<4xf32> loc(7:17)
      %51 = add %49, %50 : tile<4xf32> loc(7:17)
      buf_store %6, %48, %51 loc(7:17)
      yield loc(7:17)
    } loc(7:17)
    yield loc(8:9)
  } loc(5:5)
  %52 = const {value = 0, ty = i32} : i32 loc(10:13)
  %53 = const {value = 8, ty = i32} : i32 loc(10:13)
  %54 = const {value = 4, ty = i32} : i32 loc(10:13)
  for %52, %53, %54 {
  ^(%55: i32):
    %56 = buf_load %5, %55 {lanes = 4} : tile<4xf32> loc(10:13)
    %57 = exp %56 : tile<4xf32> loc(10:13)
    buf_store %5, %55, %57 loc(10:13)
    yield loc(10:13)
  } loc(10:13)
  %58 = const {value = 0, ty = i32} : i32 loc(11:13)
  %59 = const {value = 8, ty = i32} : i32 loc(11:13)
  %60 = const {value = 4, ty = i32} : i32 loc(11:13)
  for %58, %59, %60 {
  ^(%61: i32):
    %62 = buf_load %6, %61 {lanes = 4} : tile<4xf32> loc(11:13)
    %63 = buf_load %5, %61 {lanes = 4} : tile<4xf32> loc(11:13)
    %64 = add %62, %63 : tile<4xf32> loc(11:13)
    buf_store %6, %61, %64 loc(11:13)
    yield loc(11:13)
  } loc(11:13)
  %65 = const {value = 0, ty = i32} : i32 loc(12:11)
  %66 = const {value = 8, ty = i32} : i32 loc(12:11)
  %67 = const {value = 4, ty = i32} : i32 loc(12:11)
  for %65, %66, %67 {
  ^(%68: i32):
    %69 = splat %1 {shape = [4]} : tile<4xptr<f32>> loc(12:11)
    %70 = buf_load %3, %68 {lanes = 4} : tile<4xi32> loc(12:11)
    %71 = ptr_add %69, %70 : tile<4xptr<f32>> loc(12:11)
    buf_store %7, %68, %71 loc(12:11)
    yield loc(12:11)
  } loc(12:11)
  %72 = const {value = 0, ty = i32} : i32 loc(12:5)
  %73 = const {value = 8, ty = i32} : i32 loc(12:5)
  %74 = const {value = 4, ty = i32} : i32 loc(12:5)
  for %72, %73, %74 {
  ^(%75: i32):
    %76 = buf_load %7, %75 {lanes = 4} : tile<4xptr<f32>> loc(12:5)
    %77 = buf_load %6, %75 {lanes = 4} : tile<4xf32> loc(12:5)
    store %76, %77 {arg = 1} loc(12:5)
    yield loc(12:5)
  } loc(12:5)
  return
}
