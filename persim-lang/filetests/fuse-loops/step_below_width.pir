; passes: fuse-loops
; Step 1 with 4-lane accesses at iv: iterations i and i + 1 overlap in
; three elements, so the second loop's iteration i would read elements
; the first loop has not written yet. Unchanged.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 4096} {
  %1 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1021, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  %6 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  for %2, %3, %4 {
  ^(%7: i32):
    %8 = splat %7 {shape = [4]} : tile<4xi32>
    %9 = add %5, %8 : tile<4xi32>
    %10 = cast %9 {to = f32} : tile<4xf32>
    buf_store %1, %7, %10
    yield
  }
  for %2, %3, %4 {
  ^(%11: i32):
    %12 = buf_load %1, %11 {lanes = 4} : tile<4xf32>
    %13 = splat %11 {shape = [4]} : tile<4xi32>
    %14 = add %5, %13 : tile<4xi32>
    %15 = ptr_add %6, %14 : tile<4xptr<f32>>
    store %15, %12 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 4096} {
  %1 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1021, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  %6 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  for %2, %3, %4 {
  ^(%7: i32):
    %8 = splat %7 {shape = [4]} : tile<4xi32>
    %9 = add %5, %8 : tile<4xi32>
    %10 = cast %9 {to = f32} : tile<4xf32>
    buf_store %1, %7, %10
    yield
  }
  for %2, %3, %4 {
  ^(%11: i32):
    %12 = buf_load %1, %11 {lanes = 4} : tile<4xf32>
    %13 = splat %11 {shape = [4]} : tile<4xi32>
    %14 = add %5, %13 : tile<4xi32>
    %15 = ptr_add %6, %14 : tile<4xptr<f32>>
    store %15, %12 {arg = 0}
    yield
  }
  return
}
