; passes: prove-masks, canonicalize, dce
; An `assume` inside a branch says nothing about the paths that skip it:
; `n >= 16` is only promised when `c` holds, so the mask after the `if`
; is not decided. (The same `assume` at the top level proves it; see
; assume_bound.pir.)
kernel @k(%0 out: ptr<i32> mut, %1 n: i32, %2 c: i1) {
  %3 = const {value = 16, ty = i32} : i32
  if %2 {
    %4 = cmp %1, %3 {pred = ge} : i1
    assume %4
    yield
  } {
    yield
  }
  %5 = arange {lo = 0, hi = 16} : tile<16xi32>
  %6 = splat %1 {shape = [16]} : tile<16xi32>
  %7 = cmp %5, %6 {pred = lt} : tile<16xi1>
  %8 = splat %0 {shape = [16]} : tile<16xptr<i32>>
  %9 = ptr_add %8, %5 : tile<16xptr<i32>>
  store %9, %5, %7
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 n: i32, %2 c: i1) {
  %3 = const {value = 16, ty = i32} : i32
  if %2 {
    %4 = cmp %1, %3 {pred = ge} : i1
    assume %4
    yield
  } {
    yield
  }
  %5 = arange {lo = 0, hi = 16} : tile<16xi32>
  %6 = splat %1 {shape = [16]} : tile<16xi32>
  %7 = cmp %5, %6 {pred = lt} : tile<16xi1>
  %8 = splat %0 {shape = [16]} : tile<16xptr<i32>>
  %9 = ptr_add %8, %5 : tile<16xptr<i32>>
  store %9, %5, %7
  return
}
