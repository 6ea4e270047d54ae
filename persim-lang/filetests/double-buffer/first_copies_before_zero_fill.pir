; passes: double-buffer
; target: dma
; The matmul of `twin_tiles_for_matmul.pir` after a zero fill of its
; accumulator (a loop of local stores): the first step's copies need
; neither the fill nor its buffer, so they start before it and the
; transfer overlaps the fill.
; check: copy_in
; check: copy_in
; check: buf_store
; check: = for
kernel @matmul(%0 a: ptr<f32>, %1 b: ptr<f32>, %2 c: ptr<f32> mut, %3 m: i32, %4 n: i32, %5 k: i32) attrs {lanes = 4, local_mem = 3072} {
  %6 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  %8 = const {value = 16, ty = i32} : i32
  %14 = const {value = 1, ty = i32} : i32
  %16 = div %5, %8 : i32
  %17 = const {value = 0, ty = i32} : i32
  %18 = mul %3, %5 : i32
  %7 = const {value = 0.0, ty = f32} : f32
  %9 = splat %7 {shape = [4]} : tile<4xf32>
  %10 = const {value = 256, ty = i32} : i32
  %11 = const {value = 4, ty = i32} : i32
  for %17, %10, %11 {
  ^(%12: i32):
    buf_store %6, %12, %9
    yield
  }
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
  %25 = const {value = 0.0, ty = f32} : f32
  %26 = splat %25 {shape = [4]} : tile<4xf32>
  %27 = const {value = 256, ty = i32} : i32
  %28 = const {value = 4, ty = i32} : i32
  for %8, %27, %28 {
  ^(%29: i32):
    buf_store %23, %29, %26
    yield
  }
  %30 = alloc {ty = buf<256xf32>, offset = 3072} : buf<256xf32>
  %31 = alloc {ty = buf<256xf32>, offset = 4096} : buf<256xf32>
  %32 = for %8, %7, %24, %12 : i32 {
  ^(%33: i32, %34: i32):
    %35 = mul %33, %6 : i32
    %36 = add %9, %35 : i32
    %37 = ptr_add %0, %36 : ptr<f32>
    %38 = const {value = 0, ty = i32} : i32
    %39 = mul %35, %4 : i32
    %40 = ptr_add %1, %39 : ptr<f32>
    copy_wait
    %41 = add %33, %24 : i32
    %42 = mul %41, %6 : i32
    %43 = add %9, %42 : i32
    %44 = ptr_add %0, %43 : ptr<f32>
    %45 = const {value = 0, ty = i32} : i32
    %46 = mul %42, %4 : i32
    %47 = ptr_add %1, %46 : ptr<f32>
    %48 = cmp %41, %7 {pred = lt} : i1
    %49 = const {value = 0, ty = i32} : i32
    %50 = select %48, %6, %49 : i32
    %51 = select %48, %6, %49 : i32
    %52 = const {value = 0, ty = i32} : i32
    %53 = cmp %34, %52 {pred = eq} : i1
    if %53 {
      copy_in %30, %45, %44, %50, %6, %5, %6 {arg = 0, async = true}
      copy_in %31, %45, %47, %51, %6, %4, %6 {arg = 1, async = true}
      buf_matmul %10, %11, %23, %23 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    } {
      copy_in %10, %45, %44, %50, %6, %5, %6 {arg = 0, async = true}
      copy_in %11, %45, %47, %51, %6, %4, %6 {arg = 1, async = true}
      buf_matmul %30, %31, %23, %23 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
      yield
    }
    %54 = const {value = 1, ty = i32} : i32
    %55 = sub %54, %34 : i32
    yield %55
  }
  copy_wait
  %56 = const {value = 0, ty = i32} : i32
  copy_out %2, %23, %56, %6, %6, %4, %6 {arg = 2}
  return
}
