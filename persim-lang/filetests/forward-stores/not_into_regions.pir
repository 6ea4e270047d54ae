; passes: forward-stores
; What is known before a loop is not carried into its body (the body may
; run many times, and here it stores into the buffer too). Unchanged.
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 64} {
  %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = const {value = 1.5, ty = f32} : f32
  buf_store %2, %3, %5
  for %3, %1, %4 {
  ^(%6: i32):
    %7 = buf_load %2, %3 {lanes = 0} : f32
    %8 = add %7, %5 : f32
    store %0, %8 {arg = 0}
    buf_store %2, %3, %8
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 64} {
  %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = const {value = 1.5, ty = f32} : f32
  buf_store %2, %3, %5
  for %3, %1, %4 {
  ^(%6: i32):
    %7 = buf_load %2, %3 {lanes = 0} : f32
    %8 = add %7, %5 : f32
    store %0, %8 {arg = 0}
    buf_store %2, %3, %8
    yield
  }
  return
}
