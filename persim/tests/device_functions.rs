//! Device functions and custom ops end to end on the JIT: nested calls,
//! calls through module paths, one function specialized for two shapes,
//! element-type generics, constexpr parameters, multiple results, pointer
//! parameters and a custom op, at awkward sizes, against plain Rust.

use persim::ir::{FuncKind, Opcode};
use persim::Engine;

const SIZES: [usize; 5] = [1, 7, 1000, 1023, 1025];

/// Activations, reached from kernels as `act::...`.
mod act {
    /// `x * sigmoid(x)`, from `exp`.
    #[persim::func]
    pub fn silu(x: Tile<f32>) -> Tile<f32> {
        x / (1.0 + exp(-x))
    }

    /// Calls another device function through `super::`.
    #[persim::func]
    pub fn silu_scaled(x: Tile<f32>, s: f32) -> Tile<f32> {
        super::scale(silu(x), s)
    }

    /// A hand-written activation with a host reference.
    #[persim::custom_op(symbol = "persim_test_softsign_f32")]
    pub fn softsign(x: f32) -> f32 {
        x / (1.0 + x.abs())
    }
}

/// Generic over the element type.
#[persim::func]
fn scale<T>(x: Tile<T>, s: T) -> Tile<T> {
    x * s
}

/// Two results; a rank-1 parameter.
#[persim::func]
fn min_max(x: Tile<f32, 1>) -> (f32, f32) {
    (min(x, 0), max(x, 0))
}

/// A constexpr parameter builds a tile.
#[persim::func]
fn block_offsets(pid: i32, #[constexpr] B: i32) -> Tile<i32, 1> {
    pid * B + arange(0, B)
}

/// Stores through a `*mut` tile of pointers.
#[persim::func]
fn store_masked(p: Tile<*mut f32>, v: Tile<f32>, m: Tile<bool>) {
    store(p, v, m);
}

fn silu_ref(x: f32) -> f32 {
    x / (1.0 + (-x).exp())
}

#[persim::kernel]
fn activations(x: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = block_offsets(program_id(0), BLOCK);
    let mask = offs < n;
    let v = load(x + offs, mask, 0.0);
    let y = act::silu_scaled(v, 2.0) + act::softsign(v);
    store_masked(out + offs, y, mask);
}

fn inputs(n: usize) -> Vec<f32> {
    (0..n)
        .map(|i| ((i * 37 % 101) as f32 - 50.0) / 13.0)
        .collect()
}

fn close(got: f32, want: f32) -> bool {
    (got - want).abs() <= 1e-5 * want.abs().max(1.0)
}

#[test]
fn nested_calls_module_paths_and_a_custom_op_match_rust() {
    let engine = Engine::jit();
    for n in SIZES {
        let x = inputs(n);
        let mut out = vec![0.0f32; n];
        let args = activations::Args {
            x: &x,
            out: &mut out,
            n: n as i32,
            BLOCK: 128,
        };
        activations::launch(&engine, n.div_ceil(128) as u32, args).unwrap();
        for (i, (&got, &xi)) in out.iter().zip(&x).enumerate() {
            let want = 2.0 * silu_ref(xi) + act::softsign(xi);
            assert!(close(got, want), "n={n} i={i}: {got} vs {want}");
        }
    }
}

/// One device function called on a `[B]` tile and on a `[2, B]` tile: two
/// specializations.
#[persim::kernel]
fn two_shapes(x: *const f32, out: *mut f32, n: i32, #[constexpr] B: i32) {
    let offs = block_offsets(program_id(0), B);
    let mask = offs < n;
    let v = load(x + offs, mask, 0.0);
    let row = act::silu(v);
    let both = act::silu(broadcast_to(v.expand_dims(0), [2, B]));
    let total = sum(both, 0) - row;
    store(out + offs, total, mask);
}

#[test]
fn one_function_two_shapes() {
    let m = two_shapes::module(&[("B", 64)]).unwrap();
    let names: Vec<&str> = m.funcs.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "two_shapes",
            "block_offsets<i32, B=64>",
            "silu<tile<64xf32>>",
            "silu<tile<2x64xf32>>"
        ]
    );
    assert!(m.funcs[1..].iter().all(|f| f.kind == FuncKind::Device));
    let engine = Engine::jit();
    for n in SIZES {
        let x = inputs(n);
        let mut out = vec![0.0f32; n];
        let args = two_shapes::Args {
            x: &x,
            out: &mut out,
            n: n as i32,
            B: 64,
        };
        two_shapes::launch(&engine, n.div_ceil(64) as u32, args).unwrap();
        for (i, (&got, &xi)) in out.iter().zip(&x).enumerate() {
            let want = silu_ref(xi);
            assert!(close(got, want), "n={n} i={i}: {got} vs {want}");
        }
    }
}

/// Element-type generics on `i32`, multiple results, and the inlined IR.
#[persim::kernel]
fn range_of(x: *const i32, out: *mut f32, n: i32, #[constexpr] B: i32) {
    let offs = arange(0, B);
    let mask = offs < n;
    let v = load(x + offs, mask, 0);
    let doubled = scale(v, 2);
    let f = where_(mask, doubled.to::<f32>(), 0.0);
    let (lo, hi) = min_max(f);
    store(out, hi - lo);
}

#[test]
fn generics_and_multiple_results() {
    let inlined = range_of::ir(&[("B", 1024)]).unwrap();
    let calls = inlined
        .all_ops()
        .into_iter()
        .filter(|&op| inlined.op(op).opcode == Opcode::Call)
        .count();
    assert_eq!(calls, 0, "the kernel IR is call-free:\n{inlined}");
    let engine = Engine::jit();
    for n in SIZES {
        let x: Vec<i32> = (0..n as i32).map(|i| (i * 7919) % 1000 - 500).collect();
        let mut out = vec![0.0f32; 1];
        let args = range_of::Args {
            x: &x,
            out: &mut out,
            n: n as i32,
            B: 1024 * 2,
        };
        range_of::launch(&engine, 1u32, args).unwrap();
        let (lo, hi) = x
            .iter()
            .map(|&v| (2 * v) as f32)
            .chain([0.0])
            .fold((f32::MAX, f32::MIN), |(a, b), v| (a.min(v), b.max(v)));
        assert_eq!(out[0], hi - lo, "n={n}");
    }
}
