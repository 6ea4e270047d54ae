; passes: licm
; A loop-invariant atomic runs once per iteration: it stays in the loop;
; its invariant operand moves out.
kernel @k(%0 counter: ptr<i64> mut, %1 n: i32) {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1, ty = i32} : i32
  for %2, %1, %3 {
  ^(%4: i32):
    %5 = const {value = 1, ty = i64} : i64
    %6 = atomic_add %0, %5 {arg = 0} : i64
    yield
  }
  return
}
; expect:
kernel @k(%0 counter: ptr<i64> mut, %1 n: i32) {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1, ty = i32} : i32
  %4 = const {value = 1, ty = i64} : i64
  for %2, %1, %3 {
  ^(%5: i32):
    %6 = atomic_add %0, %4 {arg = 0} : i64
    yield
  }
  return
}
