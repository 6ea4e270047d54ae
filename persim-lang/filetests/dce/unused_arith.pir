; passes: dce
; check-not: mul
kernel @k(%0 x: ptr<f32> mut, %1 n: i32) {
  %2 = const {value = 2, ty = i32} : i32
  %3 = mul %1, %2 : i32
  %4 = add %3, %2 : i32
  %5 = load %0 : f32
  store %0, %5
  return
}
; expect:
kernel @k(%0 x: ptr<f32> mut, %1 n: i32) {
  %2 = load %0 : f32
  store %0, %2
  return
}
