; passes: double-buffer
; target: cranelift
; A target without a DMA engine: unchanged.
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
