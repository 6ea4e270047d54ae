; passes: early-write-out
; target: dma-matmul
; Kept: a product in each of two `if`s may both run in one step (the first
; one's blocks would leave before the second changes them).
kernel @two_ifs(%0 a: ptr<f32>, %2 c: ptr<f32> mut, %3 p: i1) attrs {lanes = 4, local_mem = 2048} {
  %6 = const {value = 16, ty = i32} : i32
  %7 = const {value = 4, ty = i32} : i32
  %8 = const {value = 0, ty = i32} : i32
  %24 = const {value = 1, ty = i32} : i32
  %10 = alloc {ty = buf<256xf32>, offset = 1024} : buf<256xf32>
  %23 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  for %8, %7, %24 {
  ^(%28: i32):
    copy_in %10, %8, %0, %6, %6, %6, %6 {arg = 0}
    if %3 {
      buf_matmul %10, %10, %23, %23 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    } {
      yield
    }
    if %3 {
      buf_matmul %10, %10, %23, %23 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    } {
      yield
    }
    yield
  }
  copy_out %2, %23, %8, %6, %6, %6, %6 {arg = 1}
  return
}
; expect:
kernel @two_ifs(%0 a: ptr<f32>, %1 c: ptr<f32> mut, %2 p: i1) attrs {lanes = 4, local_mem = 2048} {
  %3 = const {value = 16, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 0, ty = i32} : i32
  %6 = const {value = 1, ty = i32} : i32
  %7 = alloc {ty = buf<256xf32>, offset = 1024} : buf<256xf32>
  %8 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  for %5, %4, %6 {
  ^(%9: i32):
    copy_in %7, %5, %0, %3, %3, %3, %3 {arg = 0}
    if %2 {
      buf_matmul %7, %7, %8, %8 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    } {
      yield
    }
    if %2 {
      buf_matmul %7, %7, %8, %8 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    } {
      yield
    }
    yield
  }
  copy_out %1, %8, %5, %3, %3, %3, %3 {arg = 1}
  return
}
