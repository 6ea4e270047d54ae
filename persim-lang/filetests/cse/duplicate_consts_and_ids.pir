; passes: cse
kernel @k(%0 out: ptr<i32> mut) {
  %1 = program_id {axis = 0} : i32
  %2 = program_id {axis = 0} : i32
  %3 = program_id {axis = 1} : i32
  %4 = const {value = 7, ty = i32} : i32
  %5 = const {value = 7, ty = i32} : i32
  %6 = const {value = 7, ty = i64} : i64
  %7 = add %1, %4 : i32
  %8 = add %2, %5 : i32
  %9 = add %7, %8 : i32
  %10 = add %9, %3 : i32
  store %0, %10
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut) {
  %1 = program_id {axis = 0} : i32
  %2 = program_id {axis = 1} : i32
  %3 = const {value = 7, ty = i32} : i32
  %4 = const {value = 7, ty = i64} : i64
  %5 = add %1, %3 : i32
  %6 = add %5, %5 : i32
  %7 = add %6, %2 : i32
  store %0, %7
  return
}
