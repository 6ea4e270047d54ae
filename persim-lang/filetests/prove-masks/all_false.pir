; passes: prove-masks, canonicalize, dce
; A chunk entirely past the end: the store goes away and the masked load
; becomes its `other` value.
; check-not: store %1
; check-not: load
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 acc: ptr<f32> mut) {
  %3 = const {value = 1024, ty = i32} : i32
  %4 = splat %3 {shape = [4]} : tile<4xi32>
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  %6 = add %4, %5 : tile<4xi32>
  %7 = const {value = 1000, ty = i32} : i32
  %8 = splat %7 {shape = [4]} : tile<4xi32>
  %9 = cmp %6, %8 {pred = lt} : tile<4xi1>
  %10 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %11 = ptr_add %10, %6 : tile<4xptr<f32>>
  %12 = const {value = 2.5, ty = f32} : f32
  %13 = splat %12 {shape = [4]} : tile<4xf32>
  %14 = load %11, %9, %13 : tile<4xf32>
  %15 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  %16 = ptr_add %15, %6 : tile<4xptr<f32>>
  store %16, %14, %9
  %17 = reduce %14 {kind = sum, axis = 0} : f32
  store %2, %17
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 acc: ptr<f32> mut) {
  %3 = const {value = 2.5, ty = f32} : f32
  %4 = splat %3 {shape = [4]} : tile<4xf32>
  %5 = reduce %4 {kind = sum, axis = 0} : f32
  store %2, %5
  return
}
