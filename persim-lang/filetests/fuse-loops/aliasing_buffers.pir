; passes: fuse-loops
; Two buffers share local memory (as a buffer packer may arrange): the
; first loop writes one, the second reads the other. Distinct buffers
; that overlap block fusion. Unchanged.
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 4096} {
  %1 = alloc {ty = buf<1024xi32>, offset = 0} : buf<1024xi32>
  %2 = alloc {ty = buf<1024xi32>, offset = 0} : buf<1024xi32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1024, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = arange {lo = 0, hi = 4} : tile<4xi32>
  %7 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  for %3, %4, %5 {
  ^(%8: i32):
    %9 = splat %8 {shape = [4]} : tile<4xi32>
    %10 = add %6, %9 : tile<4xi32>
    buf_store %1, %8, %10
    yield
  }
  for %3, %4, %5 {
  ^(%11: i32):
    %12 = buf_load %2, %11 {lanes = 4} : tile<4xi32>
    %13 = ptr_add %7, %12 : tile<4xptr<i32>>
    store %13, %12 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 4096} {
  %1 = alloc {ty = buf<1024xi32>, offset = 0} : buf<1024xi32>
  %2 = alloc {ty = buf<1024xi32>, offset = 0} : buf<1024xi32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1024, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = arange {lo = 0, hi = 4} : tile<4xi32>
  %7 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  for %3, %4, %5 {
  ^(%8: i32):
    %9 = splat %8 {shape = [4]} : tile<4xi32>
    %10 = add %6, %9 : tile<4xi32>
    buf_store %1, %8, %10
    yield
  }
  for %3, %4, %5 {
  ^(%11: i32):
    %12 = buf_load %2, %11 {lanes = 4} : tile<4xi32>
    %13 = ptr_add %7, %12 : tile<4xptr<i32>>
    store %13, %12 {arg = 0}
    yield
  }
  return
}
