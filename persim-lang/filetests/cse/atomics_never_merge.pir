; passes: cse
; Two identical atomics are two updates: neither is merged with the other,
; while the identical pointer arithmetic feeding them is.
kernel @k(%0 counts: ptr<i32> mut, %1 i: i32) {
  %2 = const {value = 1, ty = i32} : i32
  %3 = ptr_add %0, %1 : ptr<i32>
  %4 = atomic_add %3, %2 {arg = 0} : i32
  %5 = ptr_add %0, %1 : ptr<i32>
  %6 = atomic_add %5, %2 {arg = 0} : i32
  %7 = add %4, %6 : i32
  store %3, %7
  return
}
; expect:
kernel @k(%0 counts: ptr<i32> mut, %1 i: i32) {
  %2 = const {value = 1, ty = i32} : i32
  %3 = ptr_add %0, %1 : ptr<i32>
  %4 = atomic_add %3, %2 {arg = 0} : i32
  %5 = atomic_add %3, %2 {arg = 0} : i32
  %6 = add %4, %5 : i32
  store %3, %6
  return
}
