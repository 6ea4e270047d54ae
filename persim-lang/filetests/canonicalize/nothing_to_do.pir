; passes: canonicalize
; Runtime values only: unchanged.
kernel @k(%0 out: ptr<i32> mut, %1 a: i32, %2 b: i32) {
  %3 = add %1, %2 : i32
  %4 = div %3, %2 : i32
  %5 = cmp %4, %1 {pred = gt} : i1
  %6 = select %5, %3, %4 : i32
  store %0, %6
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 a: i32, %2 b: i32) {
  %3 = add %1, %2 : i32
  %4 = div %3, %2 : i32
  %5 = cmp %4, %1 {pred = gt} : i1
  %6 = select %5, %3, %4 : i32
  store %0, %6
  return
}
