; passes: licm
; A load is not hoisted: the loop stores to memory it may read. Unchanged.
kernel @k(%0 p: ptr<i32> mut, %1 n: i32) {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1, ty = i32} : i32
  %4 = for %2, %1, %3, %2 : i32 {
  ^(%5: i32, %6: i32):
    %7 = load %0 : i32
    %8 = add %7, %5 : i32
    store %0, %8
    yield %8
  }
  return
}
; expect:
kernel @k(%0 p: ptr<i32> mut, %1 n: i32) {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1, ty = i32} : i32
  %4 = for %2, %1, %3, %2 : i32 {
  ^(%5: i32, %6: i32):
    %7 = load %0 : i32
    %8 = add %7, %5 : i32
    store %0, %8
    yield %8
  }
  return
}
