; passes: prove-masks, canonicalize, dce
; `assume(n > 0)` and `m = multiple_of(n, 16)` together give `m >= 16`, so
; the mask `arange(0, 16) < m` of the first 16 elements is provably true
; (neither hint alone proves it: `n > 0` allows 1, `multiple_of` allows 0).
; The mask of the next 16 elements, `16 + arange(0, 16) < m`, is not
; decided (`m` may be 16) and stays.
kernel @k(%0 out: ptr<i32> mut, %1 n: i32) {
  %2 = const {value = 0, ty = i32} : i32
  %3 = cmp %1, %2 {pred = gt} : i1
  assume %3
  %4 = multiple_of %1 {divisor = 16} : i32
  %5 = splat %4 {shape = [16]} : tile<16xi32>
  %6 = arange {lo = 0, hi = 16} : tile<16xi32>
  %7 = cmp %6, %5 {pred = lt} : tile<16xi1>
  %8 = splat %0 {shape = [16]} : tile<16xptr<i32>>
  %9 = ptr_add %8, %6 : tile<16xptr<i32>>
  store %9, %6, %7
  %10 = arange {lo = 16, hi = 32} : tile<16xi32>
  %11 = cmp %10, %5 {pred = lt} : tile<16xi1>
  %12 = ptr_add %8, %10 : tile<16xptr<i32>>
  store %12, %10, %11
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 n: i32) {
  %2 = const {value = 0, ty = i32} : i32
  %3 = cmp %1, %2 {pred = gt} : i1
  assume %3
  %4 = multiple_of %1 {divisor = 16} : i32
  %5 = splat %4 {shape = [16]} : tile<16xi32>
  %6 = arange {lo = 0, hi = 16} : tile<16xi32>
  %7 = splat %0 {shape = [16]} : tile<16xptr<i32>>
  %8 = ptr_add %7, %6 : tile<16xptr<i32>>
  store %8, %6
  %9 = arange {lo = 16, hi = 32} : tile<16xi32>
  %10 = cmp %9, %5 {pred = lt} : tile<16xi1>
  %11 = ptr_add %7, %9 : tile<16xptr<i32>>
  store %11, %9, %10
  return
}
