; passes: pack-buffers
; `%1` is written before the loop and read at the top of its body; `%2` is
; used later in the body only. In the text their accesses do not overlap,
; but the next iteration reads `%1` again after `%2` was written: `%1` is
; live across the whole loop, so they must not share. `%3`, used after the
; loop, shares with either.
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 192} files ["k.rs"] {
  %2 = alloc {ty = buf<4xf32>, offset = 0} : buf<4xf32> loc(1:1)
  %3 = alloc {ty = buf<4xf32>, offset = 64} : buf<4xf32> loc(2:1)
  %4 = alloc {ty = buf<4xf32>, offset = 128} : buf<4xf32> loc(3:1)
  %5 = const {value = 0, ty = i32} : i32
  %6 = const {value = 1, ty = i32} : i32
  %7 = const {value = 1.0, ty = f32} : f32
  %8 = splat %7 {shape = [4]} : tile<4xf32>
  buf_store %2, %5, %8
  %9 = for %5, %1, %6, %8 : tile<4xf32> {
  ^(%10: i32, %11: tile<4xf32>):
    %12 = buf_load %2, %5 {lanes = 4} : tile<4xf32>
    %13 = add %11, %12 : tile<4xf32>
    buf_store %3, %5, %13
    %14 = buf_load %3, %5 {lanes = 4} : tile<4xf32>
    yield %14
  }
  buf_store %4, %5, %9
  %15 = buf_load %4, %5 {lanes = 4} : tile<4xf32>
  %16 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %17 = arange {lo = 0, hi = 4} : tile<4xi32>
  %18 = ptr_add %16, %17 : tile<4xptr<f32>>
  store %18, %15
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 80} files ["k.rs"] {
  %2 = alloc {ty = buf<4xf32>, offset = 0} : buf<4xf32> loc(1:1)
  %3 = alloc {ty = buf<4xf32>, offset = 64} : buf<4xf32> loc(2:1)
  %4 = alloc {ty = buf<4xf32>, offset = 0} : buf<4xf32> loc(3:1)
  %5 = const {value = 0, ty = i32} : i32
  %6 = const {value = 1, ty = i32} : i32
  %7 = const {value = 1.0, ty = f32} : f32
  %8 = splat %7 {shape = [4]} : tile<4xf32>
  buf_store %2, %5, %8
  %9 = for %5, %1, %6, %8 : tile<4xf32> {
  ^(%10: i32, %11: tile<4xf32>):
    %12 = buf_load %2, %5 {lanes = 4} : tile<4xf32>
    %13 = add %11, %12 : tile<4xf32>
    buf_store %3, %5, %13
    %14 = buf_load %3, %5 {lanes = 4} : tile<4xf32>
    yield %14
  }
  buf_store %4, %5, %9
  %15 = buf_load %4, %5 {lanes = 4} : tile<4xf32>
  %16 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %17 = arange {lo = 0, hi = 4} : tile<4xi32>
  %18 = ptr_add %16, %17 : tile<4xptr<f32>>
  store %18, %15
  return
}
