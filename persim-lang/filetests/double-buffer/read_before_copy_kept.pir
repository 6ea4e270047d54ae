; passes: double-buffer
; target: dma
; The row buffer is read before this iteration's copy (it still holds the
; previous row): starting the copies an iteration early would change what
; that read sees. Unchanged.
kernel @rows(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 n_rows: i32) attrs {lanes = 4, local_mem = 64} {
  %3 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 16, ty = i32} : i32
  %6 = const {value = 1, ty = i32} : i32
  for %4, %2, %6 {
  ^(%7: i32):
    %8 = buf_load %3, %4 {lanes = 0} : f32
    %9 = ptr_add %0, %7 : ptr<f32>
    store %9, %8 {arg = 0}
    %10 = mul %7, %5 : i32
    %11 = ptr_add %1, %10 : ptr<f32>
    copy_in %3, %4, %11, %5 {arg = 1}
    yield
  }
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
    %8 = buf_load %3, %4 {lanes = 0} : f32
    %9 = ptr_add %0, %7 : ptr<f32>
    store %9, %8 {arg = 0}
    %10 = mul %7, %5 : i32
    %11 = ptr_add %1, %10 : ptr<f32>
    copy_in %3, %4, %11, %5 {arg = 1}
    yield
  }
  return
}
