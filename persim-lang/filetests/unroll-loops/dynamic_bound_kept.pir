; passes: unroll-loops
; target: vliw
; A trip count known only at run time (`n`): kept.
kernel @k(%0 out: ptr<i32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 64} {
  %2 = alloc {ty = buf<16xi32>, offset = 0} : buf<16xi32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %3, %1, %4 {
  ^(%6: i32):
    buf_store %2, %3, %5
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 64} {
  %2 = alloc {ty = buf<16xi32>, offset = 0} : buf<16xi32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %3, %1, %4 {
  ^(%6: i32):
    buf_store %2, %3, %5
    yield
  }
  return
}
