; passes: pack-buffers
; A buffer nobody uses is live at its `alloc` only: it costs no bytes while
; others are live, but still ends within `local_mem`.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 1152} files ["k.rs"] {
  %1 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32> loc(1:1)
  %2 = alloc {ty = buf<4xf32>, offset = 1024} : buf<4xf32> loc(2:1)
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1.0, ty = f32} : f32
  %5 = splat %4 {shape = [4]} : tile<4xf32>
  buf_store %2, %3, %5
  %6 = buf_load %2, %3 {lanes = 4} : tile<4xf32>
  %7 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %8 = arange {lo = 0, hi = 4} : tile<4xi32>
  %9 = ptr_add %7, %8 : tile<4xptr<f32>>
  store %9, %6
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 1024} files ["k.rs"] {
  %1 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32> loc(1:1)
  %2 = alloc {ty = buf<4xf32>, offset = 0} : buf<4xf32> loc(2:1)
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1.0, ty = f32} : f32
  %5 = splat %4 {shape = [4]} : tile<4xf32>
  buf_store %2, %3, %5
  %6 = buf_load %2, %3 {lanes = 4} : tile<4xf32>
  %7 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %8 = arange {lo = 0, hi = 4} : tile<4xi32>
  %9 = ptr_add %7, %8 : tile<4xptr<f32>>
  store %9, %6
  return
}
