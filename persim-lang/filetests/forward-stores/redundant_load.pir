; passes: forward-stores
; Two loads of the same element with no store in between: the second is
; the first.
kernel @k(%0 out: ptr<f32> mut, %1 i: i32) attrs {lanes = 4, local_mem = 64} {
  %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %3 = buf_load %2, %1 {lanes = 4} : tile<4xf32>
  %4 = buf_load %2, %1 {lanes = 4} : tile<4xf32>
  %5 = mul %3, %4 : tile<4xf32>
  %6 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  store %6, %5 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 i: i32) attrs {lanes = 4, local_mem = 64} {
  %2 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %3 = buf_load %2, %1 {lanes = 4} : tile<4xf32>
  %4 = mul %3, %3 : tile<4xf32>
  %5 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  store %5, %4 {arg = 0}
  return
}
