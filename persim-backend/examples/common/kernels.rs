//! Kernel sources the spatial examples and the graph-launch tests share.

/// `out = 2x` over `n` elements.
pub const SCALE: &str = r#"
fn scale(x: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    store(out + offs, load(x + offs, mask) * 2.0, mask);
}"#;

/// `out = x + 1`.
pub const BIAS: &str = r#"
fn bias(x: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    store(out + offs, load(x + offs, mask) + 1.0, mask);
}"#;

/// `out = max(x, 0)`.
pub const RELU: &str = r#"
fn relu(x: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    store(out + offs, maximum(load(x + offs, mask), 0.0), mask);
}"#;

/// A blocked f32 matmul (`dot` → `buf_matmul` → `mop.f32`), sizes multiples of the blocks.
pub const MATMUL: &str = r#"
fn matmul(a: *const f32, b: *const f32, c: *mut f32, m: i32, n: i32, k: i32,
    #[constexpr] BLOCK_M: i32, #[constexpr] BLOCK_N: i32, #[constexpr] BLOCK_K: i32) {
    let offs_m = program_id(0) * BLOCK_M + arange(0, BLOCK_M);
    let offs_n = program_id(1) * BLOCK_N + arange(0, BLOCK_N);
    let offs_k = arange(0, BLOCK_K);
    let mut acc = zeros::<f32>([BLOCK_M, BLOCK_N]);
    for kb in 0..cdiv(k, BLOCK_K) {
        let kk = kb * BLOCK_K + offs_k;
        let a_tile = load(a + offs_m.expand_dims(1) * k + kk.expand_dims(0));
        let b_tile = load(b + kk.expand_dims(1) * n + offs_n.expand_dims(0));
        acc = dot(a_tile, b_tile, acc);
    }
    store(c + offs_m.expand_dims(1) * n + offs_n.expand_dims(0), acc);
}"#;

/// `gelu(x + bias)` on a matmul's tiles (the sigmoid form of GELU).
pub const BIAS_GELU: &str = r#"
fn bias_gelu(x: *const f32, bias: *const f32, out: *mut f32, m: i32, n: i32,
    #[constexpr] BLOCK_M: i32, #[constexpr] BLOCK_N: i32) {
    let offs_m = program_id(0) * BLOCK_M + arange(0, BLOCK_M);
    let offs_n = program_id(1) * BLOCK_N + arange(0, BLOCK_N);
    let mask = (offs_m.expand_dims(1) < m) & (offs_n.expand_dims(0) < n);
    let at = offs_m.expand_dims(1) * n + offs_n.expand_dims(0);
    let v = load(x + at, mask, 0.0) + load(bias + offs_n, offs_n < n, 0.0).expand_dims(0);
    store(out + at, v / (1.0 + exp(v * -1.702)), mask);
}"#;
