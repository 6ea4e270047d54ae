; passes: early-write-out, canonicalize, dce, interleave-three-final-steps, interleave-final-steps, fetch-last-operand-early
; target: dma-matmul
; local-mem: 9000
; Left alone: local memory has no room for a 1 KiB buffer of the last
; step's b tile (the two-step passes then run as without this pass).
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
  buf_matmul %8, %9, %10, %10 {m = 32, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
  copy_wait
  %20 = const {value = 32, ty = i32} : i32
  %21 = ptr_add %0, %20 : ptr<f32>
  %22 = mul %20, %4 : i32
  %23 = ptr_add %1, %22 : ptr<f32>
  %24 = const {value = 16, ty = i32} : i32
  copy_in %8, %6, %21, %24, %7, %5, %5 {arg = 0, async = true}
  copy_in %9, %6, %23, %24, %5, %4, %5 {arg = 1, async = true}
  buf_matmul %11, %12, %10, %10 {m = 32, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
  copy_wait
  %25 = const {value = 48, ty = i32} : i32
  %26 = ptr_add %0, %25 : ptr<f32>
  %27 = mul %25, %4 : i32
  %28 = ptr_add %1, %27 : ptr<f32>
  %29 = const {value = 16, ty = i32} : i32
  copy_in %11, %6, %26, %29, %7, %5, %5 {arg = 0, async = true}
  copy_in %12, %6, %28, %29, %5, %4, %5 {arg = 1, async = true}
  buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0}
  buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 4}
  copy_wait
  %30 = const {value = 4, ty = i32} : i32
  buf_matmul %11, %12, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0}
  %31 = const {value = 0, ty = i32} : i32
  %32 = ptr_add %14, %31 : ptr<f32>
  %33 = const {value = 0, ty = i32} : i32
  copy_out %32, %10, %33, %5, %30, %4, %5 {arg = 2, async = true, tail = true}
  buf_matmul %11, %12, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 4}
  %34 = const {value = 4, ty = i32} : i32
  %35 = mul %34, %4 : i32
  %36 = ptr_add %14, %35 : ptr<f32>
  %37 = const {value = 64, ty = i32} : i32
  copy_out %36, %10, %37, %5, %30, %4, %5 {arg = 2, async = true, tail = true}
  buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 8}
  buf_matmul %11, %12, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 8}
  %38 = const {value = 8, ty = i32} : i32
  %39 = mul %38, %4 : i32
  %40 = ptr_add %14, %39 : ptr<f32>
  %41 = const {value = 128, ty = i32} : i32
  copy_out %40, %10, %41, %5, %30, %4, %5 {arg = 2, async = true, tail = true}
  buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 12}
  buf_matmul %11, %12, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 12}
  %42 = const {value = 12, ty = i32} : i32
  %43 = mul %42, %4 : i32
  %44 = ptr_add %14, %43 : ptr<f32>
  %45 = const {value = 192, ty = i32} : i32
  copy_out %44, %10, %45, %5, %30, %4, %5 {arg = 2, async = true, tail = true}
  buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 16}
  buf_matmul %11, %12, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 16}
  %46 = const {value = 16, ty = i32} : i32
  %47 = mul %46, %4 : i32
  %48 = ptr_add %14, %47 : ptr<f32>
  %49 = const {value = 256, ty = i32} : i32
  copy_out %48, %10, %49, %5, %30, %4, %5 {arg = 2, async = true, tail = true}
  buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 20}
  buf_matmul %11, %12, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 20}
  %50 = const {value = 20, ty = i32} : i32
  %51 = mul %50, %4 : i32
  %52 = ptr_add %14, %51 : ptr<f32>
  %53 = const {value = 320, ty = i32} : i32
  copy_out %52, %10, %53, %5, %30, %4, %5 {arg = 2, async = true, tail = true}
  buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 24}
  buf_matmul %11, %12, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 24}
  %54 = const {value = 24, ty = i32} : i32
  %55 = mul %54, %4 : i32
  %56 = ptr_add %14, %55 : ptr<f32>
  %57 = const {value = 384, ty = i32} : i32
  copy_out %56, %10, %57, %5, %30, %4, %5 {arg = 2, async = true, tail = true}
  buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 28}
  buf_matmul %11, %12, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 28}
  %58 = const {value = 28, ty = i32} : i32
  %59 = mul %58, %4 : i32
  %60 = ptr_add %14, %59 : ptr<f32>
  %61 = const {value = 448, ty = i32} : i32
  copy_out %60, %10, %61, %5, %30, %4, %5 {arg = 2, async = true, tail = true}
  copy_wait {out = true}
  return
}
