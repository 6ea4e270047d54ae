; passes: prove-masks, canonicalize, dce
; In `for i in 0..4`, `i * 4 + arange(0, 4) < 16` holds for every lane.
; check-not: cmp
kernel @k(%0 out: ptr<i32> mut) {
  %1 = const {value = 0, ty = i32} : i32
  %2 = const {value = 1, ty = i32} : i32
  %3 = const {value = 4, ty = i32} : i32
  %4 = const {value = 16, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  %6 = splat %4 {shape = [4]} : tile<4xi32>
  %7 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %8 = for %1, %3, %2, %1 : i32 {
  ^(%9: i32, %10: i32):
    %11 = mul %9, %3 : i32
    %12 = splat %11 {shape = [4]} : tile<4xi32>
    %13 = add %12, %5 : tile<4xi32>
    %14 = cmp %13, %6 {pred = lt} : tile<4xi1>
    %15 = ptr_add %7, %13 : tile<4xptr<i32>>
    store %15, %13, %14
    yield %10
  }
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut) {
  %1 = const {value = 0, ty = i32} : i32
  %2 = const {value = 1, ty = i32} : i32
  %3 = const {value = 4, ty = i32} : i32
  %4 = arange {lo = 0, hi = 4} : tile<4xi32>
  %5 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %6 = for %1, %3, %2, %1 : i32 {
  ^(%7: i32, %8: i32):
    %9 = mul %7, %3 : i32
    %10 = splat %9 {shape = [4]} : tile<4xi32>
    %11 = add %10, %4 : tile<4xi32>
    %12 = ptr_add %5, %11 : tile<4xptr<i32>>
    store %12, %11
    yield %8
  }
  return
}
