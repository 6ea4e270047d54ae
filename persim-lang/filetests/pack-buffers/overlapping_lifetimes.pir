; passes: pack-buffers
; `%1` (256 B) and `%2` (64 B) are live together and get separate bytes,
; the larger placed first; `%3` (128 B) is stored once `%1` is dead and
; reuses its bytes although `%2` is still live.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 512} files ["k.rs"] {
  %1 = alloc {ty = buf<64xf32>, offset = 0} : buf<64xf32> loc(1:1)
  %2 = alloc {ty = buf<16xf32>, offset = 256} : buf<16xf32> loc(2:1)
  %3 = alloc {ty = buf<32xf32>, offset = 320} : buf<32xf32> loc(3:1)
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 1.0, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  buf_store %1, %4, %6
  buf_store %2, %4, %6
  %7 = buf_load %1, %4 {lanes = 4} : tile<4xf32>
  buf_store %3, %4, %7
  %8 = buf_load %3, %4 {lanes = 4} : tile<4xf32>
  %9 = buf_load %2, %4 {lanes = 4} : tile<4xf32>
  %10 = add %8, %9 : tile<4xf32>
  %11 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %12 = arange {lo = 0, hi = 4} : tile<4xi32>
  %13 = ptr_add %11, %12 : tile<4xptr<f32>>
  store %13, %10
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 320} files ["k.rs"] {
  %1 = alloc {ty = buf<64xf32>, offset = 0} : buf<64xf32> loc(1:1)
  %2 = alloc {ty = buf<16xf32>, offset = 256} : buf<16xf32> loc(2:1)
  %3 = alloc {ty = buf<32xf32>, offset = 0} : buf<32xf32> loc(3:1)
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 1.0, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  buf_store %1, %4, %6
  buf_store %2, %4, %6
  %7 = buf_load %1, %4 {lanes = 4} : tile<4xf32>
  buf_store %3, %4, %7
  %8 = buf_load %3, %4 {lanes = 4} : tile<4xf32>
  %9 = buf_load %2, %4 {lanes = 4} : tile<4xf32>
  %10 = add %8, %9 : tile<4xf32>
  %11 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %12 = arange {lo = 0, hi = 4} : tile<4xi32>
  %13 = ptr_add %11, %12 : tile<4xptr<f32>>
  store %13, %10
  return
}
