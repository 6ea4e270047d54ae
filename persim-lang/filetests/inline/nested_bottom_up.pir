; passes: inline
; Bottom-up: `@outer` calls `@inner` twice and returns two values; `@inner`
; is inlined into `@outer` first, then the result into the kernel, so the
; kernel ends up with both copies and no call.
; check-not: call
kernel @k(%0 out: ptr<i32> mut, %1 a: i32, %2 b: i32) {
  %3, %4 = call %1, %2 {callee = "outer"} : i32, i32
  %5 = sub %3, %4 : i32
  store %0, %5
  return
}

func @outer(%0 a: i32, %1 b: i32) -> (i32, i32) {
  %2 = call %0 {callee = "inner"} : i32
  %3 = call %1 {callee = "inner"} : i32
  return %2, %3
}

func @inner(%0 x: i32) -> i32 {
  %1 = mul %0, %0 : i32
  %2 = const {value = 1, ty = i32} : i32
  %3 = add %1, %2 : i32
  return %3
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 a: i32, %2 b: i32) {
  %3 = mul %1, %1 : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = add %3, %4 : i32
  %6 = mul %2, %2 : i32
  %7 = const {value = 1, ty = i32} : i32
  %8 = add %6, %7 : i32
  %9 = sub %5, %8 : i32
  store %0, %9
  return
}
