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
    %27 = const {value = 0, ty = i32} : i32 loc(4:11)
    %28 = buf_load %4, %27 {lanes = 4} : tile<4xi32> loc(4:11)
    %29 = const {value = 4, ty = i32} : i32 loc(4:11)
    %30 = buf_load %4, %29 {lanes = 4} : tile<4xi32> loc(4:11)
    %31 = maximum %28, %30 : tile<4xi32> loc(4:11)
    %32 = reduce %31 {kind = max, axis = 0} : i32 loc(4:11)
    %33 = const {value = 100, ty = i32} : i32 loc(4:22)
    %34 = cmp %32, %33 {pred = lt} : i1 loc(4:11)
    %35 = const {value = 0, ty = i32} : i32 loc(4:5)
    %36 = const {value = 8, ty = i32} : i32 loc(4:5)
    %37 = const {value = 4, ty = i32} : i32 loc(4:5)
    for %35, %36, %37 {
    ^(%38: i32):
      %39 = buf_load %4, %38 {lanes = 4} : tile<4xi32> loc(4:5)
      buf_store %5, %38, %39 loc(4:5)
      yield loc(4:5)
    } loc(4:5)
    condition %34 loc(4:5)
  } {
    %40 = const {value = 2, ty = i32} : i32 loc(5:17)
    %41 = const {value = 0, ty = i32} : i32 loc(5:13)
    %42 = const {value = 8, ty = i32} : i32 loc(5:13)
    %43 = const {value = 4, ty = i32} : i32 loc(5:13)
    for %41, %42, %43 {
    ^(%44: i32):
      %45 = buf_load %5, %44 {lanes = 4} : tile<4xi32> loc(5:13)
      %46 = splat %40 {shape = [4]} : tile<4xi32> loc(5:13)
      %47 = mul %45, %46 : tile<4xi32> loc(5:13)
      buf_store %5, %44, %47 loc(5:13)
      yield loc(5:13)
    } loc(5:13)
    %48 = const {value = 0, ty = i32} : i32 loc(6:5)
    %49 = const {value = 8, ty = i32} : i32 loc(6:5)
    %50 = const {value = 4, ty = i32} : i32 loc(6:5)
    for %48, %49, %50 {
    ^(%51: i32):
      %52 = buf_load %5, %51 {lanes = 4} : tile<4xi32> loc(6:5)
      buf_store %4, %51, %52 loc(6:5)
      yield loc(6:5)
    } loc(6:5)
    yield loc(6:5)
  } loc(4:5)
  %53 = const {value = 0, ty = i32} : i32 loc(7:11)
  %54 = const {value = 8, ty = i32} : i32 loc(7:11)
  %55 = const {value = 4, ty = i32} : i32 loc(7:11)
  for %53, %54, %55 {
  ^(%56: i32):
    %57 = splat %1 {shape = [4]} : tile<4xptr<i32>> loc(7:11)
    %58 = buf_load %2, %56 {lanes = 4} : tile<4xi32> loc(7:11)
    %59 = ptr_add %57, %58 : tile<4xptr<i32>> loc(7:11)
    buf_store %6, %56, %59 loc(7:11)
    yield loc(7:11)
  } loc(7:11)
  %60 = const {value = 0, ty = i32} : i32 loc(7:5)
  %61 = const {value = 8, ty = i32} : i32 loc(7:5)
  %62 = const {value = 4, ty = i32} : i32 loc(7:5)
  for %60, %61, %62 {
  ^(%63: i32):
    %64 = buf_load %6, %63 {lanes = 4} : tile<4xptr<i32>> loc(7:5)
    %65 = buf_load %5, %63 {lanes = 4} : tile<4xi32> loc(7:5)
    store %64, %65 {arg = 1} loc(7:5)
    yield loc(7:5)
  } loc(7:5)
  return
}
