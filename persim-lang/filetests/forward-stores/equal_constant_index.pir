; passes: forward-stores
; Lowering emits a fresh `const` for each index: a store at one `const 8`
; forwards to a load at another `const 8`, not to one at `const 12` (and
; the earlier store at 12 is forgotten at the store into the same buffer).
; check: buf_load %1, %4
; check-not: buf_load %1, %3
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 64} {
  %1 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %2 = const {value = 8, ty = i32} : i32
  %3 = const {value = 8, ty = i32} : i32
  %4 = const {value = 12, ty = i32} : i32
  %5 = const {value = 1.5, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  %11 = const {value = 2.5, ty = f32} : f32
  %12 = splat %11 {shape = [4]} : tile<4xf32>
  buf_store %1, %4, %12
  buf_store %1, %2, %6
  %7 = buf_load %1, %3 {lanes = 4} : tile<4xf32>
  %8 = buf_load %1, %4 {lanes = 4} : tile<4xf32>
  %9 = add %7, %8 : tile<4xf32>
  %10 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  store %10, %9 {arg = 0}
  return
}
; expect:
kernel @k(%0 out: ptr<f32> mut) attrs {lanes = 4, local_mem = 64} {
  %1 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %2 = const {value = 8, ty = i32} : i32
  %3 = const {value = 8, ty = i32} : i32
  %4 = const {value = 12, ty = i32} : i32
  %5 = const {value = 1.5, ty = f32} : f32
  %6 = splat %5 {shape = [4]} : tile<4xf32>
  %7 = const {value = 2.5, ty = f32} : f32
  %8 = splat %7 {shape = [4]} : tile<4xf32>
  buf_store %1, %4, %8
  buf_store %1, %2, %6
  %9 = buf_load %1, %4 {lanes = 4} : tile<4xf32>
  %10 = add %6, %9 : tile<4xf32>
  %11 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  store %11, %10 {arg = 0}
  return
}
