; passes: dead-buffers
; A load through a block argument could read any buffer: nothing is
; removed, not even the buffer nobody else reads. Unchanged.
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 128} {
  %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %3 = alloc {ty = buf<16xf32>, offset = 64} : buf<16xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 1, ty = i32} : i32
  %6 = const {value = 1.0, ty = f32} : f32
  buf_store %3, %4, %6
  %7 = for %4, %1, %5, %2 : buf<16xf32> {
  ^(%8: i32, %9: buf<16xf32>):
    %10 = buf_load %9, %4 {lanes = 0} : f32
    store %0, %10 {arg = 0}
    yield %9
  }
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 128} {
  %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %3 = alloc {ty = buf<16xf32>, offset = 64} : buf<16xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 1, ty = i32} : i32
  %6 = const {value = 1.0, ty = f32} : f32
  buf_store %3, %4, %6
  %7 = for %4, %1, %5, %2 : buf<16xf32> {
  ^(%8: i32, %9: buf<16xf32>):
    %10 = buf_load %9, %4 {lanes = 0} : f32
    store %0, %10 {arg = 0}
    yield %9
  }
  return
}
