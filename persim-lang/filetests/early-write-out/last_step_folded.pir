; passes: early-write-out, canonicalize, dce
; target: dma-matmul
; The same loop, cleaned up: the alternation's parity at the peeled steps
; folds (two steps: 0, then 1), so one version of each step is left, the
; last step's prefetch of a fifth (count 0) is gone, and the loop's
; parity result is unused.
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
  %6 = const {value = 4, ty = i32} : i32
  %7 = const {value = 0, ty = i32} : i32
  %8 = alloc {ty = buf<256xf32>, offset = 1024} : buf<256xf32>
  %9 = alloc {ty = buf<256xf32>, offset = 2048} : buf<256xf32>
  copy_in %8, %7, %0, %5, %5, %5, %5 {arg = 0, async = true}
  copy_in %9, %7, %1, %5, %5, %4, %5 {arg = 1, async = true}
  %10 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  %11 = const {value = 1, ty = i32} : i32
  %12 = alloc {ty = buf<256xf32>, offset = 3072} : buf<256xf32>
  %13 = alloc {ty = buf<256xf32>, offset = 4096} : buf<256xf32>
  %14 = const {value = 2, ty = i32} : i32
  %15 = for %7, %14, %11, %7 : i32 {
  ^(%16: i32, %17: i32):
    copy_wait
    %18 = add %16, %11 : i32
    %19 = mul %18, %5 : i32
    %20 = ptr_add %0, %19 : ptr<f32>
    %21 = mul %19, %4 : i32
    %22 = ptr_add %1, %21 : ptr<f32>
    %23 = cmp %18, %6 {pred = lt} : i1
    %24 = select %23, %5, %7 : i32
    %25 = cmp %17, %7 {pred = eq} : i1
    if %25 {
      copy_in %12, %7, %20, %24, %5, %5, %5 {arg = 0, async = true}
      copy_in %13, %7, %22, %24, %5, %4, %5 {arg = 1, async = true}
      buf_matmul %8, %9, %10, %10 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    } {
      copy_in %8, %7, %20, %24, %5, %5, %5 {arg = 0, async = true}
      copy_in %9, %7, %22, %24, %5, %4, %5 {arg = 1, async = true}
      buf_matmul %12, %13, %10, %10 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    }
    %26 = sub %11, %17 : i32
    yield %26
  }
  copy_wait
  %27 = mul %3, %4 : i32
  %28 = ptr_add %2, %27 : ptr<f32>
  copy_wait
  %29 = const {value = 48, ty = i32} : i32
  %30 = ptr_add %0, %29 : ptr<f32>
  %31 = mul %29, %4 : i32
  %32 = ptr_add %1, %31 : ptr<f32>
  %33 = const {value = 16, ty = i32} : i32
  copy_in %12, %7, %30, %33, %5, %5, %5 {arg = 0, async = true}
  copy_in %13, %7, %32, %33, %5, %4, %5 {arg = 1, async = true}
  buf_matmul %8, %9, %10, %10 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
  copy_wait
  %34 = const {value = 4, ty = i32} : i32
  buf_matmul %12, %13, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0}
  %35 = const {value = 0, ty = i32} : i32
  %36 = ptr_add %28, %35 : ptr<f32>
  %37 = const {value = 0, ty = i32} : i32
  copy_out %36, %10, %37, %5, %34, %4, %5 {arg = 2, async = true}
  buf_matmul %12, %13, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 4}
  %38 = const {value = 4, ty = i32} : i32
  %39 = mul %38, %4 : i32
  %40 = ptr_add %28, %39 : ptr<f32>
  %41 = const {value = 64, ty = i32} : i32
  copy_out %40, %10, %41, %5, %34, %4, %5 {arg = 2, async = true}
  buf_matmul %12, %13, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 8}
  %42 = const {value = 8, ty = i32} : i32
  %43 = mul %42, %4 : i32
  %44 = ptr_add %28, %43 : ptr<f32>
  %45 = const {value = 128, ty = i32} : i32
  copy_out %44, %10, %45, %5, %34, %4, %5 {arg = 2, async = true}
  buf_matmul %12, %13, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 12}
  %46 = const {value = 12, ty = i32} : i32
  %47 = mul %46, %4 : i32
  %48 = ptr_add %28, %47 : ptr<f32>
  %49 = const {value = 192, ty = i32} : i32
  copy_out %48, %10, %49, %5, %34, %4, %5 {arg = 2, async = true}
  copy_wait {out = true}
  return
}
