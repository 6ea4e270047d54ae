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

/// Mutual recursion: rustc accepts it (the records refer to each other
/// through function pointers); the frontend reports it at launch, at the
/// call that closes the cycle, in this file.
mod ping_pong {
    #[persim::func]
    pub fn ping(x: Tile<f32>, #[constexpr] N: i32) -> Tile<f32> {
        if N == 0 {
            x
        } else {
            pong(x + 1.0, N - 1)
        }
    }

    #[persim::func]
    pub fn pong(x: Tile<f32>, #[constexpr] N: i32) -> Tile<f32> {
        ping(x * 2.0, N)
    }
}

/// Direct recursion through a path is invisible to the build-time check
/// (it only recognizes the function's own plain name) and reported at
/// launch.
#[persim::func]
fn countdown(x: Tile<f32>) -> Tile<f32> {
    self::countdown(x - 1.0)
}

#[persim::kernel]
fn mutual(out: *mut f32) {
    let offs = arange(0, 4);
    store(out + offs, ping_pong::ping(zeros::<f32>([4]), 3));
}

#[persim::kernel]
fn direct(out: *mut f32) {
    let offs = arange(0, 4);
    store(out + offs, countdown(zeros::<f32>([4])));
}

/// The 1-based line of the first line of this file containing `needle`,
/// and the column where `needle` starts.
fn position(needle: &str) -> (usize, usize) {
    let src = include_str!("device_functions.rs");
    let (i, line) = src
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .expect("needle in this file");
    (i + 1, line.find(needle).unwrap() + 1)
}

#[test]
fn mutual_recursion_is_reported_at_the_closing_call() {
    let d = mutual::module(&[]).unwrap_err();
    assert!(
        d.message
            .starts_with("recursive call: the calls `ping` -> `pong` -> `ping` form a cycle"),
        "{}",
        d.message
    );
    let (line, col) = position("ping(x * 2.0, N)");
    let want = format!("device_functions.rs:{line}:{col}");
    let location = d.location.clone().unwrap();
    assert!(location.ends_with(&want), "{location} vs {want}");
    let mut out = vec![0.0f32; 4];
    let err = mutual::launch(&Engine::jit(), 1u32, mutual::Args { out: &mut out }).unwrap_err();
    assert!(err.to_string().contains(&want), "{err}");
}

#[test]
fn direct_recursion_through_a_path_is_reported_at_launch() {
    let d = direct::module(&[]).unwrap_err();
    assert!(
        d.message
            .starts_with("recursive call: `countdown` calls itself"),
        "{}",
        d.message
    );
    let (line, col) = position("self::countdown(x - 1.0)");
    // The call is located at its last path segment.
    let want = format!("device_functions.rs:{line}:{}", col + "self::".len());
    assert!(d.location.as_deref().unwrap().ends_with(&want), "{d}");
}

/// A device function whose body is only valid for some argument shapes: the
/// launch-time error points into the device function.
#[persim::func]
fn pairwise(a: Tile<f32>, b: Tile<f32>) -> Tile<f32> {
    a * b
}

#[persim::kernel]
fn shapes_disagree(out: *mut f32, #[constexpr] B: i32) {
    let offs = arange(0, B);
    store(out + offs, pairwise(zeros::<f32>([B]), zeros::<f32>([8])));
}

#[test]
fn errors_inside_a_device_function_point_into_it() {
    assert!(shapes_disagree::module(&[("B", 8)]).is_ok());
    let d = shapes_disagree::module(&[("B", 16)]).unwrap_err();
    let (line, col) = position("a * b");
    let want = format!("device_functions.rs:{line}:{}", col + 2);
    assert!(d.location.as_deref().unwrap().ends_with(&want), "{d}");
    assert!(d.message.contains("[16] and [8]"), "{}", d.message);
}

/// Wrong arguments decidable only at launch: a generic parameter bound to
/// two element types, a rank the signature fixes.
#[persim::func]
fn axpy<T>(a: T, x: Tile<T>, y: Tile<T>) -> Tile<T> {
    a * x + y
}

#[persim::kernel]
fn generic_mismatch(out: *mut f32) {
    let offs = arange(0, 4);
    let x = zeros::<f32>([4]);
    let y = zeros::<f16>([4]);
    store(out + offs, axpy(2.0, x, y));
}

#[persim::kernel]
fn rank_mismatch(out: *mut f32) {
    let offs = arange(0, 4);
    let (lo, _hi) = min_max(zeros::<f32>([2, 2]));
    store(out + offs, lo);
}

#[test]
fn launch_time_signature_errors_name_the_argument() {
    let d = generic_mismatch::module(&[]).unwrap_err();
    assert!(
        d.message.contains("`T` is `f32` from an earlier argument of `axpy`, but argument `y` has type `tile<4xf16>`"),
        "{}",
        d.message
    );
    let d = rank_mismatch::module(&[]).unwrap_err();
    assert_eq!(
        d.message,
        "mismatched types: argument `x` must be a tile of rank 1 (`Tile<f32, 1>`), found `tile<2x2xf32>`"
    );
}

/// Out of bounds inside a device function: checked mode names the kernel's
/// argument the pointers come from and the device function's line.
#[persim::func]
fn copy_tile(dst: Tile<*mut f32>, src: Tile<*const f32>) {
    store(dst, load(src));
}

#[persim::kernel]
fn unmasked(x: *const f32, out: *mut f32, #[constexpr] B: i32) {
    let offs = program_id(0) * B + arange(0, B);
    copy_tile(out + offs, x + offs);
}

#[test]
fn checked_mode_inside_a_device_function() {
    let x = vec![1.0f32; 100];
    let mut out = vec![0.0f32; 100];
    let engine = Engine::jit().checked(true);
    let args = unmasked::Args {
        x: &x,
        out: &mut out,
        B: 64,
    };
    let err = unmasked::launch(&engine, 2u32, args).unwrap_err();
    let (line, col) = position("store(dst, load(src));");
    let text = err.to_string();
    match &err {
        persim::LaunchError::OutOfBounds { arg, location, .. } => {
            assert_eq!(arg, "x", "the load of `src` comes first: {text}");
            let want = format!("device_functions.rs:{line}:{}", col + "store(dst, ".len());
            assert!(location.ends_with(&want), "{location} vs {want}");
        }
        other => panic!("expected an out-of-bounds error, got {other}"),
    }
}
