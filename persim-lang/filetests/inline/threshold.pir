; passes: inline
; inline-threshold: 3
; With a threshold of 3 ops, `@small` (2 ops) is inlined and `@big` (5 ops)
; stays a call; `@small` is then dropped, `@big` kept.
; check: call
; check: func @big
; check-not: func @small
kernel @k(%0 out: ptr<i32> mut, %1 a: i32) {
  %2 = call %1 {callee = "small"} : i32
  %3 = call %2 {callee = "big"} : i32
  store %0, %3
  return
}

func @small(%0 x: i32) -> i32 {
  %1 = neg %0 : i32
  return %1
}

func @big(%0 x: i32) -> i32 {
  %1 = mul %0, %0 : i32
  %2 = mul %1, %0 : i32
  %3 = add %2, %1 : i32
  %4 = add %3, %0 : i32
  return %4
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 a: i32) {
  %2 = neg %1 : i32
  %3 = call %2 {callee = "big"} : i32
  store %0, %3
  return
}

func @big(%0 x: i32) -> i32 {
  %1 = mul %0, %0 : i32
  %2 = mul %1, %0 : i32
  %3 = add %2, %1 : i32
  %4 = add %3, %0 : i32
  return %4
}
