//! Random kernels against buffer reuse: straight-line code, loops and
//! branches over a pool of tiles, with views, where every live tile is
//! stored at the end. A tile written over while something still reads it
//! shows up as a difference between the lowering without reuse and the
//! lowerings in place and packed (`check_lowering` compares all three, for
//! 1, 4 and 16 lanes, exactly).

mod lower_util;

use lower_util::*;
use persim_lang::interp::InterpArg;
use persim_lang::ir::{Builder, CmpPred, Dtype, Elem, Function, Opcode, Type, Value};

/// Tiles of this many elements (not a multiple of 4 or 16: padded lanes).
const N: u32 = 6;

struct Gen {
    rng: Rng,
    /// Nesting depth of the region being generated.
    depth: u32,
}

impl Gen {
    fn pick(&mut self, pool: &[Value]) -> Value {
        pool[self.rng.next_u64() as usize % pool.len()]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.rng.next_u64() % 100 < percent
    }

    /// A value a region yields: mostly one it made (`pool[made..]`).
    fn pick_yield(&mut self, pool: &[Value], made: usize) -> Value {
        if made < pool.len() && self.chance(75) {
            self.pick(&pool[made..])
        } else {
            self.pick(pool)
        }
    }

    /// A new tile computed from the pool.
    fn tile_op(&mut self, b: &mut Builder, pool: &[Value]) -> Value {
        let x = self.pick(pool);
        match self.rng.next_u64() % 7 {
            0 => b.unary(Opcode::Neg, x).unwrap(),
            1 => b.unary(Opcode::Abs, x).unwrap(),
            k @ (2 | 3) => {
                // A view and back: `[1, N]` always shares `x`'s buffer,
                // `[2, N / 2]` where the layouts agree (1 lane).
                let shape = if k == 2 { [1, N] } else { [2, N / 2] };
                let v = reshape(b, x, &shape);
                let v = b.unary(Opcode::Neg, v).unwrap();
                reshape(b, v, &[N])
            }
            k => {
                let y = self.pick(pool);
                let op = [Opcode::Add, Opcode::Sub, Opcode::Maximum][k as usize - 4];
                bin(b, op, x, y)
            }
        }
    }

    /// Append `steps` random ops, loops or branches to the current block,
    /// adding their results to `pool` (the tiles in scope).
    fn region(&mut self, b: &mut Builder, pool: &mut Vec<Value>, n: Value, steps: u32) {
        for _ in 0..steps {
            let roll = self.rng.next_u64() % 10;
            if roll < 2 && self.depth < 2 {
                self.depth += 1;
                let carried: Vec<Value> = (0..1 + self.rng.next_u64() % 2)
                    .map(|_| self.pick(pool))
                    .collect();
                let outer = pool.clone();
                let lo = b.const_i32(0);
                let one = b.const_i32(1);
                let res = b
                    .for_loop(lo, n, one, &carried, |b, _, args| {
                        let mut inner = outer.clone();
                        inner.extend_from_slice(args);
                        let before = inner.len();
                        self.region(b, &mut inner, n, 2);
                        Ok((0..args.len())
                            .map(|_| self.pick_yield(&inner, before))
                            .collect())
                    })
                    .unwrap();
                self.depth -= 1;
                pool.extend(res);
            } else if roll < 3 && self.depth < 2 {
                self.depth += 1;
                let two = b.const_i32(2);
                let r = bin(b, Opcode::Rem, n, two);
                let zero = b.const_i32(0);
                let c = cmp(b, CmpPred::Eq, r, zero);
                let ty = Type::tile(Elem::Val(Dtype::F32), &[N]);
                let outer = pool.clone();
                // Both branch builders need the generator: share it.
                let gen = std::cell::RefCell::new(&mut *self);
                let branch = |b: &mut Builder| {
                    let mut g = gen.borrow_mut();
                    let mut inner = outer.clone();
                    let steps = g.rng.next_u64() as u32 % 3;
                    g.region(b, &mut inner, n, steps);
                    Ok(vec![g.pick_yield(&inner, outer.len())])
                };
                let res = b.if_else(c, vec![ty], branch, branch).unwrap();
                self.depth -= 1;
                pool.extend(res);
            } else {
                let v = self.tile_op(b, pool);
                pool.push(v);
            }
            // Sometimes forget a value so that more of them die early.
            if pool.len() > 3 && self.chance(30) {
                let i = self.rng.next_u64() as usize % pool.len();
                pool.remove(i);
            }
        }
    }
}

/// A kernel loading two tiles, running a random program, and storing the
/// first `STORED` tiles of the final pool.
const STORED: u32 = 4;

fn random_kernel(seed: u64) -> Function {
    let mut g = Gen {
        rng: Rng::new(seed),
        depth: 0,
    };
    kernel(
        &format!("random{seed}"),
        vec![
            ptr_param("x", Dtype::F32, false),
            ptr_param("out", Dtype::F32, true),
            scalar_param("n", Dtype::I32),
        ],
        |b, a| {
            let offs = arange(b, 0, N as i64);
            let p0 = ptrs(b, a[0], offs);
            let x0 = load(b, 0, p0, None, None);
            let k = b.const_i32(N as i32);
            let k = splat(b, k, &[N]);
            let offs1 = bin(b, Opcode::Add, offs, k);
            let p1 = ptrs(b, a[0], offs1);
            let x1 = load(b, 0, p1, None, None);
            let mut pool = vec![x0, x1];
            g.region(b, &mut pool, a[2], 6);
            for i in 0..STORED {
                let v = pool[pool.len() - 1 - (i as usize % pool.len())];
                let base = b.const_i32((i * N) as i32);
                let base = splat(b, base, &[N]);
                let o = bin(b, Opcode::Add, offs, base);
                let po = ptrs(b, a[1], o);
                store(b, 1, po, v, None);
            }
        },
    )
}

#[test]
fn random_programs_agree_with_and_without_reuse() {
    let mut data = Rng::new(99);
    for seed in 0..200 {
        let f = random_kernel(seed);
        for n in [1, 2] {
            let args = vec![
                InterpArg::slice(&data.f32s(2 * N as usize)),
                InterpArg::slice(&vec![0.0f32; (STORED * N) as usize]),
                InterpArg::scalar(n),
            ];
            check_lowering(&f, [1, 1, 1], &args, 0.0);
        }
    }
}
