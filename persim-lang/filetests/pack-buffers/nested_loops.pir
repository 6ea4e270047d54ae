; passes: pack-buffers
; `%2`, made at the top of the function and read in the inner loop, is live
; across the whole outer loop. `%11` and `%16` are made in the outer loop's
; body, so they hold one iteration's values: `%11` is used in the inner
; loop only (live across it), `%16` after it, and the two share bytes, but
; not those of `%2`.
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 192} files ["k.rs"] {
  %2 = alloc {ty = buf<4xf32>, offset = 0} : buf<4xf32> loc(1:1)
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = const {value = 2.0, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  buf_store %2, %3, %6
  %7 = for %3, %1, %4, %6 : tile<4xf32> {
  ^(%8: i32, %9: tile<4xf32>):
    %11 = alloc {ty = buf<4xf32>, offset = 64} : buf<4xf32> loc(2:1)
    %16 = alloc {ty = buf<4xf32>, offset = 128} : buf<4xf32> loc(3:1)
    %10 = for %3, %1, %4, %9 : tile<4xf32> {
    ^(%12: i32, %13: tile<4xf32>):
      %14 = buf_load %2, %3 {lanes = 4} : tile<4xf32>
      buf_store %11, %3, %13
      %15 = buf_load %11, %3 {lanes = 4} : tile<4xf32>
      %17 = mul %14, %15 : tile<4xf32>
      yield %17
    }
    buf_store %16, %3, %10
    %18 = buf_load %16, %3 {lanes = 4} : tile<4xf32>
    yield %18
  }
  %19 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %20 = arange {lo = 0, hi = 4} : tile<4xi32>
  %21 = ptr_add %19, %20 : tile<4xptr<f32>>
  store %21, %7
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 80} files ["k.rs"] {
  %2 = alloc {ty = buf<4xf32>, offset = 0} : buf<4xf32> loc(1:1)
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = const {value = 2.0, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  buf_store %2, %3, %6
  %7 = for %3, %1, %4, %6 : tile<4xf32> {
  ^(%8: i32, %9: tile<4xf32>):
    %10 = alloc {ty = buf<4xf32>, offset = 64} : buf<4xf32> loc(2:1)
    %11 = alloc {ty = buf<4xf32>, offset = 64} : buf<4xf32> loc(3:1)
    %12 = for %3, %1, %4, %9 : tile<4xf32> {
    ^(%13: i32, %14: tile<4xf32>):
      %15 = buf_load %2, %3 {lanes = 4} : tile<4xf32>
      buf_store %10, %3, %14
      %16 = buf_load %10, %3 {lanes = 4} : tile<4xf32>
      %17 = mul %15, %16 : tile<4xf32>
      yield %17
    }
    buf_store %11, %3, %12
    %18 = buf_load %11, %3 {lanes = 4} : tile<4xf32>
    yield %18
  }
  %19 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %20 = arange {lo = 0, hi = 4} : tile<4xi32>
  %21 = ptr_add %19, %20 : tile<4xptr<f32>>
  store %21, %7
  return
}
