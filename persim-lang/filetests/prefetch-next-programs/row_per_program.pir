; passes: prefetch-next-programs
; target: prefetch
; A row per program: the row load gets a prefetch of the row two programs
; on (the address computation cloned with `program_id + 2`); the store
; (outside every loop: it ends the program) and the loads that do not
; depend on the program (`w`) get none.
kernel @scale_rows(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 w: ptr<f32>, %3 n: i32) {
  %4 = program_id {axis = 0} : i32
  %5 = mul %4, %3 : i32
  %6 = ptr_add %1, %5 : ptr<f32>
  %7 = arange {lo = 0, hi = 16} : tile<16xi32>
  %8 = splat %6 {shape = [16]} : tile<16xptr<f32>>
  %9 = ptr_add %8, %7 : tile<16xptr<f32>>
  %10 = load %9 {arg = 1} : tile<16xf32>
  %11 = splat %2 {shape = [16]} : tile<16xptr<f32>>
  %12 = ptr_add %11, %7 : tile<16xptr<f32>>
  %13 = load %12 {arg = 2} : tile<16xf32>
  %14 = mul %10, %13 : tile<16xf32>
  %15 = ptr_add %0, %5 : ptr<f32>
  %16 = splat %15 {shape = [16]} : tile<16xptr<f32>>
  %17 = ptr_add %16, %7 : tile<16xptr<f32>>
  store %17, %14 {arg = 0}
  return
}
; expect:
kernel @scale_rows(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 w: ptr<f32>, %3 n: i32) {
  %4 = program_id {axis = 0} : i32
  %5 = const {value = 2, ty = i32} : i32
  %6 = add %4, %5 : i32
  %7 = mul %4, %3 : i32
  %8 = ptr_add %1, %7 : ptr<f32>
  %9 = arange {lo = 0, hi = 16} : tile<16xi32>
  %10 = splat %8 {shape = [16]} : tile<16xptr<f32>>
  %11 = ptr_add %10, %9 : tile<16xptr<f32>>
  %12 = mul %6, %3 : i32
  %13 = ptr_add %1, %12 : ptr<f32>
  %14 = splat %13 {shape = [16]} : tile<16xptr<f32>>
  %15 = ptr_add %14, %9 : tile<16xptr<f32>>
  prefetch %15
  %16 = load %11 {arg = 1} : tile<16xf32>
  %17 = splat %2 {shape = [16]} : tile<16xptr<f32>>
  %18 = ptr_add %17, %9 : tile<16xptr<f32>>
  %19 = load %18 {arg = 2} : tile<16xf32>
  %20 = mul %16, %19 : tile<16xf32>
  %21 = ptr_add %0, %7 : ptr<f32>
  %22 = splat %21 {shape = [16]} : tile<16xptr<f32>>
  %23 = ptr_add %22, %9 : tile<16xptr<f32>>
  store %23, %20 {arg = 0}
  return
}
