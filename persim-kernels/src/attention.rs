//! Fused attention forward (Triton tutorial 06, flash attention): f32
//! ([`attention_fwd`]) and, as the tutorial, f16 inputs and output with f32
//! accumulation ([`attention_fwd_f16`]).
//!
//! `o = softmax(sm_scale * q @ k^T [+ causal mask]) @ v` for each of `Z*H`
//! (batch x head) slices of `[Z*H, seq, HEAD_DIM]` tensors, without ever
//! materializing the `seq x seq` score matrix: each program owns `BLOCK_M`
//! query rows and walks the keys `BLOCK_N` at a time with an *online
//! softmax* — a running row maximum `m_i`, a running denominator `l_i` and
//! an unnormalized output `acc` that is rescaled by `exp(m_old - m_new)`
//! whenever the maximum grows. It also stores each row's log-sum-exp
//! `lse = m_i + log(l_i)` (Triton's `M`), which the backward needs.
//!
//! Differences from the tutorial, and why:
//! - `exp` instead of `exp2` with `sm_scale * log2(e)` folded in: persim has
//!   no `exp2` yet; the two are the same function up to rounding.
//! - Sequence lengths need not be multiples of the blocks: query rows past
//!   `seq` load zeros and are not stored, key columns past `seq` get score
//!   `-inf` through `where_`, and value rows past `seq` load zeros. Every
//!   row keeps at least one finite score (key 0), so `m_i` is finite after
//!   the first block and no `inf - inf` appears.
//! - Causal: one loop over the keys up to the diagonal block with the mask
//!   applied in every block. The tutorial splits that loop into unmasked
//!   off-diagonal blocks and masked diagonal blocks (`STAGE`); doing so here
//!   would duplicate the loop body until `#[persim::func]` lands.
//!
//! Launch on a `(cdiv(seq, BLOCK_M), Z*H)` grid. Strides are in elements;
//! the head dimension is contiguous.
//!
//! The two kernels share one body (repeated until `#[persim::func]` lands);
//! the f16 one differs only where the tutorial's does: the probabilities are
//! rounded to f16 before the `p @ v` dot (`p.to(tl.float16)`), and the
//! output is rounded to f16 once at the end.

use persim::kernel;

/// f32 `q`, `k`, `v`, `o`; `lse` per query row.
#[kernel]
pub fn attention_fwd(
    q: *const f32,
    k: *const f32,
    v: *const f32,
    o: *mut f32,
    lse: *mut f32,
    sm_scale: f32,
    seq: i32,
    stride_qh: i32,
    stride_qm: i32,
    stride_kh: i32,
    stride_kn: i32,
    stride_vh: i32,
    stride_vn: i32,
    stride_oh: i32,
    stride_om: i32,
    #[constexpr] HEAD_DIM: i32,
    #[constexpr] BLOCK_M: i32,
    #[constexpr] BLOCK_N: i32,
    #[constexpr] CAUSAL: bool,
) {
    let start_m = program_id(0);
    let bh = program_id(1);
    let offs_m = start_m * BLOCK_M + arange(0, BLOCK_M);
    let offs_n = arange(0, BLOCK_N);
    let offs_d = arange(0, HEAD_DIM).expand_dims(0);
    let row_ok = offs_m.expand_dims(1) < seq;
    let q_ptrs = q + bh * stride_qh + offs_m.expand_dims(1) * stride_qm + offs_d;
    let q_tile = load(q_ptrs, row_ok, 0.0);
    let k_base = k + bh * stride_kh;
    let v_base = v + bh * stride_vh;

    let mut m_i = full([BLOCK_M], f32::NEG_INFINITY);
    let mut l_i = zeros::<f32>([BLOCK_M]);
    let mut acc = zeros::<f32>([BLOCK_M, HEAD_DIM]);
    // Causal programs stop after the block holding their last query row.
    let hi = if CAUSAL {
        minimum((start_m + 1) * BLOCK_M, seq)
    } else {
        seq
    };
    for start_n in (0..hi).step_by(BLOCK_N) {
        let cols = (start_n + offs_n).expand_dims(1);
        let col_ok = cols < seq;
        let k_tile = load(k_base + cols * stride_kn + offs_d, col_ok, 0.0);
        let v_tile = load(v_base + cols * stride_vn + offs_d, col_ok, 0.0);
        let scores = dot(q_tile, trans(k_tile)) * sm_scale;
        let key = (start_n + offs_n).expand_dims(0);
        let keep = if CAUSAL {
            (key < seq) & (offs_m.expand_dims(1) >= key)
        } else {
            broadcast_to(key < seq, [BLOCK_M, BLOCK_N])
        };
        let scores = where_(keep, scores, f32::NEG_INFINITY);

        let m_new = maximum(m_i, max(scores, 1));
        let p = exp(scores - m_new.expand_dims(1));
        let alpha = exp(m_i - m_new);
        l_i = l_i * alpha + sum(p, 1);
        acc = dot(p, v_tile, acc * alpha.expand_dims(1));
        m_i = m_new;
    }

    store(lse + bh * seq + offs_m, m_i + log(l_i), offs_m < seq);
    let o_ptrs = o + bh * stride_oh + offs_m.expand_dims(1) * stride_om + offs_d;
    store(o_ptrs, acc / l_i.expand_dims(1), row_ok);
}

/// f16 `q`, `k`, `v`, `o` with f32 scores, statistics and accumulator;
/// `lse` in f32.
#[kernel]
pub fn attention_fwd_f16(
    q: *const f16,
    k: *const f16,
    v: *const f16,
    o: *mut f16,
    lse: *mut f32,
    sm_scale: f32,
    seq: i32,
    stride_qh: i32,
    stride_qm: i32,
    stride_kh: i32,
    stride_kn: i32,
    stride_vh: i32,
    stride_vn: i32,
    stride_oh: i32,
    stride_om: i32,
    #[constexpr] HEAD_DIM: i32,
    #[constexpr] BLOCK_M: i32,
    #[constexpr] BLOCK_N: i32,
    #[constexpr] CAUSAL: bool,
) {
    let start_m = program_id(0);
    let bh = program_id(1);
    let offs_m = start_m * BLOCK_M + arange(0, BLOCK_M);
    let offs_n = arange(0, BLOCK_N);
    let offs_d = arange(0, HEAD_DIM).expand_dims(0);
    let row_ok = offs_m.expand_dims(1) < seq;
    let q_ptrs = q + bh * stride_qh + offs_m.expand_dims(1) * stride_qm + offs_d;
    let q_tile = load(q_ptrs, row_ok, 0.0);
    let k_base = k + bh * stride_kh;
    let v_base = v + bh * stride_vh;

    let mut m_i = full([BLOCK_M], f32::NEG_INFINITY);
    let mut l_i = zeros::<f32>([BLOCK_M]);
    let mut acc = zeros::<f32>([BLOCK_M, HEAD_DIM]);
    let hi = if CAUSAL {
        minimum((start_m + 1) * BLOCK_M, seq)
    } else {
        seq
    };
    for start_n in (0..hi).step_by(BLOCK_N) {
        let cols = (start_n + offs_n).expand_dims(1);
        let col_ok = cols < seq;
        let k_tile = load(k_base + cols * stride_kn + offs_d, col_ok, 0.0);
        let v_tile = load(v_base + cols * stride_vn + offs_d, col_ok, 0.0);
        let scores = dot(q_tile, trans(k_tile)) * sm_scale;
        let key = (start_n + offs_n).expand_dims(0);
        let keep = if CAUSAL {
            (key < seq) & (offs_m.expand_dims(1) >= key)
        } else {
            broadcast_to(key < seq, [BLOCK_M, BLOCK_N])
        };
        let scores = where_(keep, scores, f32::NEG_INFINITY);

        let m_new = maximum(m_i, max(scores, 1));
        let p = exp(scores - m_new.expand_dims(1));
        let alpha = exp(m_i - m_new);
        l_i = l_i * alpha + sum(p, 1);
        acc = dot(p.to::<f16>(), v_tile, acc * alpha.expand_dims(1));
        m_i = m_new;
    }

    store(lse + bh * seq + offs_m, m_i + log(l_i), offs_m < seq);
    let o_ptrs = o + bh * stride_oh + offs_m.expand_dims(1) * stride_om + offs_d;
    store(o_ptrs, (acc / l_i.expand_dims(1)).to::<f16>(), row_ok);
}
