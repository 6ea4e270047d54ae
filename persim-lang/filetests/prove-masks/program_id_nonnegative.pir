; passes: prove-masks, canonicalize, dce
; Program ids are never negative: `pid >= 0` is true. `pid >= 1` is not
; decided, and neither is `pid + 7 >= 0` (the sum may wrap in i32 for the
; largest grid).
; check-not: cmp %1, %2 {pred = ge}
; check: cmp %1, %3 {pred = gt}
; check: {pred = ge}
kernel @k(%0 out: ptr<i32> mut) {
  %1 = program_id {axis = 0} : i32
  %2 = const {value = 0, ty = i32} : i32
  %3 = cmp %1, %2 {pred = ge} : i1
  %4 = const {value = 1, ty = i32} : i32
  %5 = cmp %1, %4 {pred = gt} : i1
  %6 = and %3, %5 : i1
  %7 = const {value = 7, ty = i32} : i32
  %8 = add %1, %7 : i32
  %9 = cmp %8, %2 {pred = ge} : i1
  %10 = and %6, %9 : i1
  %11 = cast %10 {to = i32} : i32
  store %0, %11
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut) {
  %1 = program_id {axis = 0} : i32
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1, ty = i32} : i32
  %4 = cmp %1, %3 {pred = gt} : i1
  %5 = const {value = 7, ty = i32} : i32
  %6 = add %1, %5 : i32
  %7 = cmp %6, %2 {pred = ge} : i1
  %8 = and %4, %7 : i1
  %9 = cast %8 {to = i32} : i32
  store %0, %9
  return
}
