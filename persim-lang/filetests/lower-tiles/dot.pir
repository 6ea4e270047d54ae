; passes: lower-tiles
; acc + a @ b for a: 2x3, b: 3x4, acc: 2x4 with 4 lanes. For each row of the
; result the accumulator chunk stays in a register while k runs over the 3
; real columns of `a`; the result is written over `acc`'s buffer, its last
; use, and `a` and `b` live elsewhere.
kernel @mm(%0 a: ptr<f32>, %1 b: ptr<f32>, %2 out: ptr<f32> mut) files ["mm.rs"] {
  %3 = arange {lo = 0, hi = 6} : tile<6xi32> loc(2:5)
  %4 = reshape %3 {shape = [2, 3]} : tile<2x3xi32> loc(2:5)
  %5 = splat %0 {shape = [2, 3]} : tile<2x3xptr<f32>> loc(3:5)
  %6 = ptr_add %5, %4 : tile<2x3xptr<f32>> loc(3:5)
  %7 = load %6 {arg = 0} : tile<2x3xf32> loc(3:5)
  %8 = arange {lo = 0, hi = 12} : tile<12xi32> loc(4:5)
  %9 = reshape %8 {shape = [3, 4]} : tile<3x4xi32> loc(4:5)
  %10 = splat %1 {shape = [3, 4]} : tile<3x4xptr<f32>> loc(5:5)
  %11 = ptr_add %10, %9 : tile<3x4xptr<f32>> loc(5:5)
  %12 = load %11 {arg = 1} : tile<3x4xf32> loc(5:5)
  %13 = arange {lo = 0, hi = 8} : tile<8xi32> loc(6:5)
  %14 = reshape %13 {shape = [2, 4]} : tile<2x4xi32> loc(6:5)
  %15 = cast %14 {to = f32} : tile<2x4xf32> loc(7:5)
  %16 = dot %7, %12, %15 : tile<2x4xf32> loc(8:5)
  %17 = splat %2 {shape = [2, 4]} : tile<2x4xptr<f32>> loc(9:5)
  %18 = ptr_add %17, %14 : tile<2x4xptr<f32>> loc(9:5)
  store %18, %16 {arg = 2} loc(9:5)
  return
}
; expect:
kernel @mm(%0 a: ptr<f32>, %1 b: ptr<f32>, %2 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 704} files ["mm.rs"] {
  %3 = alloc {ty = buf<8xi32>, offset = 0, tile = tile<6xi32>} : buf<8xi32> loc(2:5)
  %4 = alloc {ty = buf<8xi32>, offset = 64, tile = tile<2x3xi32>} : buf<8xi32> loc(2:5)
  %5 = alloc {ty = buf<8xptr<f32>>, offset = 128, tile = tile<2x3xptr<f32>>} : buf<8xptr<f32>> loc(3:5)
  %6 = alloc {ty = buf<8xf32>, offset = 192, tile = tile<2x3xf32>} : buf<8xf32> loc(3:5)
  %7 = alloc {ty = buf<12xi32>, offset = 256, tile = tile<12xi32>} : buf<12xi32> loc(4:5)
  %8 = alloc {ty = buf<12xptr<f32>>, offset = 320, tile = tile<3x4xptr<f32>>} : buf<12xptr<f32>> loc(5:5)
  %9 = alloc {ty = buf<12xf32>, offset = 448, tile = tile<3x4xf32>} : buf<12xf32> loc(5:5)
  %10 = alloc {ty = buf<8xi32>, offset = 512, tile = tile<8xi32>} : buf<8xi32> loc(6:5)
  %11 = alloc {ty = buf<8xf32>, offset = 576, tile = tile<2x4xf32>} : buf<8xf32> loc(7:5)
  %12 = alloc {ty = buf<8xptr<f32>>, offset = 640, tile = tile<2x4xptr<f32>>} : buf<8xptr<f32>> loc(9:5)
  %13 = const {value = 0, ty = i32} : i32 loc(2:5)
  %14 = const {value = 8, ty = i32} : i32 loc(2:5)
  %15 = const {value = 4, ty = i32} : i32 loc(2:5)
  for %13, %14, %15 {
  ^(%16: i32):
    %17 = arange {lo = 0, hi = 4} : tile<4xi32> loc(2:5)
    %18 = splat %16 {shape = [4]} : tile<4xi32> loc(2:5)
    %19 = add %17, %18 : tile<4xi32> loc(2:5)
    buf_store %3, %16, %19 loc(2:5)
    yield loc(2:5)
  } loc(2:5)
  %20 = const {value = 0, ty = i32} : i32 loc(2:5)
  %21 = const {value = 6, ty = i32} : i32 loc(2:5)
  %22 = const {value = 1, ty = i32} : i32 loc(2:5)
  for %20, %21, %22 {
  ^(%23: i32):
    %24 = const {value = 3, ty = i32} : i32 loc(2:5)
    %25 = div %23, %24 : i32 loc(2:5)
    %26 = rem %23, %24 : i32 loc(2:5)
    %27 = const {value = 4, ty = i32} : i32 loc(2:5)
    %28 = mul %25, %27 : i32 loc(2:5)
    %29 = add %28, %26 : i32 loc(2:5)
    %30 = buf_load %3, %23 {lanes = 0} : i32 loc(2:5)
    buf_store %4, %29, %30 loc(2:5)
    yield loc(2:5)
  } loc(2:5)
  %31 = const {value = 0, ty = i32} : i32 loc(3:5)
  %32 = const {value = 8, ty = i32} : i32 loc(3:5)
  %33 = const {value = 4, ty = i32} : i32 loc(3:5)
  for %31, %32, %33 {
  ^(%34: i32):
    %35 = splat %0 {shape = [4]} : tile<4xptr<f32>> loc(3:5)
    %36 = buf_load %4, %34 {lanes = 4} : tile<4xi32> loc(3:5)
    %37 = ptr_add %35, %36 : tile<4xptr<f32>> loc(3:5)
    buf_store %5, %34, %37 loc(3:5)
    yield loc(3:5)
  } loc(3:5)
  %38 = const {value = 0, ty = i32} : i32 loc(3:5)
  %39 = const {value = 2, ty = i32} : i32 loc(3:5)
  %40 = const {value = 1, ty = i32} : i32 loc(3:5)
  for %38, %39, %40 {
  ^(%41: i32):
    %42 = const {value = 4, ty = i32} : i32 loc(3:5)
    %43 = mul %41, %42 : i32 loc(3:5)
    %44 = buf_load %5, %43 {lanes = 4} : tile<4xptr<f32>> loc(3:5)
    %45 = arange {lo = 0, hi = 4} : tile<4xi32> loc(3:5)
    %46 = const {value = 3, ty = i32} : i32 loc(3:5)
    %47 = splat %46 {shape = [4]} : tile<4xi32> loc(3:5)
    %48 = cmp %45, %47 {pred = lt} : tile<4xi1> loc(3:5)
    %49 = load %44, %48 {arg = 0} : tile<4xf32> loc(3:5)
    buf_store %6, %43, %49 loc(3:5)
    yield loc(3:5)
  } loc(3:5)
  %50 = const {value = 0, ty = i32} : i32 loc(4:5)
  %51 = const {value = 12, ty = i32} : i32 loc(4:5)
  %52 = const {value = 4, ty = i32} : i32 loc(4:5)
  for %50, %51, %52 {
  ^(%53: i32):
    %54 = arange {lo = 0, hi = 4} : tile<4xi32> loc(4:5)
    %55 = splat %53 {shape = [4]} : tile<4xi32> loc(4:5)
    %56 = add %54, %55 : tile<4xi32> loc(4:5)
    buf_store %7, %53, %56 loc(4:5)
    yield loc(4:5)
  } loc(4:5)
  %57 = const {value = 0, ty = i32} : i32 loc(5:5)
  %58 = const {value = 12, ty = i32} : i32 loc(5:5)
  %59 = const {value = 4, ty = i32} : i32 loc(5:5)
  for %57, %58, %59 {
  ^(%60: i32):
    %61 = splat %1 {shape = [4]} : tile<4xptr<f32>> loc(5:5)
    %62 = buf_load %7, %60 {lanes = 4} : tile<4xi32> loc(5:5)
    %63 = ptr_add %61, %62 : tile<4xptr<f32>> loc(5:5)
    buf_store %8, %60, %63 loc(5:5)
    yield loc(5:5)
  } loc(5:5)
  %64 = const {value = 0, ty = i32} : i32 loc(5:5)
  %65 = const {value = 12, ty = i32} : i32 loc(5:5)
  %66 = const {value = 4, ty = i32} : i32 loc(5:5)
  for %64, %65, %66 {
  ^(%67: i32):
    %68 = buf_load %8, %67 {lanes = 4} : tile<4xptr<f32>> loc(5:5)
    %69 = load %68 {arg = 1} : tile<4xf32> loc(5:5)
    buf_store %9, %67, %69 loc(5:5)
    yield loc(5:5)
  } loc(5:5)
  %70 = const {value = 0, ty = i32} : i32 loc(6:5)
  %71 = const {value = 8, ty = i32} : i32 loc(6:5)
  %72 = const {value = 4, ty = i32} : i32 loc(6:5)
  for %70, %71, %72 {
  ^(%73: i32):
    %74 = arange {lo = 0, hi = 4} : tile<4xi32> loc(6:5)
    %75 = splat %73 {shape = [4]} : tile<4xi32> loc(6:5)
    %76 = add %74, %75 : tile<4xi32> loc(6:5)
    buf_store %10, %73, %76 loc(6:5)
    yield loc(6:5)
  } loc(6:5)
  %77 = const {value = 0, ty = i32} : i32 loc(7:5)
  %78 = const {value = 8, ty = i32} : i32 loc(7:5)
  %79 = const {value = 4, ty = i32} : i32 loc(7:5)
  for %77, %78, %79 {
  ^(%80: i32):
    %81 = buf_load %10, %80 {lanes = 4} : tile<4xi32> loc(7:5)
    %82 = cast %81 {to = f32} : tile<4xf32> loc(7:5)
    buf_store %11, %80, %82 loc(7:5)
    yield loc(7:5)
  } loc(7:5)
  %83 = const {value = 0, ty = i32} : i32 loc(8:5)
  %84 = const {value = 2, ty = i32} : i32 loc(8:5)
  %85 = const {value = 1, ty = i32} : i32 loc(8:5)
  for %83, %84, %85 {
  ^(%86: i32):
    %87 = const {value = 4, ty = i32} : i32 loc(8:5)
    %88 = mul %86, %87 : i32 loc(8:5)
    %89 = buf_load %11, %88 {lanes = 4} : tile<4xf32> loc(8:5)
    %90 = const {value = 0, ty = i32} : i32 loc(8:5)
    %91 = const {value = 3, ty = i32} : i32 loc(8:5)
    %92 = const {value = 1, ty = i32} : i32 loc(8:5)
    %93 = for %90, %91, %92, %89 : tile<4xf32> {
    ^(%94: i32, %95: tile<4xf32>):
      %96 = const {value = 4, ty = i32} : i32 loc(8:5)
      %97 = mul %86, %96 : i32 loc(8:5)
      %98 = add %97, %94 : i32 loc(8:5)
      %99 = buf_load %6, %98 {lanes = 0} : f32 loc(8:5)
      %100 = splat %99 {shape = [4]} : tile<4xf32> loc(8:5)
      %101 = const {value = 4, ty = i32} : i32 loc(8:5)
      %102 = mul %94, %101 : i32 loc(8:5)
      %103 = buf_load %9, %102 {lanes = 4} : tile<4xf32> loc(8:5)
      %104 = mul %100, %103 : tile<4xf32> loc(8:5)
      %105 = add %95, %104 : tile<4xf32> loc(8:5)
      yield %105 loc(8:5)
    } loc(8:5)
    buf_store %11, %88, %93 loc(8:5)
    yield loc(8:5)
  } loc(8:5)
  %106 = const {value = 0, ty = i32} : i32 loc(9:5)
  %107 = const {value = 8, ty = i32} : i32 loc(9:5)
  %108 = const {value = 4, ty = i32} : i32 loc(9:5)
  for %106, %107, %108 {
  ^(%109: i32):
    %110 = splat %2 {shape = [4]} : tile<4xptr<f32>> loc(9:5)
    %111 = buf_load %10, %109 {lanes = 4} : tile<4xi32> loc(9:5)
    %112 = ptr_add %110, %111 : tile<4xptr<f32>> loc(9:5)
    buf_store %12, %109, %112 loc(9:5)
    yield loc(9:5)
  } loc(9:5)
  %113 = const {value = 0, ty = i32} : i32 loc(9:5)
  %114 = const {value = 8, ty = i32} : i32 loc(9:5)
  %115 = const {value = 4, ty = i32} : i32 loc(9:5)
  for %113, %114, %115 {
  ^(%116: i32):
    %117 = buf_load %12, %116 {lanes = 4} : tile<4xptr<f32>> loc(9:5)
    %118 = buf_load %11, %116 {lanes = 4} : tile<4xf32> loc(9:5)
    store %117, %118 {arg = 2} loc(9:5)
    yield loc(9:5)
  } loc(9:5)
  return
}
