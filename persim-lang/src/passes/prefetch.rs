//! Prefetching the tiles the next programs will load and store (`Target::
//! prefetch_programs_ahead`, hosts).
//!
//! A host worker runs a contiguous range of programs one after another,
//! so in a row-per-program kernel (softmax) program `pid + n` reads the
//! rows just after `pid`'s. The hardware prefetchers follow a stream only
//! within a 4 KB page and only once it has missed, so each row's first
//! pass waits on memory while the arithmetic of the row before has long
//! finished: one thread runs at the speed of its misses, not of its ALUs.
//!
//! Stores miss too: a line is read for ownership before a store may
//! write it, and a row of stores fills the store buffer while those reads
//! wait. So a global `load` or `store` gets a `prefetch` right before it
//! (`write` for a store: `prefetchw`), of the pointers the same access
//! will use `n` accesses later on this worker, in three kinds of place:
//!
//! - outside every loop, with pointers computed from `program_id(0)` by
//!   pure ops: the same computation with `program_id(0) + n`;
//! - in the body of a persistent row loop (a `for` whose start depends on
//!   `program_id(0)`, as `for row in (pid..rows).step_by(num_programs)`,
//!   and no other loop around the access), with pointers computed from its
//!   index: the index `n` steps on while that stays below the end, else
//!   the loop's start for program `pid + n` (so a grid of one row per
//!   program, whose loops run once, hints the next programs' rows);
//! - in a row walk: loops whose bounds do not depend on the program (a
//!   row walked in column chunks, layer norm's passes), the pointer
//!   depending on `program_id(0)` only through scalars (the row's base):
//!   the same chunk of program `pid + n`'s row, in the first loop that
//!   walks each pointer parameter only (the later passes over the row
//!   find it in cache).
//!
//! Accesses in other loops are left alone (matmul's `K` steps, whose
//! pointer tiles depend on the program through tiles of row indices:
//! their next instances are the current program's, streaming already),
//! and so are stores outside every loop (matmul's `c`, once a program).
//!
//! A target without `Target::prefetch_other_programs` keeps only the
//! hints within a persistent row loop, and those name the current row
//! once the loop's own rows run out instead of the next program's: rows
//! of consecutive programs are one sequential stream, which the hardware
//! prefetchers of some cores follow by themselves (there the extra hints
//! only cost), while a persistent loop's rows are `num_programs` apart.
//! The current row's hint is not idle for a store: moved into the row's
//! compute loop (`prefetch-in-compute-loops`), it reads the output row
//! for ownership before the store loop writes it.
//!
//! The write hints took a 1000-column softmax (`persim_softmax_b1024`,
//! one thread, rows from memory) from 940–1100 to 780–840 ns per row.
//! A prefetch never faults, so hints past the end of a buffer are
//! harmless.

use super::effects::is_pure_leaf;
use super::unroll::const_i32;
use crate::ir::{Attr, Attrs, Block, CmpPred, Dtype, Function, Op, Opcode, Type, Value};
use crate::target::Target;
use std::collections::HashMap;

pub fn prefetch_next_programs(f: &mut Function, target: &Target) {
    let ahead = target.prefetch_programs_ahead;
    if ahead == 0 {
        return;
    }
    let all_accesses: Vec<Op> = f
        .all_ops()
        .into_iter()
        .filter(|&o| matches!(f.op(o).opcode, Opcode::Load | Opcode::Store))
        .collect();
    // Found before any prefetch is added, and over the accesses already
    // prefetched too, so that a second run picks the same walks.
    let walks = first_row_walks(f, &all_accesses);
    let accesses: Vec<Op> = all_accesses
        .into_iter()
        .filter(|&o| !prefetched(f, o))
        .collect();
    let others = target.prefetch_other_programs;
    let mut pid_ahead: HashMap<Value, Value> = HashMap::new();
    for access in accesses {
        let store = f.op(access).opcode == Opcode::Store;
        let row_loop = match enclosing_loops(f, access).as_slice() {
            // A store outside every loop ends a program (matmul's `c`
            // tile, once after its `K` loop): its misses are few and far
            // apart, nothing to hide.
            [] if store => continue,
            [] if others => None,
            [lp] if starts_at_program(f, *lp) => Some(*lp),
            [_, ..] if others && walks.contains(&access) => None,
            _ => continue,
        };
        let index = row_loop.map(|lp| f.block_args(f.op(lp).regions[0])[0]);
        let is_seed = |f: &Function, v: Value| match index {
            Some(iv) => v == iv,
            None => is_program_id0(f, v),
        };
        let ptrs = f.op(access).operands[0];
        let mut depends = HashMap::new();
        if !depends_on(f, ptrs, &is_seed, &mut depends) {
            continue;
        }
        // The seed as it will be `ahead` accesses later.
        let seeds: Vec<Value> = depends
            .iter()
            .filter(|&(&v, &d)| d && is_seed(f, v))
            .map(|(&v, _)| v)
            .collect();
        let mut clones = HashMap::new();
        for v in seeds {
            let next = match row_loop {
                None => program_ahead(f, v, ahead, &mut pid_ahead),
                Some(lp) => index_ahead(f, lp, access, ahead, others, &mut pid_ahead),
            };
            clones.insert(v, next);
        }
        let next = remap(f, ptrs, access, &depends, &mut clones);
        let loc = f.op(access).loc;
        let attrs = if store {
            Attrs::new().with("write", Attr::Int(1))
        } else {
            Attrs::new()
        };
        let hint = f.create_op(Opcode::Prefetch, &[next], attrs, &[], vec![], loc);
        insert_before(f, access, hint);
    }
}

/// The accesses of a row walk that get a prefetch: accesses inside loops whose
/// bounds do not depend on the program (a row walked in column chunks, as
/// layer norm's passes), reading a pointer that depends on `program_id(0)`
/// only through scalars (the program picks a row, the loop walks it; a
/// tile of program-dependent indices, matmul's `offs_am`, is a block of
/// the grid whose next instances stream already). Per pointer parameter
/// only the first loop that walks it: the later passes over the row read
/// what the first one brought in.
fn first_row_walks(f: &Function, accesses: &[Op]) -> Vec<Op> {
    let mut first_loop: HashMap<Option<i64>, Op> = HashMap::new();
    let mut walks = Vec::new();
    for &access in accesses {
        let loops = enclosing_loops(f, access);
        let Some(&innermost) = loops.first() else {
            continue;
        };
        if loops.iter().any(|&lp| bounds_depend_on_program(f, lp)) {
            continue;
        }
        let mut depends = HashMap::new();
        if !depends_on(f, f.op(access).operands[0], &is_program_id0, &mut depends) {
            continue;
        }
        let through_scalars = depends
            .iter()
            .all(|(&v, &d)| !d || f.ty(v).is_scalar() || f.ty(v).elem().is_ptr());
        if !through_scalars {
            continue;
        }
        let arg = f.op(access).attrs.int("arg");
        if *first_loop.entry(arg).or_insert(innermost) == innermost {
            walks.push(access);
        }
    }
    walks
}

/// Whether a loop's bounds (a `for`'s start, end, step) depend on
/// `program_id(0)`; a `while` counts as depending.
fn bounds_depend_on_program(f: &Function, lp: Op) -> bool {
    let data = f.op(lp);
    data.opcode != Opcode::For
        || data.operands[..3]
            .iter()
            .any(|&v| depends_on(f, v, &is_program_id0, &mut HashMap::new()))
}

/// Whether the op just before `access` is already its prefetch (this
/// pass ran before).
fn prefetched(f: &Function, access: Op) -> bool {
    let block = f.op(access).parent.expect("the access sits in a block");
    let index = position(f, block, access);
    index > 0 && f.op(f.block_ops(block)[index - 1]).opcode == Opcode::Prefetch
}

/// The `for`/`while` ops around `op`, innermost first.
fn enclosing_loops(f: &Function, op: Op) -> Vec<Op> {
    let mut loops = Vec::new();
    let mut at = op;
    while let Some(owner) = f.op(at).parent.and_then(|b| f.blocks[b].parent) {
        if matches!(f.op(owner).opcode, Opcode::For | Opcode::While) {
            loops.push(owner);
        }
        at = owner;
    }
    loops
}

fn is_program_id0(f: &Function, v: Value) -> bool {
    f.def_op(v).is_some_and(|d| {
        let data = f.op(d);
        data.opcode == Opcode::ProgramId && data.attrs.int("axis") == Some(0)
    })
}

/// Whether `lp` is a `for` whose start depends on `program_id(0)`.
fn starts_at_program(f: &Function, lp: Op) -> bool {
    let data = f.op(lp);
    data.opcode == Opcode::For
        && depends_on(f, data.operands[0], &is_program_id0, &mut HashMap::new())
}

/// Whether `v` is a seed (`is_seed`) or computed from one by pure ops
/// without regions (memoized in `memo`, which `remap` then reads).
fn depends_on(
    f: &Function,
    v: Value,
    is_seed: &dyn Fn(&Function, Value) -> bool,
    memo: &mut HashMap<Value, bool>,
) -> bool {
    if let Some(&known) = memo.get(&v) {
        return known;
    }
    let result = is_seed(f, v)
        || match f.def_op(v) {
            Some(def) if is_pure_leaf(f, def) => {
                // Every operand is visited (no short cut), so the memo
                // tells `remap` about each.
                let operands = f.op(def).operands.clone();
                operands
                    .iter()
                    .fold(false, |any, &o| depends_on(f, o, is_seed, memo) | any)
            }
            _ => false,
        };
    memo.insert(v, result);
    result
}

/// `v` computed from the seeds' replacements (preset in `clones`): the
/// ops between the seeds and `v` cloned before `at`; values that do not
/// depend on a seed are shared.
fn remap(
    f: &mut Function,
    v: Value,
    at: Op,
    depends: &HashMap<Value, bool>,
    clones: &mut HashMap<Value, Value>,
) -> Value {
    if let Some(&c) = clones.get(&v) {
        return c;
    }
    if !depends.get(&v).copied().unwrap_or(false) {
        return v;
    }
    let def = f
        .def_op(v)
        .expect("a value computed from a seed has a definition");
    let data = f.op(def).clone();
    let operands: Vec<Value> = data
        .operands
        .iter()
        .map(|&o| remap(f, o, at, depends, clones))
        .collect();
    let types: Vec<Type> = data.results.iter().map(|&r| f.ty(r).clone()).collect();
    let op = f.create_op(data.opcode, &operands, data.attrs, &[], types, data.loc);
    insert_before(f, at, op);
    let index = data
        .results
        .iter()
        .position(|&r| r == v)
        .expect("v is a result of its definition");
    let cloned = f.op(op).results[index];
    clones.insert(v, cloned);
    cloned
}

/// `program_id(0) + ahead`, made once per `program_id` value, right after
/// its op.
fn program_ahead(
    f: &mut Function,
    pid: Value,
    ahead: u32,
    made: &mut HashMap<Value, Value>,
) -> Value {
    if let Some(&v) = made.get(&pid) {
        return v;
    }
    let def = f.def_op(pid).expect("program_id is an op's result");
    let loc = f.op(def).loc;
    let (k, kv) = const_i32(f, ahead.into(), loc);
    let sum = f.create_op(
        Opcode::Add,
        &[pid, kv],
        Attrs::new(),
        &[],
        vec![Type::scalar(Dtype::I32)],
        loc,
    );
    let block = f.op(def).parent.expect("program_id sits in a block");
    let index = position(f, block, def) + 1;
    f.insert_op(block, index, k);
    f.insert_op(block, index + 1, sum);
    let v = f.op(sum).results[0];
    made.insert(pid, v);
    v
}

/// The index of the row loop `lp` as it will be `ahead` iterations on,
/// while that stays below the loop's end, else the loop's start for
/// program `program_id(0) + ahead` (with `others`) or the index itself;
/// computed before `at` (`licm` hoists the invariant part).
fn index_ahead(
    f: &mut Function,
    lp: Op,
    at: Op,
    ahead: u32,
    others: bool,
    pid_ahead: &mut HashMap<Value, Value>,
) -> Value {
    let data = f.op(lp).clone();
    let (start, end, step) = (data.operands[0], data.operands[1], data.operands[2]);
    let iv = f.block_args(data.regions[0])[0];
    let loc = data.loc;
    let (k, kv) = const_i32(f, ahead.into(), loc);
    insert_before(f, at, k);
    let emit = |f: &mut Function, opcode, operands: &[Value], attrs: Attrs, d: Dtype| {
        let op = f.create_op(opcode, operands, attrs, &[], vec![Type::scalar(d)], loc);
        insert_before(f, at, op);
        f.op(op).results[0]
    };
    let steps = emit(f, Opcode::Mul, &[step, kv], Attrs::new(), Dtype::I32);
    let next = emit(f, Opcode::Add, &[iv, steps], Attrs::new(), Dtype::I32);
    let lt = Attrs::new().with("pred", Attr::Pred(CmpPred::Lt));
    let inside = emit(f, Opcode::Cmp, &[next, end], lt, Dtype::I1);
    if !others {
        return emit(
            f,
            Opcode::Select,
            &[inside, next, iv],
            Attrs::new(),
            Dtype::I32,
        );
    }
    let mut depends = HashMap::new();
    depends_on(f, start, &is_program_id0, &mut depends);
    let mut clones = HashMap::new();
    let pids: Vec<Value> = depends
        .iter()
        .filter(|&(&v, &d)| d && is_program_id0(f, v))
        .map(|(&v, _)| v)
        .collect();
    for pid in pids {
        let next_pid = program_ahead(f, pid, ahead, pid_ahead);
        clones.insert(pid, next_pid);
    }
    let next_start = remap(f, start, at, &depends, &mut clones);
    emit(
        f,
        Opcode::Select,
        &[inside, next, next_start],
        Attrs::new(),
        Dtype::I32,
    )
}

fn insert_before(f: &mut Function, at: Op, op: Op) {
    let block = f.op(at).parent.expect("the op sits in a block");
    let index = position(f, block, at);
    f.insert_op(block, index, op);
}

fn position(f: &Function, block: Block, op: Op) -> usize {
    f.block_ops(block)
        .iter()
        .position(|&o| o == op)
        .expect("the op sits in its block")
}
