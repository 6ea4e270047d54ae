; passes: cse
; Values of one branch are not visible in the other or after the `if`:
; the two `mul`s stay, and so does the one after the `if`.
kernel @k(%0 out: ptr<i32> mut, %1 a: i32, %2 c: i1) {
  %3 = if %2 : i32 {
    %4 = mul %1, %1 : i32
    yield %4
  } {
    %5 = mul %1, %1 : i32
    yield %5
  }
  %6 = mul %1, %1 : i32
  %7 = add %3, %6 : i32
  store %0, %7
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 a: i32, %2 c: i1) {
  %3 = if %2 : i32 {
    %4 = mul %1, %1 : i32
    yield %4
  } {
    %5 = mul %1, %1 : i32
    yield %5
  }
  %6 = mul %1, %1 : i32
  %7 = add %3, %6 : i32
  store %0, %7
  return
}
