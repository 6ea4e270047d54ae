; passes: prove-masks, canonicalize, dce
; The last chunk of a 1023-element tile is ragged: lanes 1020..1022 are in,
; 1023 is out. The mask stays.
; check: cmp
kernel @k(%0 out: ptr<f32> mut, %1 v: f32) {
  %2 = const {value = 1020, ty = i32} : i32
  %3 = splat %2 {shape = [4]} : tile<4xi32>
  %4 = arange {lo = 0, hi = 4} : tile<4xi32>
  %5 = add %3, %4 : tile<4xi32>
  %6 = const {value = 1023, ty = i32} : i32
  %7 = splat %6 {shape = [4]} : tile<4xi32>
  %8 = cmp %5, %7 {pred = lt} : tile<4xi1>
  %9 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %10 = ptr_add %9, %5 : tile<4xptr<f32>>
  %11 = splat %1 {shape = [4]} : tile<4xf32>
  store %10, %11, %8
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 v: f32) {
  %2 = const {value = 1020, ty = i32} : i32
  %3 = splat %2 {shape = [4]} : tile<4xi32>
  %4 = arange {lo = 0, hi = 4} : tile<4xi32>
  %5 = add %3, %4 : tile<4xi32>
  %6 = const {value = 1023, ty = i32} : i32
  %7 = splat %6 {shape = [4]} : tile<4xi32>
  %8 = cmp %5, %7 {pred = lt} : tile<4xi1>
  %9 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %10 = ptr_add %9, %5 : tile<4xptr<f32>>
  %11 = splat %1 {shape = [4]} : tile<4xf32>
  store %10, %11, %8
  return
}
