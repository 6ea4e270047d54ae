; passes: unroll-loops
; target: vliw
; Six trips: 4 does not divide 6, 2 does: unrolled twice, no remainder loop.
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 96} {
  %1 = alloc {ty = buf<24xi32>, offset = 0} : buf<24xi32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 24, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %2, %3, %4 {
  ^(%6: i32):
    %7 = splat %6 {shape = [4]} : tile<4xi32>
    %8 = add %5, %7 : tile<4xi32>
    buf_store %1, %6, %8
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 96} {
  %1 = alloc {ty = buf<24xi32>, offset = 0} : buf<24xi32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 24, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  %6 = const {value = 8, ty = i32} : i32
  for %2, %3, %6 {unrolled = 2} {
  ^(%7: i32):
    %8 = splat %7 {shape = [4]} : tile<4xi32>
    %9 = add %5, %8 : tile<4xi32>
    buf_store %1, %7, %9
    %10 = const {value = 4, ty = i32} : i32
    %11 = add %7, %10 : i32
    %12 = splat %11 {shape = [4]} : tile<4xi32>
    %13 = add %5, %12 : tile<4xi32>
    buf_store %1, %11, %13
    yield
  }
  return
}
