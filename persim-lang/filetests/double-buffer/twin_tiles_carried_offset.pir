; passes: double-buffer
; target: dma
; Triton's tutorial advances its pointers (`a_ptrs += BLOCK_K`): the
; copy's source reads a carried offset that each iteration increases by a
; loop-invariant step. The next step's copy uses `offset + step`, the
; first one (before the loop) the offset's initial value.
kernel @matmul(%0 a: ptr<f32>, %1 b: ptr<f32>, %2 c: ptr<f32> mut, %3 m: i32, %4 n: i32, %5 k: i32) attrs {lanes = 4, local_mem = 3072} {
  %6 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  %8 = const {value = 16, ty = i32} : i32
  %14 = const {value = 1, ty = i32} : i32
  %16 = div %5, %8 : i32
  %17 = const {value = 0, ty = i32} : i32
  %18 = mul %3, %5 : i32
  %19 = for %17, %16, %14, %18 : i32 {
  ^(%24: i32, %40: i32):
    %25 = alloc {ty = buf<256xf32>, offset = 1024} : buf<256xf32>
    %26 = alloc {ty = buf<256xf32>, offset = 2048} : buf<256xf32>
    %29 = ptr_add %0, %40 : ptr<f32>
    %30 = const {value = 0, ty = i32} : i32
    copy_in %25, %30, %29, %8, %8, %5, %8 {arg = 0}
    %27 = mul %24, %8 : i32
    %34 = mul %27, %4 : i32
    %36 = ptr_add %1, %34 : ptr<f32>
    copy_in %26, %30, %36, %8, %8, %4, %8 {arg = 1}
    buf_matmul %25, %26, %6, %6 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    %41 = add %40, %8 : i32
    yield %41
  }
  %44 = const {value = 0, ty = i32} : i32
  copy_out %2, %6, %44, %8, %8, %4, %8 {arg = 2}
  return
}
; expect:
kernel @matmul(%0 a: ptr<f32>, %1 b: ptr<f32>, %2 c: ptr<f32> mut, %3 m: i32, %4 n: i32, %5 k: i32) attrs {lanes = 4, local_mem = 5120} {
  %6 = const {value = 16, ty = i32} : i32
  %7 = div %5, %6 : i32
  %8 = const {value = 0, ty = i32} : i32
  %9 = mul %3, %5 : i32
  %10 = alloc {ty = buf<256xf32>, offset = 1024} : buf<256xf32>
  %11 = alloc {ty = buf<256xf32>, offset = 2048} : buf<256xf32>
  %12 = const {value = 0, ty = i32} : i32
  %13 = ptr_add %0, %9 : ptr<f32>
  %14 = const {value = 0, ty = i32} : i32
  %15 = mul %8, %6 : i32
  %16 = mul %15, %4 : i32
  %17 = ptr_add %1, %16 : ptr<f32>
  %18 = cmp %8, %7 {pred = lt} : i1
  %19 = const {value = 0, ty = i32} : i32
  %20 = select %18, %6, %19 : i32
  %21 = select %18, %6, %19 : i32
  copy_in %10, %14, %13, %20, %6, %5, %6 {arg = 0, async = true}
  copy_in %11, %14, %17, %21, %6, %4, %6 {arg = 1, async = true}
  %22 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  %23 = const {value = 1, ty = i32} : i32
  %24 = alloc {ty = buf<256xf32>, offset = 3072} : buf<256xf32>
  %25 = alloc {ty = buf<256xf32>, offset = 4096} : buf<256xf32>
  %26, %27 = for %8, %7, %23, %9, %12 : i32, i32 {
  ^(%28: i32, %29: i32, %30: i32):
    %31 = ptr_add %0, %29 : ptr<f32>
    %32 = const {value = 0, ty = i32} : i32
    %33 = mul %28, %6 : i32
    %34 = mul %33, %4 : i32
    %35 = ptr_add %1, %34 : ptr<f32>
    copy_wait
    %36 = add %28, %23 : i32
    %37 = add %29, %6 : i32
    %38 = ptr_add %0, %37 : ptr<f32>
    %39 = const {value = 0, ty = i32} : i32
    %40 = mul %36, %6 : i32
    %41 = mul %40, %4 : i32
    %42 = ptr_add %1, %41 : ptr<f32>
    %43 = cmp %36, %7 {pred = lt} : i1
    %44 = const {value = 0, ty = i32} : i32
    %45 = select %43, %6, %44 : i32
    %46 = select %43, %6, %44 : i32
    %47 = const {value = 0, ty = i32} : i32
    %48 = cmp %30, %47 {pred = eq} : i1
    %49 = if %48 : i32 {
      copy_in %24, %39, %38, %45, %6, %5, %6 {arg = 0, async = true}
      copy_in %25, %39, %42, %46, %6, %4, %6 {arg = 1, async = true}
      buf_matmul %10, %11, %22, %22 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      %50 = add %29, %6 : i32
      yield %50
    } {
      copy_in %10, %39, %38, %45, %6, %5, %6 {arg = 0, async = true}
      copy_in %11, %39, %42, %46, %6, %4, %6 {arg = 1, async = true}
      buf_matmul %24, %25, %22, %22 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      %51 = add %29, %6 : i32
      yield %51
    }
    %52 = const {value = 1, ty = i32} : i32
    %53 = sub %52, %30 : i32
    yield %49, %53
  }
  copy_wait
  %54 = const {value = 0, ty = i32} : i32
  copy_out %2, %22, %54, %6, %6, %4, %6 {arg = 2}
  return
}
