; passes: prove-masks, canonicalize, dce
; `offs < n` with a runtime `n` cannot be decided: unchanged.
kernel @k(%0 out: ptr<i32> mut, %1 n: i32) {
  %2 = program_id {axis = 0} : i32
  %3 = const {value = 4, ty = i32} : i32
  %4 = mul %2, %3 : i32
  %5 = splat %4 {shape = [4]} : tile<4xi32>
  %6 = arange {lo = 0, hi = 4} : tile<4xi32>
  %7 = add %5, %6 : tile<4xi32>
  %8 = splat %1 {shape = [4]} : tile<4xi32>
  %9 = cmp %7, %8 {pred = lt} : tile<4xi1>
  %10 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %11 = ptr_add %10, %7 : tile<4xptr<i32>>
  store %11, %7, %9
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 n: i32) {
  %2 = program_id {axis = 0} : i32
  %3 = const {value = 4, ty = i32} : i32
  %4 = mul %2, %3 : i32
  %5 = splat %4 {shape = [4]} : tile<4xi32>
  %6 = arange {lo = 0, hi = 4} : tile<4xi32>
  %7 = add %5, %6 : tile<4xi32>
  %8 = splat %1 {shape = [4]} : tile<4xi32>
  %9 = cmp %7, %8 {pred = lt} : tile<4xi1>
  %10 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %11 = ptr_add %10, %7 : tile<4xptr<i32>>
  store %11, %7, %9
  return
}
