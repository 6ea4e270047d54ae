; passes: prefetch-next-programs
; target: prefetch-own
; Without hints of other programs' rows: the persistent loop's load and
; store take the row two iterations on while that is below `n_rows`, else
; the current row (never `program_id + 2`'s); the load outside every loop
; (a row per program) and the row walk (layer norm's passes, whose rows
; the next programs read) get none.
kernel @rows(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 n_rows: i32, %3 n: i32) {
  %4 = program_id {axis = 0} : i32
  %5 = num_programs {axis = 0} : i32
  %6 = mul %4, %3 : i32
  %7 = ptr_add %1, %6 : ptr<f32>
  %8 = load %7 {arg = 1} : f32
  for %4, %2, %5 {
  ^(%9: i32):
    %10 = mul %9, %3 : i32
    %11 = ptr_add %1, %10 : ptr<f32>
    %12 = arange {lo = 0, hi = 16} : tile<16xi32>
    %13 = splat %11 {shape = [16]} : tile<16xptr<f32>>
    %14 = ptr_add %13, %12 : tile<16xptr<f32>>
    %15 = load %14 {arg = 1} : tile<16xf32>
    %16 = ptr_add %0, %10 : ptr<f32>
    %17 = splat %16 {shape = [16]} : tile<16xptr<f32>>
    %18 = ptr_add %17, %12 : tile<16xptr<f32>>
    store %18, %15 {arg = 0}
    yield
  }
  %19 = const {value = 0, ty = i32} : i32
  %20 = const {value = 16, ty = i32} : i32
  for %19, %3, %20 {
  ^(%21: i32):
    %22 = arange {lo = 0, hi = 16} : tile<16xi32>
    %23 = splat %21 {shape = [16]} : tile<16xi32>
    %24 = add %23, %22 : tile<16xi32>
    %25 = splat %7 {shape = [16]} : tile<16xptr<f32>>
    %26 = ptr_add %25, %24 : tile<16xptr<f32>>
    %27 = load %26 {arg = 1} : tile<16xf32>
    yield
  }
  return
}
; expect:
kernel @rows(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 n_rows: i32, %3 n: i32) {
  %4 = program_id {axis = 0} : i32
  %5 = num_programs {axis = 0} : i32
  %6 = mul %4, %3 : i32
  %7 = ptr_add %1, %6 : ptr<f32>
  %8 = load %7 {arg = 1} : f32
  for %4, %2, %5 {
  ^(%9: i32):
    %10 = mul %9, %3 : i32
    %11 = ptr_add %1, %10 : ptr<f32>
    %12 = arange {lo = 0, hi = 16} : tile<16xi32>
    %13 = splat %11 {shape = [16]} : tile<16xptr<f32>>
    %14 = ptr_add %13, %12 : tile<16xptr<f32>>
    %15 = const {value = 2, ty = i32} : i32
    %16 = mul %5, %15 : i32
    %17 = add %9, %16 : i32
    %18 = cmp %17, %2 {pred = lt} : i1
    %19 = select %18, %17, %9 : i32
    %20 = mul %19, %3 : i32
    %21 = ptr_add %1, %20 : ptr<f32>
    %22 = splat %21 {shape = [16]} : tile<16xptr<f32>>
    %23 = ptr_add %22, %12 : tile<16xptr<f32>>
    prefetch %23
    %24 = load %14 {arg = 1} : tile<16xf32>
    %25 = ptr_add %0, %10 : ptr<f32>
    %26 = splat %25 {shape = [16]} : tile<16xptr<f32>>
    %27 = ptr_add %26, %12 : tile<16xptr<f32>>
    %28 = const {value = 2, ty = i32} : i32
    %29 = mul %5, %28 : i32
    %30 = add %9, %29 : i32
    %31 = cmp %30, %2 {pred = lt} : i1
    %32 = select %31, %30, %9 : i32
    %33 = mul %32, %3 : i32
    %34 = ptr_add %0, %33 : ptr<f32>
    %35 = splat %34 {shape = [16]} : tile<16xptr<f32>>
    %36 = ptr_add %35, %12 : tile<16xptr<f32>>
    prefetch %36 {write = 1}
    store %27, %24 {arg = 0}
    yield
  }
  %37 = const {value = 0, ty = i32} : i32
  %38 = const {value = 16, ty = i32} : i32
  for %37, %3, %38 {
  ^(%39: i32):
    %40 = arange {lo = 0, hi = 16} : tile<16xi32>
    %41 = splat %39 {shape = [16]} : tile<16xi32>
    %42 = add %41, %40 : tile<16xi32>
    %43 = splat %7 {shape = [16]} : tile<16xptr<f32>>
    %44 = ptr_add %43, %42 : tile<16xptr<f32>>
    %45 = load %44 {arg = 1} : tile<16xf32>
    yield
  }
  return
}
