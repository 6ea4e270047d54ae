; passes: prefetch-next-programs
; target: prefetch
; The tutorial's persistent row loop (`row` from `program_id` by
; `num_programs`): the load's prefetch takes the row two iterations on
; while that is below `n_rows`, else the loop's start for program
; `program_id + 2`; the store gets the same, for writing. The inner loop's
; load (its index starts at 0, not at the program) gets none.
kernel @rows(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 n_rows: i32, %3 n: i32) {
  %4 = program_id {axis = 0} : i32
  %5 = num_programs {axis = 0} : i32
  for %4, %2, %5 {
  ^(%6: i32):
    %7 = mul %6, %3 : i32
    %8 = ptr_add %1, %7 : ptr<f32>
    %9 = arange {lo = 0, hi = 16} : tile<16xi32>
    %10 = splat %8 {shape = [16]} : tile<16xptr<f32>>
    %11 = ptr_add %10, %9 : tile<16xptr<f32>>
    %12 = load %11 {arg = 1} : tile<16xf32>
    %13 = ptr_add %0, %7 : ptr<f32>
    %14 = splat %13 {shape = [16]} : tile<16xptr<f32>>
    %15 = ptr_add %14, %9 : tile<16xptr<f32>>
    store %15, %12 {arg = 0}
    %16 = const {value = 0, ty = i32} : i32
    %17 = const {value = 1, ty = i32} : i32
    for %16, %3, %17 {
    ^(%18: i32):
      %19 = ptr_add %8, %18 : ptr<f32>
      %20 = load %19 {arg = 1} : f32
      yield
    }
    yield
  }
  return
}
; expect:
kernel @rows(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 n_rows: i32, %3 n: i32) {
  %4 = program_id {axis = 0} : i32
  %5 = const {value = 2, ty = i32} : i32
  %6 = add %4, %5 : i32
  %7 = num_programs {axis = 0} : i32
  for %4, %2, %7 {
  ^(%8: i32):
    %9 = mul %8, %3 : i32
    %10 = ptr_add %1, %9 : ptr<f32>
    %11 = arange {lo = 0, hi = 16} : tile<16xi32>
    %12 = splat %10 {shape = [16]} : tile<16xptr<f32>>
    %13 = ptr_add %12, %11 : tile<16xptr<f32>>
    %14 = const {value = 2, ty = i32} : i32
    %15 = mul %7, %14 : i32
    %16 = add %8, %15 : i32
    %17 = cmp %16, %2 {pred = lt} : i1
    %18 = select %17, %16, %6 : i32
    %19 = mul %18, %3 : i32
    %20 = ptr_add %1, %19 : ptr<f32>
    %21 = splat %20 {shape = [16]} : tile<16xptr<f32>>
    %22 = ptr_add %21, %11 : tile<16xptr<f32>>
    prefetch %22
    %23 = load %13 {arg = 1} : tile<16xf32>
    %24 = ptr_add %0, %9 : ptr<f32>
    %25 = splat %24 {shape = [16]} : tile<16xptr<f32>>
    %26 = ptr_add %25, %11 : tile<16xptr<f32>>
    %27 = const {value = 2, ty = i32} : i32
    %28 = mul %7, %27 : i32
    %29 = add %8, %28 : i32
    %30 = cmp %29, %2 {pred = lt} : i1
    %31 = select %30, %29, %6 : i32
    %32 = mul %31, %3 : i32
    %33 = ptr_add %0, %32 : ptr<f32>
    %34 = splat %33 {shape = [16]} : tile<16xptr<f32>>
    %35 = ptr_add %34, %11 : tile<16xptr<f32>>
    prefetch %35 {write = 1}
    store %26, %23 {arg = 0}
    %36 = const {value = 0, ty = i32} : i32
    %37 = const {value = 1, ty = i32} : i32
    for %36, %3, %37 {
    ^(%38: i32):
      %39 = ptr_add %10, %38 : ptr<f32>
      %40 = load %39 {arg = 1} : f32
      yield
    }
    yield
  }
  return
}
