; passes: bulk-copies
; target: dma
; Lane l reads element 2·(iv + l): not a contiguous walk, and a mask that
; is not a bound on the walk (`idx != 3`) does not give a prefix: both
; loads stay vector loads.
kernel @k(%0 x: ptr<i32>, %1 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 0} {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 16, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  %6 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %7 = const {value = 2, ty = i32} : i32
  %8 = splat %7 {shape = [4]} : tile<4xi32>
  %9 = const {value = 3, ty = i32} : i32
  %10 = splat %9 {shape = [4]} : tile<4xi32>
  %11 = splat %1 {shape = [4]} : tile<4xptr<i32>>
  %12 = const {value = 0, ty = i32} : i32
  %13 = splat %12 {shape = [4]} : tile<4xi32>
  %14 = for %2, %3, %4, %13 : tile<4xi32> {
  ^(%15: i32, %16: tile<4xi32>):
    %17 = splat %15 {shape = [4]} : tile<4xi32>
    %18 = add %5, %17 : tile<4xi32>
    %19 = mul %18, %8 : tile<4xi32>
    %20 = ptr_add %6, %19 : tile<4xptr<i32>>
    %21 = load %20 {arg = 0} : tile<4xi32>
    %22 = ptr_add %6, %18 : tile<4xptr<i32>>
    %23 = cmp %18, %10 {pred = ne} : tile<4xi1>
    %24 = load %22, %23 {arg = 0} : tile<4xi32>
    %25 = add %16, %21 : tile<4xi32>
    %26 = add %25, %24 : tile<4xi32>
    yield %26
  }
  %27 = reduce %14 {kind = sum, axis = 0} : i32
  %28 = splat %27 {shape = [4]} : tile<4xi32>
  store %11, %28 {arg = 1}
  return
}
; expect:
kernel @k(%0 x: ptr<i32>, %1 out: ptr<i32> mut) attrs {lanes = 4, local_mem = 0} {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 16, ty = i32} : i32
  %4 = const {value = 4, ty = i32} : i32
  %5 = arange {lo = 0, hi = 4} : tile<4xi32>
  %6 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %7 = const {value = 2, ty = i32} : i32
  %8 = splat %7 {shape = [4]} : tile<4xi32>
  %9 = const {value = 3, ty = i32} : i32
  %10 = splat %9 {shape = [4]} : tile<4xi32>
  %11 = splat %1 {shape = [4]} : tile<4xptr<i32>>
  %12 = const {value = 0, ty = i32} : i32
  %13 = splat %12 {shape = [4]} : tile<4xi32>
  %14 = for %2, %3, %4, %13 : tile<4xi32> {
  ^(%15: i32, %16: tile<4xi32>):
    %17 = splat %15 {shape = [4]} : tile<4xi32>
    %18 = add %5, %17 : tile<4xi32>
    %19 = mul %18, %8 : tile<4xi32>
    %20 = ptr_add %6, %19 : tile<4xptr<i32>>
    %21 = load %20 {arg = 0} : tile<4xi32>
    %22 = ptr_add %6, %18 : tile<4xptr<i32>>
    %23 = cmp %18, %10 {pred = ne} : tile<4xi1>
    %24 = load %22, %23 {arg = 0} : tile<4xi32>
    %25 = add %16, %21 : tile<4xi32>
    %26 = add %25, %24 : tile<4xi32>
    yield %26
  }
  %27 = reduce %14 {kind = sum, axis = 0} : i32
  %28 = splat %27 {shape = [4]} : tile<4xi32>
  store %11, %28 {arg = 1}
  return
}
