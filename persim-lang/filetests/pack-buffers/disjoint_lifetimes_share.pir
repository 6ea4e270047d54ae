; passes: pack-buffers
; `%1` is dead once loaded; `%2` is stored after that and may take its bytes:
; both at offset 0, and `local_mem` shrinks from 128 to 16.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 128} files ["k.rs"] {
  %1 = alloc {ty = buf<4xf32>, offset = 0} : buf<4xf32> loc(1:1)
  %2 = alloc {ty = buf<4xf32>, offset = 64} : buf<4xf32> loc(2:1)
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1.0, ty = f32} : f32
  %5 = splat %4 {shape = [4]} : tile<4xf32>
  buf_store %1, %3, %5
  %6 = buf_load %1, %3 {lanes = 4} : tile<4xf32>
  %7 = exp %6 : tile<4xf32>
  buf_store %2, %3, %7
  %8 = buf_load %2, %3 {lanes = 4} : tile<4xf32>
  %9 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %10 = arange {lo = 0, hi = 4} : tile<4xi32>
  %11 = ptr_add %9, %10 : tile<4xptr<f32>>
  store %11, %8
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 16} files ["k.rs"] {
  %1 = alloc {ty = buf<4xf32>, offset = 0} : buf<4xf32> loc(1:1)
  %2 = alloc {ty = buf<4xf32>, offset = 0} : buf<4xf32> loc(2:1)
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1.0, ty = f32} : f32
  %5 = splat %4 {shape = [4]} : tile<4xf32>
  buf_store %1, %3, %5
  %6 = buf_load %1, %3 {lanes = 4} : tile<4xf32>
  %7 = exp %6 : tile<4xf32>
  buf_store %2, %3, %7
  %8 = buf_load %2, %3 {lanes = 4} : tile<4xf32>
  %9 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %10 = arange {lo = 0, hi = 4} : tile<4xi32>
  %11 = ptr_add %9, %10 : tile<4xptr<f32>>
  store %11, %8
  return
}
