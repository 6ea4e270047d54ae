; passes: canonicalize, dce
; Comparisons of constant tiles fold to constant masks, and a select on a
; constant mask picks its arm.
kernel @k(%0 out: ptr<f32> mut, %1 x: f32) {
  %2 = const {value = 3, ty = i32} : i32
  %3 = const {value = 5, ty = i32} : i32
  %4 = splat %2 {shape = [4]} : tile<4xi32>
  %5 = splat %3 {shape = [4]} : tile<4xi32>
  %6 = cmp %4, %5 {pred = lt} : tile<4xi1>
  %7 = splat %1 {shape = [4]} : tile<4xf32>
  %8 = neg %7 : tile<4xf32>
  %9 = select %6, %7, %8 : tile<4xf32>
  %10 = reduce %9 {kind = sum, axis = 0} : f32
  store %0, %10
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 x: f32) {
  %2 = splat %1 {shape = [4]} : tile<4xf32>
  %3 = reduce %2 {kind = sum, axis = 0} : f32
  store %0, %3
  return
}
