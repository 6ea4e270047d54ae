//! `c = a @ b` (Triton tutorial 03): one `BLOCK_M x BLOCK_N` tile of `c` per
//! program instance, accumulating over K in `BLOCK_K` steps, in f32.
//!
//! The grid is 1-D and program ids are mapped to tiles in *grouped order*:
//! `GROUP_M` consecutive programs walk down a column of tiles before moving
//! right, so the programs running together share rows of `a` and columns of
//! `b` (better cache reuse than row-major order). Rows and columns beyond M
//! and N are wrapped (`% m`, `% n`) rather than masked on load, as Triton's
//! tutorial does: the loads stay in bounds and the store masks them off.
//!
//! Two kernels with one body: [`matmul`] (f32 in, f32 out) and
//! [`matmul_f16`] (f16 in, f32 accumulation, f16 out, as the tutorial). The
//! body is repeated because kernels are not generic over element types and
//! `#[persim::func]` device functions are not available yet.
//!
//! `LEAKY_RELU` fuses the tutorial's optional activation into the epilogue.

use persim::kernel;

/// f32 `c = a @ b` (optionally `leaky_relu(a @ b)`), grouped ordering on a
/// 1-D grid of `cdiv(m, BLOCK_M) * cdiv(n, BLOCK_N)` programs.
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
    #[constexpr] GROUP_M: i32,
    #[constexpr] LEAKY_RELU: bool,
) {
    let pid = program_id(0);
    let num_pid_m = cdiv(m, BLOCK_M);
    let num_pid_n = cdiv(n, BLOCK_N);
    let num_pid_in_group = GROUP_M * num_pid_n;
    let group_id = pid / num_pid_in_group;
    let first_pid_m = group_id * GROUP_M;
    let group_size_m = minimum(num_pid_m - first_pid_m, GROUP_M);
    let pid_m = first_pid_m + (pid % num_pid_in_group) % group_size_m;
    let pid_n = (pid % num_pid_in_group) / group_size_m;

    let offs_am = (pid_m * BLOCK_M + arange(0, BLOCK_M)) % m;
    let offs_bn = (pid_n * BLOCK_N + arange(0, BLOCK_N)) % n;
    let offs_k = arange(0, BLOCK_K);
    let mut a_ptrs = a + offs_am.expand_dims(1) * stride_am + offs_k.expand_dims(0) * stride_ak;
    let mut b_ptrs = b + offs_k.expand_dims(1) * stride_bk + offs_bn.expand_dims(0) * stride_bn;
    let mut acc = zeros::<f32>([BLOCK_M, BLOCK_N]);
    for kb in 0..cdiv(k, BLOCK_K) {
        let k_left = k - kb * BLOCK_K;
        let a_tile = load(a_ptrs, offs_k.expand_dims(0) < k_left, 0.0);
        let b_tile = load(b_ptrs, offs_k.expand_dims(1) < k_left, 0.0);
        acc = dot(a_tile, b_tile, acc);
        a_ptrs += BLOCK_K * stride_ak;
        b_ptrs += BLOCK_K * stride_bk;
    }
    if LEAKY_RELU {
        acc = where_(acc >= 0.0, acc, 0.01 * acc);
    }

    let offs_cm = pid_m * BLOCK_M + arange(0, BLOCK_M);
    let offs_cn = pid_n * BLOCK_N + arange(0, BLOCK_N);
    let c_ptrs = c + offs_cm.expand_dims(1) * stride_cm + offs_cn.expand_dims(0) * stride_cn;
    let c_mask = (offs_cm.expand_dims(1) < m) & (offs_cn.expand_dims(0) < n);
    store(c_ptrs, acc, c_mask);
}

/// f16 `c = a @ b` accumulated in f32 and rounded to f16 once at the end
/// (the tutorial's `accumulator.to(tl.float16)`); same program mapping as
/// [`matmul`].
#[kernel]
pub fn matmul_f16(
    a: *const f16,
    b: *const f16,
    c: *mut f16,
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
    #[constexpr] GROUP_M: i32,
    #[constexpr] LEAKY_RELU: bool,
) {
    let pid = program_id(0);
    let num_pid_m = cdiv(m, BLOCK_M);
    let num_pid_n = cdiv(n, BLOCK_N);
    let num_pid_in_group = GROUP_M * num_pid_n;
    let group_id = pid / num_pid_in_group;
    let first_pid_m = group_id * GROUP_M;
    let group_size_m = minimum(num_pid_m - first_pid_m, GROUP_M);
    let pid_m = first_pid_m + (pid % num_pid_in_group) % group_size_m;
    let pid_n = (pid % num_pid_in_group) / group_size_m;

    let offs_am = (pid_m * BLOCK_M + arange(0, BLOCK_M)) % m;
    let offs_bn = (pid_n * BLOCK_N + arange(0, BLOCK_N)) % n;
    let offs_k = arange(0, BLOCK_K);
    let mut a_ptrs = a + offs_am.expand_dims(1) * stride_am + offs_k.expand_dims(0) * stride_ak;
    let mut b_ptrs = b + offs_k.expand_dims(1) * stride_bk + offs_bn.expand_dims(0) * stride_bn;
    let mut acc = zeros::<f32>([BLOCK_M, BLOCK_N]);
    for kb in 0..cdiv(k, BLOCK_K) {
        let k_left = k - kb * BLOCK_K;
        let a_tile = load(a_ptrs, offs_k.expand_dims(0) < k_left, 0.0);
        let b_tile = load(b_ptrs, offs_k.expand_dims(1) < k_left, 0.0);
        acc = dot(a_tile, b_tile, acc);
        a_ptrs += BLOCK_K * stride_ak;
        b_ptrs += BLOCK_K * stride_bk;
    }
    if LEAKY_RELU {
        acc = where_(acc >= 0.0, acc, 0.01 * acc);
    }

    let offs_cm = pid_m * BLOCK_M + arange(0, BLOCK_M);
    let offs_cn = pid_n * BLOCK_N + arange(0, BLOCK_N);
    let c_ptrs = c + offs_cm.expand_dims(1) * stride_cm + offs_cn.expand_dims(0) * stride_cn;
    let c_mask = (offs_cm.expand_dims(1) < m) & (offs_cn.expand_dims(0) < n);
    store(c_ptrs, acc.to::<f16>(), c_mask);
}
