; passes: bulk-copies
; target: dma
; The loop of a lowered vector add: both masked loads walk `x` and `y` from
; `pid * 16` and become one `copy_in` each before the loop, the masked store
; one `copy_out` after it; the copies move `clamp(n - pid*16, 0, 16)`
; elements, the prefix the masks let through.
kernel @add(%0 x: ptr<f32>, %1 y: ptr<f32>, %2 out: ptr<f32> mut, %3 n: i32) attrs {lanes = 4, local_mem = 0} {
  %4 = program_id {axis = 0} : i32
  %5 = const {value = 16, ty = i32} : i32
  %6 = mul %4, %5 : i32
  %7 = const {value = 0, ty = i32} : i32
  %8 = const {value = 4, ty = i32} : i32
  %9 = arange {lo = 0, hi = 4} : tile<4xi32>
  %10 = splat %6 {shape = [4]} : tile<4xi32>
  %11 = splat %3 {shape = [4]} : tile<4xi32>
  %12 = splat %2 {shape = [4]} : tile<4xptr<f32>>
  %13 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %14 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  for %7, %5, %8 {
  ^(%15: i32):
    %16 = splat %15 {shape = [4]} : tile<4xi32>
    %17 = add %9, %16 : tile<4xi32>
    %18 = add %10, %17 : tile<4xi32>
    %19 = cmp %18, %11 {pred = lt} : tile<4xi1>
    %20 = ptr_add %12, %18 : tile<4xptr<f32>>
    %21 = ptr_add %13, %18 : tile<4xptr<f32>>
    %22 = load %21, %19 {arg = 0} : tile<4xf32>
    %23 = ptr_add %14, %18 : tile<4xptr<f32>>
    %24 = load %23, %19 {arg = 1} : tile<4xf32>
    %25 = add %22, %24 : tile<4xf32>
    store %20, %25, %19 {arg = 2}
    yield
  }
  return
}
; expect:
kernel @add(%0 x: ptr<f32>, %1 y: ptr<f32>, %2 out: ptr<f32> mut, %3 n: i32) attrs {lanes = 4, local_mem = 192} {
  %4 = program_id {axis = 0} : i32
  %5 = const {value = 16, ty = i32} : i32
  %6 = mul %4, %5 : i32
  %7 = const {value = 0, ty = i32} : i32
  %8 = const {value = 4, ty = i32} : i32
  %9 = arange {lo = 0, hi = 4} : tile<4xi32>
  %10 = splat %6 {shape = [4]} : tile<4xi32>
  %11 = splat %3 {shape = [4]} : tile<4xi32>
  %12 = splat %2 {shape = [4]} : tile<4xptr<f32>>
  %13 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %14 = splat %1 {shape = [4]} : tile<4xptr<f32>>
  %15 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %16 = const {value = 0, ty = i32} : i32
  %17 = add %16, %6 : i32
  %18 = ptr_add %0, %17 : ptr<f32>
  %19 = const {value = 0, ty = i32} : i32
  %20 = add %19, %6 : i32
  %21 = sub %3, %20 : i32
  %22 = const {value = 0, ty = i32} : i32
  %23 = const {value = 16, ty = i32} : i32
  %24 = maximum %21, %22 : i32
  %25 = minimum %24, %23 : i32
  %26 = const {value = 0, ty = i32} : i32
  copy_in %15, %26, %18, %25 {arg = 0}
  %27 = alloc {ty = buf<16xf32>, offset = 64} : buf<16xf32>
  %28 = const {value = 0, ty = i32} : i32
  %29 = add %28, %6 : i32
  %30 = ptr_add %1, %29 : ptr<f32>
  %31 = const {value = 0, ty = i32} : i32
  %32 = add %31, %6 : i32
  %33 = sub %3, %32 : i32
  %34 = const {value = 0, ty = i32} : i32
  %35 = const {value = 16, ty = i32} : i32
  %36 = maximum %33, %34 : i32
  %37 = minimum %36, %35 : i32
  %38 = const {value = 0, ty = i32} : i32
  copy_in %27, %38, %30, %37 {arg = 1}
  %39 = alloc {ty = buf<16xf32>, offset = 128} : buf<16xf32>
  %40 = const {value = 0, ty = i32} : i32
  %41 = add %40, %6 : i32
  %42 = ptr_add %2, %41 : ptr<f32>
  %43 = const {value = 0, ty = i32} : i32
  %44 = add %43, %6 : i32
  %45 = sub %3, %44 : i32
  %46 = const {value = 0, ty = i32} : i32
  %47 = const {value = 16, ty = i32} : i32
  %48 = maximum %45, %46 : i32
  %49 = minimum %48, %47 : i32
  %50 = const {value = 0, ty = i32} : i32
  for %7, %5, %8 {
  ^(%51: i32):
    %52 = splat %51 {shape = [4]} : tile<4xi32>
    %53 = add %9, %52 : tile<4xi32>
    %54 = add %10, %53 : tile<4xi32>
    %55 = cmp %54, %11 {pred = lt} : tile<4xi1>
    %56 = ptr_add %12, %54 : tile<4xptr<f32>>
    %57 = ptr_add %13, %54 : tile<4xptr<f32>>
    %58 = buf_load %15, %51 {lanes = 4} : tile<4xf32>
    %59 = const {value = 0.0, ty = f32} : f32
    %60 = splat %59 {shape = [4]} : tile<4xf32>
    %61 = select %55, %58, %60 : tile<4xf32>
    %62 = ptr_add %14, %54 : tile<4xptr<f32>>
    %63 = buf_load %27, %51 {lanes = 4} : tile<4xf32>
    %64 = const {value = 0.0, ty = f32} : f32
    %65 = splat %64 {shape = [4]} : tile<4xf32>
    %66 = select %55, %63, %65 : tile<4xf32>
    %67 = add %61, %66 : tile<4xf32>
    buf_store %39, %51, %67
    yield
  }
  copy_out %42, %39, %50, %49 {arg = 2}
  return
}
