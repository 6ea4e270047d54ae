//! CFG clean-up before register allocation: drop unreachable blocks (the
//! code after a `return`) and split critical edges, which `regalloc2`
//! requires (it places edge moves at the end of a single-successor
//! predecessor or the start of a single-predecessor successor).

use super::vcode::{BlockId, Term, VBlock, VCode};

/// Predecessors of every block, in block order.
pub fn predecessors(code: &VCode) -> Vec<Vec<BlockId>> {
    let mut preds = vec![Vec::new(); code.blocks.len()];
    for (i, b) in code.blocks.iter().enumerate() {
        for s in b.term.succs() {
            preds[s.0 as usize].push(BlockId(i as u32));
        }
    }
    preds
}

/// How many loops contain each block. A loop is an edge to a block at or
/// before its source in block order (the instruction selector emits a
/// loop's header before its body) and the blocks that reach the edge's
/// source without passing its header. An edge that is not a loop's back
/// edge only makes depths larger.
pub fn loop_depths(code: &VCode) -> Vec<u32> {
    let preds = predecessors(code);
    let mut depth = vec![0u32; code.blocks.len()];
    for (src, block) in code.blocks.iter().enumerate() {
        for header in block.term.succs() {
            let header = header.0 as usize;
            if header > src {
                continue;
            }
            let mut inside = vec![false; code.blocks.len()];
            inside[header] = true;
            let mut stack = vec![src];
            while let Some(b) = stack.pop() {
                if std::mem::replace(&mut inside[b], true) {
                    continue;
                }
                stack.extend(preds[b].iter().map(|p| p.0 as usize));
            }
            for (d, inside) in depth.iter_mut().zip(inside) {
                *d += u32::from(inside);
            }
        }
    }
    depth
}

/// Removes blocks unreachable from block 0 (renumbering the rest in order)
/// and splits every critical edge with an empty jump block.
pub fn clean(code: &mut VCode) {
    let n = code.blocks.len();
    let mut reachable = vec![false; n];
    let mut stack = vec![0usize];
    while let Some(b) = stack.pop() {
        if std::mem::replace(&mut reachable[b], true) {
            continue;
        }
        for s in code.blocks[b].term.succs() {
            stack.push(s.0 as usize);
        }
    }
    let mut renumber = vec![u32::MAX; n];
    let mut kept = Vec::new();
    for (i, block) in std::mem::take(&mut code.blocks).into_iter().enumerate() {
        if reachable[i] {
            renumber[i] = kept.len() as u32;
            kept.push(block);
        }
    }
    let map = |b: &mut BlockId| b.0 = renumber[b.0 as usize];
    for block in &mut kept {
        match &mut block.term {
            Term::Jump(b, _) => map(b),
            Term::Branch { taken, fall, .. } => {
                map(taken);
                map(fall);
            }
            Term::Halt => {}
        }
    }
    code.blocks = kept;

    let preds = predecessors(code);
    for i in 0..code.blocks.len() {
        let Term::Branch { taken, fall, .. } = code.blocks[i].term.clone() else {
            continue;
        };
        let split = |code: &mut VCode, to: BlockId| -> BlockId {
            debug_assert!(
                code.blocks[to.0 as usize].params.is_empty(),
                "branch target with parameters"
            );
            if preds[to.0 as usize].len() < 2 {
                return to;
            }
            code.blocks.push(VBlock {
                params: Vec::new(),
                insts: Vec::new(),
                term: Term::Jump(to, Vec::new()),
                trips: None,
            });
            BlockId(code.blocks.len() as u32 - 1)
        };
        let t = split(code, taken);
        let f = split(code, fall);
        if let Term::Branch { taken, fall, .. } = &mut code.blocks[i].term {
            *taken = t;
            *fall = f;
        }
    }
}
