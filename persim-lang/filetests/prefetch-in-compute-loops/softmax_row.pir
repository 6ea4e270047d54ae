; passes: prefetch-in-compute-loops
; A row after fusion, as softmax's: the load loop and the store loop each
; hold the hint of the row two programs on; both wait on memory. The hints
; move into the busiest loop that only computes over the same chunks (the
; `exp` loop, three arithmetic ops, rather than the one-op loop before it),
; their addresses rebuilt there from its index: the chunk offset from the
; load loop's body, the output row base from between the loops.
kernel @row(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 n: i32) attrs {lanes = 4, local_mem = 4096} {
  %3 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %4 = program_id {axis = 0} : i32
  %5 = const {value = 2, ty = i32} : i32
  %6 = add %4, %5 : i32
  %7 = mul %4, %2 : i32
  %8 = ptr_add %1, %7 : ptr<f32>
  %9 = mul %6, %2 : i32
  %10 = ptr_add %1, %9 : ptr<f32>
  %11 = const {value = 0, ty = i32} : i32
  %12 = const {value = 1024, ty = i32} : i32
  %13 = const {value = 4, ty = i32} : i32
  for %11, %12, %13 {
  ^(%14: i32):
    %15 = splat %14 {shape = [4]} : tile<4xi32>
    %16 = arange {lo = 0, hi = 4} : tile<4xi32>
    %17 = add %15, %16 : tile<4xi32>
    %18 = splat %10 {shape = [4]} : tile<4xptr<f32>>
    %19 = ptr_add %18, %17 : tile<4xptr<f32>>
    prefetch %19
    %20 = splat %8 {shape = [4]} : tile<4xptr<f32>>
    %21 = ptr_add %20, %17 : tile<4xptr<f32>>
    %22 = load %21 {arg = 1} : tile<4xf32>
    buf_store %3, %14, %22
    yield
  }
  %23 = const {value = 0, ty = i32} : i32
  %24 = const {value = 1024, ty = i32} : i32
  %25 = const {value = 4, ty = i32} : i32
  for %23, %24, %25 {
  ^(%26: i32):
    %27 = buf_load %3, %26 {lanes = 4} : tile<4xf32>
    %28 = neg %27 : tile<4xf32>
    buf_store %3, %26, %28
    yield
  }
  %29 = const {value = 0, ty = i32} : i32
  %30 = const {value = 1024, ty = i32} : i32
  %31 = const {value = 4, ty = i32} : i32
  for %29, %30, %31 {
  ^(%32: i32):
    %33 = buf_load %3, %32 {lanes = 4} : tile<4xf32>
    %34 = exp %33 : tile<4xf32>
    %35 = mul %34, %34 : tile<4xf32>
    %36 = add %35, %34 : tile<4xf32>
    buf_store %3, %32, %36
    yield
  }
  %37 = mul %6, %2 : i32
  %38 = ptr_add %0, %37 : ptr<f32>
  %39 = mul %4, %2 : i32
  %40 = ptr_add %0, %39 : ptr<f32>
  %41 = const {value = 0, ty = i32} : i32
  %42 = const {value = 1024, ty = i32} : i32
  %43 = const {value = 4, ty = i32} : i32
  for %41, %42, %43 {
  ^(%44: i32):
    %45 = splat %44 {shape = [4]} : tile<4xi32>
    %46 = arange {lo = 0, hi = 4} : tile<4xi32>
    %47 = add %45, %46 : tile<4xi32>
    %48 = splat %38 {shape = [4]} : tile<4xptr<f32>>
    %49 = ptr_add %48, %47 : tile<4xptr<f32>>
    prefetch %49 {write = 1}
    %50 = splat %40 {shape = [4]} : tile<4xptr<f32>>
    %51 = ptr_add %50, %47 : tile<4xptr<f32>>
    %52 = buf_load %3, %44 {lanes = 4} : tile<4xf32>
    store %51, %52 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @row(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 n: i32) attrs {lanes = 4, local_mem = 4096} {
  %3 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %4 = program_id {axis = 0} : i32
  %5 = const {value = 2, ty = i32} : i32
  %6 = add %4, %5 : i32
  %7 = mul %4, %2 : i32
  %8 = ptr_add %1, %7 : ptr<f32>
  %9 = mul %6, %2 : i32
  %10 = ptr_add %1, %9 : ptr<f32>
  %11 = const {value = 0, ty = i32} : i32
  %12 = const {value = 1024, ty = i32} : i32
  %13 = const {value = 4, ty = i32} : i32
  for %11, %12, %13 {
  ^(%14: i32):
    %15 = splat %14 {shape = [4]} : tile<4xi32>
    %16 = arange {lo = 0, hi = 4} : tile<4xi32>
    %17 = add %15, %16 : tile<4xi32>
    %18 = splat %10 {shape = [4]} : tile<4xptr<f32>>
    %19 = ptr_add %18, %17 : tile<4xptr<f32>>
    %20 = splat %8 {shape = [4]} : tile<4xptr<f32>>
    %21 = ptr_add %20, %17 : tile<4xptr<f32>>
    %22 = load %21 {arg = 1} : tile<4xf32>
    buf_store %3, %14, %22
    yield
  }
  %23 = const {value = 0, ty = i32} : i32
  %24 = const {value = 1024, ty = i32} : i32
  %25 = const {value = 4, ty = i32} : i32
  for %23, %24, %25 {
  ^(%26: i32):
    %27 = buf_load %3, %26 {lanes = 4} : tile<4xf32>
    %28 = neg %27 : tile<4xf32>
    buf_store %3, %26, %28
    yield
  }
  %29 = const {value = 0, ty = i32} : i32
  %30 = const {value = 1024, ty = i32} : i32
  %31 = const {value = 4, ty = i32} : i32
  for %29, %30, %31 {
  ^(%32: i32):
    %33 = mul %6, %2 : i32
    %34 = ptr_add %0, %33 : ptr<f32>
    %35 = splat %34 {shape = [4]} : tile<4xptr<f32>>
    %36 = splat %32 {shape = [4]} : tile<4xi32>
    %37 = arange {lo = 0, hi = 4} : tile<4xi32>
    %38 = add %36, %37 : tile<4xi32>
    %39 = ptr_add %35, %38 : tile<4xptr<f32>>
    prefetch %39 {write = 1}
    %40 = splat %10 {shape = [4]} : tile<4xptr<f32>>
    %41 = splat %32 {shape = [4]} : tile<4xi32>
    %42 = arange {lo = 0, hi = 4} : tile<4xi32>
    %43 = add %41, %42 : tile<4xi32>
    %44 = ptr_add %40, %43 : tile<4xptr<f32>>
    prefetch %44
    %45 = buf_load %3, %32 {lanes = 4} : tile<4xf32>
    %46 = exp %45 : tile<4xf32>
    %47 = mul %46, %46 : tile<4xf32>
    %48 = add %47, %46 : tile<4xf32>
    buf_store %3, %32, %48
    yield
  }
  %49 = mul %6, %2 : i32
  %50 = ptr_add %0, %49 : ptr<f32>
  %51 = mul %4, %2 : i32
  %52 = ptr_add %0, %51 : ptr<f32>
  %53 = const {value = 0, ty = i32} : i32
  %54 = const {value = 1024, ty = i32} : i32
  %55 = const {value = 4, ty = i32} : i32
  for %53, %54, %55 {
  ^(%56: i32):
    %57 = splat %56 {shape = [4]} : tile<4xi32>
    %58 = arange {lo = 0, hi = 4} : tile<4xi32>
    %59 = add %57, %58 : tile<4xi32>
    %60 = splat %50 {shape = [4]} : tile<4xptr<f32>>
    %61 = ptr_add %60, %59 : tile<4xptr<f32>>
    %62 = splat %52 {shape = [4]} : tile<4xptr<f32>>
    %63 = ptr_add %62, %59 : tile<4xptr<f32>>
    %64 = buf_load %3, %56 {lanes = 4} : tile<4xf32>
    store %63, %64 {arg = 0}
    yield
  }
  return
}
