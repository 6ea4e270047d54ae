; passes: licm
; Invariant ops leave both regions of a `while`.
kernel @k(%0 out: ptr<i32> mut, %1 a: i32, %2 n: i32) {
  %3 = const {value = 0, ty = i32} : i32
  %4 = while %3 : i32 {
  ^(%5: i32):
    %6 = add %2, %2 : i32
    %7 = cmp %5, %6 {pred = lt} : i1
    condition %7, %5
  } {
  ^(%8: i32):
    %9 = mul %1, %1 : i32
    %10 = add %8, %9 : i32
    yield %10
  }
  store %0, %4
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 a: i32, %2 n: i32) {
  %3 = const {value = 0, ty = i32} : i32
  %4 = add %2, %2 : i32
  %5 = mul %1, %1 : i32
  %6 = while %3 : i32 {
  ^(%7: i32):
    %8 = cmp %7, %4 {pred = lt} : i1
    condition %8, %7
  } {
  ^(%9: i32):
    %10 = add %9, %5 : i32
    yield %10
  }
  store %0, %6
  return
}
