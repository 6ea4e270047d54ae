; passes: double-buffer
; target: dma
; As `twin_tiles_for_matmul`, but the loop also stores through `a`, the
; parameter a copy reads: the next step's tile must not be read before
; this step's store, so the loop is kept as it is.
kernel @k(%0 a: ptr<f32> mut, %1 b: ptr<f32>, %5 k: i32) attrs {lanes = 4, local_mem = 3072} {
  %6 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  %8 = const {value = 16, ty = i32} : i32
  %14 = const {value = 1, ty = i32} : i32
  %16 = div %5, %8 : i32
  %17 = const {value = 0, ty = i32} : i32
  for %17, %16, %14 {
  ^(%24: i32):
    %25 = alloc {ty = buf<256xf32>, offset = 1024} : buf<256xf32>
    %26 = alloc {ty = buf<256xf32>, offset = 2048} : buf<256xf32>
    %27 = mul %24, %8 : i32
    %29 = ptr_add %0, %27 : ptr<f32>
    %30 = const {value = 0, ty = i32} : i32
    copy_in %25, %30, %29, %8, %8, %5, %8 {arg = 0}
    %36 = ptr_add %1, %27 : ptr<f32>
    copy_in %26, %30, %36, %8, %8, %5, %8 {arg = 1}
    buf_matmul %25, %26, %6, %6 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    copy_out %29, %6, %30, %8, %8, %5, %8 {arg = 0}
    yield
  }
  return
}
; check-not: async
; expect:
kernel @k(%0 a: ptr<f32> mut, %1 b: ptr<f32>, %2 k: i32) attrs {lanes = 4, local_mem = 3072} {
  %3 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  %4 = const {value = 16, ty = i32} : i32
  %5 = const {value = 1, ty = i32} : i32
  %6 = div %2, %4 : i32
  %7 = const {value = 0, ty = i32} : i32
  for %7, %6, %5 {
  ^(%8: i32):
    %9 = alloc {ty = buf<256xf32>, offset = 1024} : buf<256xf32>
    %10 = alloc {ty = buf<256xf32>, offset = 2048} : buf<256xf32>
    %11 = mul %8, %4 : i32
    %12 = ptr_add %0, %11 : ptr<f32>
    %13 = const {value = 0, ty = i32} : i32
    copy_in %9, %13, %12, %4, %4, %2, %4 {arg = 0}
    %14 = ptr_add %1, %11 : ptr<f32>
    copy_in %10, %13, %14, %4, %4, %2, %4 {arg = 1}
    buf_matmul %9, %10, %3, %3 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    copy_out %12, %3, %13, %4, %4, %2, %4 {arg = 0}
    yield
  }
  return
}
