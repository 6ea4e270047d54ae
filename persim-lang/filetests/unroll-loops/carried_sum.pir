; passes: unroll-loops
; target: vliw
; A reduction over 8 vectors (trip count 8): unrolled 4 times, the loop
; steps by 16; copy j reads at `iv + 4j` and adds to what copy j-1 yields,
; so the sum is taken in the same order as before.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 128} {
  %1 = alloc {ty = buf<32xf32>, offset = 0} : buf<32xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 32, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 0.0, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  %7 = for %2, %3, %4, %6 : tile<4xf32> {
  ^(%8: i32, %9: tile<4xf32>):
    %10 = buf_load %1, %8 {lanes = 4} : tile<4xf32>
    %11 = add %9, %10 : tile<4xf32>
    yield %11
  }
  %12 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  store %12, %7 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 128} {
  %1 = alloc {ty = buf<32xf32>, offset = 0} : buf<32xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 32, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 0.0, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  %7 = const {value = 16, ty = i32} : i32
  %8 = for %2, %3, %7, %6 {unrolled = 4} : tile<4xf32> {
  ^(%9: i32, %10: tile<4xf32>):
    %11 = buf_load %1, %9 {lanes = 4} : tile<4xf32>
    %12 = add %10, %11 : tile<4xf32>
    %13 = const {value = 4, ty = i32} : i32
    %14 = add %9, %13 : i32
    %15 = buf_load %1, %14 {lanes = 4} : tile<4xf32>
    %16 = add %12, %15 : tile<4xf32>
    %17 = const {value = 8, ty = i32} : i32
    %18 = add %9, %17 : i32
    %19 = buf_load %1, %18 {lanes = 4} : tile<4xf32>
    %20 = add %16, %19 : tile<4xf32>
    %21 = const {value = 12, ty = i32} : i32
    %22 = add %9, %21 : i32
    %23 = buf_load %1, %22 {lanes = 4} : tile<4xf32>
    %24 = add %20, %23 : tile<4xf32>
    yield %24
  }
  %25 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  store %25, %8 {arg = 0}
  return
}
