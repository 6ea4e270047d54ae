; passes: inline
; A scalar device function called once: its body replaces the call, its
; parameters become the call's operands, its `return` operand the call's
; result; the function is dropped once nothing calls it.
; check-not: call
; check-not: func
kernel @k(%0 out: ptr<f32> mut, %1 x: f32) {
  %2 = call %1 {callee = "twice"} : f32
  store %0, %2
  return
}

func @twice(%0 x: f32) -> f32 {
  %1 = add %0, %0 : f32
  return %1
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 x: f32) {
  %2 = add %1, %1 : f32
  store %0, %2
  return
}
