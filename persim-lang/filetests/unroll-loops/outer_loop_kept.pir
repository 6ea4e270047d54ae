; passes: unroll-loops
; target: vliw
; Only innermost loops are copied: the outer loop holds a region and is
; kept; the inner one (4 trips) is unrolled 4 times.
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 64} {
  %1 = alloc {ty = buf<16xi32>, offset = 0} : buf<16xi32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 16, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 8, ty = i32} : i32
  %6 = const {value = 1, ty = i32} : i32
  for %2, %5, %6 {
  ^(%7: i32):
    %8 = splat %7 {shape = [4]} : tile<4xi32>
    for %2, %3, %4 {
    ^(%9: i32):
      buf_store %1, %9, %8
      yield
    }
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 64} {
  %1 = alloc {ty = buf<16xi32>, offset = 0} : buf<16xi32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 16, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 8, ty = i32} : i32
  %6 = const {value = 1, ty = i32} : i32
  for %2, %5, %6 {
  ^(%7: i32):
    %8 = splat %7 {shape = [4]} : tile<4xi32>
    %9 = const {value = 16, ty = i32} : i32
    for %2, %3, %9 {unrolled = 4} {
    ^(%10: i32):
      buf_store %1, %10, %8
      %11 = const {value = 4, ty = i32} : i32
      %12 = add %10, %11 : i32
      buf_store %1, %12, %8
      %13 = const {value = 8, ty = i32} : i32
      %14 = add %10, %13 : i32
      buf_store %1, %14, %8
      %15 = const {value = 12, ty = i32} : i32
      %16 = add %10, %15 : i32
      buf_store %1, %16, %8
      yield
    }
    yield
  }
  return
}
