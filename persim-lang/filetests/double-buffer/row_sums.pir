; passes: double-buffer
; target: dma
; A persistent loop over rows copies each row in, then sums it. The copy
; gets a double buffer (two halves of 16): the first row's copy starts
; before the loop, each iteration waits for its half, starts the next
; row's copy into the other half (count 0 past the last row) and reads
; its own half at `i + half`.
kernel @rows(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 n_rows: i32, %3 n: i32) attrs {lanes = 4, local_mem = 64} {
  %4 = program_id {axis = 0} : i32
  %5 = num_programs {axis = 0} : i32
  %6 = const {value = 0, ty = i32} : i32
  %7 = const {value = 16, ty = i32} : i32
  %8 = const {value = 4, ty = i32} : i32
  %9 = const {value = 0.0, ty = f32} : f32
  %10 = splat %9 {shape = [4]} : tile<4xf32>
  for %4, %2, %5 {
  ^(%11: i32):
    %12 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
    %13 = mul %11, %3 : i32
    %14 = ptr_add %1, %13 : ptr<f32>
    %15 = minimum %3, %7 : i32
    copy_in %12, %6, %14, %15 {arg = 1}
    %16 = for %6, %7, %8, %10 : tile<4xf32> {
    ^(%17: i32, %18: tile<4xf32>):
      %19 = buf_load %12, %17 {lanes = 4} : tile<4xf32>
      %20 = add %18, %19 : tile<4xf32>
      yield %20
    }
    %21 = reduce %16 {kind = sum, axis = 0} : f32
    %22 = ptr_add %0, %11 : ptr<f32>
    store %22, %21 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @rows(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 n_rows: i32, %3 n: i32) attrs {lanes = 4, local_mem = 192} {
  %4 = program_id {axis = 0} : i32
  %5 = const {value = 16, ty = i32} : i32
  %6 = alloc {ty = buf<32xf32>, offset = 64} : buf<32xf32>
  %7 = const {value = 0, ty = i32} : i32
  %8 = const {value = 0, ty = i32} : i32
  %9 = mul %4, %3 : i32
  %10 = ptr_add %1, %9 : ptr<f32>
  %11 = minimum %3, %5 : i32
  %12 = cmp %4, %2 {pred = lt} : i1
  %13 = const {value = 0, ty = i32} : i32
  %14 = select %12, %11, %13 : i32
  copy_in %6, %8, %10, %14 {arg = 1, async = true}
  %15 = num_programs {axis = 0} : i32
  %16 = const {value = 0, ty = i32} : i32
  %17 = const {value = 4, ty = i32} : i32
  %18 = const {value = 0.0, ty = f32} : f32
  %19 = splat %18 {shape = [4]} : tile<4xf32>
  %20 = for %4, %2, %15, %7 : i32 {
  ^(%21: i32, %22: i32):
    %23 = mul %21, %3 : i32
    %24 = ptr_add %1, %23 : ptr<f32>
    %25 = minimum %3, %5 : i32
    copy_wait
    %26 = add %21, %15 : i32
    %27 = mul %26, %3 : i32
    %28 = ptr_add %1, %27 : ptr<f32>
    %29 = minimum %3, %5 : i32
    %30 = cmp %26, %2 {pred = lt} : i1
    %31 = const {value = 0, ty = i32} : i32
    %32 = select %30, %29, %31 : i32
    %33 = const {value = 16, ty = i32} : i32
    %34 = sub %33, %22 : i32
    %35 = const {value = 0, ty = i32} : i32
    %36 = add %34, %35 : i32
    copy_in %6, %36, %28, %32 {arg = 1, async = true}
    %37 = for %16, %5, %17, %19 : tile<4xf32> {
    ^(%38: i32, %39: tile<4xf32>):
      %40 = add %38, %22 : i32
      %41 = buf_load %6, %40 {lanes = 4} : tile<4xf32>
      %42 = add %39, %41 : tile<4xf32>
      yield %42
    }
    %43 = reduce %37 {kind = sum, axis = 0} : f32
    %44 = ptr_add %0, %21 : ptr<f32>
    store %44, %43 {arg = 0}
    %45 = const {value = 16, ty = i32} : i32
    %46 = sub %45, %22 : i32
    yield %46
  }
  return
}
