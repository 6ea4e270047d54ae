; passes: interleave-final-steps
; target: dma-matmul
; Left alone: the first copy takes rows 4..8 before their block has run,
; so it must read them with the first product's terms in.
kernel @k(%0 a: ptr<f32>, %1 c: ptr<f32> mut) attrs {lanes = 4, local_mem = 6144} {
  %2 = const {value = 16, ty = i32} : i32
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 32, ty = i32} : i32
  %40 = const {value = 64, ty = i32} : i32
  %6 = alloc {ty = buf<512xf32>, offset = 0} : buf<512xf32>
  %7 = alloc {ty = buf<512xf32>, offset = 2048} : buf<512xf32>
  %8 = alloc {ty = buf<512xf32>, offset = 4096} : buf<512xf32>
  copy_in %7, %3, %0, %2, %5, %2, %2 {arg = 0, async = true}
  copy_wait
  copy_in %8, %3, %0, %2, %5, %2, %2 {arg = 0, async = true}
  buf_matmul %7, %7, %6, %6 {m = 32, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
  copy_wait
  buf_matmul %8, %8, %6, %6 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0}
  %9 = const {value = 0, ty = i32} : i32
  %10 = ptr_add %1, %9 : ptr<f32>
  copy_out %10, %6, %40, %2, %4, %2, %2 {arg = 1, async = true}
  buf_matmul %8, %8, %6, %6 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 4}
  %11 = const {value = 64, ty = i32} : i32
  %12 = ptr_add %1, %11 : ptr<f32>
  copy_out %12, %6, %9, %2, %4, %2, %2 {arg = 1, async = true}
  buf_matmul %8, %8, %6, %6 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 8}
  %13 = const {value = 128, ty = i32} : i32
  %14 = ptr_add %1, %13 : ptr<f32>
  copy_out %14, %6, %13, %2, %4, %2, %2 {arg = 1, async = true}
  buf_matmul %8, %8, %6, %6 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 12}
  %15 = const {value = 192, ty = i32} : i32
  %16 = ptr_add %1, %15 : ptr<f32>
  copy_out %16, %6, %15, %2, %4, %2, %2 {arg = 1, async = true}
  buf_matmul %8, %8, %6, %6 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 16}
  %17 = const {value = 256, ty = i32} : i32
  %18 = ptr_add %1, %17 : ptr<f32>
  copy_out %18, %6, %17, %2, %4, %2, %2 {arg = 1, async = true}
  buf_matmul %8, %8, %6, %6 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 20}
  %19 = const {value = 320, ty = i32} : i32
  %20 = ptr_add %1, %19 : ptr<f32>
  copy_out %20, %6, %19, %2, %4, %2, %2 {arg = 1, async = true}
  buf_matmul %8, %8, %6, %6 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 24}
  %21 = const {value = 384, ty = i32} : i32
  %22 = ptr_add %1, %21 : ptr<f32>
  copy_out %22, %6, %21, %2, %4, %2, %2 {arg = 1, async = true}
  buf_matmul %8, %8, %6, %6 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 28}
  %23 = const {value = 448, ty = i32} : i32
  %24 = ptr_add %1, %23 : ptr<f32>
  copy_out %24, %6, %23, %2, %4, %2, %2 {arg = 1, async = true}
  copy_wait {out = true}
  return
}
; expect:
kernel @k(%0 a: ptr<f32>, %1 c: ptr<f32> mut) attrs {lanes = 4, local_mem = 6144} {
  %2 = const {value = 16, ty = i32} : i32
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 32, ty = i32} : i32
  %6 = const {value = 64, ty = i32} : i32
  %7 = alloc {ty = buf<512xf32>, offset = 0} : buf<512xf32>
  %8 = alloc {ty = buf<512xf32>, offset = 2048} : buf<512xf32>
  %9 = alloc {ty = buf<512xf32>, offset = 4096} : buf<512xf32>
  copy_in %8, %3, %0, %2, %5, %2, %2 {arg = 0, async = true}
  copy_wait
  copy_in %9, %3, %0, %2, %5, %2, %2 {arg = 0, async = true}
  buf_matmul %8, %8, %7, %7 {m = 32, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
  copy_wait
  buf_matmul %9, %9, %7, %7 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0}
  %10 = const {value = 0, ty = i32} : i32
  %11 = ptr_add %1, %10 : ptr<f32>
  copy_out %11, %7, %6, %2, %4, %2, %2 {arg = 1, async = true}
  buf_matmul %9, %9, %7, %7 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 4}
  %12 = const {value = 64, ty = i32} : i32
  %13 = ptr_add %1, %12 : ptr<f32>
  copy_out %13, %7, %10, %2, %4, %2, %2 {arg = 1, async = true}
  buf_matmul %9, %9, %7, %7 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 8}
  %14 = const {value = 128, ty = i32} : i32
  %15 = ptr_add %1, %14 : ptr<f32>
  copy_out %15, %7, %14, %2, %4, %2, %2 {arg = 1, async = true}
  buf_matmul %9, %9, %7, %7 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 12}
  %16 = const {value = 192, ty = i32} : i32
  %17 = ptr_add %1, %16 : ptr<f32>
  copy_out %17, %7, %16, %2, %4, %2, %2 {arg = 1, async = true}
  buf_matmul %9, %9, %7, %7 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 16}
  %18 = const {value = 256, ty = i32} : i32
  %19 = ptr_add %1, %18 : ptr<f32>
  copy_out %19, %7, %18, %2, %4, %2, %2 {arg = 1, async = true}
  buf_matmul %9, %9, %7, %7 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 20}
  %20 = const {value = 320, ty = i32} : i32
  %21 = ptr_add %1, %20 : ptr<f32>
  copy_out %21, %7, %20, %2, %4, %2, %2 {arg = 1, async = true}
  buf_matmul %9, %9, %7, %7 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 24}
  %22 = const {value = 384, ty = i32} : i32
  %23 = ptr_add %1, %22 : ptr<f32>
  copy_out %23, %7, %22, %2, %4, %2, %2 {arg = 1, async = true}
  buf_matmul %9, %9, %7, %7 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 28}
  %24 = const {value = 448, ty = i32} : i32
  %25 = ptr_add %1, %24 : ptr<f32>
  copy_out %25, %7, %24, %2, %4, %2, %2 {arg = 1, async = true}
  copy_wait {out = true}
  return
}
