; passes: unroll-loops
; target: vliw
; Five trips: no factor divides it, the loop is kept as it is.
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 80} {
  %1 = alloc {ty = buf<20xi32>, offset = 0} : buf<20xi32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 20, ty = i32} : i32
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
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 80} {
  %1 = alloc {ty = buf<20xi32>, offset = 0} : buf<20xi32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 20, ty = i32} : i32
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
