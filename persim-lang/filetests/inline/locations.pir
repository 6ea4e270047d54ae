; passes: inline
; Inlined ops keep the device function's source locations, re-indexed into
; the kernel's file table: `act.rs` becomes the kernel's file 1.
; check: loc(f1:3:5)
kernel @k(%0 out: ptr<f32> mut, %1 x: f32) files ["main.rs"] {
  %2 = call %1 {callee = "relu"} : f32 loc(9:13)
  store %0, %2 loc(10:5)
  return loc(11:1)
}

func @relu(%0 x: f32) -> f32 files ["act.rs"] {
  %1 = const {value = 0.0, ty = f32} : f32 loc(3:17)
  %2 = maximum %0, %1 : f32 loc(3:5)
  return %2 loc(4:1)
}
; expect:
kernel @k(%0 out: ptr<f32> mut, %1 x: f32) files ["main.rs", "act.rs"] {
  %2 = const {value = 0.0, ty = f32} : f32 loc(f1:3:17)
  %3 = maximum %1, %2 : f32 loc(f1:3:5)
  store %0, %3 loc(10:5)
  return loc(11:1)
}
