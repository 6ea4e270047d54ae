; passes: fuse-loops, forward-stores, dead-buffers, prove-masks, canonicalize, cse, licm, dce
; The lowering of persim-kernels' vector_add (ten loops, nine buffers)
; through the post-lowering part of the standard pipeline: one loop that
; keeps offsets, mask, pointers, both loads and the sum in registers, and
; no local memory.
; check: local_mem = 0
; check-not: alloc
; check-not: buf_
kernel @vector_add(%0 x: ptr<f32>, %1 y: ptr<f32>, %2 out: ptr<f32> mut, %3 n: i32) consts {BLOCK = 1024} attrs {lanes = 4, local_mem = 46080} files ["persim-kernels/src/vector_add.rs"] {
  %4 = alloc {ty = buf<1024xi32>, offset = 0} : buf<1024xi32> loc(9:30)
  %5 = alloc {ty = buf<1024xi32>, offset = 4096} : buf<1024xi32> loc(9:28)
  %6 = alloc {ty = buf<1024xi1>, offset = 8192} : buf<1024xi1> loc(10:21)
  %7 = alloc {ty = buf<1024xptr<f32>>, offset = 9216} : buf<1024xptr<f32>> loc(11:20)
  %8 = alloc {ty = buf<1024xf32>, offset = 17408} : buf<1024xf32> loc(11:13)
  %9 = alloc {ty = buf<1024xptr<f32>>, offset = 21504} : buf<1024xptr<f32>> loc(12:20)
  %10 = alloc {ty = buf<1024xf32>, offset = 29696} : buf<1024xf32> loc(12:13)
  %11 = alloc {ty = buf<1024xptr<f32>>, offset = 33792} : buf<1024xptr<f32>> loc(13:15)
  %12 = alloc {ty = buf<1024xf32>, offset = 41984} : buf<1024xf32> loc(13:25)
  %13 = program_id {axis = 0} : i32 loc(8:15)
  %14 = const {value = 1024, ty = i32} : i32 loc(9:22)
  %15 = mul %13, %14 : i32 loc(9:20)
  %16 = const {value = 0, ty = i32} : i32 loc(9:30)
  %17 = const {value = 1024, ty = i32} : i32 loc(9:30)
  %18 = const {value = 4, ty = i32} : i32 loc(9:30)
  for %16, %17, %18 {
  ^(%19: i32):
    %20 = arange {lo = 0, hi = 4} : tile<4xi32> loc(9:30)
    %21 = splat %19 {shape = [4]} : tile<4xi32> loc(9:30)
    %22 = add %20, %21 : tile<4xi32> loc(9:30)
    buf_store %4, %19, %22 loc(9:30)
    yield loc(9:30)
  } loc(9:30)
  %23 = const {value = 0, ty = i32} : i32 loc(9:28)
  %24 = const {value = 1024, ty = i32} : i32 loc(9:28)
  %25 = const {value = 4, ty = i32} : i32 loc(9:28)
  for %23, %24, %25 {
  ^(%26: i32):
    %27 = splat %15 {shape = [4]} : tile<4xi32> loc(9:28)
    %28 = buf_load %4, %26 {lanes = 4} : tile<4xi32> loc(9:28)
    %29 = add %27, %28 : tile<4xi32> loc(9:28)
    buf_store %5, %26, %29 loc(9:28)
    yield loc(9:28)
  } loc(9:28)
  %30 = const {value = 0, ty = i32} : i32 loc(10:21)
  %31 = const {value = 1024, ty = i32} : i32 loc(10:21)
  %32 = const {value = 4, ty = i32} : i32 loc(10:21)
  for %30, %31, %32 {
  ^(%33: i32):
    %34 = buf_load %5, %33 {lanes = 4} : tile<4xi32> loc(10:21)
    %35 = splat %3 {shape = [4]} : tile<4xi32> loc(10:21)
    %36 = cmp %34, %35 {pred = lt} : tile<4xi1> loc(10:21)
    buf_store %6, %33, %36 loc(10:21)
    yield loc(10:21)
  } loc(10:21)
  %37 = const {value = 0, ty = i32} : i32 loc(11:20)
  %38 = const {value = 1024, ty = i32} : i32 loc(11:20)
  %39 = const {value = 4, ty = i32} : i32 loc(11:20)
  for %37, %38, %39 {
  ^(%40: i32):
    %41 = splat %0 {shape = [4]} : tile<4xptr<f32>> loc(11:20)
    %42 = buf_load %5, %40 {lanes = 4} : tile<4xi32> loc(11:20)
    %43 = ptr_add %41, %42 : tile<4xptr<f32>> loc(11:20)
    buf_store %7, %40, %43 loc(11:20)
    yield loc(11:20)
  } loc(11:20)
  %44 = const {value = 0, ty = i32} : i32 loc(11:13)
  %45 = const {value = 1024, ty = i32} : i32 loc(11:13)
  %46 = const {value = 4, ty = i32} : i32 loc(11:13)
  for %44, %45, %46 {
  ^(%47: i32):
    %48 = buf_load %7, %47 {lanes = 4} : tile<4xptr<f32>> loc(11:13)
    %49 = buf_load %6, %47 {lanes = 4} : tile<4xi1> loc(11:13)
    %50 = load %48, %49 {arg = 0} : tile<4xf32> loc(11:13)
    buf_store %8, %47, %50 loc(11:13)
    yield loc(11:13)
  } loc(11:13)
  %51 = const {value = 0, ty = i32} : i32 loc(12:20)
  %52 = const {value = 1024, ty = i32} : i32 loc(12:20)
  %53 = const {value = 4, ty = i32} : i32 loc(12:20)
  for %51, %52, %53 {
  ^(%54: i32):
    %55 = splat %1 {shape = [4]} : tile<4xptr<f32>> loc(12:20)
    %56 = buf_load %5, %54 {lanes = 4} : tile<4xi32> loc(12:20)
    %57 = ptr_add %55, %56 : tile<4xptr<f32>> loc(12:20)
    buf_store %9, %54, %57 loc(12:20)
    yield loc(12:20)
  } loc(12:20)
  %58 = const {value = 0, ty = i32} : i32 loc(12:13)
  %59 = const {value = 1024, ty = i32} : i32 loc(12:13)
  %60 = const {value = 4, ty = i32} : i32 loc(12:13)
  for %58, %59, %60 {
  ^(%61: i32):
    %62 = buf_load %9, %61 {lanes = 4} : tile<4xptr<f32>> loc(12:13)
    %63 = buf_load %6, %61 {lanes = 4} : tile<4xi1> loc(12:13)
    %64 = load %62, %63 {arg = 1} : tile<4xf32> loc(12:13)
    buf_store %10, %61, %64 loc(12:13)
    yield loc(12:13)
  } loc(12:13)
  %65 = const {value = 0, ty = i32} : i32 loc(13:15)
  %66 = const {value = 1024, ty = i32} : i32 loc(13:15)
  %67 = const {value = 4, ty = i32} : i32 loc(13:15)
  for %65, %66, %67 {
  ^(%68: i32):
    %69 = splat %2 {shape = [4]} : tile<4xptr<f32>> loc(13:15)
    %70 = buf_load %5, %68 {lanes = 4} : tile<4xi32> loc(13:15)
    %71 = ptr_add %69, %70 : tile<4xptr<f32>> loc(13:15)
    buf_store %11, %68, %71 loc(13:15)
    yield loc(13:15)
  } loc(13:15)
  %72 = const {value = 0, ty = i32} : i32 loc(13:25)
  %73 = const {value = 1024, ty = i32} : i32 loc(13:25)
  %74 = const {value = 4, ty = i32} : i32 loc(13:25)
  for %72, %73, %74 {
  ^(%75: i32):
    %76 = buf_load %8, %75 {lanes = 4} : tile<4xf32> loc(13:25)
    %77 = buf_load %10, %75 {lanes = 4} : tile<4xf32> loc(13:25)
    %78 = add %76, %77 : tile<4xf32> loc(13:25)
    buf_store %12, %75, %78 loc(13:25)
    yield loc(13:25)
  } loc(13:25)
  %79 = const {value = 0, ty = i32} : i32 loc(13:5)
  %80 = const {value = 1024, ty = i32} : i32 loc(13:5)
  %81 = const {value = 4, ty = i32} : i32 loc(13:5)
  for %79, %80, %81 {
  ^(%82: i32):
    %83 = buf_load %11, %82 {lanes = 4} : tile<4xptr<f32>> loc(13:5)
    %84 = buf_load %12, %82 {lanes = 4} : tile<4xf32> loc(13:5)
    %85 = buf_load %6, %82 {lanes = 4} : tile<4xi1> loc(13:5)
    store %83, %84, %85 {arg = 2} loc(13:5)
    yield loc(13:5)
  } loc(13:5)
  return loc(14:1)
}
; expect:
kernel @vector_add(%0 x: ptr<f32>, %1 y: ptr<f32>, %2 out: ptr<f32> mut, %3 n: i32) consts {BLOCK = 1024} attrs {lanes = 4, local_mem = 0} files ["persim-kernels/src/vector_add.rs"] {
  %4 = program_id {axis = 0} : i32 loc(8:15)
  %5 = const {value = 1024, ty = i32} : i32 loc(9:22)
  %6 = mul %4, %5 : i32 loc(9:20)
  %7 = const {value = 0, ty = i32} : i32 loc(9:30)
  %8 = const {value = 4, ty = i32} : i32 loc(9:30)
  %9 = arange {lo = 0, hi = 4} : tile<4xi32> loc(9:30)
  %10 = splat %6 {shape = [4]} : tile<4xi32> loc(9:28)
  %11 = splat %3 {shape = [4]} : tile<4xi32> loc(10:21)
  %12 = splat %0 {shape = [4]} : tile<4xptr<f32>> loc(11:20)
  %13 = splat %1 {shape = [4]} : tile<4xptr<f32>> loc(12:20)
  %14 = splat %2 {shape = [4]} : tile<4xptr<f32>> loc(13:15)
  for %7, %5, %8 {
  ^(%15: i32):
    %16 = splat %15 {shape = [4]} : tile<4xi32> loc(9:30)
    %17 = add %9, %16 : tile<4xi32> loc(9:30)
    %18 = add %10, %17 : tile<4xi32> loc(9:28)
    %19 = cmp %18, %11 {pred = lt} : tile<4xi1> loc(10:21)
    %20 = ptr_add %12, %18 : tile<4xptr<f32>> loc(11:20)
    %21 = load %20, %19 {arg = 0} : tile<4xf32> loc(11:13)
    %22 = ptr_add %13, %18 : tile<4xptr<f32>> loc(12:20)
    %23 = load %22, %19 {arg = 1} : tile<4xf32> loc(12:13)
    %24 = ptr_add %14, %18 : tile<4xptr<f32>> loc(13:15)
    %25 = add %21, %23 : tile<4xf32> loc(13:25)
    store %24, %25, %19 {arg = 2} loc(13:5)
    yield loc(9:30)
  } loc(9:30)
  return loc(14:1)
}
