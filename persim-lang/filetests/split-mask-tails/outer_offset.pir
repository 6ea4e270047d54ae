; passes: split-mask-tails, canonicalize, dce
; Layer norm's chunked row: the chunk loop's lanes are `off + iv + lane`
; with `off` the outer loop's variable, written as `n > cols` (`gt`, sides
; swapped). The split point subtracts `off`, and the main loop is kept
; empty if the first chunk's lowest lane would wrap below `i32::MIN`.
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 0} {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 16, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 1.0, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  for %2, %1, %3 {
  ^(%7: i32):
    for %2, %3, %4 {
    ^(%8: i32):
      %9 = add %7, %8 : i32
      %10 = splat %9 {shape = [4]} : tile<4xi32>
      %11 = arange {lo = 0, hi = 4} : tile<4xi32>
      %12 = add %10, %11 : tile<4xi32>
      %13 = splat %1 {shape = [4]} : tile<4xi32>
      %14 = cmp %13, %12 {pred = gt} : tile<4xi1>
      %15 = splat %0 {shape = [4]} : tile<4xptr<f32>>
      %16 = ptr_add %15, %12 : tile<4xptr<f32>>
      store %16, %6, %14 {arg = 0}
      yield
    }
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) attrs {lanes = 4, local_mem = 0} {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 16, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 1.0, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  for %2, %1, %3 {
  ^(%7: i32):
    %8 = cast %7 {to = i64} : i64
    %9 = const {value = 16, ty = i64} : i64
    %10 = const {value = 4, ty = i64} : i64
    %11 = const {value = 0, ty = i64} : i64
    %12 = cast %1 {to = i64} : i64
    %13 = sub %12, %8 : i64
    %14 = maximum %13, %11 : i64
    %15 = div %14, %10 : i64
    %16 = const {value = -2147483648, ty = i64} : i64
    %17 = cmp %8, %16 {pred = ge} : i1
    %18 = select %17, %15, %11 : i64
    %19 = mul %18, %10 : i64
    %20 = minimum %19, %9 : i64
    %21 = cast %20 {to = i32} : i32
    for %2, %21, %4 {mask_tail = "main"} {
    ^(%22: i32):
      %23 = add %7, %22 : i32
      %24 = splat %23 {shape = [4]} : tile<4xi32>
      %25 = arange {lo = 0, hi = 4} : tile<4xi32>
      %26 = add %24, %25 : tile<4xi32>
      %27 = splat %0 {shape = [4]} : tile<4xptr<f32>>
      %28 = ptr_add %27, %26 : tile<4xptr<f32>>
      store %28, %6 {arg = 0}
      yield
    }
    for %21, %3, %4 {mask_tail = "tail"} {
    ^(%29: i32):
      %30 = add %7, %29 : i32
      %31 = splat %30 {shape = [4]} : tile<4xi32>
      %32 = arange {lo = 0, hi = 4} : tile<4xi32>
      %33 = add %31, %32 : tile<4xi32>
      %34 = splat %1 {shape = [4]} : tile<4xi32>
      %35 = cmp %34, %33 {pred = gt} : tile<4xi1>
      %36 = splat %0 {shape = [4]} : tile<4xptr<f32>>
      %37 = ptr_add %36, %33 : tile<4xptr<f32>>
      store %37, %6, %35 {arg = 0}
      yield
    }
    yield
  }
  return
}
