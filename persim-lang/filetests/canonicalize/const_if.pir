; passes: canonicalize, dce
; check-not: if
kernel @k(%0 out: ptr<i32> mut, %1 a: i32) {
  %2 = const {value = true, ty = i1} : i1
  %3 = if %2 : i32 {
    %4 = mul %1, %1 : i32
    yield %4
  } {
    yield %1
  }
  store %0, %3
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 a: i32) {
  %2 = mul %1, %1 : i32
  store %0, %2
  return
}
