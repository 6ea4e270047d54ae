; passes: licm
; An op invariant in both loops climbs out of both.
kernel @k(%0 out: ptr<i32> mut, %1 a: i32, %2 n: i32) {
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = for %3, %2, %4, %3 : i32 {
  ^(%6: i32, %7: i32):
    %8 = for %3, %2, %4, %7 : i32 {
    ^(%9: i32, %10: i32):
      %11 = mul %1, %1 : i32
      %12 = add %6, %1 : i32
      %13 = add %10, %11 : i32
      %14 = add %13, %12 : i32
      yield %14
    }
    yield %8
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
    %9 = add %7, %1 : i32
    %10 = for %3, %2, %4, %8 : i32 {
    ^(%11: i32, %12: i32):
      %13 = add %12, %5 : i32
      %14 = add %13, %9 : i32
      yield %14
    }
    yield %10
  }
  store %0, %6
  return
}
