; passes: forward-stores
; A store into a different, non-overlapping buffer does not stop
; forwarding; a store into a buffer that overlaps (same bytes) does.
; check: buf_load %2
; check-not: buf_load %1
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 128} {
  %1 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %2 = alloc {ty = buf<16xf32>, offset = 64} : buf<16xf32>
  %3 = alloc {ty = buf<16xf32>, offset = 64} : buf<16xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 1.5, ty = f32} : f32
  %6 = const {value = 2.5, ty = f32} : f32
  buf_store %1, %4, %5
  buf_store %2, %4, %5
  buf_store %3, %4, %6
  %7 = buf_load %1, %4 {lanes = 0} : f32
  %8 = buf_load %2, %4 {lanes = 0} : f32
  %9 = add %7, %8 : f32
  store %0, %9 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 128} {
  %1 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %2 = alloc {ty = buf<16xf32>, offset = 64} : buf<16xf32>
  %3 = alloc {ty = buf<16xf32>, offset = 64} : buf<16xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 1.5, ty = f32} : f32
  %6 = const {value = 2.5, ty = f32} : f32
  buf_store %1, %4, %5
  buf_store %2, %4, %5
  buf_store %3, %4, %6
  %7 = buf_load %2, %4 {lanes = 0} : f32
  %8 = add %5, %7 : f32
  store %0, %8 {arg = 0}
  return
}
