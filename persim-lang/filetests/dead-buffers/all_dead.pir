; passes: dead-buffers
; After fusion and forwarding, the buffers are only stored into: they go,
; with their stores, and local_mem drops to 0.
; check: local_mem = 0
; check-not: alloc
; check-not: buf_store
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 8192} {
  %2 = alloc {ty = buf<1024xf32>, offset = 0} : buf<1024xf32>
  %3 = alloc {ty = buf<1024xf32>, offset = 4096} : buf<1024xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 1024, ty = i32} : i32
  %6 = const {value = 4, ty = i32} : i32
  %7 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %8 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  %9 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %4, %5, %6 {
  ^(%10: i32):
    %11 = splat %10 {shape = [4]} : tile<4xi32>
    %12 = add %9, %11 : tile<4xi32>
    %13 = ptr_add %7, %12 : tile<4xptr<f32>>
    %14 = load %13 {arg = 0} : tile<4xf32>
    buf_store %2, %10, %14
    %15 = exp %14 : tile<4xf32>
    buf_store %3, %10, %15
    %16 = ptr_add %8, %12 : tile<4xptr<f32>>
    store %16, %15 {arg = 1}
    yield
  }
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 0} {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1024, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %6 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  %7 = arange {lo = 0, hi = 4} : tile<4xi32>
  for %2, %3, %4 {
  ^(%8: i32):
    %9 = splat %8 {shape = [4]} : tile<4xi32>
    %10 = add %7, %9 : tile<4xi32>
    %11 = ptr_add %5, %10 : tile<4xptr<f32>>
    %12 = load %11 {arg = 0} : tile<4xf32>
    %13 = exp %12 : tile<4xf32>
    %14 = ptr_add %6, %10 : tile<4xptr<f32>>
    store %14, %13 {arg = 1}
    yield
  }
  return
}
