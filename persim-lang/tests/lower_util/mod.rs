//! Shared helpers of the lowering and interpreter tests: terse IR building,
//! a deterministic PRNG, a checker of the lowered-IR rules, and the
//! differential driver (interpret before and after lowering, compare).
#![allow(dead_code)]

use persim_lang::interp::{run_grid, InterpArg};
use persim_lang::ir::verify_lowered;
use persim_lang::ir::{
    Attr, Attrs, Builder, CmpPred, Dtype, Elem, Function, Loc, Opcode, Param, ReduceKind, Type,
    Value,
};
use persim_lang::passes::lower::{lower_tiles_with, LowerOptions};
use persim_lang::passes::pack_buffers::pack_buffers;
use persim_lang::target::Target;
use std::collections::HashSet;
use std::fmt::Write;

// ---- building ---------------------------------------------------------------

pub fn ptr_param(name: &str, d: Dtype, mutable: bool) -> Param {
    Param {
        name: name.into(),
        ty: Type::ptr(d),
        mutable,
    }
}

pub fn scalar_param(name: &str, d: Dtype) -> Param {
    Param {
        name: name.into(),
        ty: Type::scalar(d),
        mutable: false,
    }
}

/// Build a kernel: `body` gets a builder and the parameter values; a
/// `return` is appended. Every op gets its own source location (line = op
/// number) so tests can check that lowering keeps locations.
pub fn kernel(
    name: &str,
    params: Vec<Param>,
    body: impl FnOnce(&mut Builder, &[Value]),
) -> Function {
    let mut f = Function::new(name, params);
    f.files.push(format!("{name}.rs"));
    let args: Vec<Value> = (0..f.params.len()).map(|i| f.param_value(i)).collect();
    {
        let mut b = Builder::new(&mut f);
        body(&mut b, &args);
        b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    }
    for (i, op) in f.all_ops().into_iter().enumerate() {
        f.ops[op].loc = Loc::new(0, i as u32 + 1, 1);
    }
    f
}

pub fn shape_attr(shape: &[u32]) -> Attr {
    Attr::Ints(shape.iter().map(|&d| d as i64).collect())
}

pub fn shape_of(b: &Builder, v: Value) -> Vec<u32> {
    b.func.ty(v).shape().unwrap().to_vec()
}

pub fn pid(b: &mut Builder, axis: i64) -> Value {
    b.value(
        Opcode::ProgramId,
        &[],
        Attrs::new().with("axis", Attr::Int(axis)),
    )
    .unwrap()
}

pub fn arange(b: &mut Builder, lo: i64, hi: i64) -> Value {
    let attrs = Attrs::new()
        .with("lo", Attr::Int(lo))
        .with("hi", Attr::Int(hi));
    b.value(Opcode::Arange, &[], attrs).unwrap()
}

pub fn splat(b: &mut Builder, x: Value, shape: &[u32]) -> Value {
    b.splat(x, shape).unwrap()
}

pub fn bcast(b: &mut Builder, x: Value, shape: &[u32]) -> Value {
    b.value(
        Opcode::Broadcast,
        &[x],
        Attrs::new().with("shape", shape_attr(shape)),
    )
    .unwrap()
}

pub fn expand(b: &mut Builder, x: Value, axis: i64) -> Value {
    b.value(
        Opcode::ExpandDims,
        &[x],
        Attrs::new().with("axis", Attr::Int(axis)),
    )
    .unwrap()
}

pub fn reshape(b: &mut Builder, x: Value, shape: &[u32]) -> Value {
    b.value(
        Opcode::Reshape,
        &[x],
        Attrs::new().with("shape", shape_attr(shape)),
    )
    .unwrap()
}

pub fn trans(b: &mut Builder, x: Value, perm: &[i64]) -> Value {
    b.value(
        Opcode::Trans,
        &[x],
        Attrs::new().with("perm", Attr::Ints(perm.to_vec())),
    )
    .unwrap()
}

pub fn bin(b: &mut Builder, op: Opcode, x: Value, y: Value) -> Value {
    b.binary(op, x, y).unwrap()
}

pub fn cmp(b: &mut Builder, pred: CmpPred, x: Value, y: Value) -> Value {
    b.cmp(pred, x, y).unwrap()
}

pub fn ptr_add(b: &mut Builder, p: Value, off: Value) -> Value {
    b.binary(Opcode::PtrAdd, p, off).unwrap()
}

/// `p + offs` with `p` splatted to the offsets' shape.
pub fn ptrs(b: &mut Builder, p: Value, offs: Value) -> Value {
    let shape = shape_of(b, offs);
    let p = if shape.is_empty() {
        p
    } else {
        splat(b, p, &shape)
    };
    ptr_add(b, p, offs)
}

fn arg_attr(arg: usize) -> Attrs {
    Attrs::new().with("arg", Attr::Int(arg as i64))
}

/// `load(ptrs, mask, other)` with the `arg` provenance attribute.
pub fn load(
    b: &mut Builder,
    arg: usize,
    ptrs: Value,
    mask: Option<Value>,
    other: Option<Value>,
) -> Value {
    let ops: Vec<Value> = [Some(ptrs), mask, other].into_iter().flatten().collect();
    b.value(Opcode::Load, &ops, arg_attr(arg)).unwrap()
}

pub fn store(b: &mut Builder, arg: usize, ptrs: Value, value: Value, mask: Option<Value>) {
    let ops: Vec<Value> = [Some(ptrs), Some(value), mask]
        .into_iter()
        .flatten()
        .collect();
    b.build(Opcode::Store, &ops, arg_attr(arg), &[]).unwrap();
}

pub fn reduce(b: &mut Builder, kind: ReduceKind, x: Value, axis: u32) -> Value {
    b.reduce(kind, x, axis).unwrap()
}

pub fn dot(b: &mut Builder, x: Value, y: Value, acc: Value) -> Value {
    b.value(Opcode::Dot, &[x, y, acc], Attrs::new()).unwrap()
}

/// Row-major element offsets of a tile of `shape` whose rows are `stride`
/// elements apart in memory (the innermost dimension is contiguous):
/// `Σ_k i_k · stride_k` built from `arange`, `expand_dims`, `broadcast`.
pub fn offsets(b: &mut Builder, shape: &[u32], strides: &[i64]) -> Value {
    let rank = shape.len();
    let mut acc: Option<Value> = None;
    for (k, (&n, &st)) in shape.iter().zip(strides).enumerate() {
        let mut v = arange(b, 0, n as i64);
        if st != 1 {
            let s = b.const_i32(st as i32);
            let s = splat(b, s, &[n]);
            v = bin(b, Opcode::Mul, v, s);
        }
        for _ in 0..k {
            v = expand(b, v, 0);
        }
        for _ in k + 1..rank {
            let r = shape_of(b, v).len() as i64;
            v = expand(b, v, r);
        }
        let v = bcast(b, v, shape);
        acc = Some(match acc {
            Some(a) => bin(b, Opcode::Add, a, v),
            None => v,
        });
    }
    acc.unwrap()
}

/// Contiguous row-major strides of a shape.
pub fn contiguous(shape: &[u32]) -> Vec<i64> {
    let mut s = vec![1i64; shape.len()];
    for i in (0..shape.len().saturating_sub(1)).rev() {
        s[i] = s[i + 1] * shape[i + 1] as i64;
    }
    s
}

/// Load a whole contiguous tile of `shape` from parameter `arg`.
pub fn load_tile(b: &mut Builder, args: &[Value], arg: usize, shape: &[u32]) -> Value {
    let offs = offsets(b, shape, &contiguous(shape));
    let p = ptrs(b, args[arg], offs);
    load(b, arg, p, None, None)
}

/// Store a whole tile contiguously to parameter `arg`.
pub fn store_tile(b: &mut Builder, args: &[Value], arg: usize, v: Value) {
    let shape = shape_of(b, v);
    if shape.is_empty() {
        store(b, arg, args[arg], v, None);
        return;
    }
    let offs = offsets(b, &shape, &contiguous(&shape));
    let p = ptrs(b, args[arg], offs);
    store(b, arg, p, v, None);
}

// ---- data -----------------------------------------------------------------

/// splitmix64: tiny, deterministic, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[-1, 1)`.
    pub fn f32(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 23) as f32 - 1.0
    }
    pub fn i32_in(&mut self, lo: i32, hi: i32) -> i32 {
        (lo as i64 + (self.next_u64() % (hi as i64 - lo as i64) as u64) as i64) as i32
    }
    pub fn f32s(&mut self, n: usize) -> Vec<f32> {
        (0..n).map(|_| self.f32()).collect()
    }
    pub fn i32s(&mut self, n: usize, lo: i32, hi: i32) -> Vec<i32> {
        (0..n).map(|_| self.i32_in(lo, hi)).collect()
    }
}

// ---- checking lowered IR ----------------------------------------------------------

/// Whether a lowered function's buffers have been packed (and may share
/// bytes) or are as the lowering placed them (each on its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offsets {
    Unshared,
    Packed,
}

/// Check the rules of ARCHITECTURE.md "Lowered IR" and what the lowering
/// promises beyond them (locations and `arg` attributes kept, aligned
/// buffers whose `alloc`s come first in their block and, unless packed,
/// never overlap).
pub fn check_lowered(src: &Function, f: &Function, lanes: u32, offsets: Offsets) {
    let fail = |m: String| panic!("lowered IR of `{}` (L = {lanes}): {m}\n{}", f.name, dump(f));
    if f.attrs.int("lanes") != Some(lanes as i64) {
        fail(format!("attr lanes = {:?}", f.attrs.get("lanes")));
    }
    let local_mem = f.attrs.int("local_mem").unwrap_or(-1);
    if local_mem < 0 {
        fail("attr local_mem missing".into());
    }
    let src_locs: HashSet<Loc> = src
        .all_ops()
        .into_iter()
        .map(|op| src.ops[op].loc)
        .collect();
    let src_has_arg = src
        .all_ops()
        .into_iter()
        .filter(|&op| matches!(src.ops[op].opcode, Opcode::Load | Opcode::Store))
        .all(|op| src.ops[op].attrs.int("arg").is_some());
    let mut spans: Vec<(i64, i64)> = Vec::new();
    let check_ty = |t: &Type, what: String| match t {
        Type::Tile { shape, .. } if shape.is_empty() || shape.as_slice() == [lanes] => {}
        Type::Buf { .. } => {}
        t => fail(format!("{what} has type {t}")),
    };
    for op in f.all_ops() {
        let d = &f.ops[op];
        let name = d.opcode.name();
        if !src_locs.contains(&d.loc) {
            fail(format!(
                "`{name}` has location {:?}, not a source op's",
                d.loc
            ));
        }
        for &r in &d.results {
            check_ty(f.ty(r), format!("result {r} of `{name}`"));
        }
        for &blk in &d.regions {
            for &a in f.block_args(blk) {
                check_ty(f.ty(a), format!("block argument {a} of `{name}`"));
            }
        }
        match d.opcode {
            Opcode::Broadcast
            | Opcode::ExpandDims
            | Opcode::Reshape
            | Opcode::Trans
            | Opcode::Dot => fail(format!("`{name}` survived lowering")),
            Opcode::Reduce => {
                let t = f.ty(d.operands[0]);
                if t.shape() != Some(&[lanes][..]) {
                    fail(format!("reduce of {t}"));
                }
            }
            Opcode::Alloc => {
                let block = d.parent.expect("alloc in a block");
                let before = f.block_ops(block).iter().take_while(|&&o| o != op);
                if before
                    .into_iter()
                    .any(|&o| f.ops[o].opcode != Opcode::Alloc)
                {
                    fail("alloc after another op of its block".into());
                }
                let off = d.attrs.int("offset").unwrap();
                let Some(Type::Buf { elem, len }) = d.attrs.ty("ty") else {
                    panic!("alloc type")
                };
                let end = off + *len as i64 * elem.size_bytes() as i64;
                if off % 64 != 0 || end > local_mem {
                    fail(format!("alloc at {off}..{end}, local_mem {local_mem}"));
                }
                if offsets == Offsets::Unshared && spans.iter().any(|&(a, b)| off < b && a < end) {
                    fail(format!("alloc at {off}..{end} overlaps another"));
                }
                spans.push((off, end));
            }
            Opcode::BufLoad => {
                let l = d.attrs.int("lanes").unwrap();
                if l != 0 && l != lanes as i64 {
                    fail(format!("buf_load of {l} lanes"));
                }
            }
            Opcode::Load | Opcode::Store if src_has_arg && d.attrs.int("arg").is_none() => {
                fail(format!("`{name}` lost its `arg` attribute"))
            }
            _ => {}
        }
    }
}

// ---- differential testing -------------------------------------------------------

pub const LANES: [u32; 3] = [1, 4, 16];

/// The test target of `lanes` lanes. At 16 lanes buffer rows are also
/// padded to powers of two (`Target::pow2_rows`), so every differential
/// test covers sparse rows too; at 4 lanes innermost reductions fold into
/// three rotating accumulators (`Target::reduce_chains`: an odd count
/// exercises the uneven combining tree).
pub fn target(lanes: u32) -> Target {
    Target {
        name: "test",
        lanes,
        vector_registers: 16,
        local_mem_bytes: None,
        pow2_rows: lanes == 16,
        matmul_op: false,
        dot_fma: false,
        bulk_copies: false,
        affine_tiles: false,
        unroll: 1,
        reduce_chains: if lanes == 4 { 3 } else { 1 },
        early_write_out: false,
        mask_tails: true,
        prefetch_programs_ahead: 0,
        prefetch_other_programs: false,
        modulo: None,
    }
}

/// Compare memory arguments: exactly (bit for bit, NaN equal to NaN) when
/// `tol == 0`, else floats within relative tolerance `tol`.
pub fn compare(f: &Function, want: &[InterpArg], got: &[InterpArg], tol: f64, what: &str) {
    for (i, p) in f.params.iter().enumerate() {
        let Elem::Ptr(d) = p.ty.elem() else { continue };
        let (w, g) = (want[i].bytes().unwrap(), got[i].bytes().unwrap());
        if w == g {
            continue;
        }
        let floats = |a: &InterpArg| -> Option<Vec<f64>> {
            match d {
                Dtype::F32 => a
                    .to_vec::<f32>()
                    .map(|v| v.into_iter().map(f64::from).collect()),
                Dtype::F64 => a.to_vec::<f64>(),
                Dtype::F16 => a
                    .to_vec::<half::f16>()
                    .map(|v| v.into_iter().map(|x| x.to_f64()).collect()),
                _ => None,
            }
        };
        match (floats(&want[i]), floats(&got[i])) {
            (Some(w), Some(g)) if tol > 0.0 => {
                for (j, (a, b)) in w.iter().zip(&g).enumerate() {
                    let ok = (a.is_nan() && b.is_nan())
                        || (a - b).abs() <= tol * a.abs().max(b.abs()).max(1.0);
                    assert!(ok, "{what}: `{}`[{j}]: expected {a}, got {b}", p.name);
                }
            }
            (Some(w), Some(g)) => {
                for (j, (a, b)) in w.iter().zip(&g).enumerate() {
                    let ok = (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
                    assert!(ok, "{what}: `{}`[{j}]: expected {a}, got {b}", p.name);
                }
            }
            _ => {
                let j = w.iter().zip(g).position(|(a, b)| a != b).unwrap_or(0);
                panic!(
                    "{what}: `{}` differs at byte {j} ({} vs {})",
                    p.name,
                    w.get(j).copied().unwrap_or(0),
                    g.get(j).copied().unwrap_or(0)
                );
            }
        }
    }
}

/// The ways a function is lowered in differential tests: without buffer
/// reuse (every tile its own buffer), with in-place writes, and with
/// in-place writes and `pack-buffers`.
pub const VARIANTS: [&str; 3] = ["no reuse", "in place", "in place + packed"];

/// Lower `f` for `lanes` lanes as `VARIANTS[variant]` says.
pub fn lower_variant(f: &Function, lanes: u32, variant: usize) -> Function {
    let in_place = variant > 0;
    let mut g = lower_tiles_with(f, &target(lanes), LowerOptions { in_place })
        .unwrap_or_else(|e| panic!("lowering `{}` for L = {lanes}: {e}", f.name));
    if variant == 2 {
        pack_buffers(&mut g, &target(lanes))
            .unwrap_or_else(|e| panic!("packing `{}` for L = {lanes}: {e}", f.name));
    }
    verify_lowered(&g, lanes).unwrap_or_else(|e| {
        panic!(
            "`{}` ({}, L = {lanes}) fails the verifier: {e}\n{}",
            f.name,
            VARIANTS[variant],
            dump(&g)
        )
    });
    g
}

/// Run `f` in the interpreter, then lower it for every lane count in
/// [`LANES`] in every one of [`VARIANTS`], check the lowered IR, run it on
/// the same arguments and compare: with the reference within `tol`, and
/// with the variant without reuse exactly (reuse changes where values live,
/// never how they are computed). Reuse must never need more local memory
/// than no reuse, nor packing more than no packing. Returns the reference
/// results.
pub fn check_lowering(
    f: &Function,
    grid: [u32; 3],
    args: &[InterpArg],
    tol: f64,
) -> Vec<InterpArg> {
    let mut want = args.to_vec();
    run_grid(f, grid, &mut want).unwrap_or_else(|e| panic!("reference run of `{}`: {e}", f.name));
    for lanes in LANES {
        let mut local_mem = Vec::new();
        let mut unshared: Option<Vec<InterpArg>> = None;
        for (variant, name) in VARIANTS.iter().enumerate() {
            let lowered = lower_variant(f, lanes, variant);
            let offsets = if variant == 2 {
                Offsets::Packed
            } else {
                Offsets::Unshared
            };
            check_lowered(f, &lowered, lanes, offsets);
            let mut got = args.to_vec();
            run_grid(&lowered, grid, &mut got).unwrap_or_else(|e| {
                panic!(
                    "lowered `{}` ({name}, L = {lanes}): {e}\n{}",
                    f.name,
                    dump(&lowered)
                )
            });
            let what = format!("`{}` ({name}, L = {lanes})", f.name);
            compare(f, &want, &got, tol, &what);
            match &unshared {
                Some(first) => compare(f, first, &got, 0.0, &format!("{what} against no reuse")),
                None => unshared = Some(got),
            }
            local_mem.push(lowered.attrs.int("local_mem").unwrap());
        }
        assert!(
            local_mem.windows(2).all(|w| w[1] <= w[0]),
            "`{}` (L = {lanes}): local memory {local_mem:?} for {VARIANTS:?}",
            f.name
        );
    }
    want
}

// ---- debugging ----------------------------------------------------------------------

/// A plain dump of a function for failure messages (the real printer lives
/// elsewhere; this one only needs to be readable).
pub fn dump(f: &Function) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "kernel @{} {:?}", f.name, f.attrs.0);
    dump_block(f, f.body, 1, &mut s);
    s
}

fn dump_block(f: &Function, blk: persim_lang::ir::Block, depth: usize, s: &mut String) {
    let pad = "  ".repeat(depth);
    let args: Vec<String> = f
        .block_args(blk)
        .iter()
        .map(|&a| format!("{a}: {}", f.ty(a)))
        .collect();
    let _ = writeln!(s, "{pad}^({})", args.join(", "));
    for &op in f.block_ops(blk) {
        let d = &f.ops[op];
        let res: Vec<String> = d
            .results
            .iter()
            .map(|&r| format!("{r}: {}", f.ty(r)))
            .collect();
        let ops: Vec<String> = d.operands.iter().map(|v| v.to_string()).collect();
        let attrs: Vec<String> = d
            .attrs
            .0
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        let _ = writeln!(
            s,
            "{pad}{} = {} {} {{{}}} line {}",
            res.join(", "),
            d.opcode.name(),
            ops.join(", "),
            attrs.join(", "),
            d.loc.line
        );
        for &r in &d.regions {
            dump_block(f, r, depth + 1, s);
        }
    }
}

/// The default spatial PE's issue slots and latencies, with every loop the
/// modulo scheduler can take accepted (no profitability test), for the
/// tests of `modulo-schedule`.
pub const ISSUE_MODEL: persim_lang::target::IssueModel = persim_lang::target::IssueModel {
    scalar_slots: 1,
    load_slots: 2,
    store_slots: 1,
    vector_slots: 1,
    scalar_latency: 1,
    scalar_mul_latency: 2,
    load_latency: 4,
    vector_int_latency: 2,
    vector_fp_latency: 4,
    vector_special_latency: 8,
    vector_reduce_latency: 6,
    max_stages: 8,
    max_cost_percent: 10_000,
};
