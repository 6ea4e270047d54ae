; passes: licm
; The invariant chain (splat, mul) moves out; ops using the induction
; variable stay.
kernel @k(%0 out: ptr<i32> mut, %1 a: i32, %2 n: i32) {
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  %6 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %7 = for %3, %2, %4, %3 : i32 {
  ^(%8: i32, %9: i32):
    %10 = splat %1 {shape = [4]} : tile<4xi32>
    %11 = mul %10, %5 : tile<4xi32>
    %12 = splat %8 {shape = [4]} : tile<4xi32>
    %13 = add %11, %12 : tile<4xi32>
    %14 = ptr_add %6, %13 : tile<4xptr<i32>>
    store %14, %11
    yield %9
  }
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 a: i32, %2 n: i32) {
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  %6 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %7 = splat %1 {shape = [4]} : tile<4xi32>
  %8 = mul %7, %5 : tile<4xi32>
  %9 = for %3, %2, %4, %3 : i32 {
  ^(%10: i32, %11: i32):
    %12 = splat %10 {shape = [4]} : tile<4xi32>
    %13 = add %8, %12 : tile<4xi32>
    %14 = ptr_add %6, %13 : tile<4xptr<i32>>
    store %14, %8
    yield %11
  }
  return
}
