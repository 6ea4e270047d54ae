; passes: rematerialize
; The softmax pattern: `cols = arange(0, 8)` and `mask = cols < n` are
; filled into buffers once, then read by every row. Both loads in the row
; loop become `arange + splat(j)` (and its compare), so the pointer chunk is
; `splat(base) + arange(j, j + 4)`: a contiguous access. The fill loop stays
; for `dead-buffers` to delete.
kernel @k(%0 x: ptr<f32>, %1 n: i32, %2 rows: i32) attrs {lanes = 4, local_mem = 72} {
  %3 = alloc {ty = buf<8xi32>, offset = 0} : buf<8xi32>
  %4 = alloc {ty = buf<8xi1>, offset = 64} : buf<8xi1>
  %5 = const {value = 0, ty = i32} : i32
  %6 = const {value = 8, ty = i32} : i32
  %7 = const {value = 4, ty = i32} : i32
  %8 = arange {lo = 0, hi = 4} : tile<4xi32>
  %9 = splat %1 {shape = [4]} : tile<4xi32>
  for %5, %6, %7 {
  ^(%10: i32):
    %11 = splat %10 {shape = [4]} : tile<4xi32>
    %12 = add %8, %11 : tile<4xi32>
    buf_store %3, %10, %12
    %13 = cmp %12, %9 {pred = lt} : tile<4xi1>
    buf_store %4, %10, %13
    yield
  }
  %14 = const {value = 1, ty = i32} : i32
  %15 = const {value = 0.0, ty = f32} : f32
  %16 = splat %15 {shape = [4]} : tile<4xf32>
  for %5, %2, %14 {
  ^(%17: i32):
    %18 = ptr_add %0, %17 : ptr<f32>
    %19 = splat %18 {shape = [4]} : tile<4xptr<f32>>
    for %5, %6, %7 {
    ^(%20: i32):
      %21 = buf_load %3, %20 {lanes = 4} : tile<4xi32>
      %22 = ptr_add %19, %21 : tile<4xptr<f32>>
      %23 = buf_load %4, %20 {lanes = 4} : tile<4xi1>
      %24 = load %22, %23, %16 {arg = 0} : tile<4xf32>
      yield
    }
    yield
  }
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 n: i32, %2 rows: i32) attrs {lanes = 4, local_mem = 72} {
  %3 = alloc {ty = buf<8xi32>, offset = 0} : buf<8xi32>
  %4 = alloc {ty = buf<8xi1>, offset = 64} : buf<8xi1>
  %5 = const {value = 0, ty = i32} : i32
  %6 = const {value = 8, ty = i32} : i32
  %7 = const {value = 4, ty = i32} : i32
  %8 = arange {lo = 0, hi = 4} : tile<4xi32>
  %9 = splat %1 {shape = [4]} : tile<4xi32>
  for %5, %6, %7 {
  ^(%10: i32):
    %11 = splat %10 {shape = [4]} : tile<4xi32>
    %12 = add %8, %11 : tile<4xi32>
    buf_store %3, %10, %12
    %13 = cmp %12, %9 {pred = lt} : tile<4xi1>
    buf_store %4, %10, %13
    yield
  }
  %14 = const {value = 1, ty = i32} : i32
  %15 = const {value = 0.0, ty = f32} : f32
  %16 = splat %15 {shape = [4]} : tile<4xf32>
  for %5, %2, %14 {
  ^(%17: i32):
    %18 = ptr_add %0, %17 : ptr<f32>
    %19 = splat %18 {shape = [4]} : tile<4xptr<f32>>
    for %5, %6, %7 {
    ^(%20: i32):
      %21 = splat %20 {shape = [4]} : tile<4xi32>
      %22 = add %8, %21 : tile<4xi32>
      %23 = ptr_add %19, %22 : tile<4xptr<f32>>
      %24 = splat %20 {shape = [4]} : tile<4xi32>
      %25 = add %8, %24 : tile<4xi32>
      %26 = cmp %25, %9 {pred = lt} : tile<4xi1>
      %27 = load %23, %26, %16 {arg = 0} : tile<4xf32>
      yield
    }
    yield
  }
  return
}
