; passes: prefetch-next-programs
; target: prefetch
; A row walked in column chunks (layer norm's passes): the first loop that
; walks `inp` prefetches the same chunk of the row two programs on, and
; the loop that stores `out` prefetches its chunk for writing; the
; second walk of `inp` gets none (the first brought the row in), nor does
; `w` (no program in its address), nor `blk`, whose addresses depend on
; the program through a tile of indices (a block of a grid, as matmul's
; `offs_am`), not through a scalar row base.
kernel @walk(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 w: ptr<f32>, %3 blk: ptr<f32>, %4 n: i32) {
  %5 = program_id {axis = 0} : i32
  %6 = mul %5, %4 : i32
  %7 = ptr_add %1, %6 : ptr<f32>
  %8 = arange {lo = 0, hi = 16} : tile<16xi32>
  %9 = const {value = 0, ty = i32} : i32
  %10 = const {value = 16, ty = i32} : i32
  for %9, %4, %10 {
  ^(%11: i32):
    %12 = splat %11 {shape = [16]} : tile<16xi32>
    %13 = add %12, %8 : tile<16xi32>
    %14 = splat %7 {shape = [16]} : tile<16xptr<f32>>
    %15 = ptr_add %14, %13 : tile<16xptr<f32>>
    %16 = load %15 {arg = 1} : tile<16xf32>
    yield
  }
  for %9, %4, %10 {
  ^(%17: i32):
    %18 = splat %17 {shape = [16]} : tile<16xi32>
    %19 = add %18, %8 : tile<16xi32>
    %20 = splat %7 {shape = [16]} : tile<16xptr<f32>>
    %21 = ptr_add %20, %19 : tile<16xptr<f32>>
    %22 = load %21 {arg = 1} : tile<16xf32>
    %23 = splat %2 {shape = [16]} : tile<16xptr<f32>>
    %24 = ptr_add %23, %19 : tile<16xptr<f32>>
    %25 = load %24 {arg = 2} : tile<16xf32>
    %26 = mul %22, %25 : tile<16xf32>
    %27 = ptr_add %0, %6 : ptr<f32>
    %28 = splat %27 {shape = [16]} : tile<16xptr<f32>>
    %29 = ptr_add %28, %19 : tile<16xptr<f32>>
    store %29, %26 {arg = 0}
    yield
  }
  %30 = mul %5, %10 : i32
  %31 = splat %30 {shape = [16]} : tile<16xi32>
  %32 = add %31, %8 : tile<16xi32>
  for %9, %4, %10 {
  ^(%33: i32):
    %34 = splat %33 {shape = [16]} : tile<16xi32>
    %35 = add %34, %32 : tile<16xi32>
    %36 = splat %3 {shape = [16]} : tile<16xptr<f32>>
    %37 = ptr_add %36, %35 : tile<16xptr<f32>>
    %38 = load %37 {arg = 3} : tile<16xf32>
    yield
  }
  return
}
; expect:
kernel @walk(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 w: ptr<f32>, %3 blk: ptr<f32>, %4 n: i32) {
  %5 = program_id {axis = 0} : i32
  %6 = const {value = 2, ty = i32} : i32
  %7 = add %5, %6 : i32
  %8 = mul %5, %4 : i32
  %9 = ptr_add %1, %8 : ptr<f32>
  %10 = arange {lo = 0, hi = 16} : tile<16xi32>
  %11 = const {value = 0, ty = i32} : i32
  %12 = const {value = 16, ty = i32} : i32
  for %11, %4, %12 {
  ^(%13: i32):
    %14 = splat %13 {shape = [16]} : tile<16xi32>
    %15 = add %14, %10 : tile<16xi32>
    %16 = splat %9 {shape = [16]} : tile<16xptr<f32>>
    %17 = ptr_add %16, %15 : tile<16xptr<f32>>
    %18 = mul %7, %4 : i32
    %19 = ptr_add %1, %18 : ptr<f32>
    %20 = splat %19 {shape = [16]} : tile<16xptr<f32>>
    %21 = ptr_add %20, %15 : tile<16xptr<f32>>
    prefetch %21
    %22 = load %17 {arg = 1} : tile<16xf32>
    yield
  }
  for %11, %4, %12 {
  ^(%23: i32):
    %24 = splat %23 {shape = [16]} : tile<16xi32>
    %25 = add %24, %10 : tile<16xi32>
    %26 = splat %9 {shape = [16]} : tile<16xptr<f32>>
    %27 = ptr_add %26, %25 : tile<16xptr<f32>>
    %28 = load %27 {arg = 1} : tile<16xf32>
    %29 = splat %2 {shape = [16]} : tile<16xptr<f32>>
    %30 = ptr_add %29, %25 : tile<16xptr<f32>>
    %31 = load %30 {arg = 2} : tile<16xf32>
    %32 = mul %28, %31 : tile<16xf32>
    %33 = ptr_add %0, %8 : ptr<f32>
    %34 = splat %33 {shape = [16]} : tile<16xptr<f32>>
    %35 = ptr_add %34, %25 : tile<16xptr<f32>>
    %36 = mul %7, %4 : i32
    %37 = ptr_add %0, %36 : ptr<f32>
    %38 = splat %37 {shape = [16]} : tile<16xptr<f32>>
    %39 = ptr_add %38, %25 : tile<16xptr<f32>>
    prefetch %39 {write = 1}
    store %35, %32 {arg = 0}
    yield
  }
  %40 = mul %5, %12 : i32
  %41 = splat %40 {shape = [16]} : tile<16xi32>
  %42 = add %41, %10 : tile<16xi32>
  for %11, %4, %12 {
  ^(%43: i32):
    %44 = splat %43 {shape = [16]} : tile<16xi32>
    %45 = add %44, %42 : tile<16xi32>
    %46 = splat %3 {shape = [16]} : tile<16xptr<f32>>
    %47 = ptr_add %46, %45 : tile<16xptr<f32>>
    %48 = load %47 {arg = 3} : tile<16xf32>
    yield
  }
  return
}
