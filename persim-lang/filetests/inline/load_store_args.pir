; passes: inline
; A callee's `load`/`store` name the callee parameter their pointers come
; from (`arg`). Inlined, they name the kernel parameter the call's operand
; derives from: `arg = 0` of the callee becomes `arg = 2` (`dst`) and
; `arg = 1` becomes `arg = 0` (`src`). A pointer mixing two parameters
; (`select` of `src` and `alt`) derives from neither, so its `arg` goes.
kernel @k(%0 src: ptr<f32>, %1 alt: ptr<f32>, %2 dst: ptr<f32> mut, %3 c: i1) {
  %4 = arange {lo = 0, hi = 4} : tile<4xi32>
  %5 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %6 = ptr_add %5, %4 : tile<4xptr<f32>>
  %7 = splat %2 {shape = [4]} : tile<4xptr<f32>>
  %8 = ptr_add %7, %4 : tile<4xptr<f32>>
  call %8, %6 {callee = "copy"}
  %9 = select %3, %0, %1 : ptr<f32>
  %10 = splat %9 {shape = [4]} : tile<4xptr<f32>>
  call %8, %10 {callee = "copy"}
  return
}

func @copy(%0 dst: tile<4xptr<f32>> mut, %1 src: tile<4xptr<f32>>) {
  %2 = load %1 {arg = 1} : tile<4xf32>
  store %0, %2 {arg = 0}
  return
}
; expect:
kernel @k(%0 src: ptr<f32>, %1 alt: ptr<f32>, %2 dst: ptr<f32> mut, %3 c: i1) {
  %4 = arange {lo = 0, hi = 4} : tile<4xi32>
  %5 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %6 = ptr_add %5, %4 : tile<4xptr<f32>>
  %7 = splat %2 {shape = [4]} : tile<4xptr<f32>>
  %8 = ptr_add %7, %4 : tile<4xptr<f32>>
  %9 = load %6 {arg = 0} : tile<4xf32>
  store %8, %9 {arg = 2}
  %10 = select %3, %0, %1 : ptr<f32>
  %11 = splat %10 {shape = [4]} : tile<4xptr<f32>>
  %12 = load %11 : tile<4xf32>
  store %8, %12 {arg = 2}
  return
}
