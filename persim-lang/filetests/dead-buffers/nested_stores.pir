; passes: dead-buffers, dce
; Stores into a dead buffer inside nested loops and branches go too; DCE
; then removes the loops left with nothing to do.
; check: local_mem = 0
; check-not: for
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 4096} {
  %2 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = const {value = 1.0, ty = f32} : f32
  for %3, %1, %4 {
  ^(%7: i32):
    %8 = cmp %7, %5 {pred = lt} : i1
    if %8 {
      buf_store %2, %7, %6
      yield
    } {
      yield
    }
    yield
  }
  store %0, %6 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 0} {
  %2 = const {value = 1.0, ty = f32} : f32
  store %0, %2 {arg = 0}
  return
}
