; passes: dce
; Loads have no side effects: an unused one is removed.
; check-not: load
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) {
  %2 = load %0 : f32
  %3 = const {value = 1.0, ty = f32} : f32
  store %1, %3
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) {
  %2 = const {value = 1.0, ty = f32} : f32
  store %1, %2
  return
}
