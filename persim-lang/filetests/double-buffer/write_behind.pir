; passes: double-buffer
; target: dma
; Each iteration fills a row buffer and copies it out. The copy is left in
; flight (`async`): the next iteration waits for it just before its first
; write into the buffer (the inner loop), and the code after the loop waits
; for the last one.
kernel @rows(%0 out: ptr<f32> mut, %1 n_rows: i32, %2 n: i32) attrs {lanes = 4, local_mem = 64} {
  %3 = program_id {axis = 0} : i32
  %4 = num_programs {axis = 0} : i32
  %5 = const {value = 0, ty = i32} : i32
  %6 = const {value = 16, ty = i32} : i32
  %7 = const {value = 4, ty = i32} : i32
  for %3, %1, %4 {
  ^(%8: i32):
    %9 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
    %10 = cast %8 {to = f32} : f32
    %11 = splat %10 {shape = [4]} : tile<4xf32>
    for %5, %6, %7 {
    ^(%12: i32):
      buf_store %9, %12, %11
      yield
    }
    %13 = mul %8, %2 : i32
    %14 = ptr_add %0, %13 : ptr<f32>
    %15 = minimum %2, %6 : i32
    copy_out %14, %9, %5, %15 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @rows(%0 out: ptr<f32> mut, %1 n_rows: i32, %2 n: i32) attrs {lanes = 4, local_mem = 64} {
  %3 = program_id {axis = 0} : i32
  %4 = num_programs {axis = 0} : i32
  %5 = const {value = 0, ty = i32} : i32
  %6 = const {value = 16, ty = i32} : i32
  %7 = const {value = 4, ty = i32} : i32
  for %3, %1, %4 {
  ^(%8: i32):
    %9 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
    %10 = cast %8 {to = f32} : f32
    %11 = splat %10 {shape = [4]} : tile<4xf32>
    copy_wait {out = true}
    for %5, %6, %7 {
    ^(%12: i32):
      buf_store %9, %12, %11
      yield
    }
    %13 = mul %8, %2 : i32
    %14 = ptr_add %0, %13 : ptr<f32>
    %15 = minimum %2, %6 : i32
    copy_out %14, %9, %5, %15 {arg = 0, async = true}
    yield
  }
  copy_wait {out = true}
  return
}
