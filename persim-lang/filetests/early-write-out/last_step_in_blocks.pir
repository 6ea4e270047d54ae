; passes: early-write-out
; target: dma-matmul
; A matmul `k` loop of four steps after `double-buffer` (twin tiles, the
; body in two versions): the loop stops after one step and the last three
; follow it, where the copy out was (the parity they start from computed
; from its initial value). In both versions of the last step its 16-row
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
  %14 = const {value = 1, ty = i32} : i32
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
  %29 = sub %11, %7 : i32
  %30 = const {value = 1, ty = i32} : i32
  copy_wait
  %31 = add %30, %11 : i32
  %32 = mul %31, %5 : i32
  %33 = ptr_add %0, %32 : ptr<f32>
  %34 = mul %32, %4 : i32
  %35 = ptr_add %1, %34 : ptr<f32>
  %36 = cmp %31, %6 {pred = lt} : i1
  %37 = select %36, %5, %7 : i32
  %38 = cmp %29, %7 {pred = eq} : i1
  if %38 {
    copy_in %12, %7, %33, %37, %5, %5, %5 {arg = 0, async = true}
    copy_in %13, %7, %35, %37, %5, %4, %5 {arg = 1, async = true}
    buf_matmul %8, %9, %10, %10 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    yield
  } {
    copy_in %8, %7, %33, %37, %5, %5, %5 {arg = 0, async = true}
    copy_in %9, %7, %35, %37, %5, %4, %5 {arg = 1, async = true}
    buf_matmul %12, %13, %10, %10 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    yield
  }
  %39 = sub %11, %29 : i32
  %40 = const {value = 2, ty = i32} : i32
  copy_wait
  %41 = add %40, %11 : i32
  %42 = mul %41, %5 : i32
  %43 = ptr_add %0, %42 : ptr<f32>
  %44 = mul %42, %4 : i32
  %45 = ptr_add %1, %44 : ptr<f32>
  %46 = cmp %41, %6 {pred = lt} : i1
  %47 = select %46, %5, %7 : i32
  %48 = cmp %39, %7 {pred = eq} : i1
  if %48 {
    copy_in %12, %7, %43, %47, %5, %5, %5 {arg = 0, async = true}
    copy_in %13, %7, %45, %47, %5, %4, %5 {arg = 1, async = true}
    buf_matmul %8, %9, %10, %10 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    yield
  } {
    copy_in %8, %7, %43, %47, %5, %5, %5 {arg = 0, async = true}
    copy_in %9, %7, %45, %47, %5, %4, %5 {arg = 1, async = true}
    buf_matmul %12, %13, %10, %10 {m = 16, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16}
    yield
  }
  %49 = sub %11, %39 : i32
  %50 = const {value = 3, ty = i32} : i32
  copy_wait
  %51 = add %50, %11 : i32
  %52 = mul %51, %5 : i32
  %53 = ptr_add %0, %52 : ptr<f32>
  %54 = mul %52, %4 : i32
  %55 = ptr_add %1, %54 : ptr<f32>
  %56 = cmp %51, %6 {pred = lt} : i1
  %57 = select %56, %5, %7 : i32
  %58 = cmp %49, %7 {pred = eq} : i1
  if %58 {
    copy_in %12, %7, %53, %57, %5, %5, %5 {arg = 0, async = true}
    copy_in %13, %7, %55, %57, %5, %4, %5 {arg = 1, async = true}
    %59 = const {value = 4, ty = i32} : i32
    buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0}
    %60 = const {value = 0, ty = i32} : i32
    %61 = mul %60, %4 : i32
    %62 = ptr_add %28, %61 : ptr<f32>
    %63 = const {value = 0, ty = i32} : i32
    copy_out %62, %10, %63, %5, %59, %4, %5 {arg = 2, async = true}
    buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 4}
    %64 = const {value = 4, ty = i32} : i32
    %65 = mul %64, %4 : i32
    %66 = ptr_add %28, %65 : ptr<f32>
    %67 = const {value = 64, ty = i32} : i32
    copy_out %66, %10, %67, %5, %59, %4, %5 {arg = 2, async = true}
    buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 8}
    %68 = const {value = 8, ty = i32} : i32
    %69 = mul %68, %4 : i32
    %70 = ptr_add %28, %69 : ptr<f32>
    %71 = const {value = 128, ty = i32} : i32
    copy_out %70, %10, %71, %5, %59, %4, %5 {arg = 2, async = true}
    buf_matmul %8, %9, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 12}
    %72 = const {value = 12, ty = i32} : i32
    %73 = mul %72, %4 : i32
    %74 = ptr_add %28, %73 : ptr<f32>
    %75 = const {value = 192, ty = i32} : i32
    copy_out %74, %10, %75, %5, %59, %4, %5 {arg = 2, async = true}
    yield
  } {
    copy_in %8, %7, %53, %57, %5, %5, %5 {arg = 0, async = true}
    copy_in %9, %7, %55, %57, %5, %4, %5 {arg = 1, async = true}
    %76 = const {value = 4, ty = i32} : i32
    buf_matmul %12, %13, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 0}
    %77 = const {value = 0, ty = i32} : i32
    %78 = mul %77, %4 : i32
    %79 = ptr_add %28, %78 : ptr<f32>
    %80 = const {value = 0, ty = i32} : i32
    copy_out %79, %10, %80, %5, %76, %4, %5 {arg = 2, async = true}
    buf_matmul %12, %13, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 4}
    %81 = const {value = 4, ty = i32} : i32
    %82 = mul %81, %4 : i32
    %83 = ptr_add %28, %82 : ptr<f32>
    %84 = const {value = 64, ty = i32} : i32
    copy_out %83, %10, %84, %5, %76, %4, %5 {arg = 2, async = true}
    buf_matmul %12, %13, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 8}
    %85 = const {value = 8, ty = i32} : i32
    %86 = mul %85, %4 : i32
    %87 = ptr_add %28, %86 : ptr<f32>
    %88 = const {value = 128, ty = i32} : i32
    copy_out %87, %10, %88, %5, %76, %4, %5 {arg = 2, async = true}
    buf_matmul %12, %13, %10, %10 {m = 4, n = 16, k = 16, lda = 16, ldb = 16, ldc = 16, row0 = 12}
    %89 = const {value = 12, ty = i32} : i32
    %90 = mul %89, %4 : i32
    %91 = ptr_add %28, %90 : ptr<f32>
    %92 = const {value = 192, ty = i32} : i32
    copy_out %91, %10, %92, %5, %76, %4, %5 {arg = 2, async = true}
    yield
  }
  %93 = sub %11, %49 : i32
  copy_wait {out = true}
  return
}
