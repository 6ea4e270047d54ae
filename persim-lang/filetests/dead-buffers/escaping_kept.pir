; passes: dead-buffers
; The buffer is passed into a loop as a carried value: it escapes the
; analysis and stays, with its stores. Unchanged.
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 64} {
  %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = const {value = 1.0, ty = f32} : f32
  buf_store %2, %3, %5
  %6 = for %3, %1, %4, %2 : buf<16xf32> {
  ^(%7: i32, %8: buf<16xf32>):
    yield %8
  }
  store %0, %5 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 64} {
  %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = const {value = 1.0, ty = f32} : f32
  buf_store %2, %3, %5
  %6 = for %3, %1, %4, %2 : buf<16xf32> {
  ^(%7: i32, %8: buf<16xf32>):
    yield %8
  }
  store %0, %5 {arg = 0}
  return
}
