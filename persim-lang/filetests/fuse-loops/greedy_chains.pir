; passes: fuse-loops
; Five loops: the first two fuse, the third has other bounds and stays,
; the last two fuse. Fusion is greedy, left to right.
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 20480} {
  %1 = alloc {ty = buf<1024xi32>, offset = 0} : buf<1024xi32>
  %2 = alloc {ty = buf<1024xi32>, offset = 4096} : buf<1024xi32>
  %3 = alloc {ty = buf<1024xi32>, offset = 8192} : buf<1024xi32>
  %4 = alloc {ty = buf<1024xi32>, offset = 12288} : buf<1024xi32>
  %5 = alloc {ty = buf<1024xi32>, offset = 16384} : buf<1024xi32>
  %6 = const {value = 0, ty = i32} : i32
  %7 = const {value = 1024, ty = i32} : i32
  %8 = const {value = 4, ty = i32} : i32
  %9 = const {value = 512, ty = i32} : i32
  %10 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %6, %7, %8 {
  ^(%11: i32):
    %12 = splat %11 {shape = [4]} : tile<4xi32>
    %13 = add %10, %12 : tile<4xi32>
    buf_store %1, %11, %13
    yield
  }
  for %6, %7, %8 {
  ^(%14: i32):
    %15 = buf_load %1, %14 {lanes = 4} : tile<4xi32>
    %16 = mul %15, %15 : tile<4xi32>
    buf_store %2, %14, %16
    yield
  }
  for %6, %9, %8 {
  ^(%17: i32):
    %18 = buf_load %2, %17 {lanes = 4} : tile<4xi32>
    buf_store %3, %17, %18
    yield
  }
  for %6, %7, %8 {
  ^(%19: i32):
    %20 = buf_load %2, %19 {lanes = 4} : tile<4xi32>
    %21 = add %20, %10 : tile<4xi32>
    buf_store %4, %19, %21
    yield
  }
  %22 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  for %6, %7, %8 {
  ^(%23: i32):
    %24 = buf_load %4, %23 {lanes = 4} : tile<4xi32>
    %25 = buf_load %3, %6 {lanes = 4} : tile<4xi32>
    %26 = add %24, %25 : tile<4xi32>
    %27 = splat %23 {shape = [4]} : tile<4xi32>
    %28 = add %10, %27 : tile<4xi32>
    %29 = ptr_add %22, %28 : tile<4xptr<i32>>
    store %29, %26 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 20480} {
  %1 = alloc {ty = buf<1024xi32>, offset = 0} : buf<1024xi32>
  %2 = alloc {ty = buf<1024xi32>, offset = 4096} : buf<1024xi32>
  %3 = alloc {ty = buf<1024xi32>, offset = 8192} : buf<1024xi32>
  %4 = alloc {ty = buf<1024xi32>, offset = 12288} : buf<1024xi32>
  %5 = alloc {ty = buf<1024xi32>, offset = 16384} : buf<1024xi32>
  %6 = const {value = 0, ty = i32} : i32
  %7 = const {value = 1024, ty = i32} : i32
  %8 = const {value = 4, ty = i32} : i32
  %9 = const {value = 512, ty = i32} : i32
  %10 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %6, %7, %8 {
  ^(%11: i32):
    %12 = splat %11 {shape = [4]} : tile<4xi32>
    %13 = add %10, %12 : tile<4xi32>
    buf_store %1, %11, %13
    %14 = buf_load %1, %11 {lanes = 4} : tile<4xi32>
    %15 = mul %14, %14 : tile<4xi32>
    buf_store %2, %11, %15
    yield
  }
  for %6, %9, %8 {
  ^(%16: i32):
    %17 = buf_load %2, %16 {lanes = 4} : tile<4xi32>
    buf_store %3, %16, %17
    yield
  }
  %18 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  for %6, %7, %8 {
  ^(%19: i32):
    %20 = buf_load %2, %19 {lanes = 4} : tile<4xi32>
    %21 = add %20, %10 : tile<4xi32>
    buf_store %4, %19, %21
    %22 = buf_load %4, %19 {lanes = 4} : tile<4xi32>
    %23 = buf_load %3, %6 {lanes = 4} : tile<4xi32>
    %24 = add %22, %23 : tile<4xi32>
    %25 = splat %19 {shape = [4]} : tile<4xi32>
    %26 = add %10, %25 : tile<4xi32>
    %27 = ptr_add %18, %26 : tile<4xptr<i32>>
    store %27, %24 {arg = 0}
    yield
  }
  return
}
