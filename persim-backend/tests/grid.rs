//! Launching over grids: vector add with masked tails at awkward sizes, on
//! one thread and many, multi-axis grids, and the compiled-kernel cache.

mod common;

use common::*;
use persim_backend::{Arg, Engine};
use persim_lang::ir::{Builder, Dtype, Opcode};

const SIZES: [usize; 6] = [1, 7, 1000, 1023, 1025, 4096];

#[test]
fn vector_add_is_exact_at_every_size_and_lane_count() {
    for threads in [1, 4] {
        let engine = Engine::jit().threads(threads);
        for (lanes, block) in [(1, 8), (3, 12), (4, 64), (8, 32), (16, 64), (4, 4)] {
            let f = vector_add(lanes, block, true, true);
            for (k, n) in SIZES.into_iter().enumerate() {
                let (x, y, out) = run_vector_add(&engine, &f, n, block, k as u64).unwrap();
                for i in 0..n {
                    assert_eq!(
                        out[i].to_bits(),
                        (x[i] + y[i]).to_bits(),
                        "n={n} L={lanes} i={i}"
                    );
                }
            }
        }
    }
}

#[test]
fn global_pool_and_checked_mode_give_the_same_results() {
    for engine in [Engine::jit(), Engine::jit().checked(true)] {
        let f = vector_add(4, 64, true, true);
        for n in SIZES {
            let (x, y, out) = run_vector_add(&engine, &f, n, 64, 9).unwrap();
            assert!((0..n).all(|i| out[i] == x[i] + y[i]), "n={n}");
        }
    }
}

/// Every instance of a 3-D grid writes its ids and the grid size to its own
/// slot: each slot written once, with the right values.
#[test]
fn program_ids_cover_a_3d_grid() {
    let params = vec![ptr_param("out", Dtype::I32, true)];
    let mut f = lowered("ids", params, 4, 0);
    {
        let mut b = Builder::new(&mut f);
        let ids: Vec<_> = (0..3).map(|a| b.pid(a)).collect();
        let nums: Vec<_> = (0..3)
            .map(|a| {
                let attrs =
                    persim_lang::ir::Attrs::new().with("axis", persim_lang::ir::Attr::Int(a));
                b.value(Opcode::NumPrograms, &[], attrs).unwrap()
            })
            .collect();
        // linear = x + nx * (y + ny * z); slot = 6 * linear
        let t = b.op(Opcode::Mul, &[nums[1], ids[2]]);
        let t = b.op(Opcode::Add, &[ids[1], t]);
        let t = b.op(Opcode::Mul, &[nums[0], t]);
        let linear = b.op(Opcode::Add, &[ids[0], t]);
        let six = b.const_i32(6);
        let slot = b.op(Opcode::Mul, &[linear, six]);
        let out = b.func.param_value(0);
        for (k, v) in ids.iter().chain(&nums).enumerate() {
            let kk = b.const_i32(k as i32);
            let idx = b.op(Opcode::Add, &[slot, kk]);
            let p = b.ptr_add(out, idx);
            b.store(p, *v, None, Some(0));
        }
        b.build(Opcode::Return, &[], Default::default(), &[])
            .unwrap();
    }
    let grid = [5u32, 3, 2];
    for engine in [Engine::jit(), Engine::jit().threads(3)] {
        let kernel = engine.compile_ir(&f).unwrap();
        let total = 30;
        let mut out = vec![-1i32; total * 6];
        engine
            .launch_compiled(&kernel, grid.into(), &mut [Arg::from(&mut out)])
            .unwrap();
        for z in 0..2 {
            for y in 0..3 {
                for x in 0..5 {
                    let s = 6 * (x + 5 * (y + 3 * z));
                    assert_eq!(&out[s..s + 6], &[x as i32, y as i32, z as i32, 5, 3, 2]);
                }
            }
        }
    }
}

/// A one-instance grid on a pool engine (the inline path).
#[test]
fn one_instance_grid_on_a_pool_engine() {
    let engine = Engine::jit().threads(4);
    let f = vector_add(4, 64, true, true);
    let (x, y, out) = run_vector_add(&engine, &f, 50, 64, 1).unwrap();
    assert!((0..50).all(|i| out[i] == x[i] + y[i]));
}
