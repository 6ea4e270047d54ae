; passes: prove-masks, canonicalize, dce
; `assume(n >= 1024)` bounds `n`, so the user mask `offs < n` of a
; 1024-element tile is provably true: the load and store lose it. Without
; the `assume` the mask stays (see runtime_bound_kept.pir). The assumed
; comparison itself is kept, so later passes still know the fact.
; check: assume
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 n: i32) {
  %3 = const {value = 1024, ty = i32} : i32
  %4 = cmp %2, %3 {pred = ge} : i1
  assume %4
  %5 = arange {lo = 0, hi = 1024} : tile<1024xi32>
  %6 = splat %2 {shape = [1024]} : tile<1024xi32>
  %7 = cmp %5, %6 {pred = lt} : tile<1024xi1>
  %8 = splat %0 {shape = [1024]} : tile<1024xptr<f32>>
  %9 = ptr_add %8, %5 : tile<1024xptr<f32>>
  %10 = load %9, %7 : tile<1024xf32>
  %11 = splat %1 {shape = [1024]} : tile<1024xptr<f32>>
  %12 = ptr_add %11, %5 : tile<1024xptr<f32>>
  store %12, %10, %7
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 n: i32) {
  %3 = const {value = 1024, ty = i32} : i32
  %4 = cmp %2, %3 {pred = ge} : i1
  assume %4
  %5 = arange {lo = 0, hi = 1024} : tile<1024xi32>
  %6 = splat %0 {shape = [1024]} : tile<1024xptr<f32>>
  %7 = ptr_add %6, %5 : tile<1024xptr<f32>>
  %8 = load %7 : tile<1024xf32>
  %9 = splat %1 {shape = [1024]} : tile<1024xptr<f32>>
  %10 = ptr_add %9, %5 : tile<1024xptr<f32>>
  store %10, %8
  return
}
