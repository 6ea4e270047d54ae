; passes: double-buffer
; target: dma
; A matmul `k` loop (affine tile loads lowered to 2-D copies): the tiles go
; to `buf_matmul`, which takes no offset into a buffer, so each tile
; buffer gets a twin and the body runs in two versions that swap them
; (alternation). The first step's tiles are copied before the loop; each
; step waits for its tiles, starts the next step's into the other twins
; (count 0 past the end) and multiplies. The allocs move out of the loop.
kernel @matmul(%0 a: ptr<f32>, %1 b: ptr<f32>, %2 c: ptr<f32> mut, %3 m: i32, %4 n: i32, %5 k: i32) attrs {lanes = 4, local_mem = 3072} {
  %6 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  %8 = const {value = 16, ty = i32} : i32
  %14 = const {value = 1, ty = i32} : i32
  %16 = div %5, %8 : i32
  %17 = const {value = 0, ty = i32} : i32
  %18 = mul %3, %5 : i32
  for %17, %16, %14 {
  ^(%24: i32):
    %25 = alloc {ty = buf<256xf32>, offset = 1024} : buf<256xf32>
    %26 = alloc {ty = buf<256xf32>, offset = 2048} : buf<256xf32>
    %27 = mul %24, %8 : i32
    %28 = add %18, %27 : i32
    %29 = ptr_add %0, %28 : ptr<f32>
    %30 = const {value = 0, ty = i32} : i32
    copy_in %25, %30, %29, %8, %8, %5, %8 {arg = 0}
    %34 = mul %27, %4 : i32
    %36 = ptr_add %1, %34 : ptr<f32>
    copy_in %26, %30, %36, %8, %8, %4, %8 {arg = 1}
    buf_matmul %25, %26, %6, %6 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    yield
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
  %13 = mul %8, %6 : i32
  %14 = add %9, %13 : i32
  %15 = ptr_add %0, %14 : ptr<f32>
  %16 = const {value = 0, ty = i32} : i32
  %17 = mul %13, %4 : i32
  %18 = ptr_add %1, %17 : ptr<f32>
  %19 = cmp %8, %7 {pred = lt} : i1
  %20 = const {value = 0, ty = i32} : i32
  %21 = select %19, %6, %20 : i32
  %22 = select %19, %6, %20 : i32
  copy_in %10, %16, %15, %21, %6, %5, %6 {arg = 0, async = true}
  copy_in %11, %16, %18, %22, %6, %4, %6 {arg = 1, async = true}
  %23 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  %24 = const {value = 1, ty = i32} : i32
  %25 = alloc {ty = buf<256xf32>, offset = 3072} : buf<256xf32>
  %26 = alloc {ty = buf<256xf32>, offset = 4096} : buf<256xf32>
  %27 = for %8, %7, %24, %12 : i32 {
  ^(%28: i32, %29: i32):
    %30 = mul %28, %6 : i32
    %31 = add %9, %30 : i32
    %32 = ptr_add %0, %31 : ptr<f32>
    %33 = const {value = 0, ty = i32} : i32
    %34 = mul %30, %4 : i32
    %35 = ptr_add %1, %34 : ptr<f32>
    copy_wait
    %36 = add %28, %24 : i32
    %37 = mul %36, %6 : i32
    %38 = add %9, %37 : i32
    %39 = ptr_add %0, %38 : ptr<f32>
    %40 = const {value = 0, ty = i32} : i32
    %41 = mul %37, %4 : i32
    %42 = ptr_add %1, %41 : ptr<f32>
    %43 = cmp %36, %7 {pred = lt} : i1
    %44 = const {value = 0, ty = i32} : i32
    %45 = select %43, %6, %44 : i32
    %46 = select %43, %6, %44 : i32
    %47 = const {value = 0, ty = i32} : i32
    %48 = cmp %29, %47 {pred = eq} : i1
    if %48 {
      copy_in %25, %40, %39, %45, %6, %5, %6 {arg = 0, async = true}
      copy_in %26, %40, %42, %46, %6, %4, %6 {arg = 1, async = true}
      buf_matmul %10, %11, %23, %23 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    } {
      copy_in %10, %40, %39, %45, %6, %5, %6 {arg = 0, async = true}
      copy_in %11, %40, %42, %46, %6, %4, %6 {arg = 1, async = true}
      buf_matmul %25, %26, %23, %23 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    }
    %49 = const {value = 1, ty = i32} : i32
    %50 = sub %49, %29 : i32
    yield %50
  }
  copy_wait
  %51 = const {value = 0, ty = i32} : i32
  copy_out %2, %23, %51, %6, %6, %4, %6 {arg = 2}
  return
}
