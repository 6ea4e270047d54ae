; passes: double-buffer
; target: dma
; The source pointer is carried by the loop (advanced each iteration): the
; next iteration's source is not a function of the induction variable the
; pass can compute early. Unchanged.
kernel @rows(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 n_rows: i32) attrs {lanes = 4, local_mem = 64} {
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 16, ty = i32} : i32
  %5 = const {value = 1, ty = i32} : i32
  %6 = for %3, %2, %5, %1 : ptr<f32> {
  ^(%7: i32, %8: ptr<f32>):
    %9 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
    copy_in %9, %3, %8, %4 {arg = 1}
    %10 = buf_load %9, %3 {lanes = 0} : f32
    %11 = ptr_add %0, %7 : ptr<f32>
    store %11, %10 {arg = 0}
    %12 = ptr_add %8, %4 : ptr<f32>
    yield %12
  }
  return
}
; expect:
kernel @rows(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 n_rows: i32) attrs {lanes = 4, local_mem = 64} {
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 16, ty = i32} : i32
  %5 = const {value = 1, ty = i32} : i32
  %6 = for %3, %2, %5, %1 : ptr<f32> {
  ^(%7: i32, %8: ptr<f32>):
    %9 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
    copy_in %9, %3, %8, %4 {arg = 1}
    %10 = buf_load %9, %3 {lanes = 0} : f32
    %11 = ptr_add %0, %7 : ptr<f32>
    store %11, %10 {arg = 0}
    %12 = ptr_add %8, %4 : ptr<f32>
    yield %12
  }
  return
}
