; passes: dce
; check-not: if
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) {
  %2 = const {value = 0, ty = i32} : i32
  %3 = cmp %1, %2 {pred = gt} : i1
  %4 = if %3 : f32 {
    %5 = const {value = 1.0, ty = f32} : f32
    yield %5
  } {
    %6 = const {value = 2.0, ty = f32} : f32
    yield %6
  }
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) {
  return
}
