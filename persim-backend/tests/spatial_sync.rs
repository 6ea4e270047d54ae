//! Synchronisation: lock-based double buffering between two PEs, NoC
//! streams between neighbours, and deadlocks reported with their wait-for
//! cycle instead of hanging.

use persim_backend::spatial::sim::SimErrorKind;
use persim_backend::spatial::{assemble_for, Descriptor, Machine, Simulator, TileCoord};

fn load(machine: &Machine, text: &str) -> Simulator {
    let program = assemble_for(text, machine).unwrap_or_else(|e| panic!("{e}\n{text}"));
    Simulator::new(machine, &program).unwrap()
}

fn i32s(bytes: &[u8]) -> Vec<i32> {
    bytes
        .chunks_exact(4)
        .map(|b| i32::from_le_bytes(b.try_into().unwrap()))
        .collect()
}

/// The producer (0,1) makes 8 blocks of 16 i32 (block i, lane j holds
/// i + j) in two SRAM buffers and DMAs each into the consumer's matching
/// buffer; the descriptor releases the consumer's "full" lock (l0/l1). The
/// consumer (1,1) sums the blocks and hands the buffer back by releasing the
/// producer's "empty" lock (l2/l3, initially 1) with `lock.relr`.
#[test]
fn sim_double_buffered_producer_consumer_with_locks() {
    let text = "
.tile (0,1)
.lock l2, 1
.lock l3, 1
    li r1, 4
    li r5, 0x1000
    li r6, 0x1040
    viota v1
    loop r1, Lend
    lock.acq l2, 1 | vsplat v2, r2
    addi r2, r2, 1
    vadd.i32 v3, v1, v2
    nop
    vst v3, 0(r0)
    dma.start ch0, r5
    lock.acq l3, 1 | vsplat v2, r2
    addi r2, r2, 1
    vadd.i32 v3, v1, v2
    nop
    vst v3, 64(r0)
    dma.start ch0, r6
Lend:
    dma.wait ch0
    halt

.tile (1,1)
    li r1, 4
    loop r1, Lend
    lock.acq l0, 1
    vld v2, 0(r0)
    lock.relr (0,1), l2, 1
    nop
    nop
    vadd.i32 v3, v3, v2
    lock.acq l1, 1
    vld v2, 64(r0)
    lock.relr (0,1), l3, 1
    nop
    nop
    vadd.i32 v3, v3, v2
Lend:
    nop
    vst v3, 0x100(r0)
    halt
";
    let machine = Machine::default_model();
    let mut sim = load(&machine, text);
    let (producer, consumer) = (TileCoord::new(0, 1), TileCoord::new(1, 1));
    for (i, at) in [(0u8, 0x1000u64), (1, 0x1040)] {
        let buffer = 64 * u32::from(i);
        let d =
            Descriptor::copy(producer, buffer, consumer, buffer, 64).with_signal(consumer, i, 1);
        sim.write_sram(producer, at, &d.to_bytes()).unwrap();
    }
    let stats = sim.run(100_000).unwrap();
    let sum = i32s(&sim.read_sram(consumer, 0x100, 64).unwrap());
    let expected: Vec<i32> = (0..16).map(|j| (0..8).map(|i| i + j).sum()).collect();
    assert_eq!(sum, expected);
    // Every lock is back where it started: both sides balanced.
    for (tile, lock, value) in [
        (producer, 2, 1),
        (producer, 3, 1),
        (consumer, 0, 0),
        (consumer, 1, 0),
    ] {
        assert_eq!(sim.lock(tile, lock).unwrap(), value);
    }
    let p = &stats.pe(producer).unwrap().stats;
    let c = &stats.pe(consumer).unwrap().stats;
    assert!(c.wait_lock > 0, "the consumer waits for data");
    assert!(p.wait_lock > 0, "the producer waits for a free buffer");
    assert_eq!(stats.dma[0].descriptors, 8);
    assert_eq!(stats.dma[0].bytes, 8 * 64);
}

/// A three-stage pipeline over NoC streams: (0,1) sends 8 vectors east,
/// (1,1) adds 100 to each and forwards them, (2,1) sums them. The FIFO
/// (4 deep) makes the fast sender wait for the slow middle stage.
#[test]
fn sim_streams_forward_vectors_between_neighbours() {
    let text = "
.tile (0,1)
    li r1, 8
    viota v0
    li r2, 16
    vsplat v1, r2
    loop r1, Lend
    vsend east, v0
    vadd.i32 v0, v0, v1
    nop
Lend:
    halt

.tile (1,1)
    li r1, 8
    li r2, 100
    vsplat v1, r2
    loop r1, Lend
    vrecv v2, west
    nop
    vadd.i32 v3, v2, v1
    nop
    nop
    nop
    vsend east, v3
Lend:
    halt

.tile (2,1)
    li r1, 8
    loop r1, Lend
    vrecv v2, west
    nop
    vadd.i32 v3, v3, v2
    nop
Lend:
    nop
    vst v3, 0(r0)
    halt
";
    let machine = Machine::default_model();
    let mut sim = load(&machine, text);
    let stats = sim.run(10_000).unwrap();
    let got = i32s(&sim.read_sram(TileCoord::new(2, 1), 0, 64).unwrap());
    // Vector k, lane j: 16k + j + 100; summed over k = 0..8.
    let expected: Vec<i32> = (0..16)
        .map(|j| (0..8).map(|k| 16 * k + j + 100).sum())
        .collect();
    assert_eq!(got, expected);
    let sender = &stats.pe(TileCoord::new(0, 1)).unwrap().stats;
    assert!(sender.wait_stream > 0, "the sender runs out of credit");
    let link = persim_backend::spatial::sim::Resource::Link {
        from: TileCoord::new(0, 1),
        dir: persim_backend::spatial::Direction::East,
    };
    assert_eq!(stats.bytes_on(link), 8 * 64);
}

#[test]
fn sim_deadlock_of_two_pes_waiting_on_each_others_lock_prints_the_cycle() {
    let text = "
.tile (1,1)
    lock.acq l0, 1
    lock.relr (2,1), l0, 1
    halt
.tile (2,1)
    lock.acq l0, 1
    lock.relr (1,1), l0, 1
    halt
";
    let mut sim = load(&Machine::default_model(), text);
    let err = sim.run(1_000_000).unwrap_err();
    assert!(err.is_deadlock(), "{err}");
    assert_eq!(err.cycle, 0, "detected at once, not after a timeout");
    let msg = err.to_string();
    let expected = "cycle 0: deadlock
at cycle 0 every PE has halted or waits, and no DMA, NoC traffic or lock release is in flight
wait-for cycle:
  (1,1) bundle 0 `lock.acq l0, 1` waits for lock l0 of (1,1) (holds 0, needs 1), which only (2,1) may release
  (2,1) bundle 0 `lock.acq l0, 1` waits for lock l0 of (2,1) (holds 0, needs 1), which only (1,1) may release
  ... and (1,1) is waited for by the first, closing the cycle
";
    assert_eq!(msg, expected);
}

#[test]
fn sim_deadlock_after_progress_and_over_streams() {
    // Both PEs first exchange one vector correctly, then each waits to
    // receive a second one the other never sends (it waits too).
    let text = "
.tile (3,4)
    vsend north, v0
    vrecv v1, north
    vrecv v1, north
    halt
.tile (3,5)
    vsend south, v0
    vrecv v1, south
    vrecv v1, south
    halt
";
    let mut sim = load(&Machine::default_model(), text);
    let err = sim.run(1_000_000).unwrap_err();
    assert!(matches!(err.kind, SimErrorKind::Deadlock(_)));
    assert!(err.cycle > 3, "the first exchange completes: {}", err.cycle);
    let msg = err.to_string();
    assert!(msg.contains("wait-for cycle:\n  (3,4) bundle 2 `vrecv v1, north` waits to receive a vector from (3,5) (north)\n  (3,5) bundle 2 `vrecv v1, south` waits to receive a vector from (3,4) (south)\n"), "{msg}");
}

#[test]
fn sim_deadlock_without_cycle_names_the_missing_releaser() {
    // (1,1) waits on a lock nobody releases while (2,1) finishes.
    let text = ".tile (1,1)\n    lock.acq l5, 2\n    halt\n.tile (2,1)\n    li r1, 1\n    halt\n";
    let mut sim = load(&Machine::default_model(), text);
    let err = sim.run(1_000).unwrap_err();
    assert!(err.is_deadlock());
    assert_eq!(
        err.cycle, 1,
        "(2,1) halts at cycle 1, then nothing can move"
    );
    assert!(err.to_string().ends_with(
        "no wait-for cycle; waiting PEs depend on PEs that halted or on nothing:\n  (1,1) bundle 0 `lock.acq l5, 2` waits for lock l5 of (1,1) (holds 0, needs 2), which no PE releases\n"
    ), "{err}");
}

#[test]
fn sim_lock_overflow_names_the_releaser() {
    let text = ".tile (1,1)\n.lock l0, 65535\n    lock.rel l0, 1\n    nop\n    halt\n";
    let err = load(&Machine::default_model(), text).run(100).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cycle 1: tile (1,1): lock l0 overflows: 65535 + 1 exceeds 65535 (a lock release by (1,1))"
    );
}

/// Same machine, program and inputs: same cycles, counters, traffic and
/// memory, bit for bit (the host's wall time is the only difference).
#[test]
fn sim_runs_are_deterministic() {
    let text = "
.tile (0,1)
    dma.start ch0, r1
    halt
.tile (1,1)
    dma.start ch0, r1
    halt
.tile (3,1)
    lock.acq l0, 1
    halt
.tile (4,1)
    lock.acq l0, 1
    halt
";
    let machine = Machine::default_model();
    let run = || {
        let mut sim = load(&machine, text);
        for (src, dst) in [(0, 3), (1, 4)] {
            let (s, d) = (TileCoord::new(src, 1), TileCoord::new(dst, 1));
            let data: Vec<u8> = (0..3000u32).map(|i| (i * (src as u32 + 3)) as u8).collect();
            sim.write_sram(s, 0x100, &data).unwrap();
            let desc = Descriptor::copy(s, 0x100, d, 0x200, 3000).with_signal(d, 0, 1);
            sim.write_sram(s, 0x1000, &desc.to_bytes()).unwrap();
            sim.set_sreg(s, 1, 0x1000).unwrap();
        }
        let mut stats = sim.run(100_000).unwrap();
        stats.wall = std::time::Duration::ZERO;
        let memory = (
            sim.read_sram(TileCoord::new(3, 1), 0, 0x2000).unwrap(),
            sim.read_sram(TileCoord::new(4, 1), 0, 0x2000).unwrap(),
        );
        (stats, memory)
    };
    let first = run();
    assert_eq!(first, run());
    assert!(first.0.cycles > 0);
}

#[test]
fn sim_indirect_lock_release_reaches_the_tile_in_the_register() {
    // One program on three PEs, as the compiler emits it: each reads its
    // partner from SRAM (the launch writes it per PE) and releases that
    // partner's l4 with `lock.relx`; (0,1) and (2,1) name (1,1), which
    // waits for both.
    let text = "
.tile (0,1)
    lw r1, 0(r0)
    nop
    nop
    nop
    lock.relx r1, l4, 1
    halt
.tile (2,1)
    lw r1, 0(r0)
    nop
    nop
    nop
    lock.relx r1, l4, 2
    halt
.tile (1,1)
    lock.acq l4, 3
    li r2, 7
    sw r2, 4(r0)
    halt
";
    let machine = Machine::default_model();
    let mut sim = load(&machine, text);
    for tile in [TileCoord::new(0, 1), TileCoord::new(2, 1)] {
        sim.write_sram(tile, 0, &0x0101u32.to_le_bytes()).unwrap();
    }
    sim.run(1_000).unwrap();
    assert_eq!(
        i32s(&sim.read_sram(TileCoord::new(1, 1), 4, 4).unwrap()),
        [7]
    );
    assert_eq!(sim.lock(TileCoord::new(1, 1), 4).unwrap(), 0);
}

#[test]
fn sim_indirect_lock_release_to_a_non_compute_tile_is_an_error() {
    // Row 0 is the shim row; column 9 is outside the 8-column mesh.
    for (word, shown) in [(0x0003u32, "0x3"), (0x0109, "0x109"), (0x1_0101, "0x10101")] {
        let text = format!(".tile (1,1)\n    li r1, {word}\n    lock.relx r1, l0, 1\n    halt\n");
        let err = load(&Machine::default_model(), &text).run(100).unwrap_err();
        assert!(matches!(err.kind, SimErrorKind::Lock(_)), "{err}");
        assert!(
            err.to_string().contains(&format!(
                "lock.relx names tile word {shown}, which is not a compute tile"
            )),
            "{err}"
        );
    }
}

#[test]
fn sim_deadlock_report_counts_indirect_releasers() {
    // (1,1) waits for l2; only (2,1)'s `lock.relx` could release it, and
    // (2,1) waits for (1,1): the report names the cycle.
    let text = "
.tile (1,1)
    lock.acq l2, 1
    halt
.tile (2,1)
    lock.acq l2, 1
    li r1, 0x0101
    lock.relx r1, l2, 1
    halt
";
    let err = load(&Machine::default_model(), text)
        .run(1_000)
        .unwrap_err();
    assert!(err.is_deadlock(), "{err}");
    assert!(err.to_string().contains("(1,1) bundle 0 `lock.acq l2, 1` waits for lock l2 of (1,1) (holds 0, needs 1), which only (2,1) may release"), "{err}");
}

/// A descriptor that acquires locks of its tile first (as the shared-panel
/// forwards do): the channel holds it until the PE releases both, then it
/// runs and signals the receiver.
#[test]
fn sim_dma_descriptor_waits_for_its_locks() {
    use persim_backend::spatial::Descriptor;
    let machine = Machine::default_model();
    let (src, dst) = (TileCoord::new(0, 1), TileCoord::new(1, 1));
    // Queue the forward at once, release l3 after ~40 cycles and l1 after
    // ~80; the receiver waits for l0.
    let mut text = String::from(".tile (0,1)\n    li r1, 0x1000\n    dma.start ch0, r1\n");
    text.push_str("    li r2, 40\nLa:\n    addi r2, r2, -1\n    bnez r2, La\n    lock.rel l3, 1\n");
    text.push_str("    li r2, 40\nLb:\n    addi r2, r2, -1\n    bnez r2, Lb\n    lock.rel l1, 1\n");
    text.push_str("    dma.wait ch0\n    halt\n.tile (1,1)\n    lock.acq l0, 1\n    halt\n");
    let mut sim = load(&machine, &text);
    let data: Vec<u8> = (0..256u32).map(|i| i as u8).collect();
    sim.write_sram(src, 0x2000, &data).unwrap();
    let desc = Descriptor::copy(src, 0x2000, dst, 0x100, 256)
        .with_signal(dst, 0, 1)
        .waiting_for([Some(3), Some(1)]);
    assert_eq!(
        Descriptor::from_bytes(&desc.to_bytes(), &machine).unwrap(),
        desc
    );
    sim.write_sram(src, 0x1000, &desc.to_bytes()).unwrap();
    let stats = sim.run(10_000).unwrap();
    assert_eq!(sim.read_sram(dst, 0x100, 256).unwrap(), data);
    let sender = &stats.pe(src).unwrap().stats;
    let receiver = &stats.pe(dst).unwrap().stats;
    // The transfer (4 flits, one hop) starts only after the second release.
    let released = sender.halted_at.unwrap() - sender.wait_dma - 2;
    assert!(
        receiver.halted_at.unwrap() > released + u64::from(machine.dma.setup_cycles),
        "the receiver finished at {:?}, the locks were released by {released}",
        receiver.halted_at
    );
    assert!(sender.wait_dma > 0, "`dma.wait` waited for the transfer");
    // The wait profile puts each wait cycle on the bundle that waited: the
    // receiver's `lock.acq` (its bundle 0) and the sender's `dma.wait`
    // (its bundle 10, after the two countdown loops).
    let waited = |s: &persim_backend::spatial::sim::PeStats| {
        s.bundle_waits
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(i, &n)| (i, n))
            .collect::<Vec<_>>()
    };
    assert_eq!(waited(receiver), [(0, receiver.wait_lock)]);
    assert_eq!(waited(sender), [(10, sender.wait_dma)]);
}

/// A descriptor waiting for a lock nobody releases, and its PE at
/// `dma.wait`: a deadlock, and the report names the channel and the lock.
#[test]
fn sim_deadlock_of_a_dma_waiting_for_a_lock_names_the_channel() {
    use persim_backend::spatial::Descriptor;
    let machine = Machine::default_model();
    let (src, dst) = (TileCoord::new(0, 1), TileCoord::new(1, 1));
    let text =
        ".tile (0,1)\n    li r1, 0x1000\n    dma.start ch1, r1\n    dma.wait ch1\n    halt\n";
    let mut sim = load(&machine, text);
    let desc = Descriptor::copy(src, 0x2000, dst, 0x100, 64).waiting_for([Some(7), None]);
    sim.write_sram(src, 0x1000, &desc.to_bytes()).unwrap();
    let err = sim.run(10_000).unwrap_err();
    assert!(err.is_deadlock(), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("DMA (0,1) ch1 waits to start a descriptor for lock l7 of (0,1)"),
        "{text}"
    );
}

/// A tile forwarded down a chain (0,1) → (1,1) → (2,1) in pieces: each
/// of the middle PE's forward pieces waits for its own piece to land (one
/// `wait_lock[0]` per piece, released by the incoming piece's second
/// signal), so the tile reaches the end about three pieces' time earlier
/// than whole; the data and the first signals (once per tile) are the same.
#[test]
fn sim_dma_pieces_cut_through_a_forwarding_chain() {
    let machine = Machine::default_model();
    let (first, middle, last) = (
        TileCoord::new(0, 1),
        TileCoord::new(1, 1),
        TileCoord::new(2, 1),
    );
    let (rows, row_bytes) = (16u32, 1024u32);
    let data: Vec<u8> = (0..rows * row_bytes).map(|i| (i * 7 % 251) as u8).collect();
    let run = |pieces: u8| {
        let text = "
.tile (0,1)
    li r1, 0x1000
    dma.start ch0, r1
    dma.wait ch0
    halt
.tile (1,1)
    li r1, 0x1000
    dma.start ch0, r1
    lock.acq l0, 1
    dma.wait ch0
    halt
.tile (2,1)
    lock.acq l0, 1
    halt
";
        let mut sim = load(&machine, text);
        sim.write_sram(first, 0x2000, &data).unwrap();
        let tile = |from, to| {
            Descriptor::tile_2d(
                from, 0x2000, row_bytes, to, 0x2000, row_bytes, row_bytes, rows,
            )
            .with_signal(to, 0, 1)
            .in_pieces(pieces)
        };
        let read = tile(first, middle).with_signal2(middle, 1, 1);
        let forward = tile(middle, last).waiting_for([Some(1), None]);
        for d in [read, forward] {
            assert_eq!(Descriptor::from_bytes(&d.to_bytes(), &machine).unwrap(), d);
        }
        sim.write_sram(first, 0x1000, &read.to_bytes()).unwrap();
        sim.write_sram(middle, 0x1000, &forward.to_bytes()).unwrap();
        let stats = sim.run(100_000).unwrap();
        assert_eq!(sim.read_sram(last, 0x2000, data.len()).unwrap(), data);
        let per_channel: Vec<u64> = stats.dma.iter().map(|d| d.descriptors).collect();
        assert_eq!(per_channel, [1, 1], "pieces count as one descriptor");
        stats.pe(last).unwrap().stats.halted_at.unwrap()
    };
    let (whole, pieces) = (run(1), run(4));
    let tile_cycles = u64::from(rows * row_bytes / machine.noc.link_bytes_per_cycle);
    assert!(
        pieces + tile_cycles / 2 < whole,
        "in pieces the end got the tile at {pieces}, whole at {whole} (a tile is {tile_cycles} cycles)"
    );
}

/// Splitting keeps every byte once: 7 rows in 4 pieces go as 1, 2, 2 and
/// 2 rows, the first piece takes both waits, the later ones the first
/// wait only; the second signal goes with every piece, the first with the
/// last only. Several planes split by planes.
#[test]
fn sim_dma_pieces_split_rows_and_planes() {
    let (a, b) = (TileCoord::new(0, 1), TileCoord::new(1, 1));
    let d = Descriptor::tile_2d(a, 0x100, 64, b, 0x800, 32, 16, 7)
        .with_signal(b, 0, 1)
        .with_signal2(b, 1, 1)
        .waiting_for([Some(2), Some(3)])
        .in_pieces(4);
    let mut rest = Some(d);
    let mut pieces = Vec::new();
    while let Some(r) = rest {
        let (piece, more) = r.split_first_piece();
        pieces.push(piece);
        rest = more;
    }
    let rows: Vec<u32> = pieces.iter().map(|p| p.rows).collect();
    assert_eq!(rows, [1, 2, 2, 2]);
    let starts: Vec<(u32, u32)> = pieces.iter().map(|p| (p.src_addr, p.dst_addr)).collect();
    assert_eq!(
        starts,
        [
            (0x100, 0x800),
            (0x140, 0x820),
            (0x1c0, 0x860),
            (0x240, 0x8a0)
        ]
    );
    assert_eq!(pieces[0].wait, [Some(2), Some(3)]);
    assert!(pieces[1..].iter().all(|p| p.wait == [Some(2), None]));
    assert!(pieces
        .iter()
        .all(|p| p.signal2 == Some((b, 1, 1)) && p.pieces == 1));
    let signals: Vec<bool> = pieces.iter().map(|p| p.signal.is_some()).collect();
    assert_eq!(signals, [false, false, false, true]);
    // More pieces than rows: one per row.
    let (_, rest) = Descriptor::copy(a, 0, b, 0, 64)
        .in_pieces(4)
        .split_first_piece();
    assert!(rest.is_none());
    let mut planes = Descriptor::tile_2d(a, 0, 64, b, 0, 64, 64, 2).in_pieces(2);
    planes.planes = 4;
    planes.src_plane_stride = 1024;
    planes.dst_plane_stride = 512;
    let (head, rest) = planes.split_first_piece();
    let rest = rest.unwrap();
    assert_eq!((head.planes, head.rows, rest.planes), (2, 2, 2));
    assert_eq!((rest.src_addr, rest.dst_addr), (2048, 1024));
}
