; passes: bulk-copies
; target: dma
; A softmax row: the loop starts at element 4 (`lo = 4`), the pointer is a
; row start computed outside the loop, the mask is written `n > cols`
; (sides swapped), and masked-off lanes read `-inf`: the buffer is read at
; `iv - 4` and masked-off lanes select `other`. The store's mask is
; inclusive (`cols <= n`), so its copy moves one element more.
kernel @row(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 row: i32, %3 n: i32) attrs {lanes = 4, local_mem = 0} {
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 20, ty = i32} : i32
  %6 = mul %2, %3 : i32
  %7 = ptr_add %1, %6 : ptr<f32>
  %8 = splat %7 {shape = [4]} : tile<4xptr<f32>>
  %9 = ptr_add %0, %6 : ptr<f32>
  %10 = splat %9 {shape = [4]} : tile<4xptr<f32>>
  %11 = arange {lo = 0, hi = 4} : tile<4xi32>
  %12 = splat %3 {shape = [4]} : tile<4xi32>
  %13 = const {value = -inf, ty = f32} : f32
  %14 = splat %13 {shape = [4]} : tile<4xf32>
  %15 = for %4, %5, %4, %14 : tile<4xf32> {
  ^(%16: i32, %17: tile<4xf32>):
    %18 = splat %16 {shape = [4]} : tile<4xi32>
    %19 = add %11, %18 : tile<4xi32>
    %20 = ptr_add %8, %19 : tile<4xptr<f32>>
    %21 = cmp %12, %19 {pred = gt} : tile<4xi1>
    %22 = load %20, %21, %14 {arg = 1} : tile<4xf32>
    %23 = maximum %17, %22 : tile<4xf32>
    %24 = ptr_add %10, %19 : tile<4xptr<f32>>
    %25 = cmp %19, %12 {pred = le} : tile<4xi1>
    store %24, %23, %25 {arg = 0}
    yield %23
  }
  return
}
; expect:
kernel @row(%0 out: ptr<f32> mut, %1 inp: ptr<f32>, %2 row: i32, %3 n: i32) attrs {lanes = 4, local_mem = 128} {
  %4 = const {value = 4, ty = i32} : i32
  %5 = const {value = 20, ty = i32} : i32
  %6 = mul %2, %3 : i32
  %7 = ptr_add %1, %6 : ptr<f32>
  %8 = splat %7 {shape = [4]} : tile<4xptr<f32>>
  %9 = ptr_add %0, %6 : ptr<f32>
  %10 = splat %9 {shape = [4]} : tile<4xptr<f32>>
  %11 = arange {lo = 0, hi = 4} : tile<4xi32>
  %12 = splat %3 {shape = [4]} : tile<4xi32>
  %13 = const {value = -inf, ty = f32} : f32
  %14 = splat %13 {shape = [4]} : tile<4xf32>
  %15 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %16 = const {value = 4, ty = i32} : i32
  %17 = ptr_add %7, %16 : ptr<f32>
  %18 = const {value = 4, ty = i32} : i32
  %19 = sub %3, %18 : i32
  %20 = const {value = 0, ty = i32} : i32
  %21 = const {value = 16, ty = i32} : i32
  %22 = maximum %19, %20 : i32
  %23 = minimum %22, %21 : i32
  %24 = const {value = 0, ty = i32} : i32
  copy_in %15, %24, %17, %23 {arg = 1}
  %25 = alloc {ty = buf<16xf32>, offset = 64} : buf<16xf32>
  %26 = const {value = 4, ty = i32} : i32
  %27 = ptr_add %9, %26 : ptr<f32>
  %28 = const {value = 4, ty = i32} : i32
  %29 = sub %3, %28 : i32
  %30 = const {value = 1, ty = i32} : i32
  %31 = add %29, %30 : i32
  %32 = const {value = 0, ty = i32} : i32
  %33 = const {value = 16, ty = i32} : i32
  %34 = maximum %31, %32 : i32
  %35 = minimum %34, %33 : i32
  %36 = const {value = 0, ty = i32} : i32
  %37 = for %4, %5, %4, %14 : tile<4xf32> {
  ^(%38: i32, %39: tile<4xf32>):
    %40 = splat %38 {shape = [4]} : tile<4xi32>
    %41 = add %11, %40 : tile<4xi32>
    %42 = ptr_add %8, %41 : tile<4xptr<f32>>
    %43 = cmp %12, %41 {pred = gt} : tile<4xi1>
    %44 = const {value = 4, ty = i32} : i32
    %45 = sub %38, %44 : i32
    %46 = buf_load %15, %45 {lanes = 4} : tile<4xf32>
    %47 = select %43, %46, %14 : tile<4xf32>
    %48 = maximum %39, %47 : tile<4xf32>
    %49 = ptr_add %10, %41 : tile<4xptr<f32>>
    %50 = cmp %41, %12 {pred = le} : tile<4xi1>
    %51 = const {value = 4, ty = i32} : i32
    %52 = sub %38, %51 : i32
    buf_store %25, %52, %48
    yield %48
  }
  copy_out %27, %25, %36, %35 {arg = 0}
  return
}
