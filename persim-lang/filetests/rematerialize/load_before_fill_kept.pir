; passes: rematerialize
; Inside a loop, the load comes before the fill: it reads what the previous
; iteration stored, computed from that iteration's `%9`. Recomputing with
; the current one would be wrong. Unchanged.
kernel @k(%0 out: ptr<i32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 32} {
  %2 = alloc {ty = buf<8xi32>, offset = 0} : buf<8xi32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 8, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = const {value = 1, ty = i32} : i32
  %7 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %3, %1, %6 {
  ^(%8: i32):
    %9 = splat %8 {shape = [4]} : tile<4xi32>
    %10 = buf_load %2, %3 {lanes = 4} : tile<4xi32>
    %11 = splat %0 {shape = [4]} : tile<4xptr<i32>>
    %12 = ptr_add %11, %10 : tile<4xptr<i32>>
    store %12, %10 {arg = 0}
    for %3, %4, %5 {
    ^(%13: i32):
      %14 = add %7, %9 : tile<4xi32>
      buf_store %2, %13, %14
      yield
    }
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 32} {
  %2 = alloc {ty = buf<8xi32>, offset = 0} : buf<8xi32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 8, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = const {value = 1, ty = i32} : i32
  %7 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %3, %1, %6 {
  ^(%8: i32):
    %9 = splat %8 {shape = [4]} : tile<4xi32>
    %10 = buf_load %2, %3 {lanes = 4} : tile<4xi32>
    %11 = splat %0 {shape = [4]} : tile<4xptr<i32>>
    %12 = ptr_add %11, %10 : tile<4xptr<i32>>
    store %12, %10 {arg = 0}
    for %3, %4, %5 {
    ^(%13: i32):
      %14 = add %7, %9 : tile<4xi32>
      buf_store %2, %13, %14
      yield
    }
    yield
  }
  return
}
