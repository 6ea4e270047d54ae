; passes: fuse-loops
; Both pairs access the buffer at iv * 1024. For the first pair the trip
; count is a runtime `n`: iterations up to 2^31 apart would make
; 1024 * (i - j) wrap around to 0 modulo 2^32, so two iterations could
; touch the same element and the pair is not fused. The second pair runs
; 8 iterations, whose slabs are provably disjoint: fused.
kernel @k(%0 out: ptr<i32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 32768} {
  %2 = alloc {ty = buf<8192xi32>, offset = 0} : buf<8192xi32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = const {value = 8, ty = i32} : i32
  %6 = const {value = 1024, ty = i32} : i32
  %7 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %8 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %3, %1, %4 {
  ^(%9: i32):
    %10 = mul %9, %6 : i32
    %11 = splat %10 {shape = [4]} : tile<4xi32>
    buf_store %2, %10, %11
    yield
  }
  for %3, %1, %4 {
  ^(%12: i32):
    %13 = mul %12, %6 : i32
    %14 = buf_load %2, %13 {lanes = 4} : tile<4xi32>
    %15 = ptr_add %7, %8 : tile<4xptr<i32>>
    store %15, %14 {arg = 0}
    yield
  }
  for %3, %5, %4 {
  ^(%16: i32):
    %17 = mul %16, %6 : i32
    %18 = splat %16 {shape = [4]} : tile<4xi32>
    buf_store %2, %17, %18
    yield
  }
  for %3, %5, %4 {
  ^(%19: i32):
    %20 = mul %6, %19 : i32
    %21 = buf_load %2, %20 {lanes = 4} : tile<4xi32>
    %22 = splat %19 {shape = [4]} : tile<4xi32>
    %23 = add %8, %22 : tile<4xi32>
    %24 = ptr_add %7, %23 : tile<4xptr<i32>>
    store %24, %21 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<i32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 32768} {
  %2 = alloc {ty = buf<8192xi32>, offset = 0} : buf<8192xi32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = const {value = 8, ty = i32} : i32
  %6 = const {value = 1024, ty = i32} : i32
  %7 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %8 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %3, %1, %4 {
  ^(%9: i32):
    %10 = mul %9, %6 : i32
    %11 = splat %10 {shape = [4]} : tile<4xi32>
    buf_store %2, %10, %11
    yield
  }
  for %3, %1, %4 {
  ^(%12: i32):
    %13 = mul %12, %6 : i32
    %14 = buf_load %2, %13 {lanes = 4} : tile<4xi32>
    %15 = ptr_add %7, %8 : tile<4xptr<i32>>
    store %15, %14 {arg = 0}
    yield
  }
  for %3, %5, %4 {
  ^(%16: i32):
    %17 = mul %16, %6 : i32
    %18 = splat %16 {shape = [4]} : tile<4xi32>
    buf_store %2, %17, %18
    %19 = mul %6, %16 : i32
    %20 = buf_load %2, %19 {lanes = 4} : tile<4xi32>
    %21 = splat %16 {shape = [4]} : tile<4xi32>
    %22 = add %8, %21 : tile<4xi32>
    %23 = ptr_add %7, %22 : tile<4xptr<i32>>
    store %23, %20 {arg = 0}
    yield
  }
  return
}
