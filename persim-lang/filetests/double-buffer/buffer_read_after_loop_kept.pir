; passes: double-buffer
; target: dma
; The copied buffer is allocated outside the loop and read after it: its
; last row must still be there, so it keeps its own bytes. Unchanged.
kernel @rows(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 n_rows: i32) attrs {lanes = 4, local_mem = 64} {
  %3 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 16, ty = i32} : i32
  %6 = const {value = 1, ty = i32} : i32
  for %4, %2, %6 {
  ^(%7: i32):
    %8 = mul %7, %5 : i32
    %9 = ptr_add %1, %8 : ptr<f32>
    copy_in %3, %4, %9, %5 {arg = 1}
    yield
  }
  %10 = buf_load %3, %4 {lanes = 0} : f32
  store %0, %10 {arg = 0}
  return
}
; expect:
kernel @rows(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 n_rows: i32) attrs {lanes = 4, local_mem = 64} {
  %3 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 16, ty = i32} : i32
  %6 = const {value = 1, ty = i32} : i32
  for %4, %2, %6 {
  ^(%7: i32):
    %8 = mul %7, %5 : i32
    %9 = ptr_add %1, %8 : ptr<f32>
    copy_in %3, %4, %9, %5 {arg = 1}
    yield
  }
  %10 = buf_load %3, %4 {lanes = 0} : f32
  store %0, %10 {arg = 0}
  return
}
