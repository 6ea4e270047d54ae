; passes: early-write-out
; target: dma-matmul
; A product directly in a three-step loop's body (no alternation): all
; three steps are peeled (the last two for `interleave-final-steps`, the
; third-to-last for `fetch-last-operand-early`), and the last one's 8 rows
; (two strips of 4) run and leave as two blocks.
kernel @direct(%0 a: ptr<f32>, %2 c: ptr<f32> mut) attrs {lanes = 4, local_mem = 2048} {
  %6 = const {value = 16, ty = i32} : i32
  %5 = const {value = 8, ty = i32} : i32
  %7 = const {value = 3, ty = i32} : i32
  %8 = const {value = 0, ty = i32} : i32
  %24 = const {value = 1, ty = i32} : i32
  %10 = alloc {ty = buf<256xf32>, offset = 1024} : buf<256xf32>
  %23 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  for %8, %7, %24 {
  ^(%28: i32):
    %29 = mul %28, %6 : i32
    %30 = ptr_add %0, %29 : ptr<f32>
    copy_in %10, %8, %30, %6, %6, %6, %6 {arg = 0}
    buf_matmul %10, %10, %23, %23 {m = 8, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    yield
  }
  copy_out %2, %23, %8, %6, %5, %6, %6 {arg = 1}
  return
}
; expect:
kernel @direct(%0 a: ptr<f32>, %1 c: ptr<f32> mut) attrs {lanes = 4, local_mem = 2048} {
  %2 = const {value = 16, ty = i32} : i32
  %3 = const {value = 8, ty = i32} : i32
  %4 = const {value = 3, ty = i32} : i32
  %5 = const {value = 0, ty = i32} : i32
  %6 = const {value = 1, ty = i32} : i32
  %7 = alloc {ty = buf<256xf32>, offset = 1024} : buf<256xf32>
  %8 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  %9 = const {value = 0, ty = i32} : i32
  for %5, %9, %6 {
  ^(%10: i32):
    %11 = mul %10, %2 : i32
    %12 = ptr_add %0, %11 : ptr<f32>
    copy_in %7, %5, %12, %2, %2, %2, %2 {arg = 0}
    buf_matmul %7, %7, %8, %8 {m = 8, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    yield
  }
  %13 = const {value = 0, ty = i32} : i32
  %14 = mul %13, %2 : i32
  %15 = ptr_add %0, %14 : ptr<f32>
  copy_in %7, %5, %15, %2, %2, %2, %2 {arg = 0}
  buf_matmul %7, %7, %8, %8 {m = 8, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
  %16 = const {value = 1, ty = i32} : i32
  %17 = mul %16, %2 : i32
  %18 = ptr_add %0, %17 : ptr<f32>
  copy_in %7, %5, %18, %2, %2, %2, %2 {arg = 0}
  buf_matmul %7, %7, %8, %8 {m = 8, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
  %19 = const {value = 2, ty = i32} : i32
  %20 = mul %19, %2 : i32
  %21 = ptr_add %0, %20 : ptr<f32>
  copy_in %7, %5, %21, %2, %2, %2, %2 {arg = 0}
  %22 = const {value = 4, ty = i32} : i32
  buf_matmul %7, %7, %8, %8 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0}
  %23 = const {value = 0, ty = i32} : i32
  %24 = mul %23, %2 : i32
  %25 = ptr_add %1, %24 : ptr<f32>
  %26 = const {value = 0, ty = i32} : i32
  copy_out %25, %8, %26, %2, %22, %2, %2 {arg = 1, async = true, tail = true}
  buf_matmul %7, %7, %8, %8 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 4}
  %27 = const {value = 4, ty = i32} : i32
  %28 = mul %27, %2 : i32
  %29 = ptr_add %1, %28 : ptr<f32>
  %30 = const {value = 64, ty = i32} : i32
  copy_out %29, %8, %30, %2, %22, %2, %2 {arg = 1, async = true, tail = true}
  copy_wait {out = true}
  return
}
