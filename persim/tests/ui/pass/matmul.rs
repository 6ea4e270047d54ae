/// C = A @ B, one BM x BN block per program.
#[persim::kernel]
pub(crate) fn matmul(
    a: *const f16, b: *const f16, c: *mut f32,
    m: i32, n: i32, k: i32,
    stride_am: i32, stride_bk: i32, stride_cm: i32,
    #[constexpr] BM: i32, #[constexpr] BN: i32, #[constexpr] BK: i32,
) {
    let pid_m = program_id(0);
    let pid_n = program_id(1);
    let rm = pid_m * BM + arange(0, BM);
    let rn = pid_n * BN + arange(0, BN);
    let rk = arange(0, BK);
    let mut a_ptrs = a + rm.expand_dims(1) * stride_am + rk.expand_dims(0);
    let mut b_ptrs = b + rk.expand_dims(1) * stride_bk + rn.expand_dims(0);
    let mut acc = zeros::<f32>([BM, BN]);
    for kk in (0..k).step_by(BK) {
        let a_mask = (rk.expand_dims(0) + kk) < k;
        let b_mask = (rk.expand_dims(1) + kk) < k;
        acc = dot(load(a_ptrs, a_mask, 0.0), load(b_ptrs, b_mask, 0.0), acc);
        a_ptrs += BK;
        b_ptrs = b_ptrs + BK * stride_bk;
    }
    let c_ptrs = c + rm.expand_dims(1) * stride_cm + rn.expand_dims(0);
    let mask = (rm.expand_dims(1) < m) & (rn.expand_dims(0) < n);
    store(c_ptrs, acc, mask);
}

fn main() {
    let f = matmul::ir(&[("BM", 32), ("BN", 32), ("BK", 16)]).unwrap();
    assert_eq!(f.consts.len(), 3);
    let a = vec![persim::f16::ZERO; 4];
    let mut c = vec![0.0f32; 4];
    let _ = matmul::Args { a: &a, b: &a, c: &mut c, m: 2, n: 2, k: 2, stride_am: 2, stride_bk: 2, stride_cm: 2, BM: 32, BN: 32, BK: 16 };
}
