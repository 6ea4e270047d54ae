; passes: version-wraps
; target: affine
; Triton's `(pid * BLOCK + arange(0, BLOCK)) % m` keeps a gather in bounds;
; the kernel is split after the remainder: when `0 <= s + lo` and
; `s + hi <= m` (and `s + hi` cannot overflow) the rest runs with the
; remainder replaced by its dividend (affine), else as written.
kernel @gather(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 m: i32) {
  %3 = program_id {axis = 0} : i32
  %4 = const {value = 16, ty = i32} : i32
  %5 = mul %3, %4 : i32
  %6 = arange {lo = 0, hi = 16} : tile<16xi32>
  %7 = splat %5 {shape = [16]} : tile<16xi32>
  %8 = add %7, %6 : tile<16xi32>
  %9 = splat %2 {shape = [16]} : tile<16xi32>
  %10 = rem %8, %9 : tile<16xi32>
  %11 = splat %0 {shape = [16]} : tile<16xptr<f32>>
  %12 = ptr_add %11, %10 : tile<16xptr<f32>>
  %13 = load %12 : tile<16xf32>
  %14 = splat %1 {shape = [16]} : tile<16xptr<f32>>
  %15 = ptr_add %14, %8 : tile<16xptr<f32>>
  store %15, %13
  return
}
; expect:
kernel @gather(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 m: i32) {
  %3 = program_id {axis = 0} : i32
  %4 = const {value = 16, ty = i32} : i32
  %5 = mul %3, %4 : i32
  %6 = arange {lo = 0, hi = 16} : tile<16xi32>
  %7 = splat %5 {shape = [16]} : tile<16xi32>
  %8 = add %7, %6 : tile<16xi32>
  %9 = splat %2 {shape = [16]} : tile<16xi32>
  %10 = const {value = 0, ty = i32} : i32
  %11 = add %5, %10 : i32
  %12 = const {value = 0, ty = i32} : i32
  %13 = const {value = 16, ty = i32} : i32
  %14 = add %5, %13 : i32
  %15 = const {value = 2147483631, ty = i32} : i32
  %16 = cmp %5, %15 {pred = le} : i1
  %17 = cmp %11, %12 {pred = ge} : i1
  %18 = cmp %14, %2 {pred = le} : i1
  %19 = and %17, %18 : i1
  %20 = and %19, %16 : i1
  if %20 {
    %21 = splat %0 {shape = [16]} : tile<16xptr<f32>>
    %22 = ptr_add %21, %8 : tile<16xptr<f32>>
    %23 = load %22 : tile<16xf32>
    %24 = splat %1 {shape = [16]} : tile<16xptr<f32>>
    %25 = ptr_add %24, %8 : tile<16xptr<f32>>
    store %25, %23
    yield
  } {
    %26 = rem %8, %9 : tile<16xi32>
    %27 = splat %0 {shape = [16]} : tile<16xptr<f32>>
    %28 = ptr_add %27, %26 : tile<16xptr<f32>>
    %29 = load %28 : tile<16xf32>
    %30 = splat %1 {shape = [16]} : tile<16xptr<f32>>
    %31 = ptr_add %30, %8 : tile<16xptr<f32>>
    store %31, %29
    yield
  }
  return
}
