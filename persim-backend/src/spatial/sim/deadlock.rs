//! Deadlock detection and the wait-for report.
//!
//! Detection is exact: the simulator declares a deadlock when every PE with
//! code has halted or waits, no flit is in the NoC, every DMA channel is idle
//! or stopped at a descriptor whose locks are not available, and no lock
//! release or stream credit is on its way. Nothing can change
//! any more, so waiting longer cannot help.
//!
//! The report explains it as a wait-for graph over PEs: a PE waiting for a
//! lock waits for every PE whose program may release that lock (`lock.rel`
//! on its own tile, `lock.relr` naming the tile) and for every PE whose DMA
//! descriptors signalled it during the run; a PE waiting on a stream waits for
//! the neighbour at the other end. The report prints a cycle of that graph
//! when there is one, and otherwise each waiting PE with what it waits for.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::dma::Engine;
use super::pe::{Pe, Wait};
use crate::spatial::disasm::bundle_text;
use crate::spatial::machine::Machine;

/// The PEs (by index) a waiting PE depends on, and a sentence saying why.
fn edges(
    pe: &Pe,
    pes: &[Pe],
    dma_signallers: &BTreeMap<(usize, u8), BTreeSet<usize>>,
    machine: &Machine,
) -> (Vec<usize>, String) {
    let neighbour = |dir| {
        pe.tile
            .neighbour(dir, machine.grid.cols, machine.grid.rows)
            .and_then(|t| pes.iter().find(|p| p.tile == t))
    };
    match pe.wait.expect("only waiting PEs have edges") {
        Wait::Lock { lock, need, have } => {
            let mut by: BTreeSet<usize> = pes
                .iter()
                .filter(|p| !p.program.bundles.is_empty() && p.may_release(pe.tile, lock))
                .map(|p| p.index)
                .collect();
            if let Some(dma) = dma_signallers.get(&(pe.index, lock)) {
                by.extend(dma.iter().copied());
            }
            let names: Vec<String> = by.iter().map(|&i| pes[i].tile.to_string()).collect();
            let who = if names.is_empty() {
                "which no PE releases".to_string()
            } else {
                format!("which only {} may release", names.join(", "))
            };
            (
                by.into_iter().collect(),
                format!(
                    "waits for lock l{lock} of {} (holds {have}, needs {need}), {who}",
                    pe.tile
                ),
            )
        }
        Wait::StreamRecv { dir } => match neighbour(dir) {
            Some(n) => (
                vec![n.index],
                format!("waits to receive a vector from {} ({dir})", n.tile),
            ),
            None => (
                vec![],
                format!("waits to receive from the {dir}, where no PE is"),
            ),
        },
        Wait::StreamSend { dir } => match neighbour(dir) {
            Some(n) => (
                vec![n.index],
                format!(
                    "waits for {} ({dir}) to receive from its full stream FIFO",
                    n.tile
                ),
            ),
            None => (
                vec![],
                format!("waits to send to the {dir}, where no PE is"),
            ),
        },
        Wait::DmaQueue { channel } => {
            (vec![], format!("waits for room in DMA channel ch{channel}"))
        }
        Wait::DmaIdle { channel } => (
            vec![],
            format!("waits for DMA channel ch{channel} to finish"),
        ),
    }
}

/// The deadlock report for PEs that are all halted or waiting.
pub fn report(
    pes: &[Pe],
    engines: &[Engine],
    dma_signallers: &BTreeMap<(usize, u8), BTreeSet<usize>>,
    machine: &Machine,
    cycle: u64,
) -> String {
    let waiting: Vec<&Pe> = pes
        .iter()
        .filter(|p| !p.halted && p.wait.is_some())
        .collect();
    let graph: BTreeMap<usize, (Vec<usize>, String)> = waiting
        .iter()
        .map(|p| (p.index, edges(p, pes, dma_signallers, machine)))
        .collect();
    let line = |i: usize| {
        let pe = &pes[i];
        let bundle = &pe.program.bundles[pe.pc as usize];
        format!(
            "{} bundle {} `{}` {}",
            pe.tile,
            pe.pc,
            bundle_text(bundle),
            graph[&i].1
        )
    };
    let mut out = format!(
        "at cycle {cycle} every PE has halted or waits, and no DMA, NoC traffic or lock release is in flight\n"
    );
    match find_cycle(&graph) {
        Some(cycle) => {
            out.push_str("wait-for cycle:\n");
            for &i in &cycle {
                let _ = writeln!(out, "  {}", line(i));
            }
            let _ = writeln!(
                out,
                "  ... and {} is waited for by the first, closing the cycle",
                pes[cycle[0]].tile
            );
            let others: Vec<usize> = graph
                .keys()
                .copied()
                .filter(|i| !cycle.contains(i))
                .collect();
            if !others.is_empty() {
                out.push_str("also waiting:\n");
                for i in others {
                    let _ = writeln!(out, "  {}", line(i));
                }
            }
        }
        None => {
            out.push_str(
                "no wait-for cycle; waiting PEs depend on PEs that halted or on nothing:\n",
            );
            for &i in graph.keys() {
                let _ = writeln!(out, "  {}", line(i));
            }
        }
    }
    // Channels stopped at a descriptor waiting for locks.
    for (pe, engine) in pes.iter().zip(engines) {
        for (c, channel) in engine.channels.iter().enumerate() {
            if let Some(locks) = channel.waits_for(&pe.locks) {
                let names: Vec<String> = locks.iter().map(|l| format!("l{l}")).collect();
                let _ = writeln!(
                    out,
                    "  DMA {} ch{c} waits to start a descriptor for lock {} of {}",
                    pe.tile,
                    names.join(" and "),
                    pe.tile
                );
            }
        }
    }
    out
}

/// A cycle of the graph restricted to its own nodes, in edge order, found by
/// depth-first search from the lowest index (deterministic).
fn find_cycle(graph: &BTreeMap<usize, (Vec<usize>, String)>) -> Option<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    let mut mark: BTreeMap<usize, Mark> = graph.keys().map(|&k| (k, Mark::New)).collect();
    for &root in graph.keys() {
        if mark[&root] != Mark::New {
            continue;
        }
        // Iterative DFS: the path and, per node, the next edge to try.
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        mark.insert(root, Mark::OnPath);
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            let succ = &graph[&node].0;
            if *next < succ.len() {
                let s = succ[*next];
                *next += 1;
                match mark.get(&s) {
                    Some(Mark::New) => {
                        mark.insert(s, Mark::OnPath);
                        path.push((s, 0));
                    }
                    Some(Mark::OnPath) => {
                        let start = path.iter().position(|&(n, _)| n == s).expect("on path");
                        return Some(path[start..].iter().map(|&(n, _)| n).collect());
                    }
                    _ => {}
                }
            } else {
                mark.insert(node, Mark::Done);
                path.pop();
            }
        }
    }
    None
}
