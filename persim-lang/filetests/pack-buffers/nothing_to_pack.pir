; passes: pack-buffers
; Lowered IR without buffers is left as it is.
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 0} files ["k.rs"] {
  %2 = arange {lo = 0, hi = 4} : tile<4xi32> loc(2:5)
  %3 = splat %0 {shape = [4]} : tile<4xptr<f32>> loc(3:5)
  %4 = ptr_add %3, %2 : tile<4xptr<f32>> loc(3:5)
  %5 = load %4 {arg = 0} : tile<4xf32> loc(3:5)
  %6 = splat %1 {shape = [4]} : tile<4xptr<f32>> loc(4:5)
  %7 = ptr_add %6, %2 : tile<4xptr<f32>> loc(4:5)
  store %7, %5 {arg = 1} loc(4:5)
  return
}
; expect:
kernel @k(%0 x: ptr<f32>, %1 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 0} files ["k.rs"] {
  %2 = arange {lo = 0, hi = 4} : tile<4xi32> loc(2:5)
  %3 = splat %0 {shape = [4]} : tile<4xptr<f32>> loc(3:5)
  %4 = ptr_add %3, %2 : tile<4xptr<f32>> loc(3:5)
  %5 = load %4 {arg = 0} : tile<4xf32> loc(3:5)
  %6 = splat %1 {shape = [4]} : tile<4xptr<f32>> loc(4:5)
  %7 = ptr_add %6, %2 : tile<4xptr<f32>> loc(4:5)
  store %7, %5 {arg = 1} loc(4:5)
  return
}
