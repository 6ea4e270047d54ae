; passes: fuse-loops
; The second loop reads element 1023 in every iteration. The first loop
; writes it in its last iteration, so fusing would read it too early
; (a dependence of negative distance). Unchanged.
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 4096} {
  %1 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1024, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 1023, ty = i32} : i32
  %6 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %7 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %2, %3, %4 {
  ^(%8: i32):
    %9 = splat %8 {shape = [4]} : tile<4xi32>
    %10 = add %7, %9 : tile<4xi32>
    %11 = cast %10 {to = f32} : tile<4xf32>
    buf_store %1, %8, %11
    yield
  }
  for %2, %3, %4 {
  ^(%12: i32):
    %13 = buf_load %1, %5 {lanes = 0} : f32
    %14 = splat %13 {shape = [4]} : tile<4xf32>
    %15 = splat %12 {shape = [4]} : tile<4xi32>
    %16 = add %7, %15 : tile<4xi32>
    %17 = ptr_add %6, %16 : tile<4xptr<f32>>
    store %17, %14 {arg = 0}
    yield
  }
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 4096} {
  %1 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1024, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 1023, ty = i32} : i32
  %6 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %7 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %2, %3, %4 {
  ^(%8: i32):
    %9 = splat %8 {shape = [4]} : tile<4xi32>
    %10 = add %7, %9 : tile<4xi32>
    %11 = cast %10 {to = f32} : tile<4xf32>
    buf_store %1, %8, %11
    yield
  }
  for %2, %3, %4 {
  ^(%12: i32):
    %13 = buf_load %1, %5 {lanes = 0} : f32
    %14 = splat %13 {shape = [4]} : tile<4xf32>
    %15 = splat %12 {shape = [4]} : tile<4xi32>
    %16 = add %7, %15 : tile<4xi32>
    %17 = ptr_add %6, %16 : tile<4xptr<f32>>
    store %17, %14 {arg = 0}
    yield
  }
  return
}
