; passes: pack-buffers
; One buffer per branch of an `if`, plus `%2`, read in both branches and
; after the `if`: the branch buffers share bytes with each other, not with
; `%2`.
kernel @k(%0 out: ptr<f32> mut, %1 c: i1) attrs {lanes = 4, local_mem = 384} files ["k.rs"] {
  %2 = alloc {ty = buf<8xf32>, offset = 0} : buf<8xf32> loc(1:1)
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 3.0, ty = f32} : f32
  %5 = splat %4 {shape = [4]} : tile<4xf32>
  buf_store %2, %3, %5
  %6 = if %1 : tile<4xf32> {
    %7 = alloc {ty = buf<16xf32>, offset = 64} : buf<16xf32> loc(2:1)
    %8 = buf_load %2, %3 {lanes = 4} : tile<4xf32>
    buf_store %7, %3, %8
    %9 = buf_load %7, %3 {lanes = 4} : tile<4xf32>
    yield %9
  } {
    %10 = alloc {ty = buf<32xf32>, offset = 128} : buf<32xf32> loc(3:1)
    %11 = buf_load %2, %3 {lanes = 4} : tile<4xf32>
    %12 = neg %11 : tile<4xf32>
    buf_store %10, %3, %12
    %13 = buf_load %10, %3 {lanes = 4} : tile<4xf32>
    yield %13
  }
  %14 = buf_load %2, %3 {lanes = 4} : tile<4xf32>
  %15 = add %6, %14 : tile<4xf32>
  %16 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %17 = arange {lo = 0, hi = 4} : tile<4xi32>
  %18 = ptr_add %16, %17 : tile<4xptr<f32>>
  store %18, %15
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 c: i1) attrs {lanes = 4, local_mem = 160} files ["k.rs"] {
  %2 = alloc {ty = buf<8xf32>, offset = 128} : buf<8xf32> loc(1:1)
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 3.0, ty = f32} : f32
  %5 = splat %4 {shape = [4]} : tile<4xf32>
  buf_store %2, %3, %5
  %6 = if %1 : tile<4xf32> {
    %7 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32> loc(2:1)
    %8 = buf_load %2, %3 {lanes = 4} : tile<4xf32>
    buf_store %7, %3, %8
    %9 = buf_load %7, %3 {lanes = 4} : tile<4xf32>
    yield %9
  } {
    %10 = alloc {ty = buf<32xf32>, offset = 0} : buf<32xf32> loc(3:1)
    %11 = buf_load %2, %3 {lanes = 4} : tile<4xf32>
    %12 = neg %11 : tile<4xf32>
    buf_store %10, %3, %12
    %13 = buf_load %10, %3 {lanes = 4} : tile<4xf32>
    yield %13
  }
  %14 = buf_load %2, %3 {lanes = 4} : tile<4xf32>
  %15 = add %6, %14 : tile<4xf32>
  %16 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %17 = arange {lo = 0, hi = 4} : tile<4xi32>
  %18 = ptr_add %16, %17 : tile<4xptr<f32>>
  store %18, %15
  return
}
