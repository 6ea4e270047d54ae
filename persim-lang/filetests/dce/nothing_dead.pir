; passes: dce
; Everything contributes to a store: unchanged.
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 n: i32) {
  %3 = program_id {axis = 0} : i32
  %4 = arange {lo = 0, hi = 8} : tile<8xi32>
  %5 = splat %3 {shape = [8]} : tile<8xi32>
  %6 = add %4, %5 : tile<8xi32>
  %7 = splat %2 {shape = [8]} : tile<8xi32>
  %8 = cmp %6, %7 {pred = lt} : tile<8xi1>
  %9 = splat %0 {shape = [8]} : tile<8xptr<f32>>
  %10 = ptr_add %9, %6 : tile<8xptr<f32>>
  %11 = load %10, %8 : tile<8xf32>
  %12 = splat %1 {shape = [8]} : tile<8xptr<f32>>
  %13 = ptr_add %12, %6 : tile<8xptr<f32>>
  store %13, %11, %8
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 n: i32) {
  %3 = program_id {axis = 0} : i32
  %4 = arange {lo = 0, hi = 8} : tile<8xi32>
  %5 = splat %3 {shape = [8]} : tile<8xi32>
  %6 = add %4, %5 : tile<8xi32>
  %7 = splat %2 {shape = [8]} : tile<8xi32>
  %8 = cmp %6, %7 {pred = lt} : tile<8xi1>
  %9 = splat %0 {shape = [8]} : tile<8xptr<f32>>
  %10 = ptr_add %9, %6 : tile<8xptr<f32>>
  %11 = load %10, %8 : tile<8xf32>
  %12 = splat %1 {shape = [8]} : tile<8xptr<f32>>
  %13 = ptr_add %12, %6 : tile<8xptr<f32>>
  store %13, %11, %8
  return
}
