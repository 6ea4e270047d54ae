; passes: early-write-out, canonicalize, dce
; target: dma-matmul
; The same loop, cleaned up: the alternation's parity at the peeled steps
; folds (all four: 0, 1, 0, then 1), so one version of each step is left,
; the last step's prefetch of a fifth (count 0) is gone, and so is the
; loop.
kernel @matmul(%0 a: ptr<f32>, %1 b: ptr<f32>, %2 c: ptr<f32> mut, %3 m: i32, %4 n: i32) attrs {lanes = 4, local_mem = 5120} {
  %6 = const {value = 16, ty = i32} : i32
  %7 = const {value = 4, ty = i32} : i32
  %8 = const {value = 0, ty = i32} : i32
  %10 = alloc {ty = buf<256xf32>, offset = 1024} : buf<256xf32>
  %11 = alloc {ty = buf<256xf32>, offset = 2048} : buf<256xf32>
  copy_in %10, %8, %0, %6, %6, %6, %6 {arg = 0, async = true}
  copy_in %11, %8, %1, %6, %6, %4, %6 {arg = 1, async = true}
  %23 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  %24 = const {value = 1, ty = i32} : i32
  %25 = alloc {ty = buf<256xf32>, offset = 3072} : buf<256xf32>
  %26 = alloc {ty = buf<256xf32>, offset = 4096} : buf<256xf32>
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
      copy_in %25, %8, %39, %45, %6, %6, %6 {arg = 0, async = true}
      copy_in %26, %8, %42, %45, %6, %4, %6 {arg = 1, async = true}
      buf_matmul %10, %11, %23, %23 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    } {
      copy_in %10, %8, %39, %45, %6, %6, %6 {arg = 0, async = true}
      copy_in %11, %8, %42, %45, %6, %4, %6 {arg = 1, async = true}
      buf_matmul %25, %26, %23, %23 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    }
    %50 = sub %24, %29 : i32
    yield %50
  }
  copy_wait
  %60 = mul %3, %4 : i32
  %61 = ptr_add %2, %60 : ptr<f32>
  copy_out %61, %23, %8, %6, %6, %4, %6 {arg = 2}
  return
}
; expect:
kernel @matmul(%0 a: ptr<f32>, %1 b: ptr<f32>, %2 c: ptr<f32> mut, %3 m: i32, %4 n: i32) attrs {lanes = 4, local_mem = 5120} {
  %5 = const {value = 16, ty = i32} : i32
  %6 = const {value = 0, ty = i32} : i32
  %7 = alloc {ty = buf<256xf32>, offset = 1024} : buf<256xf32>
  %8 = alloc {ty = buf<256xf32>, offset = 2048} : buf<256xf32>
  copy_in %7, %6, %0, %5, %5, %5, %5 {arg = 0, async = true}
  copy_in %8, %6, %1, %5, %5, %4, %5 {arg = 1, async = true}
  %9 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  %10 = alloc {ty = buf<256xf32>, offset = 3072} : buf<256xf32>
  %11 = alloc {ty = buf<256xf32>, offset = 4096} : buf<256xf32>
  copy_wait
  %12 = mul %3, %4 : i32
  %13 = ptr_add %2, %12 : ptr<f32>
  copy_wait
  %14 = const {value = 16, ty = i32} : i32
  %15 = ptr_add %0, %14 : ptr<f32>
  %16 = mul %14, %4 : i32
  %17 = ptr_add %1, %16 : ptr<f32>
  %18 = const {value = 16, ty = i32} : i32
  copy_in %10, %6, %15, %18, %5, %5, %5 {arg = 0, async = true}
  copy_in %11, %6, %17, %18, %5, %4, %5 {arg = 1, async = true}
  buf_matmul %7, %8, %9, %9 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
  copy_wait
  %19 = const {value = 32, ty = i32} : i32
  %20 = ptr_add %0, %19 : ptr<f32>
  %21 = mul %19, %4 : i32
  %22 = ptr_add %1, %21 : ptr<f32>
  %23 = const {value = 16, ty = i32} : i32
  copy_in %7, %6, %20, %23, %5, %5, %5 {arg = 0, async = true}
  copy_in %8, %6, %22, %23, %5, %4, %5 {arg = 1, async = true}
  buf_matmul %10, %11, %9, %9 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
  copy_wait
  %24 = const {value = 48, ty = i32} : i32
  %25 = ptr_add %0, %24 : ptr<f32>
  %26 = mul %24, %4 : i32
  %27 = ptr_add %1, %26 : ptr<f32>
  %28 = const {value = 16, ty = i32} : i32
  copy_in %10, %6, %25, %28, %5, %5, %5 {arg = 0, async = true}
  copy_in %11, %6, %27, %28, %5, %4, %5 {arg = 1, async = true}
  buf_matmul %7, %8, %9, %9 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
  copy_wait
  %29 = const {value = 4, ty = i32} : i32
  buf_matmul %10, %11, %9, %9 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0}
  %30 = const {value = 0, ty = i32} : i32
  %31 = ptr_add %13, %30 : ptr<f32>
  %32 = const {value = 0, ty = i32} : i32
  copy_out %31, %9, %32, %5, %29, %4, %5 {arg = 2, async = true, tail = true}
  buf_matmul %10, %11, %9, %9 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 4}
  %33 = const {value = 4, ty = i32} : i32
  %34 = mul %33, %4 : i32
  %35 = ptr_add %13, %34 : ptr<f32>
  %36 = const {value = 64, ty = i32} : i32
  copy_out %35, %9, %36, %5, %29, %4, %5 {arg = 2, async = true, tail = true}
  buf_matmul %10, %11, %9, %9 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 8}
  %37 = const {value = 8, ty = i32} : i32
  %38 = mul %37, %4 : i32
  %39 = ptr_add %13, %38 : ptr<f32>
  %40 = const {value = 128, ty = i32} : i32
  copy_out %39, %9, %40, %5, %29, %4, %5 {arg = 2, async = true, tail = true}
  buf_matmul %10, %11, %9, %9 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 12}
  %41 = const {value = 12, ty = i32} : i32
  %42 = mul %41, %4 : i32
  %43 = ptr_add %13, %42 : ptr<f32>
  %44 = const {value = 192, ty = i32} : i32
  copy_out %43, %9, %44, %5, %29, %4, %5 {arg = 2, async = true, tail = true}
  copy_wait {out = true}
  return
}
