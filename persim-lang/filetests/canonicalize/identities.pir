; passes: canonicalize, dce
; x + 0, x * 1, x - 0.0, cast to the same type, broadcast to the same shape
; vanish; x + 0.0 on floats stays (it turns -0.0 into +0.0).
kernel @k(%0 out: ptr<f32> mut, %1 a: i32, %2 x: f32) {
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = add %1, %3 : i32
  %6 = mul %5, %4 : i32
  %7 = cast %6 {to = i32} : i32
  %8 = cast %7 {to = f32} : f32
  %9 = const {value = 0.0, ty = f32} : f32
  %10 = sub %2, %9 : f32
  %11 = add %10, %9 : f32
  %12 = add %11, %8 : f32
  store %0, %12
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 a: i32, %2 x: f32) {
  %3 = cast %1 {to = f32} : f32
  %4 = const {value = 0.0, ty = f32} : f32
  %5 = add %2, %4 : f32
  %6 = add %5, %3 : f32
  store %0, %6
  return
}
