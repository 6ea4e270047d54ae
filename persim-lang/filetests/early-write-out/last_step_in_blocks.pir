; passes: early-write-out
; target: dma-matmul
; A matmul `k` loop of four steps after `double-buffer` (twin tiles, the
; body in two versions): peeled whole (four steps, the most peeled), the
; steps follow the loop, which runs no step, where the copy out was (the
; parity they start from computed from its initial value). In both versions of the last step its 16-row
; product runs as four blocks of 4 rows (the lanes), each copied out
; asynchronously as soon as it is final; a `copy_wait {out = true}`
; replaces the copy.
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
  %14 = const {value = 0, ty = i32} : i32
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
  %29 = const {value = 0, ty = i32} : i32
  copy_wait
  %30 = add %29, %11 : i32
  %31 = mul %30, %5 : i32
  %32 = ptr_add %0, %31 : ptr<f32>
  %33 = mul %31, %4 : i32
  %34 = ptr_add %1, %33 : ptr<f32>
  %35 = cmp %30, %6 {pred = lt} : i1
  %36 = select %35, %5, %7 : i32
  %37 = cmp %7, %7 {pred = eq} : i1
  if %37 {
    copy_in %12, %7, %32, %36, %5, %5, %5 {arg = 0, async = true}
    copy_in %13, %7, %34, %36, %5, %4, %5 {arg = 1, async = true}
    buf_matmul %8, %9, %10, %10 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    yield
  } {
    copy_in %8, %7, %32, %36, %5, %5, %5 {arg = 0, async = true}
    copy_in %9, %7, %34, %36, %5, %4, %5 {arg = 1, async = true}
    buf_matmul %12, %13, %10, %10 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    yield
  }
  %38 = sub %11, %7 : i32
  %39 = const {value = 1, ty = i32} : i32
  copy_wait
  %40 = add %39, %11 : i32
  %41 = mul %40, %5 : i32
  %42 = ptr_add %0, %41 : ptr<f32>
  %43 = mul %41, %4 : i32
  %44 = ptr_add %1, %43 : ptr<f32>
  %45 = cmp %40, %6 {pred = lt} : i1
  %46 = select %45, %5, %7 : i32
  %47 = cmp %38, %7 {pred = eq} : i1
  if %47 {
    copy_in %12, %7, %42, %46, %5, %5, %5 {arg = 0, async = true}
    copy_in %13, %7, %44, %46, %5, %4, %5 {arg = 1, async = true}
    buf_matmul %8, %9, %10, %10 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    yield
  } {
    copy_in %8, %7, %42, %46, %5, %5, %5 {arg = 0, async = true}
    copy_in %9, %7, %44, %46, %5, %4, %5 {arg = 1, async = true}
    buf_matmul %12, %13, %10, %10 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    yield
  }
  %48 = sub %11, %38 : i32
  %49 = const {value = 2, ty = i32} : i32
  copy_wait
  %50 = add %49, %11 : i32
  %51 = mul %50, %5 : i32
  %52 = ptr_add %0, %51 : ptr<f32>
  %53 = mul %51, %4 : i32
  %54 = ptr_add %1, %53 : ptr<f32>
  %55 = cmp %50, %6 {pred = lt} : i1
  %56 = select %55, %5, %7 : i32
  %57 = cmp %48, %7 {pred = eq} : i1
  if %57 {
    copy_in %12, %7, %52, %56, %5, %5, %5 {arg = 0, async = true}
    copy_in %13, %7, %54, %56, %5, %4, %5 {arg = 1, async = true}
    buf_matmul %8, %9, %10, %10 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    yield
  } {
    copy_in %8, %7, %52, %56, %5, %5, %5 {arg = 0, async = true}
    copy_in %9, %7, %54, %56, %5, %4, %5 {arg = 1, async = true}
    buf_matmul %12, %13, %10, %10 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    yield
  }
  %58 = sub %11, %48 : i32
  %59 = const {value = 3, ty = i32} : i32
  copy_wait
  %60 = add %59, %11 : i32
  %61 = mul %60, %5 : i32
  %62 = ptr_add %0, %61 : ptr<f32>
  %63 = mul %61, %4 : i32
  %64 = ptr_add %1, %63 : ptr<f32>
  %65 = cmp %60, %6 {pred = lt} : i1
  %66 = select %65, %5, %7 : i32
  %67 = cmp %58, %7 {pred = eq} : i1
  if %67 {
    copy_in %12, %7, %62, %66, %5, %5, %5 {arg = 0, async = true}
    copy_in %13, %7, %64, %66, %5, %4, %5 {arg = 1, async = true}
    %68 = const {value = 4, ty = i32} : i32
    buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0}
    %69 = const {value = 0, ty = i32} : i32
    %70 = mul %69, %4 : i32
    %71 = ptr_add %28, %70 : ptr<f32>
    %72 = const {value = 0, ty = i32} : i32
    copy_out %71, %10, %72, %5, %68, %4, %5 {arg = 2, async = true, tail = true}
    buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 4}
    %73 = const {value = 4, ty = i32} : i32
    %74 = mul %73, %4 : i32
    %75 = ptr_add %28, %74 : ptr<f32>
    %76 = const {value = 64, ty = i32} : i32
    copy_out %75, %10, %76, %5, %68, %4, %5 {arg = 2, async = true, tail = true}
    buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 8}
    %77 = const {value = 8, ty = i32} : i32
    %78 = mul %77, %4 : i32
    %79 = ptr_add %28, %78 : ptr<f32>
    %80 = const {value = 128, ty = i32} : i32
    copy_out %79, %10, %80, %5, %68, %4, %5 {arg = 2, async = true, tail = true}
    buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 12}
    %81 = const {value = 12, ty = i32} : i32
    %82 = mul %81, %4 : i32
    %83 = ptr_add %28, %82 : ptr<f32>
    %84 = const {value = 192, ty = i32} : i32
    copy_out %83, %10, %84, %5, %68, %4, %5 {arg = 2, async = true, tail = true}
    yield
  } {
    copy_in %8, %7, %62, %66, %5, %5, %5 {arg = 0, async = true}
    copy_in %9, %7, %64, %66, %5, %4, %5 {arg = 1, async = true}
    %85 = const {value = 4, ty = i32} : i32
    buf_matmul %12, %13, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0}
    %86 = const {value = 0, ty = i32} : i32
    %87 = mul %86, %4 : i32
    %88 = ptr_add %28, %87 : ptr<f32>
    %89 = const {value = 0, ty = i32} : i32
    copy_out %88, %10, %89, %5, %85, %4, %5 {arg = 2, async = true, tail = true}
    buf_matmul %12, %13, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 4}
    %90 = const {value = 4, ty = i32} : i32
    %91 = mul %90, %4 : i32
    %92 = ptr_add %28, %91 : ptr<f32>
    %93 = const {value = 64, ty = i32} : i32
    copy_out %92, %10, %93, %5, %85, %4, %5 {arg = 2, async = true, tail = true}
    buf_matmul %12, %13, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 8}
    %94 = const {value = 8, ty = i32} : i32
    %95 = mul %94, %4 : i32
    %96 = ptr_add %28, %95 : ptr<f32>
    %97 = const {value = 128, ty = i32} : i32
    copy_out %96, %10, %97, %5, %85, %4, %5 {arg = 2, async = true, tail = true}
    buf_matmul %12, %13, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 12}
    %98 = const {value = 12, ty = i32} : i32
    %99 = mul %98, %4 : i32
    %100 = ptr_add %28, %99 : ptr<f32>
    %101 = const {value = 192, ty = i32} : i32
    copy_out %100, %10, %101, %5, %85, %4, %5 {arg = 2, async = true, tail = true}
    yield
  }
  %102 = sub %11, %58 : i32
  copy_wait {out = true}
  return
}
