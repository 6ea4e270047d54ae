//! JIT benchmark: compile time of representative lowered kernels, and launch
//! throughput of vector add (unchecked and checked, one thread and all).
//!
//! `cargo bench -p persim-backend --bench jit` (release build). Prints a
//! table; asserts nothing about time.

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use persim_backend::{Arg, Engine};
use persim_lang::ir::{Attrs, Builder, Dtype, Function, Opcode};
use std::time::{Duration, Instant};

/// Every binary op on f32, one output each, at `lanes`.
fn all_binary_f32(lanes: u32) -> Function {
    let ops = [
        Opcode::Add,
        Opcode::Sub,
        Opcode::Mul,
        Opcode::Div,
        Opcode::Rem,
        Opcode::Maximum,
        Opcode::Minimum,
    ];
    let mut params = vec![
        ptr_param("a", Dtype::F32, false),
        ptr_param("b", Dtype::F32, false),
    ];
    for k in 0..ops.len() {
        params.push(ptr_param(&format!("out{k}"), Dtype::F32, true));
    }
    params.push(scalar_param("n", Dtype::I32));
    let np = params.len() - 1;
    let mut f = lowered("binary_f32", params, lanes, 0);
    let mut b = Builder::new(&mut f);
    let n = b.func.param_value(np);
    let (offs, mask) = b.block_offsets(lanes, n);
    let pa = b.func.param_value(0);
    let pa = b.ptrs(pa, offs);
    let va = b.load(pa, Some(mask), None, Some(0));
    let pb = b.func.param_value(1);
    let pb = b.ptrs(pb, offs);
    let vb = b.load(pb, Some(mask), None, Some(1));
    for (k, op) in ops.into_iter().enumerate() {
        let r = b.binary(op, va, vb).unwrap();
        let po = b.func.param_value(2 + k);
        let po = b.ptrs(po, offs);
        b.store(po, r, Some(mask), Some(2 + k as i64));
    }
    b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    f
}

/// f16 → every dtype, at `lanes`.
fn casts_from_f16(lanes: u32) -> Function {
    let mut params = vec![ptr_param("a", Dtype::F16, false)];
    for d in Dtype::ALL {
        params.push(ptr_param(&format!("to_{d}"), d, true));
    }
    let mut f = lowered("casts_f16", params, lanes, 0);
    let mut b = Builder::new(&mut f);
    let n = b.const_i32(i32::MAX);
    let (offs, _) = b.block_offsets(lanes, n);
    let pa = b.func.param_value(0);
    let pa = b.ptrs(pa, offs);
    let va = b.load(pa, None, None, Some(0));
    for (k, d) in Dtype::ALL.into_iter().enumerate() {
        let r = b.cast(va, d).unwrap();
        let po = b.func.param_value(1 + k);
        let po = b.ptrs(po, offs);
        b.store(po, r, None, Some(1 + k as i64));
    }
    b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    f
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn compile_times() {
    println!("compile time (median of 5, translation + Cranelift codegen + finalize)");
    let kernels: Vec<(&str, Function)> = vec![
        (
            "vector_add L=4 (loop, masked)",
            vector_add(4, 1024, true, true),
        ),
        (
            "vector_add L=16 (loop, masked)",
            vector_add(16, 1024, true, true),
        ),
        ("7 binary f32 ops L=4", all_binary_f32(4)),
        ("7 binary f32 ops L=16", all_binary_f32(16)),
        ("f16 -> 13 dtypes L=4", casts_from_f16(4)),
        ("f16 -> 13 dtypes L=16", casts_from_f16(16)),
    ];
    for (checked, label) in [(false, "unchecked"), (true, "checked")] {
        let engine = Engine::jit().checked(checked);
        for (name, f) in &kernels {
            let times: Vec<Duration> = (0..5)
                .map(|_| engine.compile_ir(f).unwrap().compile_time())
                .collect();
            println!(
                "  {name:<34} {label:<9} {:>8.2} ms",
                median(times).as_secs_f64() * 1e3
            );
        }
    }
}

fn throughput() {
    let n = 1 << 22;
    let block = 1024;
    println!("vector add, {n} f32 elements, BLOCK={block} (median of 7 launches)");
    let x: Vec<f32> = (0..n).map(|i| i as f32).collect();
    let y = vec![1.0f32; n];
    let mut out = vec![0.0f32; n];
    for lanes in [4, 16] {
        let f = vector_add(lanes, block, true, true);
        for (checked, threads) in [(false, 1), (false, 0), (true, 1), (true, 0)] {
            let mut engine = Engine::jit().checked(checked);
            if threads > 0 {
                engine = engine.threads(threads);
            }
            let k = engine.compile_ir(&f).unwrap();
            let mut times = Vec::new();
            for _ in 0..7 {
                let t = Instant::now();
                engine
                    .launch_compiled(
                        &k,
                        n.div_ceil(block as usize).into(),
                        &mut [
                            Arg::from(&x),
                            Arg::from(&y),
                            Arg::from(&mut out),
                            Arg::from(n as i32),
                        ],
                    )
                    .unwrap();
                times.push(t.elapsed());
            }
            let t = median(times);
            let gbs = (3 * 4 * n) as f64 / t.as_secs_f64() / 1e9;
            let threads = if threads == 0 {
                "all".to_string()
            } else {
                threads.to_string()
            };
            println!(
                "  L={lanes:<2} {:<9} threads={threads:<3} {:>8.2} ms  {gbs:>6.2} GB/s",
                if checked { "checked" } else { "unchecked" },
                t.as_secs_f64() * 1e3
            );
        }
        assert!(out.iter().enumerate().all(|(i, &v)| v == i as f32 + 1.0));
    }
}

fn main() {
    compile_times();
    throughput();
}
