; passes: dce
; An atomic whose old value nobody reads still updates memory: kept, with
; everything feeding it. The unused `add` goes.
kernel @k(%0 counts: ptr<i32> mut, %1 bins: tile<4xi32>) {
  %2 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %3 = ptr_add %2, %1 : tile<4xptr<i32>>
  %4 = const {value = 1, ty = i32} : i32
  %5 = splat %4 {shape = [4]} : tile<4xi32>
  %6 = atomic_add %3, %5 {arg = 0} : tile<4xi32>
  %7 = atomic_xchg %3, %6 : tile<4xi32>
  %8 = add %7, %5 : tile<4xi32>
  return
}
; expect:
kernel @k(%0 counts: ptr<i32> mut, %1 bins: tile<4xi32>) {
  %2 = splat %0 {shape = [4]} : tile<4xptr<i32>>
  %3 = ptr_add %2, %1 : tile<4xptr<i32>>
  %4 = const {value = 1, ty = i32} : i32
  %5 = splat %4 {shape = [4]} : tile<4xi32>
  %6 = atomic_add %3, %5 {arg = 0} : tile<4xi32>
  %7 = atomic_xchg %3, %6 : tile<4xi32>
  return
}
