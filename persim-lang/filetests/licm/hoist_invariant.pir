; passes: licm
; check: mul
; check: for
kernel @k(%0 out: ptr<i32> mut, %1 a: i32, %2 n: i32) {
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = for %3, %2, %4, %3 : i32 {
  ^(%6: i32, %7: i32):
    %8 = mul %1, %1 : i32
    %9 = add %7, %8 : i32
    yield %9
  }
  store %0, %5
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 a: i32, %2 n: i32) {
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = mul %1, %1 : i32
  %6 = for %3, %2, %4, %3 : i32 {
  ^(%7: i32, %8: i32):
    %9 = add %8, %5 : i32
    yield %9
  }
  store %0, %6
  return
}
