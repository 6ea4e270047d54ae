; passes: double-buffer
; target: dma
; A global store before the matmul's `k` loop: the first step's copies
; must not start before it (a copy may not cross a write to global
; memory), though it is independent of them.
; check: {arg = 2}
; check: copy_in
; check: copy_in
; check: = for
kernel @matmul(%0 a: ptr<f32>, %1 b: ptr<f32>, %2 c: ptr<f32> mut, %3 m: i32, %4 n: i32, %5 k: i32) attrs {lanes = 4, local_mem = 3072} {
  %6 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  %8 = const {value = 16, ty = i32} : i32
  %14 = const {value = 1, ty = i32} : i32
  %16 = div %5, %8 : i32
  %17 = const {value = 0, ty = i32} : i32
  %18 = mul %3, %5 : i32
  %7 = const {value = 0.0, ty = f32} : f32
  %9 = ptr_add %2, %17 : ptr<f32>
  store %9, %7 {arg = 2}
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
  %6 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  %7 = const {value = 16, ty = i32} : i32
  %8 = const {value = 1, ty = i32} : i32
  %9 = div %5, %7 : i32
  %10 = const {value = 0, ty = i32} : i32
  %11 = mul %3, %5 : i32
  %12 = const {value = 0.0, ty = f32} : f32
  %13 = ptr_add %2, %10 : ptr<f32>
  store %13, %12 {arg = 2}
  %14 = alloc {ty = buf<256xf32>, offset = 1024} : buf<256xf32>
  %15 = alloc {ty = buf<256xf32>, offset = 2048} : buf<256xf32>
  %16 = const {value = 0, ty = i32} : i32
  %17 = mul %10, %7 : i32
  %18 = add %11, %17 : i32
  %19 = ptr_add %0, %18 : ptr<f32>
  %20 = const {value = 0, ty = i32} : i32
  %21 = mul %17, %4 : i32
  %22 = ptr_add %1, %21 : ptr<f32>
  %23 = cmp %10, %9 {pred = lt} : i1
  %24 = const {value = 0, ty = i32} : i32
  %25 = select %23, %7, %24 : i32
  %26 = select %23, %7, %24 : i32
  copy_in %14, %20, %19, %25, %7, %5, %7 {arg = 0, async = true}
  copy_in %15, %20, %22, %26, %7, %4, %7 {arg = 1, async = true}
  %27 = alloc {ty = buf<256xf32>, offset = 3072} : buf<256xf32>
  %28 = alloc {ty = buf<256xf32>, offset = 4096} : buf<256xf32>
  %29 = for %10, %9, %8, %16 : i32 {
  ^(%30: i32, %31: i32):
    %32 = mul %30, %7 : i32
    %33 = add %11, %32 : i32
    %34 = ptr_add %0, %33 : ptr<f32>
    %35 = const {value = 0, ty = i32} : i32
    %36 = mul %32, %4 : i32
    %37 = ptr_add %1, %36 : ptr<f32>
    copy_wait
    %38 = add %30, %8 : i32
    %39 = mul %38, %7 : i32
    %40 = add %11, %39 : i32
    %41 = ptr_add %0, %40 : ptr<f32>
    %42 = const {value = 0, ty = i32} : i32
    %43 = mul %39, %4 : i32
    %44 = ptr_add %1, %43 : ptr<f32>
    %45 = cmp %38, %9 {pred = lt} : i1
    %46 = const {value = 0, ty = i32} : i32
    %47 = select %45, %7, %46 : i32
    %48 = select %45, %7, %46 : i32
    %49 = const {value = 0, ty = i32} : i32
    %50 = cmp %31, %49 {pred = eq} : i1
    if %50 {
      copy_in %27, %42, %41, %47, %7, %5, %7 {arg = 0, async = true}
      copy_in %28, %42, %44, %48, %7, %4, %7 {arg = 1, async = true}
      buf_matmul %14, %15, %6, %6 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    } {
      copy_in %14, %42, %41, %47, %7, %5, %7 {arg = 0, async = true}
      copy_in %15, %42, %44, %48, %7, %4, %7 {arg = 1, async = true}
      buf_matmul %27, %28, %6, %6 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    }
    %51 = const {value = 1, ty = i32} : i32
    %52 = sub %51, %31 : i32
    yield %52
  }
  copy_wait
  %53 = const {value = 0, ty = i32} : i32
  copy_out %2, %6, %53, %7, %7, %4, %7 {arg = 2}
  return
}
