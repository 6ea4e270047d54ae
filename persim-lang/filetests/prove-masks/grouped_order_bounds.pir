; passes: prove-masks, canonicalize, dce
; Triton's grouped ordering on a grid of 64 (the simulator's launch fixes
; the grid and assumes `pid < 64`): `pid_m = (pid % 64) % 8` and
; `pid_n = (pid % 64) / 8` lie in [0, 7] (ranges of non-negative `%` and
; `/`), so a 128-row tile at `pid_m * 128` stays below m = 1024 and its
; store mask is provably true.
; check: assume
kernel @k(%0 out: ptr<f32> mut) {
  %1 = program_id {axis = 0} : i32
  %2 = const {value = 64, ty = i32} : i32
  %3 = cmp %1, %2 {pred = lt} : i1
  assume %3
  %4 = rem %1, %2 : i32
  %5 = const {value = 8, ty = i32} : i32
  %6 = rem %4, %5 : i32
  %7 = div %4, %5 : i32
  %8 = add %6, %7 : i32
  %9 = const {value = 128, ty = i32} : i32
  %10 = mul %8, %9 : i32
  %11 = arange {lo = 0, hi = 128} : tile<128xi32>
  %12 = splat %10 {shape = [128]} : tile<128xi32>
  %13 = add %12, %11 : tile<128xi32>
  %14 = const {value = 1920, ty = i32} : i32
  %15 = splat %14 {shape = [128]} : tile<128xi32>
  %16 = cmp %13, %15 {pred = lt} : tile<128xi1>
  %17 = splat %0 {shape = [128]} : tile<128xptr<f32>>
  %18 = ptr_add %17, %13 : tile<128xptr<f32>>
  %19 = const {value = 1.0, ty = f32} : f32
  %20 = splat %19 {shape = [128]} : tile<128xf32>
  store %18, %20, %16
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) {
  %1 = program_id {axis = 0} : i32
  %2 = const {value = 64, ty = i32} : i32
  %3 = cmp %1, %2 {pred = lt} : i1
  assume %3
  %4 = rem %1, %2 : i32
  %5 = const {value = 8, ty = i32} : i32
  %6 = rem %4, %5 : i32
  %7 = div %4, %5 : i32
  %8 = add %6, %7 : i32
  %9 = const {value = 128, ty = i32} : i32
  %10 = mul %8, %9 : i32
  %11 = arange {lo = 0, hi = 128} : tile<128xi32>
  %12 = splat %10 {shape = [128]} : tile<128xi32>
  %13 = add %12, %11 : tile<128xi32>
  %14 = splat %0 {shape = [128]} : tile<128xptr<f32>>
  %15 = ptr_add %14, %13 : tile<128xptr<f32>>
  %16 = const {value = 1.0, ty = f32} : f32
  %17 = splat %16 {shape = [128]} : tile<128xf32>
  store %15, %17
  return
}
