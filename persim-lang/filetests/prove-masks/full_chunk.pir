; passes: prove-masks, canonicalize, dce
; A lowered chunk starting at 1020 of a 1024-element tile: the lane-valid
; mask is provably true, so the load loses its mask.
; check-not: cmp
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) {
  %2 = const {value = 1020, ty = i32} : i32
  %3 = splat %2 {shape = [4]} : tile<4xi32>
  %4 = arange {lo = 0, hi = 4} : tile<4xi32>
  %5 = add %3, %4 : tile<4xi32>
  %6 = const {value = 1024, ty = i32} : i32
  %7 = splat %6 {shape = [4]} : tile<4xi32>
  %8 = cmp %5, %7 {pred = lt} : tile<4xi1>
  %9 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %10 = ptr_add %9, %5 : tile<4xptr<f32>>
  %11 = load %10, %8 : tile<4xf32>
  %12 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  %13 = ptr_add %12, %5 : tile<4xptr<f32>>
  store %13, %11, %8
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) {
  %2 = const {value = 1020, ty = i32} : i32
  %3 = splat %2 {shape = [4]} : tile<4xi32>
  %4 = arange {lo = 0, hi = 4} : tile<4xi32>
  %5 = add %3, %4 : tile<4xi32>
  %6 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %7 = ptr_add %6, %5 : tile<4xptr<f32>>
  %8 = load %7 : tile<4xf32>
  %9 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  %10 = ptr_add %9, %5 : tile<4xptr<f32>>
  store %10, %8
  return
}
