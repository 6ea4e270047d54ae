; passes: dce
; A loop that only computes an unused value is removed; one that stores stays.
; check: for
; check: store
kernel @k(%0 out: ptr<i32> mut, %1 n: i32) {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1, ty = i32} : i32
  %4 = for %2, %1, %3, %2 : i32 {
  ^(%5: i32, %6: i32):
    %7 = add %6, %5 : i32
    yield %7
  }
  %8 = for %2, %1, %3, %2 : i32 {
  ^(%9: i32, %10: i32):
    %11 = add %10, %9 : i32
    store %0, %11
    yield %11
  }
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 n: i32) {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1, ty = i32} : i32
  %4 = for %2, %1, %3, %2 : i32 {
  ^(%5: i32, %6: i32):
    %7 = add %6, %5 : i32
    store %0, %7
    yield %7
  }
  return
}
