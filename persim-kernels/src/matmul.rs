//! `c = a @ b` for row-major or strided f32 matrices, one
//! `BLOCK_M x BLOCK_N` tile of `c` per program instance, accumulating over K
//! in `BLOCK_K` steps (Triton tutorial 03, without grouped ordering yet).

use persim::kernel;

#[kernel]
pub fn matmul(
    a: *const f32,
    b: *const f32,
    c: *mut f32,
    m: i32,
    n: i32,
    k: i32,
    stride_am: i32,
    stride_ak: i32,
    stride_bk: i32,
    stride_bn: i32,
    stride_cm: i32,
    stride_cn: i32,
    #[constexpr] BLOCK_M: i32,
    #[constexpr] BLOCK_N: i32,
    #[constexpr] BLOCK_K: i32,
) {
    let pid_m = program_id(0);
    let pid_n = program_id(1);
    let offs_m = pid_m * BLOCK_M + arange(0, BLOCK_M);
    let offs_n = pid_n * BLOCK_N + arange(0, BLOCK_N);
    let offs_k = arange(0, BLOCK_K);
    let mut a_ptrs = a + offs_m.expand_dims(1) * stride_am + offs_k.expand_dims(0) * stride_ak;
    let mut b_ptrs = b + offs_k.expand_dims(1) * stride_bk + offs_n.expand_dims(0) * stride_bn;
    let mut acc = zeros::<f32>([BLOCK_M, BLOCK_N]);
    for kb in 0..(k + BLOCK_K - 1) / BLOCK_K {
        let k_left = k - kb * BLOCK_K;
        let a_mask = (offs_m.expand_dims(1) < m) & (offs_k.expand_dims(0) < k_left);
        let b_mask = (offs_k.expand_dims(1) < k_left) & (offs_n.expand_dims(0) < n);
        let a_tile = load(a_ptrs, a_mask, 0.0);
        let b_tile = load(b_ptrs, b_mask, 0.0);
        acc = dot(a_tile, b_tile, acc);
        a_ptrs += BLOCK_K * stride_ak;
        b_ptrs += BLOCK_K * stride_bk;
    }
    let c_ptrs = c + offs_m.expand_dims(1) * stride_cm + offs_n.expand_dims(0) * stride_cn;
    let c_mask = (offs_m.expand_dims(1) < m) & (offs_n.expand_dims(0) < n);
    store(c_ptrs, acc, c_mask);
}
