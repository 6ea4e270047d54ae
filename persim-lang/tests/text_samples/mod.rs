//! Hand-built functions shared by the text-format and verifier tests.
//! Together they use every op of the table (`samples_cover_every_op` in
//! `text_roundtrip.rs` keeps it so), every dtype, nested control flow,
//! multi-result ops, tiles of pointers, buffers and float specials. Each
//! passes `verify`.
#![allow(dead_code)]

use persim_lang::ir::*;

pub fn param(name: &str, ty: Type, mutable: bool) -> Param {
    Param {
        name: name.into(),
        ty,
        mutable,
    }
}

pub fn attrs(entries: &[(&'static str, Attr)]) -> Attrs {
    entries
        .iter()
        .fold(Attrs::new(), |a, (k, v)| a.with(k, v.clone()))
}

fn ints(v: &[i64]) -> Attr {
    Attr::Ints(v.to_vec())
}

pub fn i32_ty() -> Type {
    Type::scalar(Dtype::I32)
}

pub fn f32_ty() -> Type {
    Type::scalar(Dtype::F32)
}

/// `while` carrying `inits`: `before` returns the condition and the values
/// it forwards; `after` returns the next carried values.
pub fn while_loop(
    b: &mut Builder,
    inits: &[Value],
    before: impl FnOnce(&mut Builder, &[Value]) -> (Value, Vec<Value>),
    after: impl FnOnce(&mut Builder, &[Value]) -> Vec<Value>,
) -> Vec<Value> {
    let types: Vec<Type> = inits.iter().map(|&v| b.func.ty(v).clone()).collect();
    let before_block = b.func.new_block();
    let after_block = b.func.new_block();
    let before_args: Vec<Value> = types
        .iter()
        .map(|t| b.func.add_block_arg(before_block, t.clone()))
        .collect();
    let after_args: Vec<Value> = types
        .iter()
        .map(|t| b.func.add_block_arg(after_block, t.clone()))
        .collect();
    let op = b
        .build(
            Opcode::While,
            inits,
            Attrs::new(),
            &[before_block, after_block],
        )
        .unwrap();
    let loc = b.loc;
    let mut inner = Builder::at_end(b.func, before_block);
    inner.loc = loc;
    let (cond, forwarded) = before(&mut inner, &before_args);
    let mut operands = vec![cond];
    operands.extend(forwarded);
    inner
        .build(Opcode::Condition, &operands, Attrs::new(), &[])
        .unwrap();
    let mut inner = Builder::at_end(b.func, after_block);
    inner.loc = loc;
    let next = after(&mut inner, &after_args);
    inner
        .build(Opcode::Yield, &next, Attrs::new(), &[])
        .unwrap();
    b.func.ops[op].results.to_vec()
}

/// Creation, shape, elementwise, memory, reduction and `dot` ops on tiles,
/// with locations in two files.
pub fn tile_ops() -> Function {
    let mut f = Function::new(
        "tile_ops",
        vec![
            param("x", Type::ptr(Dtype::F32), false),
            param("out", Type::ptr(Dtype::F32), true),
            param("n", i32_ty(), false),
        ],
    );
    f.consts.push(("BLOCK".into(), 8));
    f.consts.push(("NEG".into(), -3));
    let main = f.file_index("kernels/tile.rs");
    let other = f.file_index("kernels/helpers.rs");
    let (x, out, n) = (f.param_value(0), f.param_value(1), f.param_value(2));
    let mut b = Builder::new(&mut f);
    b.loc = Loc::new(main, 3, 5);
    let pid = b
        .value(Opcode::ProgramId, &[], attrs(&[("axis", Attr::Int(0))]))
        .unwrap();
    let np = b
        .value(Opcode::NumPrograms, &[], attrs(&[("axis", Attr::Int(2))]))
        .unwrap();
    b.loc = Loc::new(other, 10, 1);
    let _total = b.binary(Opcode::Mul, pid, np).unwrap();
    b.loc = Loc::new(main, 4, 16);
    let cols = b
        .value(
            Opcode::Arange,
            &[],
            attrs(&[("lo", Attr::Int(0)), ("hi", Attr::Int(8))]),
        )
        .unwrap();
    b.loc = Loc::UNKNOWN;
    let col2 = b
        .value(
            Opcode::ExpandDims,
            &[cols],
            attrs(&[("axis", Attr::Int(1))]),
        )
        .unwrap();
    let wide = b
        .value(
            Opcode::Broadcast,
            &[col2],
            attrs(&[("shape", ints(&[8, 4]))]),
        )
        .unwrap();
    let flat = b
        .value(Opcode::Reshape, &[wide], attrs(&[("shape", ints(&[4, 8]))]))
        .unwrap();
    let back = b
        .value(Opcode::Trans, &[flat], attrs(&[("perm", ints(&[1, 0]))]))
        .unwrap();
    let a = b.cast(back, Dtype::F32).unwrap();
    let bt = b.cast(flat, Dtype::F32).unwrap();
    let zero = b.const_float(0.0, Dtype::F32);
    let acc = b.splat(zero, &[8, 8]).unwrap();
    let prod = b.value(Opcode::Dot, &[a, bt, acc], Attrs::new()).unwrap();
    let sum = b.reduce(ReduceKind::Sum, prod, 1).unwrap();
    let mx = b.reduce(ReduceKind::Max, prod, 0).unwrap();
    let mn = b.reduce(ReduceKind::Min, sum, 0).unwrap();
    let _ = mn;
    let mut v = sum;
    for op in [
        Opcode::Add,
        Opcode::Sub,
        Opcode::Mul,
        Opcode::Div,
        Opcode::Rem,
        Opcode::Maximum,
        Opcode::Minimum,
    ] {
        v = b.binary(op, v, mx).unwrap();
    }
    for op in [
        Opcode::Neg,
        Opcode::Exp,
        Opcode::Log,
        Opcode::Sqrt,
        Opcode::Abs,
    ] {
        v = b.unary(op, v).unwrap();
    }
    let mut bits = cols;
    for op in [
        Opcode::And,
        Opcode::Or,
        Opcode::Xor,
        Opcode::Shl,
        Opcode::Shr,
    ] {
        bits = b.binary(op, bits, cols).unwrap();
    }
    let bits = b.unary(Opcode::Not, bits).unwrap();
    let _ = b.unary(Opcode::Abs, bits).unwrap();
    let limit = b.splat(n, &[8]).unwrap();
    let mut masks = Vec::new();
    for pred in CmpPred::ALL {
        masks.push(b.cmp(pred, cols, limit).unwrap());
    }
    let mask = b.binary(Opcode::And, masks[0], masks[3]).unwrap();
    let mask = b.unary(Opcode::Not, mask).unwrap();
    let chosen = b
        .value(Opcode::Select, &[mask, v, sum], Attrs::new())
        .unwrap();
    let half = b.cast(chosen, Dtype::F16).unwrap();
    let _brain = b.cast(half, Dtype::BF16).unwrap();
    let base = b.splat(x, &[8]).unwrap();
    let ptrs = b
        .value(Opcode::PtrAdd, &[base, cols], Attrs::new())
        .unwrap();
    b.build(Opcode::Prefetch, &[ptrs], Attrs::new(), &[])
        .unwrap();
    let plain = b.value(Opcode::Load, &[ptrs], Attrs::new()).unwrap();
    let masked = b
        .value(Opcode::Load, &[ptrs, mask], attrs(&[("arg", Attr::Int(0))]))
        .unwrap();
    let other_vals = b.splat(zero, &[8]).unwrap();
    let filled = b
        .value(Opcode::Load, &[ptrs, mask, other_vals], Attrs::new())
        .unwrap();
    let total = b.binary(Opcode::Add, plain, masked).unwrap();
    let total = b.binary(Opcode::Add, total, filled).unwrap();
    let out_base = b.splat(out, &[8]).unwrap();
    let out_ptrs = b
        .value(Opcode::PtrAdd, &[out_base, cols], Attrs::new())
        .unwrap();
    b.build(Opcode::Store, &[out_ptrs, total], Attrs::new(), &[])
        .unwrap();
    b.loc = Loc::new(main, 20, 3);
    b.build(
        Opcode::Store,
        &[out_ptrs, total, mask],
        attrs(&[("arg", Attr::Int(1))]),
        &[],
    )
    .unwrap();
    b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    f
}

/// A constant of every dtype, float specials and integer extremes.
pub fn constants() -> Function {
    let mut f = Function::new("constants", vec![]);
    let mut b = Builder::new(&mut f);
    b.const_bool(true);
    b.const_bool(false);
    for d in Dtype::ALL.into_iter().filter(|d| d.is_int()) {
        b.const_int(-7, d);
    }
    b.const_int(i64::MIN, Dtype::I64);
    b.const_int(i64::MAX, Dtype::I64);
    b.const_int(0, Dtype::I1);
    for d in Dtype::ALL.into_iter().filter(|d| d.is_float()) {
        b.const_float(1.5, d);
    }
    for x in [
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -0.0,
        0.0,
        1e-5,
        0.1,
        1e300,
        -2.5e-300,
        f64::MIN_POSITIVE,
        f64::MAX,
        123456789.0,
    ] {
        b.const_float(x, Dtype::F64);
    }
    b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    f
}

/// Nested `for`/`if`/`while`, multi-result ops, an `if` without results
/// and a `call` with declared results.
pub fn control_flow() -> Function {
    let mut f = Function::new(
        "control_flow",
        vec![
            param("out", Type::ptr(Dtype::F32), true),
            param("n", i32_ty(), false),
        ],
    );
    let file = f.file_index("kernels/loops.rs");
    let (out, n) = (f.param_value(0), f.param_value(1));
    let mut b = Builder::new(&mut f);
    b.loc = Loc::new(file, 2, 1);
    let c0 = b.const_i32(0);
    let c1 = b.const_i32(1);
    let c10 = b.const_i32(10);
    let fzero = b.const_float(0.0, Dtype::F32);
    b.loc = Loc::new(file, 5, 5);
    let outer = b
        .for_loop(c0, n, c1, &[fzero, c0], |b, i, carried| {
            let (acc, count) = (carried[0], carried[1]);
            let small = b.cmp(CmpPred::Lt, i, c10)?;
            b.if_else(
                small,
                vec![f32_ty(), i32_ty()],
                |b| {
                    let inner = b.for_loop(c0, i, c1, &[acc], |b, j, carried| {
                        let jf = b.cast(j, Dtype::F32)?;
                        Ok(vec![b.binary(Opcode::Add, carried[0], jf)?])
                    })?;
                    let next = b.binary(Opcode::Add, count, c1)?;
                    Ok(vec![inner[0], next])
                },
                |_| Ok(vec![acc, count]),
            )
        })
        .unwrap();
    let positive = b.cmp(CmpPred::Gt, outer[1], c0).unwrap();
    b.if_else(
        positive,
        vec![],
        |b| {
            b.build(Opcode::Store, &[out, outer[0]], Attrs::new(), &[])?;
            Ok(vec![])
        },
        |_| Ok(vec![]),
    )
    .unwrap();
    let looped = while_loop(
        &mut b,
        &[c0, fzero],
        |b, args| {
            let go = b.cmp(CmpPred::Lt, args[0], n).unwrap();
            (go, vec![args[0], args[1]])
        },
        |b, args| {
            let k = b.binary(Opcode::Add, args[0], c1).unwrap();
            let two = b.const_float(2.0, Dtype::F32);
            let v = b.binary(Opcode::Mul, args[1], two).unwrap();
            vec![k, v]
        },
    );
    b.build_declared(
        Opcode::Call,
        &[looped[0], outer[0]],
        attrs(&[("callee", Attr::Str("helper \"v2\"\n".into()))]),
        &[],
        vec![f32_ty(), Type::tile(Elem::Val(Dtype::I32), &[4])],
    );
    b.build_declared(
        Opcode::Call,
        &[],
        attrs(&[("callee", Attr::Str("barrier".into()))]),
        &[],
        vec![],
    );
    b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    f
}

/// Lowered IR: function attributes, buffers (of data and of pointers),
/// `buf_load`/`buf_store` of vectors and scalars.
pub fn lowered() -> Function {
    let mut f = Function::new("lowered", vec![param("x", Type::ptr(Dtype::F32), false)]);
    f.attrs.set("lanes", Attr::Int(4));
    f.attrs.set("local_mem", Attr::Int(512));
    let x = f.param_value(0);
    let mut b = Builder::new(&mut f);
    let buf = b
        .value(
            Opcode::Alloc,
            &[],
            attrs(&[
                ("ty", Attr::Type(Type::buf(Elem::Val(Dtype::F32), 64))),
                ("offset", Attr::Int(0)),
            ]),
        )
        .unwrap();
    let ptr_buf = b
        .value(
            Opcode::Alloc,
            &[],
            attrs(&[
                ("ty", Attr::Type(Type::buf(Elem::Ptr(Dtype::F32), 16))),
                ("offset", Attr::Int(256)),
            ]),
        )
        .unwrap();
    let idx = b.const_i32(4);
    let vec = b
        .value(
            Opcode::BufLoad,
            &[buf, idx],
            attrs(&[("lanes", Attr::Int(4))]),
        )
        .unwrap();
    let one = b
        .value(
            Opcode::BufLoad,
            &[buf, idx],
            attrs(&[("lanes", Attr::Int(0))]),
        )
        .unwrap();
    let ones = b.splat(one, &[4]).unwrap();
    let lanes = b
        .value(
            Opcode::Arange,
            &[],
            attrs(&[("lo", Attr::Int(0)), ("hi", Attr::Int(4))]),
        )
        .unwrap();
    let sum = b.binary(Opcode::Add, vec, ones).unwrap();
    let total = b.reduce(ReduceKind::Sum, sum, 0).unwrap();
    b.build(Opcode::BufStore, &[buf, idx, sum], Attrs::new(), &[])
        .unwrap();
    b.build(Opcode::BufStore, &[buf, idx, total], Attrs::new(), &[])
        .unwrap();
    let ptrs = b.splat(x, &[4]).unwrap();
    let ptrs = b
        .value(Opcode::PtrAdd, &[ptrs, lanes], Attrs::new())
        .unwrap();
    b.build(Opcode::BufStore, &[ptr_buf, idx, ptrs], Attrs::new(), &[])
        .unwrap();
    b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    f
}

/// Names that are not identifiers, an unnamed parameter, strings with
/// escapes and a location in a second file.
pub fn odd_names() -> Function {
    let mut f = Function::new(
        "odd name",
        vec![
            param("my param", i32_ty(), false),
            param("", Type::ptr(Dtype::U8), true),
            param("mut", Type::ptr(Dtype::I1), false),
        ],
    );
    f.consts.push(("N-1".into(), 0));
    f.files.push("dir/ü \"quoted\".rs".into());
    f.files.push("tab\there.rs".into());
    let mut b = Builder::new(&mut f);
    b.loc = Loc::new(1, 7, 0);
    b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    f
}

/// `cat`, `join`, `split` (two results) and every atomic, with and without
/// masks, on a tile and on a scalar pointer.
pub fn shape_and_atomics() -> Function {
    let mut f = Function::new(
        "shape_and_atomics",
        vec![
            param("counts", Type::ptr(Dtype::I32), true),
            param("acc", Type::ptr(Dtype::F64), true),
        ],
    );
    let (counts, acc) = (f.param_value(0), f.param_value(1));
    let mut b = Builder::new(&mut f);
    let cols = b
        .value(
            Opcode::Arange,
            &[],
            attrs(&[("lo", Attr::Int(0)), ("hi", Attr::Int(4))]),
        )
        .unwrap();
    let both = b
        .value(Opcode::Cat, &[cols, cols], attrs(&[("axis", Attr::Int(0))]))
        .unwrap();
    let pairs = b.value(Opcode::Join, &[both, both], Attrs::new()).unwrap();
    let halves = b.build(Opcode::Split, &[pairs], Attrs::new(), &[]).unwrap();
    let (idx, val) = (b.func.ops[halves].results[0], b.func.ops[halves].results[1]);
    let base = b.splat(counts, &[8]).unwrap();
    let ptrs = b.value(Opcode::PtrAdd, &[base, idx], Attrs::new()).unwrap();
    let arg = attrs(&[("arg", Attr::Int(0))]);
    let added = b
        .value(Opcode::AtomicAdd, &[ptrs, val], arg.clone())
        .unwrap();
    let mask = b.cmp(CmpPred::Lt, idx, val).unwrap();
    let maxed = b
        .value(Opcode::AtomicMax, &[ptrs, added, mask], Attrs::new())
        .unwrap();
    let mined = b.value(Opcode::AtomicMin, &[ptrs, maxed], arg).unwrap();
    let swapped = b
        .value(Opcode::AtomicXchg, &[ptrs, mined, mask], Attrs::new())
        .unwrap();
    let _ = b
        .value(Opcode::AtomicCas, &[ptrs, swapped, val], Attrs::new())
        .unwrap();
    let _ = b
        .value(Opcode::AtomicCas, &[ptrs, swapped, val, mask], Attrs::new())
        .unwrap();
    let one = b.const_float(1.0, Dtype::F64);
    let _ = b
        .value(
            Opcode::AtomicAdd,
            &[acc, one],
            attrs(&[("arg", Attr::Int(1))]),
        )
        .unwrap();
    b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    f
}

/// A device function: a name that needs quoting, results (two, one of
/// them a scalar), `return` with operands, and a custom op.
pub fn device_function() -> Function {
    let t4 = Type::tile(Elem::Val(Dtype::F32), &[4]);
    let mut f = Function::device(
        "act<tile<4xf32>, f32>",
        vec![param("x", t4.clone(), false), param("s", f32_ty(), false)],
        vec![t4, f32_ty()],
    );
    let file = f.file_index("src/act.rs");
    let (x, s) = (f.param_value(0), f.param_value(1));
    let mut b = Builder::new(&mut f);
    b.loc = Loc::new(file, 4, 9);
    let custom = attrs(&[
        ("name", Attr::Str("gelu_tanh".into())),
        ("symbol", Attr::Str("mylib_gelu_tanh_f32".into())),
        ("ret", Attr::Dtype(Dtype::F32)),
    ]);
    let g = b.value(Opcode::Custom, &[x], custom).unwrap();
    let sv = b.splat(s, &[4]).unwrap();
    let y = b.binary(Opcode::Mul, g, sv).unwrap();
    let m = b.reduce(ReduceKind::Max, y, 0).unwrap();
    b.build(Opcode::Return, &[y, m], Attrs::new(), &[]).unwrap();
    f
}

/// Math, hints, assertions, printing, index reductions and scans; a
/// message with quotes and a newline.
pub fn math_ops() -> Function {
    let mut f = Function::new(
        "math_ops",
        vec![
            param("n", i32_ty(), false),
            param("u", Type::scalar(Dtype::U64), false),
        ],
    );
    let (n, u) = (f.param_value(0), f.param_value(1));
    let mut b = Builder::new(&mut f);
    let zero = b.const_int(0, Dtype::I32);
    let positive = b.cmp(CmpPred::Gt, n, zero).unwrap();
    b.build(Opcode::Assume, &[positive], Attrs::new(), &[])
        .unwrap();
    let n16 = b
        .value(
            Opcode::MultipleOf,
            &[n],
            attrs(&[("divisor", Attr::Int(16))]),
        )
        .unwrap();
    let cols = b
        .value(
            Opcode::Arange,
            &[],
            attrs(&[("lo", Attr::Int(0)), ("hi", Attr::Int(8))]),
        )
        .unwrap();
    let cols = b
        .value(
            Opcode::MaxContiguous,
            &[cols],
            attrs(&[("count", Attr::Int(8))]),
        )
        .unwrap();
    let _ = b.binary(Opcode::Umulhi, n16, n).unwrap();
    let _ = b.binary(Opcode::Umulhi, u, u).unwrap();
    let mut x = b.cast(cols, Dtype::F32).unwrap();
    for op in [
        Opcode::Exp2,
        Opcode::Log2,
        Opcode::Rsqrt,
        Opcode::Erf,
        Opcode::Sin,
        Opcode::Cos,
        Opcode::Floor,
        Opcode::Ceil,
    ] {
        x = b.unary(op, x).unwrap();
    }
    let x = b.value(Opcode::Fma, &[x, x, x], Attrs::new()).unwrap();
    let row = b
        .value(Opcode::ExpandDims, &[x], attrs(&[("axis", Attr::Int(0))]))
        .unwrap();
    let grid = b
        .value(
            Opcode::Broadcast,
            &[row],
            attrs(&[("shape", ints(&[3, 8]))]),
        )
        .unwrap();
    for kind in [ReduceKind::Argmax, ReduceKind::Argmin, ReduceKind::Prod] {
        let _ = b.reduce(kind, grid, 1).unwrap();
    }
    for (kind, axis, reverse) in [(ReduceKind::Sum, 1, false), (ReduceKind::Prod, 0, true)] {
        let scan = attrs(&[
            ("kind", Attr::Reduce(kind)),
            ("axis", Attr::Int(axis)),
            ("reverse", Attr::Bool(reverse)),
        ]);
        let _ = b.value(Opcode::Scan, &[grid], scan).unwrap();
    }
    let limit = b.splat(n, &[8]).unwrap();
    let ok = b.cmp(CmpPred::Lt, cols, limit).unwrap();
    let message = attrs(&[("message", Attr::Str("say \"no\"\nagain".into()))]);
    b.build(Opcode::Assert, &[ok], message.clone(), &[])
        .unwrap();
    b.build(Opcode::Assert, &[positive], message, &[]).unwrap();
    let prefix = attrs(&[("prefix", Attr::Str("x: ".into()))]);
    b.build(Opcode::Print, &[], prefix.clone(), &[]).unwrap();
    b.build(Opcode::Print, &[x], prefix.clone(), &[]).unwrap();
    b.build(Opcode::Print, &[n, zero, zero], prefix, &[])
        .unwrap();
    b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    f
}

/// A lowered `dot` for a target with a matrix unit: `buf_matmul` over
/// three local buffers, accumulating in place (`d` is `c`).
pub fn lowered_matmul() -> Function {
    let mut f = Function::new("lowered_matmul", vec![]);
    f.attrs.set("lanes", Attr::Int(4));
    f.attrs.set("local_mem", Attr::Int(384));
    let mut b = Builder::new(&mut f);
    let alloc = |b: &mut Builder, len: u32, offset: i64| {
        b.value(
            Opcode::Alloc,
            &[],
            attrs(&[
                ("ty", Attr::Type(Type::buf(Elem::Val(Dtype::F32), len))),
                ("offset", Attr::Int(offset)),
            ]),
        )
        .unwrap()
    };
    let a = alloc(&mut b, 32, 0);
    let bb = alloc(&mut b, 32, 128);
    let c = alloc(&mut b, 16, 256);
    let dims = attrs(&[
        ("m", Attr::Int(4)),
        ("n", Attr::Int(4)),
        ("k", Attr::Int(8)),
        ("lda", Attr::Int(8)),
        ("ldb", Attr::Int(4)),
        ("ldc", Attr::Int(4)),
    ]);
    b.build(Opcode::BufMatmul, &[a, bb, c, c], dims, &[])
        .unwrap();
    b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    f
}

/// Block copies for a DMA target (`bulk-copies`): a row into a buffer
/// (asynchronously, then waited for) and back out, the count clamped to
/// the row; then a 4 x 4 block in and out (rows, global and buffer stride).
pub fn block_copies() -> Function {
    let text = r#"kernel @block_copies(%0 x: ptr<f32>, %1 out: ptr<f32> mut, %2 n: i32) attrs {lanes = 4, local_mem = 64} {
  %3 = alloc {ty = buf<16xf32>, offset = 0} : buf<16xf32>
  %4 = const {value = 0, ty = i32} : i32
  %5 = const {value = 16, ty = i32} : i32
  %6 = minimum %2, %5 : i32
  copy_in %3, %4, %0, %6 {arg = 0, async = true}
  copy_wait
  copy_out %1, %3, %4, %6 {arg = 1, async = true}
  copy_wait {out = true}
  %14 = const {value = 4, ty = i32} : i32
  copy_in %3, %4, %0, %14, %14, %2, %14 {arg = 0}
  copy_out %1, %3, %4, %14, %14, %2, %14 {arg = 1}
  %7 = arange {lo = 0, hi = 4} : tile<4xi32>
  %8 = splat %0 {shape = [4]} : tile<4xptr<f32>>
  %9 = ptr_add %8, %7 : tile<4xptr<f32>>
  %10 = splat %2 {shape = [4]} : tile<4xi32>
  %11 = cmp %7, %10 {pred = lt} : tile<4xi1>
  %12 = const {value = 1.0, ty = f32} : f32
  %13 = splat %12 {shape = [4]} : tile<4xf32>
  copy_gather %3, %4, %9, %11, %13 {arg = 0}
  return
}
"#;
    persim_lang::ir::parse_function(text).expect("block copies sample parses")
}

/// `reduce_with` and `scan_with`: reductions and scans whose combine is a
/// region (a `(value, index)` argmax and a product scan in reverse).
pub fn combine_regions() -> Function {
    let text = r#"kernel @combine_regions(%0 x: tile<8xf32>, %1 i: tile<8xi32>) {
  %2, %3 = reduce_with %0, %1 {axis = 0} : f32, i32 {
  ^(%4: f32, %5: i32, %6: f32, %7: i32):
    %8 = cmp %4, %6 {pred = ge} : i1
    %9 = select %8, %4, %6 : f32
    %10 = select %8, %5, %7 : i32
    yield %9, %10
  }
  %11 = scan_with %0 {axis = 0, reverse = true} : tile<8xf32> {
  ^(%12: f32, %13: f32):
    %14 = mul %12, %13 : f32
    yield %14
  }
  return
}
"#;
    persim_lang::ir::parse_function(text).unwrap_or_else(|e| panic!("{e}"))
}

pub fn all_samples() -> Vec<Function> {
    vec![
        tile_ops(),
        constants(),
        control_flow(),
        lowered(),
        odd_names(),
        shape_and_atomics(),
        device_function(),
        math_ops(),
        lowered_matmul(),
        block_copies(),
        combine_regions(),
    ]
}
