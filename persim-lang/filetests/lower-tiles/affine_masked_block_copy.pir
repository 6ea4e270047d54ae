; passes: lower-tiles
; target: dma-affine
; A 2 x 8 tile masked to its first `k` columns, masked-off elements 0.0
; (a matmul's `k` tail): one 2-D `copy_in` of `clamp(k - 0, 0, 8)` columns,
; the buffer first filled with 0.0 when the block is partial; and a store
; masked to `rows < m` copies `clamp(m, 0, 2)` rows out.
kernel @k(%0 a: ptr<f32>, %1 out: ptr<f32> mut, %2 n: i32, %3 k: i32, %4 m: i32) {
  %5 = arange {lo = 0, hi = 2} : tile<2xi32>
  %6 = arange {lo = 0, hi = 8} : tile<8xi32>
  %7 = expand_dims %5 {axis = 1} : tile<2x1xi32>
  %8 = splat %2 {shape = [2, 1]} : tile<2x1xi32>
  %9 = mul %7, %8 : tile<2x1xi32>
  %10 = broadcast %9 {shape = [2, 8]} : tile<2x8xi32>
  %11 = expand_dims %6 {axis = 0} : tile<1x8xi32>
  %12 = broadcast %11 {shape = [2, 8]} : tile<2x8xi32>
  %13 = add %10, %12 : tile<2x8xi32>
  %14 = splat %0 {shape = [2, 8]} : tile<2x8xptr<f32>>
  %15 = ptr_add %14, %13 : tile<2x8xptr<f32>>
  %16 = splat %3 {shape = [1, 8]} : tile<1x8xi32>
  %17 = cmp %11, %16 {pred = lt} : tile<1x8xi1>
  %18 = broadcast %17 {shape = [2, 8]} : tile<2x8xi1>
  %19 = const {value = 0.0, ty = f32} : f32
  %20 = splat %19 {shape = [2, 8]} : tile<2x8xf32>
  %21 = load %15, %18, %20 {arg = 0} : tile<2x8xf32>
  %22 = splat %1 {shape = [2, 8]} : tile<2x8xptr<f32>>
  %23 = ptr_add %22, %13 : tile<2x8xptr<f32>>
  %24 = splat %4 {shape = [2, 1]} : tile<2x1xi32>
  %25 = cmp %7, %24 {pred = lt} : tile<2x1xi1>
  %26 = broadcast %25 {shape = [2, 8]} : tile<2x8xi1>
  store %23, %21, %26 {arg = 1}
  return
}
; check: if
; check: copy_in
; check: copy_out
; check-not: = load 
; expect:
kernel @k(%0 a: ptr<f32>, %1 out: ptr<f32> mut, %2 n: i32, %3 k: i32, %4 m: i32) attrs {lanes = 4, local_mem = 272} {
  %5 = alloc {ty = buf<8xi1>, offset = 0, tile = tile<1x8xi1>} : buf<8xi1>
  %6 = alloc {ty = buf<16xi1>, offset = 64, tile = tile<2x8xi1>} : buf<16xi1>
  %7 = alloc {ty = buf<16xf32>, offset = 128, tile = tile<2x8xf32>} : buf<16xf32>
  %8 = alloc {ty = buf<8xi1>, offset = 192, tile = tile<2x1xi1>} : buf<8xi1>
  %9 = alloc {ty = buf<16xi1>, offset = 256, tile = tile<2x8xi1>} : buf<16xi1>
  %10 = const {value = 0, ty = i32} : i32
  %11 = const {value = 8, ty = i32} : i32
  %12 = const {value = 4, ty = i32} : i32
  for %10, %11, %12 {
  ^(%13: i32):
    %14 = const {value = 8, ty = i32} : i32
    %15 = div %13, %14 : i32
    %16 = rem %13, %14 : i32
    %17 = splat %16 {shape = [4]} : tile<4xi32>
    %18 = arange {lo = 0, hi = 4} : tile<4xi32>
    %19 = add %17, %18 : tile<4xi32>
    %20 = splat %3 {shape = [4]} : tile<4xi32>
    %21 = cmp %19, %20 {pred = lt} : tile<4xi1>
    buf_store %5, %13, %21
    yield
  }
  %22 = const {value = 0, ty = i32} : i32
  %23 = const {value = 2, ty = i32} : i32
  %24 = const {value = 1, ty = i32} : i32
  for %22, %23, %24 {
  ^(%25: i32):
    %26 = const {value = 8, ty = i32} : i32
    %27 = mul %25, %26 : i32
    %28 = const {value = 0, ty = i32} : i32
    %29 = const {value = 8, ty = i32} : i32
    %30 = const {value = 4, ty = i32} : i32
    for %28, %29, %30 {
    ^(%31: i32):
      %32 = add %27, %31 : i32
      %33 = buf_load %5, %31 {lanes = 4} : tile<4xi1>
      buf_store %6, %32, %33
      yield
    }
    yield
  }
  %34 = const {value = 0.0, ty = f32} : f32
  %35 = const {value = 2, ty = i32} : i32
  %36 = const {value = 8, ty = i32} : i32
  %37 = const {value = 0, ty = i32} : i32
  %38 = sub %3, %37 : i32
  %39 = const {value = 0, ty = i32} : i32
  %40 = maximum %38, %39 : i32
  %41 = minimum %40, %36 : i32
  %42 = cmp %41, %36 {pred = lt} : i1
  if %42 {
    %43 = splat %34 {shape = [4]} : tile<4xf32>
    %44 = const {value = 0, ty = i32} : i32
    %45 = const {value = 16, ty = i32} : i32
    %46 = const {value = 4, ty = i32} : i32
    for %44, %45, %46 {
    ^(%47: i32):
      buf_store %7, %47, %43
      yield
    }
    yield
  } {
    yield
  }
  %48 = const {value = 0, ty = i32} : i32
  %49 = ptr_add %0, %48 : ptr<f32>
  %50 = const {value = 0, ty = i32} : i32
  %51 = const {value = 8, ty = i32} : i32
  copy_in %7, %50, %49, %41, %35, %2, %51 {arg = 0}
  %52 = const {value = 0, ty = i32} : i32
  %53 = const {value = 8, ty = i32} : i32
  %54 = const {value = 4, ty = i32} : i32
  for %52, %53, %54 {
  ^(%55: i32):
    %56 = const {value = 4, ty = i32} : i32
    %57 = div %55, %56 : i32
    %58 = rem %55, %56 : i32
    %59 = splat %57 {shape = [4]} : tile<4xi32>
    %60 = splat %4 {shape = [4]} : tile<4xi32>
    %61 = cmp %59, %60 {pred = lt} : tile<4xi1>
    buf_store %8, %55, %61
    yield
  }
  %62 = const {value = 0, ty = i32} : i32
  %63 = const {value = 2, ty = i32} : i32
  %64 = const {value = 1, ty = i32} : i32
  for %62, %63, %64 {
  ^(%65: i32):
    %66 = const {value = 8, ty = i32} : i32
    %67 = mul %65, %66 : i32
    %68 = const {value = 4, ty = i32} : i32
    %69 = mul %65, %68 : i32
    %70 = buf_load %8, %69 {lanes = 0} : i1
    %71 = splat %70 {shape = [4]} : tile<4xi1>
    %72 = const {value = 0, ty = i32} : i32
    %73 = const {value = 8, ty = i32} : i32
    %74 = const {value = 4, ty = i32} : i32
    for %72, %73, %74 {
    ^(%75: i32):
      %76 = add %67, %75 : i32
      buf_store %9, %76, %71
      yield
    }
    yield
  }
  %77 = const {value = 2, ty = i32} : i32
  %78 = const {value = 0, ty = i32} : i32
  %79 = sub %4, %78 : i32
  %80 = const {value = 0, ty = i32} : i32
  %81 = maximum %79, %80 : i32
  %82 = minimum %81, %77 : i32
  %83 = cmp %82, %77 {pred = lt} : i1
  %84 = const {value = 8, ty = i32} : i32
  %85 = const {value = 0, ty = i32} : i32
  %86 = ptr_add %1, %85 : ptr<f32>
  %87 = const {value = 0, ty = i32} : i32
  %88 = const {value = 8, ty = i32} : i32
  copy_out %86, %7, %87, %84, %82, %2, %88 {arg = 1}
  return
}
