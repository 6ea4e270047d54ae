; passes: early-write-out, canonicalize, dce, interleave-three-final-steps, interleave-final-steps, fetch-last-operand-early
; target: dma-matmul
; A four-step alternated loop of 32-row products (eight strips of 4,
; blocks of 4 rows) through `early-write-out` (all four steps peeled) and
; cleanup. The last step's `b` tile (%12 before, 1 KiB) gets a buffer of
; its own and the first three blocks of rows of its `a` another (768 B),
; both copied after five of the first step's eight blocks of rows; the
; rest of that `a` goes into the second step's `a` buffer, 12 rows once
; the second step's first three blocks ran, 8 more after its fourth and
; fifth. The second and third steps' products run in blocks of 4 rows,
; each before the last step's block of the same rows, which reads its
; rows of `a` where they landed (`arow0`). The two-step passes after it
; find nothing left to do.
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
kernel @matmul(%0 a: ptr<f32>, %1 b: ptr<f32>, %2 c: ptr<f32> mut, %3 m: i32, %4 n: i32) attrs {lanes = 4, local_mem = 9984} {
  %5 = const {value = 16, ty = i32} : i32
  %6 = const {value = 0, ty = i32} : i32
  %7 = const {value = 32, ty = i32} : i32
  %8 = alloc {ty = buf<512xf32>, offset = 2048} : buf<512xf32>
  %9 = alloc {ty = buf<256xf32>, offset = 4096} : buf<256xf32>
  copy_in %8, %6, %0, %5, %7, %5, %5 {arg = 0, async = true}
  copy_in %9, %6, %1, %5, %5, %4, %5 {arg = 1, async = true}
  %10 = alloc {ty = buf<512xf32>, offset = 0} : buf<512xf32>
  %11 = alloc {ty = buf<512xf32>, offset = 5120} : buf<512xf32>
  %12 = alloc {ty = buf<256xf32>, offset = 7168} : buf<256xf32>
  copy_wait
  %13 = mul %3, %4 : i32
  %14 = ptr_add %2, %13 : ptr<f32>
  copy_wait
  %15 = const {value = 16, ty = i32} : i32
  %16 = ptr_add %0, %15 : ptr<f32>
  %17 = mul %15, %4 : i32
  %18 = ptr_add %1, %17 : ptr<f32>
  %19 = const {value = 16, ty = i32} : i32
  copy_in %11, %6, %16, %19, %7, %5, %5 {arg = 0, async = true}
  copy_in %12, %6, %18, %19, %5, %4, %5 {arg = 1, async = true}
  %20 = alloc {ty = buf<256xf32>, offset = 8192} : buf<256xf32>
  %21 = alloc {ty = buf<192xf32>, offset = 9216} : buf<192xf32>
  buf_matmul %8, %9, %10, %10 {m = 20, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0}
  %22 = const {value = 48, ty = i32} : i32
  %23 = ptr_add %0, %22 : ptr<f32>
  %24 = mul %22, %4 : i32
  %25 = ptr_add %1, %24 : ptr<f32>
  %26 = const {value = 16, ty = i32} : i32
  copy_in %20, %6, %25, %26, %5, %4, %5 {arg = 1, async = true}
  %27 = const {value = 12, ty = i32} : i32
  copy_in %21, %6, %23, %26, %27, %5, %5 {arg = 0, async = true}
  buf_matmul %8, %9, %10, %10 {m = 12, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 20}
  copy_wait
  %28 = const {value = 32, ty = i32} : i32
  %29 = ptr_add %0, %28 : ptr<f32>
  %30 = mul %28, %4 : i32
  %31 = ptr_add %1, %30 : ptr<f32>
  %32 = const {value = 16, ty = i32} : i32
  copy_in %8, %6, %29, %32, %7, %5, %5 {arg = 0, async = true}
  copy_in %9, %6, %31, %32, %5, %4, %5 {arg = 1, async = true}
  buf_matmul %11, %12, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0}
  buf_matmul %11, %12, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 4}
  buf_matmul %11, %12, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 8}
  copy_wait
  %33 = const {value = 192, ty = i32} : i32
  %34 = ptr_add %23, %33 : ptr<f32>
  %35 = const {value = 0, ty = i32} : i32
  %36 = const {value = 12, ty = i32} : i32
  copy_in %11, %35, %34, %26, %36, %5, %5 {arg = 0, async = true}
  %37 = const {value = 4, ty = i32} : i32
  buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0}
  buf_matmul %21, %20, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0, arow0 = 0}
  %38 = const {value = 0, ty = i32} : i32
  %39 = ptr_add %14, %38 : ptr<f32>
  %40 = const {value = 0, ty = i32} : i32
  copy_out %39, %10, %40, %5, %37, %4, %5 {arg = 2, async = true, tail = true}
  buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 4}
  buf_matmul %21, %20, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 4, arow0 = 4}
  %41 = const {value = 4, ty = i32} : i32
  %42 = mul %41, %4 : i32
  %43 = ptr_add %14, %42 : ptr<f32>
  %44 = const {value = 64, ty = i32} : i32
  copy_out %43, %10, %44, %5, %37, %4, %5 {arg = 2, async = true, tail = true}
  buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 8}
  buf_matmul %21, %20, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 8, arow0 = 8}
  %45 = const {value = 8, ty = i32} : i32
  %46 = mul %45, %4 : i32
  %47 = ptr_add %14, %46 : ptr<f32>
  %48 = const {value = 128, ty = i32} : i32
  copy_out %47, %10, %48, %5, %37, %4, %5 {arg = 2, async = true, tail = true}
  copy_wait
  buf_matmul %11, %12, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 12}
  buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 12}
  buf_matmul %11, %20, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 12, arow0 = 0}
  %49 = const {value = 12, ty = i32} : i32
  %50 = mul %49, %4 : i32
  %51 = ptr_add %14, %50 : ptr<f32>
  %52 = const {value = 192, ty = i32} : i32
  copy_out %51, %10, %52, %5, %37, %4, %5 {arg = 2, async = true, tail = true}
  buf_matmul %11, %12, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 16}
  %53 = const {value = 384, ty = i32} : i32
  %54 = ptr_add %23, %53 : ptr<f32>
  %55 = const {value = 192, ty = i32} : i32
  %56 = const {value = 8, ty = i32} : i32
  copy_in %11, %55, %54, %26, %56, %5, %5 {arg = 0, async = true}
  buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 16}
  buf_matmul %11, %20, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 16, arow0 = 4}
  %57 = const {value = 16, ty = i32} : i32
  %58 = mul %57, %4 : i32
  %59 = ptr_add %14, %58 : ptr<f32>
  %60 = const {value = 256, ty = i32} : i32
  copy_out %59, %10, %60, %5, %37, %4, %5 {arg = 2, async = true, tail = true}
  buf_matmul %11, %12, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 20}
  buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 20}
  buf_matmul %11, %20, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 20, arow0 = 8}
  %61 = const {value = 20, ty = i32} : i32
  %62 = mul %61, %4 : i32
  %63 = ptr_add %14, %62 : ptr<f32>
  %64 = const {value = 320, ty = i32} : i32
  copy_out %63, %10, %64, %5, %37, %4, %5 {arg = 2, async = true, tail = true}
  copy_wait
  buf_matmul %11, %12, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 24}
  buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 24}
  buf_matmul %11, %20, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 24, arow0 = 12}
  %65 = const {value = 24, ty = i32} : i32
  %66 = mul %65, %4 : i32
  %67 = ptr_add %14, %66 : ptr<f32>
  %68 = const {value = 384, ty = i32} : i32
  copy_out %67, %10, %68, %5, %37, %4, %5 {arg = 2, async = true, tail = true}
  buf_matmul %11, %12, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 28}
  buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 28}
  buf_matmul %11, %20, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 28, arow0 = 16}
  %69 = const {value = 28, ty = i32} : i32
  %70 = mul %69, %4 : i32
  %71 = ptr_add %14, %70 : ptr<f32>
  %72 = const {value = 448, ty = i32} : i32
  copy_out %71, %10, %72, %5, %37, %4, %5 {arg = 2, async = true, tail = true}
  copy_wait {out = true}
  return
}
