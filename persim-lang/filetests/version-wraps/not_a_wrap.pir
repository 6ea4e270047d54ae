; passes: version-wraps
; target: affine
; Remainders that are not `(splat + arange) % splat` stay as they are: a
; remainder of a loaded tile, and one by a tile that is not a splat.
kernel @other(%0 x: ptr<i32>, %1 out: ptr<i32> mut, %2 m: i32) {
  %3 = arange {lo = 0, hi = 16} : tile<16xi32>
  %4 = splat %0 {shape = [16]} : tile<16xptr<i32>>
  %5 = ptr_add %4, %3 : tile<16xptr<i32>>
  %6 = load %5 : tile<16xi32>
  %7 = splat %2 {shape = [16]} : tile<16xi32>
  %8 = rem %6, %7 : tile<16xi32>
  %9 = rem %3, %6 : tile<16xi32>
  %10 = add %8, %9 : tile<16xi32>
  %11 = splat %1 {shape = [16]} : tile<16xptr<i32>>
  %12 = ptr_add %11, %3 : tile<16xptr<i32>>
  store %12, %10
  return
}
; expect:
kernel @other(%0 x: ptr<i32>, %1 out: ptr<i32> mut, %2 m: i32) {
  %3 = arange {lo = 0, hi = 16} : tile<16xi32>
  %4 = splat %0 {shape = [16]} : tile<16xptr<i32>>
  %5 = ptr_add %4, %3 : tile<16xptr<i32>>
  %6 = load %5 : tile<16xi32>
  %7 = splat %2 {shape = [16]} : tile<16xi32>
  %8 = rem %6, %7 : tile<16xi32>
  %9 = rem %3, %6 : tile<16xi32>
  %10 = add %8, %9 : tile<16xi32>
  %11 = splat %1 {shape = [16]} : tile<16xptr<i32>>
  %12 = ptr_add %11, %3 : tile<16xptr<i32>>
  store %12, %10
  return
}
