; passes: unroll-loops
; target: cranelift
; Targets that leave unrolling to their own compiler (`Target::unroll` 1):
; unchanged.
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 64} {
  %1 = alloc {ty = buf<16xi32>, offset = 0} : buf<16xi32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 16, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %2, %3, %4 {
  ^(%6: i32):
    buf_store %1, %6, %5
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
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %2, %3, %4 {
  ^(%6: i32):
    buf_store %1, %6, %5
    yield
  }
  return
}
