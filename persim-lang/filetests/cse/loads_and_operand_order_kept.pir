; passes: cse
; Loads are not merged (a store may intervene), and `add %a, %b` is not
; `add %b, %a` to CSE (no commutativity canonicalization yet): unchanged.
kernel @k(%0 p: ptr<i32> mut, %1 a: i32, %2 b: i32) {
  %3 = load %0 : i32
  store %0, %1
  %4 = load %0 : i32
  %5 = add %1, %2 : i32
  %6 = add %2, %1 : i32
  %7 = add %3, %4 : i32
  %8 = add %5, %6 : i32
  %9 = add %7, %8 : i32
  store %0, %9
  return
}
; expect:
kernel @k(%0 p: ptr<i32> mut, %1 a: i32, %2 b: i32) {
  %3 = load %0 : i32
  store %0, %1
  %4 = load %0 : i32
  %5 = add %1, %2 : i32
  %6 = add %2, %1 : i32
  %7 = add %3, %4 : i32
  %8 = add %5, %6 : i32
  %9 = add %7, %8 : i32
  store %0, %9
  return
}
