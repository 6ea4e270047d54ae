; passes: fuse-loops
; Step 1 with 4-lane accesses at iv: iterations i and i + 1 overlap in
; three elements, so fused, the second loop's iteration i would read
; elements before the first loop's later iterations overwrite them.
; Unchanged.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 2048} {
  %1 = alloc {ty = buf<512xf32>, offset = 0} : buf<512xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 509, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  %6 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %7 = const {value = 4, ty = i32} : i32
  for %2, %3, %4 {
  ^(%8: i32):
    %9 = splat %8 {shape = [4]} : tile<4xi32>
    %10 = cast %9 {to = f32} : tile<4xf32>
    buf_store %1, %8, %10
    yield
  }
  for %2, %3, %4 {
  ^(%11: i32):
    %12 = buf_load %1, %11 {lanes = 4} : tile<4xf32>
    %13 = mul %11, %7 : i32
    %14 = splat %13 {shape = [4]} : tile<4xi32>
    %15 = add %5, %14 : tile<4xi32>
    %16 = ptr_add %6, %15 : tile<4xptr<f32>>
    store %16, %12 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 2048} {
  %1 = alloc {ty = buf<512xf32>, offset = 0} : buf<512xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 509, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  %6 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %7 = const {value = 4, ty = i32} : i32
  for %2, %3, %4 {
  ^(%8: i32):
    %9 = splat %8 {shape = [4]} : tile<4xi32>
    %10 = cast %9 {to = f32} : tile<4xf32>
    buf_store %1, %8, %10
    yield
  }
  for %2, %3, %4 {
  ^(%11: i32):
    %12 = buf_load %1, %11 {lanes = 4} : tile<4xf32>
    %13 = mul %11, %7 : i32
    %14 = splat %13 {shape = [4]} : tile<4xi32>
    %15 = add %5, %14 : tile<4xi32>
    %16 = ptr_add %6, %15 : tile<4xptr<f32>>
    store %16, %12 {arg = 0}
    yield
  }
  return
}
