; passes: rematerialize
; The reading loop's indices (2, 6) are not chunk starts the fill stored
; at (0, 4): each load straddles two chunks. Unchanged.
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 48} {
  %1 = alloc {ty = buf<12xi32>, offset = 0} : buf<12xi32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 8, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %2, %3, %4 {
  ^(%6: i32):
    %7 = splat %6 {shape = [4]} : tile<4xi32>
    %8 = add %5, %7 : tile<4xi32>
    buf_store %1, %6, %8
    yield
  }
  %9 = const {value = 2, ty = i32} : i32
  %10 = const {value = 10, ty = i32} : i32
  for %9, %10, %4 {
  ^(%11: i32):
    %12 = buf_load %1, %11 {lanes = 4} : tile<4xi32>
    %13 = splat %0 {shape = [4]} : tile<4xptr<i32>>
    %14 = ptr_add %13, %12 : tile<4xptr<i32>>
    store %14, %12 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 48} {
  %1 = alloc {ty = buf<12xi32>, offset = 0} : buf<12xi32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 8, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %2, %3, %4 {
  ^(%6: i32):
    %7 = splat %6 {shape = [4]} : tile<4xi32>
    %8 = add %5, %7 : tile<4xi32>
    buf_store %1, %6, %8
    yield
  }
  %9 = const {value = 2, ty = i32} : i32
  %10 = const {value = 10, ty = i32} : i32
  for %9, %10, %4 {
  ^(%11: i32):
    %12 = buf_load %1, %11 {lanes = 4} : tile<4xi32>
    %13 = splat %0 {shape = [4]} : tile<4xptr<i32>>
    %14 = ptr_add %13, %12 : tile<4xptr<i32>>
    store %14, %12 {arg = 0}
    yield
  }
  return
}
