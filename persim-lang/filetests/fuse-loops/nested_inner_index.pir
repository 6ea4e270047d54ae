; passes: fuse-loops
; Row loops whose column loops access a buffer at row * 64 + column: the
; index uses the inner loop's variable, which the check does not bound,
; so the row loops do not fuse. Unchanged.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 2048} {
  %1 = alloc {ty = buf<512xf32>, offset = 0} : buf<512xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 8, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = const {value = 64, ty = i32} : i32
  %6 = const {value = 4, ty = i32} : i32
  %7 = const {value = 2.0, ty = f32} : f32
  %8 = splat %7 {shape = [4]} : tile<4xf32>
  %9 = arange {lo = 0, hi = 4} : tile<4xi32>
  %10 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  for %2, %3, %4 {
  ^(%11: i32):
    %12 = mul %11, %5 : i32
    for %2, %5, %6 {
    ^(%13: i32):
      %14 = add %12, %13 : i32
      buf_store %1, %14, %8
      yield
    }
    yield
  }
  for %2, %3, %4 {
  ^(%15: i32):
    %16 = mul %15, %5 : i32
    for %2, %5, %6 {
    ^(%17: i32):
      %18 = add %16, %17 : i32
      %19 = buf_load %1, %18 {lanes = 4} : tile<4xf32>
      %20 = splat %18 {shape = [4]} : tile<4xi32>
      %21 = add %9, %20 : tile<4xi32>
      %22 = ptr_add %10, %21 : tile<4xptr<f32>>
      store %22, %19 {arg = 0}
      yield
    }
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 2048} {
  %1 = alloc {ty = buf<512xf32>, offset = 0} : buf<512xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 8, ty = i32} : i32
  %4 = const {value = 1, ty = i32} : i32
  %5 = const {value = 64, ty = i32} : i32
  %6 = const {value = 4, ty = i32} : i32
  %7 = const {value = 2.0, ty = f32} : f32
  %8 = splat %7 {shape = [4]} : tile<4xf32>
  %9 = arange {lo = 0, hi = 4} : tile<4xi32>
  %10 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  for %2, %3, %4 {
  ^(%11: i32):
    %12 = mul %11, %5 : i32
    for %2, %5, %6 {
    ^(%13: i32):
      %14 = add %12, %13 : i32
      buf_store %1, %14, %8
      yield
    }
    yield
  }
  for %2, %3, %4 {
  ^(%15: i32):
    %16 = mul %15, %5 : i32
    for %2, %5, %6 {
    ^(%17: i32):
      %18 = add %16, %17 : i32
      %19 = buf_load %1, %18 {lanes = 4} : tile<4xf32>
      %20 = splat %18 {shape = [4]} : tile<4xi32>
      %21 = add %9, %20 : tile<4xi32>
      %22 = ptr_add %10, %21 : tile<4xptr<f32>>
      store %22, %19 {arg = 0}
      yield
    }
    yield
  }
  return
}
