; passes: pack-buffers
; A `while` is one loop with two regions. `%2`, written before it and read
; in the before-region, and `%3`, used in the after-region only, are both
; live across the whole loop: the before-region of the next iteration reads
; `%2` after the after-region wrote `%3`. `%9`, made in the after-region,
; holds one iteration's value but is live while `%2` and `%3` are. `%4`,
; used after the loop, shares with any of them.
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 256} files ["k.rs"] {
  %2 = alloc {ty = buf<4xi32>, offset = 0} : buf<4xi32> loc(1:1)
  %3 = alloc {ty = buf<4xi32>, offset = 64} : buf<4xi32> loc(2:1)
  %4 = alloc {ty = buf<4xi32>, offset = 128} : buf<4xi32> loc(3:1)
  %5 = const {value = 0, ty = i32} : i32
  %6 = const {value = 100, ty = i32} : i32
  %7 = splat %6 {shape = [4]} : tile<4xi32>
  buf_store %2, %5, %7
  %8 = while %5 : i32 {
  ^(%10: i32):
    %11 = buf_load %2, %5 {lanes = 4} : tile<4xi32>
    %12 = reduce %11 {kind = max, axis = 0} : i32
    %13 = cmp %10, %12 {pred = lt} : i1
    condition %13, %10
  } {
  ^(%14: i32):
    %9 = alloc {ty = buf<4xi32>, offset = 192} : buf<4xi32> loc(4:1)
    %15 = splat %14 {shape = [4]} : tile<4xi32>
    buf_store %3, %5, %15
    %16 = buf_load %3, %5 {lanes = 4} : tile<4xi32>
    buf_store %9, %5, %16
    %17 = buf_load %9, %5 {lanes = 0} : i32
    %18 = const {value = 7, ty = i32} : i32
    %19 = add %17, %18 : i32
    yield %19
  }
  %20 = splat %8 {shape = [4]} : tile<4xi32>
  buf_store %4, %5, %20
  %21 = buf_load %4, %5 {lanes = 4} : tile<4xi32>
  %22 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %23 = arange {lo = 0, hi = 4} : tile<4xi32>
  %24 = ptr_add %22, %23 : tile<4xptr<i32>>
  store %24, %21
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 144} files ["k.rs"] {
  %1 = alloc {ty = buf<4xi32>, offset = 0} : buf<4xi32> loc(1:1)
  %2 = alloc {ty = buf<4xi32>, offset = 64} : buf<4xi32> loc(2:1)
  %3 = alloc {ty = buf<4xi32>, offset = 0} : buf<4xi32> loc(3:1)
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 100, ty = i32} : i32
  %6 = splat %5 {shape = [4]} : tile<4xi32>
  buf_store %1, %4, %6
  %7 = while %4 : i32 {
  ^(%8: i32):
    %9 = buf_load %1, %4 {lanes = 4} : tile<4xi32>
    %10 = reduce %9 {kind = max, axis = 0} : i32
    %11 = cmp %8, %10 {pred = lt} : i1
    condition %11, %8
  } {
  ^(%12: i32):
    %13 = alloc {ty = buf<4xi32>, offset = 128} : buf<4xi32> loc(4:1)
    %14 = splat %12 {shape = [4]} : tile<4xi32>
    buf_store %2, %4, %14
    %15 = buf_load %2, %4 {lanes = 4} : tile<4xi32>
    buf_store %13, %4, %15
    %16 = buf_load %13, %4 {lanes = 0} : i32
    %17 = const {value = 7, ty = i32} : i32
    %18 = add %16, %17 : i32
    yield %18
  }
  %19 = splat %7 {shape = [4]} : tile<4xi32>
  buf_store %3, %4, %19
  %20 = buf_load %3, %4 {lanes = 4} : tile<4xi32>
  %21 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %22 = arange {lo = 0, hi = 4} : tile<4xi32>
  %23 = ptr_add %21, %22 : tile<4xptr<i32>>
  store %23, %20
  return
}
