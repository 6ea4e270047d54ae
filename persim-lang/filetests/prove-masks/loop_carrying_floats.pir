; passes: prove-masks, canonicalize, dce
; A loop whose first carried value is a float tile (a matmul accumulator)
; still bounds its induction variable: `k_left = 64 - kb * 16` for kb in
; [0, 3] is at least 16, so the 16-lane mask `arange < k_left` is true.
; check: for
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 4, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = const {value = 0.0, ty = f32} : f32
  %6 = splat %5 {shape = [16]} : tile<16xf32>
  %7 = arange {lo = 0, hi = 16} : tile<16xi32>
  %8 = const {value = 16, ty = i32} : i32
  %9 = const {value = 64, ty = i32} : i32
  %10 = for %2, %3, %4, %6 : tile<16xf32> {
  ^(%11: i32, %12: tile<16xf32>):
    %13 = mul %11, %8 : i32
    %14 = sub %9, %13 : i32
    %15 = splat %14 {shape = [16]} : tile<16xi32>
    %16 = cmp %7, %15 {pred = lt} : tile<16xi1>
    %17 = splat %13 {shape = [16]} : tile<16xi32>
    %18 = add %17, %7 : tile<16xi32>
    %19 = splat %0 {shape = [16]} : tile<16xptr<f32>>
    %20 = ptr_add %19, %18 : tile<16xptr<f32>>
    %21 = load %20, %16, %6 : tile<16xf32>
    %22 = add %12, %21 : tile<16xf32>
    yield %22
  }
  %23 = splat %1 {shape = [16]} : tile<16xptr<f32>>
  %24 = ptr_add %23, %7 : tile<16xptr<f32>>
  store %24, %10
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 4, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = const {value = 0.0, ty = f32} : f32
  %6 = splat %5 {shape = [16]} : tile<16xf32>
  %7 = arange {lo = 0, hi = 16} : tile<16xi32>
  %8 = const {value = 16, ty = i32} : i32
  %9 = for %2, %3, %4, %6 : tile<16xf32> {
  ^(%10: i32, %11: tile<16xf32>):
    %12 = mul %10, %8 : i32
    %13 = splat %12 {shape = [16]} : tile<16xi32>
    %14 = add %13, %7 : tile<16xi32>
    %15 = splat %0 {shape = [16]} : tile<16xptr<f32>>
    %16 = ptr_add %15, %14 : tile<16xptr<f32>>
    %17 = load %16 : tile<16xf32>
    %18 = add %11, %17 : tile<16xf32>
    yield %18
  }
  %19 = splat %1 {shape = [16]} : tile<16xptr<f32>>
  %20 = ptr_add %19, %7 : tile<16xptr<f32>>
  store %20, %9
  return
}
