; passes: early-write-out
; target: dma-matmul
; Kept: the product is a single strip of rows: no blocks to split it into.
kernel @one_strip(%0 a: ptr<f32>, %2 c: ptr<f32> mut) attrs {lanes = 4, local_mem = 2048} {
  %6 = const {value = 16, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %8 = const {value = 0, ty = i32} : i32
  %24 = const {value = 1, ty = i32} : i32
  %10 = alloc {ty = buf<256xf32>, offset = 1024} : buf<256xf32>
  %23 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  for %8, %5, %24 {
  ^(%28: i32):
    copy_in %10, %8, %0, %6, %6, %6, %6 {arg = 0}
    buf_matmul %10, %10, %23, %23 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    yield
  }
  copy_out %2, %23, %8, %6, %5, %6, %6 {arg = 1}
  return
}
; expect:
kernel @one_strip(%0 a: ptr<f32>, %1 c: ptr<f32> mut) attrs {lanes = 4, local_mem = 2048} {
  %2 = const {value = 16, ty = i32} : i32
  %3 = const {value = 4, ty = i32} : i32
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 1, ty = i32} : i32
  %6 = alloc {ty = buf<256xf32>, offset = 1024} : buf<256xf32>
  %7 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  for %4, %3, %5 {
  ^(%8: i32):
    copy_in %6, %4, %0, %2, %2, %2, %2 {arg = 0}
    buf_matmul %6, %6, %7, %7 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    yield
  }
  copy_out %1, %7, %4, %2, %3, %2, %2 {arg = 1}
  return
}
