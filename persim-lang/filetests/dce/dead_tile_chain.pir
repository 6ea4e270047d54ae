; passes: dce
; A chain of tile ops whose final value is unused disappears in one run.
kernel @k(%0 out: ptr<i32> mut, %1 n: i32) {
  %2 = arange {lo = 0, hi = 16} : tile<16xi32>
  %3 = splat %1 {shape = [16]} : tile<16xi32>
  %4 = add %2, %3 : tile<16xi32>
  %5 = cmp %4, %3 {pred = lt} : tile<16xi1>
  store %0, %1
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 n: i32) {
  store %0, %1
  return
}
