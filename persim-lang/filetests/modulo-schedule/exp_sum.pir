; passes: modulo-schedule
; target: modulo
; Softmax's middle pass over a row in a local buffer: load, subtract the
; max, `exp`, store back, and sum. One iteration's chain (load 4 + sub 4
; + exp 8 + store) is far longer than its three vector ops, so iterations
; overlap: the kernel issues iteration k+2's load, k+1's sub and exp, and
; k's store and add. A prologue starts the first iterations, an epilogue
; finishes the last; the carried sum and the values in flight between
; stages are the kernel's block arguments.
kernel @k(%0 out: ptr<f32> mut, %1 m: f32) attrs {lanes = 4, local_mem = 256} {
  %2 = alloc {ty = buf<64xf32>, offset = 0} : buf<64xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 64, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = const {value = 0.0, ty = f32} : f32
  %7 = splat %6 {shape = [4]} : tile<4xf32>
  %8 = splat %1 {shape = [4]} : tile<4xf32>
  %9 = for %3, %4, %5, %7 : tile<4xf32> {
  ^(%10: i32, %11: tile<4xf32>):
    %12 = buf_load %2, %10 {lanes = 4} : tile<4xf32>
    %13 = sub %12, %8 : tile<4xf32>
    %14 = exp %13 : tile<4xf32>
    buf_store %2, %10, %14
    %15 = add %11, %14 : tile<4xf32>
    yield %15
  }
  %16 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  store %16, %9 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 m: f32) attrs {lanes = 4, local_mem = 256} {
  %2 = alloc {ty = buf<64xf32>, offset = 0} : buf<64xf32>
  %3 = const {value = 0, ty = i32} : i32
  %4 = const {value = 64, ty = i32} : i32
  %5 = const {value = 4, ty = i32} : i32
  %6 = const {value = 0.0, ty = f32} : f32
  %7 = splat %6 {shape = [4]} : tile<4xf32>
  %8 = splat %1 {shape = [4]} : tile<4xf32>
  %9 = const {value = 0, ty = i32} : i32
  %10 = buf_load %2, %9 {lanes = 4} : tile<4xf32>
  %11 = const {value = 4, ty = i32} : i32
  %12 = buf_load %2, %11 {lanes = 4} : tile<4xf32>
  %13 = sub %10, %8 : tile<4xf32>
  %14 = const {value = 8, ty = i32} : i32
  %15 = buf_load %2, %14 {lanes = 4} : tile<4xf32>
  %16 = sub %12, %8 : tile<4xf32>
  %17 = exp %13 : tile<4xf32>
  %18 = const {value = 12, ty = i32} : i32
  %19 = buf_load %2, %18 {lanes = 4} : tile<4xf32>
  %20 = sub %15, %8 : tile<4xf32>
  %21 = exp %16 : tile<4xf32>
  %22 = const {value = 0, ty = i32} : i32
  %23 = const {value = 48, ty = i32} : i32
  %24 = const {value = 4, ty = i32} : i32
  %25, %26, %27, %28, %29 = for %22, %23, %24, %19, %20, %21, %17, %7 {stages = 5} : tile<4xf32>, tile<4xf32>, tile<4xf32>, tile<4xf32>, tile<4xf32> {
  ^(%30: i32, %31: tile<4xf32>, %32: tile<4xf32>, %33: tile<4xf32>, %34: tile<4xf32>, %35: tile<4xf32>):
    %36 = const {value = 16, ty = i32} : i32
    %37 = add %30, %36 : i32
    %38 = buf_load %2, %37 {lanes = 4} : tile<4xf32>
    %39 = sub %31, %8 : tile<4xf32>
    %40 = exp %32 : tile<4xf32>
    buf_store %2, %30, %34
    %41 = add %35, %34 : tile<4xf32>
    yield %38, %39, %40, %33, %41
  }
  %42 = sub %25, %8 : tile<4xf32>
  %43 = exp %26 : tile<4xf32>
  %44 = const {value = 48, ty = i32} : i32
  buf_store %2, %44, %28
  %45 = add %29, %28 : tile<4xf32>
  %46 = exp %42 : tile<4xf32>
  %47 = const {value = 52, ty = i32} : i32
  buf_store %2, %47, %27
  %48 = add %45, %27 : tile<4xf32>
  %49 = const {value = 56, ty = i32} : i32
  buf_store %2, %49, %43
  %50 = add %48, %43 : tile<4xf32>
  %51 = const {value = 60, ty = i32} : i32
  buf_store %2, %51, %46
  %52 = add %50, %46 : tile<4xf32>
  %53 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  store %53, %52 {arg = 0}
  return
}
