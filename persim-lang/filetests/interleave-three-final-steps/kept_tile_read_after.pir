; passes: early-write-out, canonicalize, dce, interleave-three-final-steps, interleave-final-steps, fetch-last-operand-early
; target: dma-matmul
; Left alone: after the last step, the kernel reads its `a` tile again
; (a copy of it out), so its rows cannot move to other buffers.
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
  copy_out %61, %25, %8, %6, %9, %4, %6 {arg = 2}
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
  %15 = for %7, %6, %12, %7 : i32 {
  ^(%16: i32, %17: i32):
    copy_wait
    %18 = add %16, %12 : i32
    %19 = mul %18, %5 : i32
    %20 = ptr_add %0, %19 : ptr<f32>
    %21 = mul %19, %4 : i32
    %22 = ptr_add %1, %21 : ptr<f32>
    %23 = cmp %18, %6 {pred = lt} : i1
    %24 = select %23, %5, %7 : i32
    %25 = cmp %17, %7 {pred = eq} : i1
    if %25 {
      copy_in %13, %7, %20, %24, %8, %5, %5 {arg = 0, async = true}
      copy_in %14, %7, %22, %24, %5, %4, %5 {arg = 1, async = true}
      buf_matmul %9, %10, %11, %11 {m = 32, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    } {
      copy_in %9, %7, %20, %24, %8, %5, %5 {arg = 0, async = true}
      copy_in %10, %7, %22, %24, %5, %4, %5 {arg = 1, async = true}
      buf_matmul %13, %14, %11, %11 {m = 32, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    }
    %26 = sub %12, %17 : i32
    yield %26
  }
  copy_wait
  %27 = mul %3, %4 : i32
  %28 = ptr_add %2, %27 : ptr<f32>
  copy_out %28, %11, %7, %5, %8, %4, %5 {arg = 2}
  copy_out %28, %13, %7, %5, %8, %4, %5 {arg = 2}
  return
}
