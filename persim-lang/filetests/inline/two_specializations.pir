; passes: inline, dce
; The frontend specializes a device function per argument type: here one
; specialization for `tile<4xf32>` called twice and one for `tile<2x8xf32>`.
; Each call gets its own copy; DCE afterwards finds nothing dead.
; check-not: call
kernel @k(%0 out: ptr<f32> mut) {
  %1 = const {value = 1.5, ty = f32} : f32
  %2 = splat %1 {shape = [4]} : tile<4xf32>
  %3 = call %2 {callee = "sq<tile<4xf32>>"} : tile<4xf32>
  %4 = call %3 {callee = "sq<tile<4xf32>>"} : tile<4xf32>
  %5 = reduce %4 {kind = sum, axis = 0} : f32
  %6 = splat %1 {shape = [2, 8]} : tile<2x8xf32>
  %7 = call %6 {callee = "sq<tile<2x8xf32>>"} : tile<2x8xf32>
  %8 = reduce %7 {kind = max, axis = 1} : tile<2xf32>
  %9 = reduce %8 {kind = max, axis = 0} : f32
  %10 = add %5, %9 : f32
  store %0, %10
  return
}

func @"sq<tile<4xf32>>"(%0 x: tile<4xf32>) -> tile<4xf32> {
  %1 = mul %0, %0 : tile<4xf32>
  return %1
}

func @"sq<tile<2x8xf32>>"(%0 x: tile<2x8xf32>) -> tile<2x8xf32> {
  %1 = mul %0, %0 : tile<2x8xf32>
  return %1
}
; expect:
kernel @k(%0 out: ptr<f32> mut) {
  %1 = const {value = 1.5, ty = f32} : f32
  %2 = splat %1 {shape = [4]} : tile<4xf32>
  %3 = mul %2, %2 : tile<4xf32>
  %4 = mul %3, %3 : tile<4xf32>
  %5 = reduce %4 {kind = sum, axis = 0} : f32
  %6 = splat %1 {shape = [2, 8]} : tile<2x8xf32>
  %7 = mul %6, %6 : tile<2x8xf32>
  %8 = reduce %7 {kind = max, axis = 1} : tile<2xf32>
  %9 = reduce %8 {kind = max, axis = 0} : f32
  %10 = add %5, %9 : f32
  store %0, %10
  return
}
