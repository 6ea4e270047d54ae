; passes: lower-tiles
; `while max(x) < 100 { x = x * 2 }` on an 8-element tile. The loop carries
; `x` in its initial value's buffer (the load's); the after-region's result
; lives in the buffer passed from the before-region, which the `mul`
; overwrites in place, and the yield copies it back into the carried one.
kernel @grow(%0 x: ptr<i32>, %1 out: ptr<i32> mut) files ["grow.rs"] {
  %2 = arange {lo = 0, hi = 8} : tile<8xi32> loc(2:16)
  %3 = splat %0 {shape = [8]} : tile<8xptr<i32>> loc(3:16)
  %4 = ptr_add %3, %2 : tile<8xptr<i32>> loc(3:16)
  %5 = load %4 {arg = 0} : tile<8xi32> loc(3:13)
  %6 = while %5 : tile<8xi32> {
  ^(%7: tile<8xi32>):
    %8 = reduce %7 {kind = max, axis = 0} : i32 loc(4:11)
    %9 = const {value = 100, ty = i32} : i32 loc(4:22)
    %10 = cmp %8, %9 {pred = lt} : i1 loc(4:11)
    condition %10, %7 loc(4:5)
  } {
  ^(%11: tile<8xi32>):
    %12 = const {value = 2, ty = i32} : i32 loc(5:17)
    %13 = splat %12 {shape = [8]} : tile<8xi32> loc(5:17)
    %14 = mul %11, %13 : tile<8xi32> loc(5:13)
    yield %14 loc(6:5)
  } loc(4:5)
  %15 = splat %1 {shape = [8]} : tile<8xptr<i32>> loc(7:11)
  %16 = ptr_add %15, %2 : tile<8xptr<i32>> loc(7:11)
  store %16, %6 {arg = 1} loc(7:5)
  return
}
; expect:
kernel @grow(%0 x: ptr<i32>, %1 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 320} files ["grow.rs"] {
  %2 = alloc {ty = buf<8xi32>, offset = 0, tile = tile<8xi32>} : buf<8xi32> loc(2:16)
  %3 = alloc {ty = buf<8xptr<i32>>, offset = 64, tile = tile<8xptr<i32>>} : buf<8xptr<i32>> loc(3:16)
  %4 = alloc {ty = buf<8xi32>, offset = 128, tile = tile<8xi32>} : buf<8xi32> loc(3:13)
  %5 = alloc {ty = buf<8xi32>, offset = 192, tile = tile<8xi32>} : buf<8xi32> loc(4:5)
  %6 = alloc {ty = buf<8xptr<i32>>, offset = 256, tile = tile<8xptr<i32>>} : buf<8xptr<i32>> loc(7:11)
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
    %18 = splat %0 {shape = [4]} : tile<4xptr<i32>> loc(3:16)
    %19 = buf_load %2, %17 {lanes = 4} : tile<4xi32> loc(3:16)
    %20 = ptr_add %18, %19 : tile<4xptr<i32>> loc(3:16)
    buf_store %3, %17, %20 loc(3:16)
    yield loc(3:16)
  } loc(3:16)
  %21 = const {value = 0, ty = i32} : i32 loc(3:13)
  %22 = const {value = 8, ty = i32} : i32 loc(3:13)
  %23 = const {value = 4, ty = i32} : i32 loc(3:13)
  for %21, %22, %23 {
  ^(%24: i32):
    %25 = buf_load %3, %24 {lanes = 4} : tile<4xptr<i32>> loc(3:13)
    %26 = load %25 {arg = 0} : tile<4xi32> loc(3:13)
    buf_store %4, %24, %26 loc(3:13)
    yield loc(3:13)
  } loc(3:13)
  while {
    %27 = const {value = -2147483648, ty = i32} : i32 loc(4:11)
    %28 = splat %27 {shape = [4]} : tile<4xi32> loc(4:11)
    %29 = const {value = 0, ty = i32} : i32 loc(4:11)
    %30 = const {value = 8, ty = i32} : i32 loc(4:11)
    %31 = const {value = 4, ty = i32} : i32 loc(4:11)
    %32 = for %29, %30, %31, %28 : tile<4xi32> {
    ^(%33: i32, %34: tile<4xi32>):
      %35 = buf_load %4, %33 {lanes = 4} : tile<4xi32> loc(4:11)
      %36 = maximum %34, %35 : tile<4xi32> loc(4:11)
      yield %36 loc(4:11)
    } loc(4:11)
    %37 = reduce %32 {kind = max, axis = 0} : i32 loc(4:11)
    %38 = const {value = 100, ty = i32} : i32 loc(4:22)
    %39 = cmp %37, %38 {pred = lt} : i1 loc(4:11)
    %40 = const {value = 0, ty = i32} : i32 loc(4:5)
    %41 = const {value = 8, ty = i32} : i32 loc(4:5)
    %42 = const {value = 4, ty = i32} : i32 loc(4:5)
    for %40, %41, %42 {
    ^(%43: i32):
      %44 = buf_load %4, %43 {lanes = 4} : tile<4xi32> loc(4:5)
      buf_store %5, %43, %44 loc(4:5)
      yield loc(4:5)
    } loc(4:5)
    condition %39 loc(4:5)
  } {
    %45 = const {value = 2, ty = i32} : i32 loc(5:17)
    %46 = const {value = 0, ty = i32} : i32 loc(5:13)
    %47 = const {value = 8, ty = i32} : i32 loc(5:13)
    %48 = const {value = 4, ty = i32} : i32 loc(5:13)
    for %46, %47, %48 {
    ^(%49: i32):
      %50 = buf_load %5, %49 {lanes = 4} : tile<4xi32> loc(5:13)
      %51 = splat %45 {shape = [4]} : tile<4xi32> loc(5:13)
      %52 = mul %50, %51 : tile<4xi32> loc(5:13)
      buf_store %5, %49, %52 loc(5:13)
      yield loc(5:13)
    } loc(5:13)
    %53 = const {value = 0, ty = i32} : i32 loc(6:5)
    %54 = const {value = 8, ty = i32} : i32 loc(6:5)
    %55 = const {value = 4, ty = i32} : i32 loc(6:5)
    for %53, %54, %55 {
    ^(%56: i32):
      %57 = buf_load %5, %56 {lanes = 4} : tile<4xi32> loc(6:5)
      buf_store %4, %56, %57 loc(6:5)
      yield loc(6:5)
    } loc(6:5)
    yield loc(6:5)
  } loc(4:5)
  %58 = const {value = 0, ty = i32} : i32 loc(7:11)
  %59 = const {value = 8, ty = i32} : i32 loc(7:11)
  %60 = const {value = 4, ty = i32} : i32 loc(7:11)
  for %58, %59, %60 {
  ^(%61: i32):
    %62 = splat %1 {shape = [4]} : tile<4xptr<i32>> loc(7:11)
    %63 = buf_load %2, %61 {lanes = 4} : tile<4xi32> loc(7:11)
    %64 = ptr_add %62, %63 : tile<4xptr<i32>> loc(7:11)
    buf_store %6, %61, %64 loc(7:11)
    yield loc(7:11)
  } loc(7:11)
  %65 = const {value = 0, ty = i32} : i32 loc(7:5)
  %66 = const {value = 8, ty = i32} : i32 loc(7:5)
  %67 = const {value = 4, ty = i32} : i32 loc(7:5)
  for %65, %66, %67 {
  ^(%68: i32):
    %69 = buf_load %6, %68 {lanes = 4} : tile<4xptr<i32>> loc(7:5)
    %70 = buf_load %5, %68 {lanes = 4} : tile<4xi32> loc(7:5)
    store %69, %70 {arg = 1} loc(7:5)
    yield loc(7:5)
  } loc(7:5)
  return
}
