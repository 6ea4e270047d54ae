; passes: cse
; check-not: %5 = add
kernel @k(%0 out: ptr<i32> mut, %1 a: i32, %2 b: i32) {
  %3 = add %1, %2 : i32
  %4 = add %1, %2 : i32
  %5 = mul %3, %4 : i32
  store %0, %5
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 a: i32, %2 b: i32) {
  %3 = add %1, %2 : i32
  %4 = mul %3, %3 : i32
  store %0, %4
  return
}
