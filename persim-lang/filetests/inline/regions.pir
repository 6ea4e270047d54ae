; passes: inline
; A call inside a loop, of a function holding an `if`: the callee's regions
; are copied with their block arguments, the copy lands inside the loop
; body, and the loop-carried value flows through the inlined code.
; check-not: call
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1, ty = i32} : i32
  %4 = const {value = 0.0, ty = f32} : f32
  %5 = for %2, %1, %3, %4 : f32 {
  ^(%6: i32, %7: f32):
    %8 = call %6, %7 {callee = "step"} : f32
    yield %8
  }
  store %0, %5
  return
}

func @step(%0 i: i32, %1 acc: f32) -> f32 {
  %2 = const {value = 2, ty = i32} : i32
  %3 = rem %0, %2 : i32
  %4 = const {value = 0, ty = i32} : i32
  %5 = cmp %3, %4 {pred = eq} : i1
  %6 = if %5 : f32 {
    %7 = const {value = 1.0, ty = f32} : f32
    %8 = add %1, %7 : f32
    yield %8
  } {
    yield %1
  }
  return %6
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 n: i32) {
  %2 = const {value = 0, ty = i32} : i32
  %3 = const {value = 1, ty = i32} : i32
  %4 = const {value = 0.0, ty = f32} : f32
  %5 = for %2, %1, %3, %4 : f32 {
  ^(%6: i32, %7: f32):
    %8 = const {value = 2, ty = i32} : i32
    %9 = rem %6, %8 : i32
    %10 = const {value = 0, ty = i32} : i32
    %11 = cmp %9, %10 {pred = eq} : i1
    %12 = if %11 : f32 {
      %13 = const {value = 1.0, ty = f32} : f32
      %14 = add %7, %13 : f32
      yield %14
    } {
      yield %7
    }
    yield %12
  }
  store %0, %5
  return
}
