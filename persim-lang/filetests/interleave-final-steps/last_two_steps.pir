; passes: early-write-out, canonicalize, dce, interleave-final-steps
; target: dma-matmul
; A four-step alternated loop of 32-row products through
; `early-write-out` and cleanup: the third step's product (tiles %10,
; %11) runs in the last step's eight blocks of 4 rows, its first two
; blocks before the wait for the last step's tiles, each later one just
; before the last step's block of the same rows; so the first block of the
; result leaves after three blocks of work instead of nine.
kernel @matmul(%0 a: ptr<f32>, %1 b: ptr<f32>, %2 c: ptr<f32> mut, %3 m: i32, %4 n: i32) attrs {lanes = 4, local_mem = 8192} {
  %6 = const {value = 16, ty = i32} : i32
  %7 = const {value = 4, ty = i32} : i32
  %8 = const {value = 0, ty = i32} : i32
  %9 = const {value = 32, ty = i32} : i32
  %10 = alloc {ty = buf<512xf32>, offset = 2048} : buf<512xf32>
  %11 = alloc {ty = buf<256xf32>, offset = 4096} : buf<256xf32>
  copy_in %10, %8, %0, %6, %9, %6, %6 {arg = 0, async = true}
  copy_in %11, %8, %1, %6, %6, %4, %6 {arg = 1, async = true}
  %23 = alloc {ty = buf<512xf32>, offset = 0} : buf<512xf32>
  %24 = const {value = 1, ty = i32} : i32
  %25 = alloc {ty = buf<512xf32>, offset = 5120} : buf<512xf32>
  %26 = alloc {ty = buf<256xf32>, offset = 7168} : buf<256xf32>
  %27 = for %8, %7, %24, %8 : i32 {
  ^(%28: i32, %29: i32):
    copy_wait
    %36 = add %28, %24 : i32
    %37 = mul %36, %6 : i32
    %39 = ptr_add %0, %37 : ptr<f32>
    %41 = mul %37, %4 : i32
    %42 = ptr_add %1, %41 : ptr<f32>
    %43 = cmp %36, %7 {pred = lt} : i1
    %45 = select %43, %6, %8 : i32
    %47 = cmp %29, %8 {pred = eq} : i1
    if %47 {
      copy_in %25, %8, %39, %45, %9, %6, %6 {arg = 0, async = true}
      copy_in %26, %8, %42, %45, %6, %4, %6 {arg = 1, async = true}
      buf_matmul %10, %11, %23, %23 {m = 32, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    } {
      copy_in %10, %8, %39, %45, %9, %6, %6 {arg = 0, async = true}
      copy_in %11, %8, %42, %45, %6, %4, %6 {arg = 1, async = true}
      buf_matmul %25, %26, %23, %23 {m = 32, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    }
    %50 = sub %24, %29 : i32
    yield %50
  }
  copy_wait
  %60 = mul %3, %4 : i32
  %61 = ptr_add %2, %60 : ptr<f32>
  copy_out %61, %23, %8, %6, %9, %4, %6 {arg = 2}
  return
}
; expect:
kernel @matmul(%0 a: ptr<f32>, %1 b: ptr<f32>, %2 c: ptr<f32> mut, %3 m: i32, %4 n: i32) attrs {lanes = 4, local_mem = 8192} {
  %5 = const {value = 16, ty = i32} : i32
  %6 = const {value = 4, ty = i32} : i32
  %7 = const {value = 0, ty = i32} : i32
  %8 = const {value = 32, ty = i32} : i32
  %9 = alloc {ty = buf<512xf32>, offset = 2048} : buf<512xf32>
  %10 = alloc {ty = buf<256xf32>, offset = 4096} : buf<256xf32>
  copy_in %9, %7, %0, %5, %8, %5, %5 {arg = 0, async = true}
  copy_in %10, %7, %1, %5, %5, %4, %5 {arg = 1, async = true}
  %11 = alloc {ty = buf<512xf32>, offset = 0} : buf<512xf32>
  %12 = const {value = 1, ty = i32} : i32
  %13 = alloc {ty = buf<512xf32>, offset = 5120} : buf<512xf32>
  %14 = alloc {ty = buf<256xf32>, offset = 7168} : buf<256xf32>
  %15 = const {value = 2, ty = i32} : i32
  %16 = for %7, %15, %12, %7 : i32 {
  ^(%17: i32, %18: i32):
    copy_wait
    %19 = add %17, %12 : i32
    %20 = mul %19, %5 : i32
    %21 = ptr_add %0, %20 : ptr<f32>
    %22 = mul %20, %4 : i32
    %23 = ptr_add %1, %22 : ptr<f32>
    %24 = cmp %19, %6 {pred = lt} : i1
    %25 = select %24, %5, %7 : i32
    %26 = cmp %18, %7 {pred = eq} : i1
    if %26 {
      copy_in %13, %7, %21, %25, %8, %5, %5 {arg = 0, async = true}
      copy_in %14, %7, %23, %25, %5, %4, %5 {arg = 1, async = true}
      buf_matmul %9, %10, %11, %11 {m = 32, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    } {
      copy_in %9, %7, %21, %25, %8, %5, %5 {arg = 0, async = true}
      copy_in %10, %7, %23, %25, %5, %4, %5 {arg = 1, async = true}
      buf_matmul %13, %14, %11, %11 {m = 32, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    }
    %27 = sub %12, %18 : i32
    yield %27
  }
  copy_wait
  %28 = mul %3, %4 : i32
  %29 = ptr_add %2, %28 : ptr<f32>
  copy_wait
  %30 = const {value = 48, ty = i32} : i32
  %31 = ptr_add %0, %30 : ptr<f32>
  %32 = mul %30, %4 : i32
  %33 = ptr_add %1, %32 : ptr<f32>
  %34 = const {value = 16, ty = i32} : i32
  copy_in %13, %7, %31, %34, %8, %5, %5 {arg = 0, async = true}
  copy_in %14, %7, %33, %34, %5, %4, %5 {arg = 1, async = true}
  buf_matmul %9, %10, %11, %11 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0}
  buf_matmul %9, %10, %11, %11 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 4}
  copy_wait
  %35 = const {value = 4, ty = i32} : i32
  buf_matmul %13, %14, %11, %11 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0}
  %36 = const {value = 0, ty = i32} : i32
  %37 = ptr_add %29, %36 : ptr<f32>
  %38 = const {value = 0, ty = i32} : i32
  copy_out %37, %11, %38, %5, %35, %4, %5 {arg = 2, async = true}
  buf_matmul %13, %14, %11, %11 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 4}
  %39 = const {value = 4, ty = i32} : i32
  %40 = mul %39, %4 : i32
  %41 = ptr_add %29, %40 : ptr<f32>
  %42 = const {value = 64, ty = i32} : i32
  copy_out %41, %11, %42, %5, %35, %4, %5 {arg = 2, async = true}
  buf_matmul %9, %10, %11, %11 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 8}
  buf_matmul %13, %14, %11, %11 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 8}
  %43 = const {value = 8, ty = i32} : i32
  %44 = mul %43, %4 : i32
  %45 = ptr_add %29, %44 : ptr<f32>
  %46 = const {value = 128, ty = i32} : i32
  copy_out %45, %11, %46, %5, %35, %4, %5 {arg = 2, async = true}
  buf_matmul %9, %10, %11, %11 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 12}
  buf_matmul %13, %14, %11, %11 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 12}
  %47 = const {value = 12, ty = i32} : i32
  %48 = mul %47, %4 : i32
  %49 = ptr_add %29, %48 : ptr<f32>
  %50 = const {value = 192, ty = i32} : i32
  copy_out %49, %11, %50, %5, %35, %4, %5 {arg = 2, async = true}
  buf_matmul %9, %10, %11, %11 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 16}
  buf_matmul %13, %14, %11, %11 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 16}
  %51 = const {value = 16, ty = i32} : i32
  %52 = mul %51, %4 : i32
  %53 = ptr_add %29, %52 : ptr<f32>
  %54 = const {value = 256, ty = i32} : i32
  copy_out %53, %11, %54, %5, %35, %4, %5 {arg = 2, async = true}
  buf_matmul %9, %10, %11, %11 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 20}
  buf_matmul %13, %14, %11, %11 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 20}
  %55 = const {value = 20, ty = i32} : i32
  %56 = mul %55, %4 : i32
  %57 = ptr_add %29, %56 : ptr<f32>
  %58 = const {value = 320, ty = i32} : i32
  copy_out %57, %11, %58, %5, %35, %4, %5 {arg = 2, async = true}
  buf_matmul %9, %10, %11, %11 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 24}
  buf_matmul %13, %14, %11, %11 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 24}
  %59 = const {value = 24, ty = i32} : i32
  %60 = mul %59, %4 : i32
  %61 = ptr_add %29, %60 : ptr<f32>
  %62 = const {value = 384, ty = i32} : i32
  copy_out %61, %11, %62, %5, %35, %4, %5 {arg = 2, async = true}
  buf_matmul %9, %10, %11, %11 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 28}
  buf_matmul %13, %14, %11, %11 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 28}
  %63 = const {value = 28, ty = i32} : i32
  %64 = mul %63, %4 : i32
  %65 = ptr_add %29, %64 : ptr<f32>
  %66 = const {value = 448, ty = i32} : i32
  copy_out %65, %11, %66, %5, %35, %4, %5 {arg = 2, async = true}
  copy_wait {out = true}
  return
}
