//! Randomly corrupted functions: the verifier, the printer and the
//! comparison never panic, and whatever still verifies round-trips through
//! text.

mod text_samples;

use persim_lang::ir::*;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn random_type(rng: &mut Rng) -> Type {
    let d = Dtype::ALL[rng.below(Dtype::ALL.len())];
    let elem = if rng.below(4) == 0 {
        Elem::Ptr(d)
    } else {
        Elem::Val(d)
    };
    match rng.below(4) {
        0 => Type::tile(elem, &[]),
        1 => Type::tile(elem, &[rng.below(9) as u32]),
        2 => Type::tile(elem, &[4, rng.below(5) as u32]),
        _ => Type::buf(elem, rng.below(70) as u32),
    }
}

/// One random corruption; entity references may point outside the arenas.
fn corrupt(rng: &mut Rng, f: &mut Function) {
    let op = Op::from_u32(rng.below(f.ops.len()) as u32);
    let any_value = Value::from_u32(rng.below(f.values.len() + 3) as u32);
    let any_block = Block::from_u32(rng.below(f.blocks.len() + 2) as u32);
    let block = Block::from_u32(rng.below(f.blocks.len()) as u32);
    let value = Value::from_u32(rng.below(f.values.len()) as u32);
    match rng.below(12) {
        0 => {
            let n = f.ops[op].operands.len();
            if n > 0 {
                f.ops[op].operands[rng.below(n)] = any_value;
            } else {
                f.ops[op].operands.push(any_value);
            }
        }
        1 => f.ops[op].parent = [None, Some(any_block)][rng.below(2)],
        2 => f.blocks[block].parent = [None, Some(op)][rng.below(2)],
        3 => f.blocks[block].ops.insert(0, op),
        4 => {
            let ops = &mut f.blocks[block].ops;
            if !ops.is_empty() {
                let i = rng.below(ops.len());
                ops.remove(i);
            }
        }
        5 => {
            let ops = &mut f.blocks[block].ops;
            if ops.len() > 1 {
                let (i, j) = (rng.below(ops.len()), rng.below(ops.len()));
                ops.swap(i, j);
            }
        }
        6 => {
            let n = f.ops[op].regions.len();
            if n > 0 {
                f.ops[op].regions[rng.below(n)] = any_block;
            }
        }
        7 => f.values[value].def = ValueDef::Result(op, rng.below(3) as u32),
        8 => f.values[value].ty = random_type(rng),
        9 => {
            let info = f.ops[op].opcode.info();
            match info.attrs.first() {
                Some(key) if rng.below(2) == 0 => f.ops[op].attrs.0.retain(|(k, _)| k != key),
                _ => f.ops[op]
                    .attrs
                    .set("axis", Attr::Int(rng.below(5) as i64 - 2)),
            }
        }
        10 => {
            if !f.params.is_empty() {
                let i = rng.below(f.params.len());
                f.params[i].ty = random_type(rng);
            }
        }
        _ => f.ops[op].loc = Loc::new(rng.below(3) as u32, 1 + rng.below(9) as u32, 1),
    }
}

#[test]
fn corrupted_functions_never_panic() {
    let mut rng = Rng(0x0dd_ba11_5eed_0042);
    let mut still_valid = 0;
    for original in text_samples::all_samples() {
        for _ in 0..600 {
            let mut f = original.clone();
            for _ in 0..1 + rng.below(3) {
                corrupt(&mut rng, &mut f);
            }
            let text = print_function(&f);
            let _ = structurally_equal(&f, &original);
            let _ = verify_lowered(&f, 4);
            if verify(&f).is_ok() {
                still_valid += 1;
                let g = parse_function(&text)
                    .unwrap_or_else(|e| panic!("verified IR does not parse: {e}\n{text}"));
                if let Err(diff) = structurally_equal(&g, &f) {
                    panic!("verified IR does not round-trip: {diff}\n{text}");
                }
            }
        }
    }
    // Some corruptions are harmless (a new location, a swap of independent
    // ops); without any, the round-trip half would check nothing.
    assert!(
        still_valid > 20,
        "only {still_valid} corrupted functions verified"
    );
}
