; passes: bulk-copies
; target: dma
; Pointers read back from a buffer are no walk the pass can see, but the
; loaded vector only goes into another buffer: load and store become one
; `copy_gather` (masked-off lanes take `other`), which the backend merges
; with its neighbours at run time. A load whose value is also used
; otherwise stays a load.
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 256} {
  %2 = alloc {ty = buf<16xptr<f32>>, offset = 0} : buf<16xptr<f32>>
  %3 = alloc {ty = buf<16xf32>, offset = 128} : buf<16xf32>
  %4 = alloc {ty = buf<16xf32>, offset = 192} : buf<16xf32>
  %5 = const {value = 0, ty = i32} : i32
  %6 = const {value = 16, ty = i32} : i32
  %7 = const {value = 4, ty = i32} : i32
  %8 = const {value = 1.0, ty = f32} : f32
  %9 = splat %8 {shape = [4]} : tile<4xf32>
  %10 = arange {lo = 0, hi = 4} : tile<4xi32>
  %11 = const {value = 10, ty = i32} : i32
  %12 = splat %11 {shape = [4]} : tile<4xi32>
  for %5, %6, %7 {
  ^(%13: i32):
    %14 = buf_load %2, %13 {lanes = 4} : tile<4xptr<f32>>
    %15 = splat %13 {shape = [4]} : tile<4xi32>
    %16 = add %10, %15 : tile<4xi32>
    %17 = cmp %16, %12 {pred = lt} : tile<4xi1>
    %18 = load %14, %17, %9 {arg = 0} : tile<4xf32>
    buf_store %3, %13, %18
    %19 = load %14 {arg = 0} : tile<4xf32>
    buf_store %4, %13, %19
    %20 = splat %1 {shape = [4]} : tile<4xptr<f32>>
    %21 = ptr_add %20, %16 : tile<4xptr<f32>>
    store %21, %19, %17 {arg = 1}
    yield
  }
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 320} {
  %2 = alloc {ty = buf<16xptr<f32>>, offset = 0} : buf<16xptr<f32>>
  %3 = alloc {ty = buf<16xf32>, offset = 128} : buf<16xf32>
  %4 = alloc {ty = buf<16xf32>, offset = 192} : buf<16xf32>
  %5 = const {value = 0, ty = i32} : i32
  %6 = const {value = 16, ty = i32} : i32
  %7 = const {value = 4, ty = i32} : i32
  %8 = const {value = 1.0, ty = f32} : f32
  %9 = splat %8 {shape = [4]} : tile<4xf32>
  %10 = arange {lo = 0, hi = 4} : tile<4xi32>
  %11 = const {value = 10, ty = i32} : i32
  %12 = splat %11 {shape = [4]} : tile<4xi32>
  %13 = alloc {ty = buf<16xf32>, offset = 256} : buf<16xf32>
  %14 = const {value = 0, ty = i32} : i32
  %15 = ptr_add %1, %14 : ptr<f32>
  %16 = const {value = 0, ty = i32} : i32
  %17 = sub %11, %16 : i32
  %18 = const {value = 0, ty = i32} : i32
  %19 = const {value = 16, ty = i32} : i32
  %20 = maximum %17, %18 : i32
  %21 = minimum %20, %19 : i32
  %22 = const {value = 0, ty = i32} : i32
  for %5, %6, %7 {
  ^(%23: i32):
    %24 = buf_load %2, %23 {lanes = 4} : tile<4xptr<f32>>
    %25 = splat %23 {shape = [4]} : tile<4xi32>
    %26 = add %10, %25 : tile<4xi32>
    %27 = cmp %26, %12 {pred = lt} : tile<4xi1>
    copy_gather %3, %23, %24, %27, %9 {arg = 0}
    %28 = load %24 {arg = 0} : tile<4xf32>
    buf_store %4, %23, %28
    %29 = splat %1 {shape = [4]} : tile<4xptr<f32>>
    %30 = ptr_add %29, %26 : tile<4xptr<f32>>
    buf_store %13, %23, %28
    yield
  }
  copy_out %15, %13, %22, %21 {arg = 1}
  return
}
