; passes: canonicalize, dce
; A loop running zero times yields its inits; one running once is inlined.
; check-not: for
kernel @k(%0 out: ptr<i32> mut, %1 a: i32) {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1, ty = i32} : i32
  %4 = for %3, %2, %3, %1 : i32 {
  ^(%5: i32, %6: i32):
    %7 = mul %6, %6 : i32
    yield %7
  }
  %8 = for %2, %3, %3, %4 : i32 {
  ^(%9: i32, %10: i32):
    %11 = add %10, %9 : i32
    store %0, %11
    yield %11
  }
  store %0, %8
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 a: i32) {
  store %0, %1
  store %0, %1
  return
}
