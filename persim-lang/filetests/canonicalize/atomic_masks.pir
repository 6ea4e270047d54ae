; passes: canonicalize, dce
; Constant masks on atomics: all-true drops the mask, all-false removes the
; access and yields zeros.
kernel @k(%0 counts: ptr<f32> mut, %1 out: ptr<f32> mut) {
  %2 = arange {lo = 0, hi = 4} : tile<4xi32>
  %3 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %4 = ptr_add %3, %2 : tile<4xptr<f32>>
  %5 = const {value = 1.5, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  %7 = const {value = true, ty = i1} : i1
  %8 = splat %7 {shape = [4]} : tile<4xi1>
  %9 = atomic_max %4, %6, %8 {arg = 0} : tile<4xf32>
  %10 = const {value = false, ty = i1} : i1
  %11 = splat %10 {shape = [4]} : tile<4xi1>
  %12 = atomic_cas %4, %6, %9, %11 {arg = 0} : tile<4xf32>
  %13 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  %14 = ptr_add %13, %2 : tile<4xptr<f32>>
  store %14, %12 {arg = 1}
  return
}
; expect:
kernel @k(%0 counts: ptr<f32> mut, %1 out: ptr<f32> mut) {
  %2 = arange {lo = 0, hi = 4} : tile<4xi32>
  %3 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %4 = ptr_add %3, %2 : tile<4xptr<f32>>
  %5 = const {value = 1.5, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  %7 = atomic_max %4, %6 {arg = 0} : tile<4xf32>
  %8 = const {value = 0.0, ty = f32} : f32
  %9 = splat %8 {shape = [4]} : tile<4xf32>
  %10 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  %11 = ptr_add %10, %2 : tile<4xptr<f32>>
  store %11, %9 {arg = 1}
  return
}
