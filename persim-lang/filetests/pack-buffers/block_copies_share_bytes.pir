; passes: pack-buffers
; Block copies are accesses of their buffer where they stand: the buffer
; copied in and read by the first loop is dead before the second buffer is
; filled, so both get offset 0.
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 128} {
  %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %3 = alloc {ty = buf<16xf32>, offset = 64} : buf<16xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 16, ty = i32} : i32
  %6 = const {value = 4, ty = i32} : i32
  copy_in %2, %4, %0, %5 {arg = 0}
  %7 = const {value = 0.0, ty = f32} : f32
  %8 = splat %7 {shape = [4]} : tile<4xf32>
  %9 = for %4, %5, %6, %8 : tile<4xf32> {
  ^(%10: i32, %11: tile<4xf32>):
    %12 = buf_load %2, %10 {lanes = 4} : tile<4xf32>
    %13 = add %11, %12 : tile<4xf32>
    yield %13
  }
  for %4, %5, %6 {
  ^(%14: i32):
    buf_store %3, %14, %9
    yield
  }
  copy_out %1, %3, %4, %5 {arg = 1}
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 64} {
  %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %3 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 16, ty = i32} : i32
  %6 = const {value = 4, ty = i32} : i32
  copy_in %2, %4, %0, %5 {arg = 0}
  %7 = const {value = 0.0, ty = f32} : f32
  %8 = splat %7 {shape = [4]} : tile<4xf32>
  %9 = for %4, %5, %6, %8 : tile<4xf32> {
  ^(%10: i32, %11: tile<4xf32>):
    %12 = buf_load %2, %10 {lanes = 4} : tile<4xf32>
    %13 = add %11, %12 : tile<4xf32>
    yield %13
  }
  for %4, %5, %6 {
  ^(%14: i32):
    buf_store %3, %14, %9
    yield
  }
  copy_out %1, %3, %4, %5 {arg = 1}
  return
}
