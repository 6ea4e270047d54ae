; passes: canonicalize, dce
; check-not: mul
kernel @k(%0 out: ptr<i32> mut) {
  %1 = const {value = 6, ty = i32} : i32
  %2 = const {value = 7, ty = i32} : i32
  %3 = mul %1, %2 : i32
  %4 = const {value = -7, ty = i32} : i32
  %5 = div %3, %4 : i32
  %6 = rem %3, %4 : i32
  %7 = add %5, %6 : i32
  store %0, %7
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut) {
  %1 = const {value = -6, ty = i32} : i32
  store %0, %1
  return
}
