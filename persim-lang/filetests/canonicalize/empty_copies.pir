; passes: canonicalize
; A block copy of a constant count <= 0, or of constant rows <= 0, moves
; nothing and goes (a peeled last step's prefetch of the step after it);
; one whose count is known only at run time stays.
kernel @k(%0 a: ptr<f32>, %1 c: ptr<f32> mut, %2 n: i32) attrs {local_mem = 1024} {
  %3 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 16, ty = i32} : i32
  %6 = const {value = -1, ty = i32} : i32
  %7 = cmp %5, %4 {pred = lt} : i1
  %8 = select %7, %5, %4 : i32
  copy_in %3, %4, %0, %8, %5, %5, %5 {arg = 0, async = true}
  copy_in %3, %4, %0, %5, %4, %5, %5 {arg = 0}
  copy_in %3, %4, %0, %6 {arg = 0}
  copy_in %3, %4, %0, %2 {arg = 0}
  copy_out %1, %3, %4, %4 {arg = 1}
  copy_out %1, %3, %4, %2, %5, %5, %5 {arg = 1}
  return
}
; expect:
kernel @k(%0 a: ptr<f32>, %1 c: ptr<f32> mut, %2 n: i32) attrs {local_mem = 1024} {
  %3 = alloc {ty = buf<256xf32>, offset = 0} : buf<256xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 16, ty = i32} : i32
  %6 = const {value = -1, ty = i32} : i32
  %7 = const {value = false, ty = i1} : i1
  %8 = const {value = 0, ty = i32} : i32
  copy_in %3, %4, %0, %2 {arg = 0}
  copy_out %1, %3, %4, %2, %5, %5, %5 {arg = 1}
  return
}
