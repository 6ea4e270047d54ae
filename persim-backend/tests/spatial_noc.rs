//! DMA and NoC timing: a strided 2-D tile from off-chip memory in exactly the
//! cycles its descriptor implies, hop latency between distant PEs, and two
//! flows splitting a shared link's bandwidth.

use persim_backend::spatial::sim::Resource;
use persim_backend::spatial::{
    assemble_for, Descriptor, Direction, Machine, Simulator, Stats, TileCoord,
};

fn load(machine: &Machine, text: &str) -> Simulator {
    let program = assemble_for(text, machine).unwrap_or_else(|e| panic!("{e}\n{text}"));
    Simulator::new(machine, &program).unwrap()
}

fn link(col: u8, row: u8, dir: Direction) -> Resource {
    Resource::Link {
        from: TileCoord::new(col, row),
        dir,
    }
}

/// Host-side setup: write `desc` at SRAM 0x1000 of `tile` and point r1 at it.
fn put_descriptor(sim: &mut Simulator, tile: TileCoord, desc: &Descriptor) {
    sim.write_sram(tile, 0x1000, &desc.to_bytes()).unwrap();
    sim.set_sreg(tile, 1, 0x1000).unwrap();
}

#[test]
fn sim_dma_moves_a_strided_2d_tile_in_the_cycles_the_descriptor_implies() {
    let machine = Machine::default_model();
    let pe = TileCoord::new(0, 1);
    let shim = TileCoord::new(0, 0);
    let mut sim = load(
        &machine,
        ".tile (0,1)\n    dma.start ch0, r1\n    dma.wait ch0\n    halt\n",
    );
    // Off-chip: a 16 x 32 f32 matrix, row stride 128 bytes. The tile: rows
    // 2..6, columns 8..24 (64 bytes per row), packed densely into SRAM 0x100.
    let matrix: Vec<u8> = (0..16 * 32u32).flat_map(|x| x.to_le_bytes()).collect();
    sim.write_offchip(0, &matrix).unwrap();
    let desc = Descriptor::tile_2d(shim, 2 * 128 + 8 * 4, 128, pe, 0x100, 64, 64, 4);
    put_descriptor(&mut sim, pe, &desc);
    let stats = sim.run(10_000).unwrap();
    let got = sim.read_sram(pe, 0x100, 256).unwrap();
    let expected: Vec<u8> = (2..6u32)
        .flat_map(|r| (8..24u32).map(move |c| r * 32 + c))
        .flat_map(|x| x.to_le_bytes())
        .collect();
    assert_eq!(got, expected);
    assert_eq!(
        sim.read_sram(pe, 0x200, 4).unwrap(),
        vec![0; 4],
        "nothing past the tile"
    );
    // Timing from the descriptor: `dma.start` issues at cycle 0; the channel
    // fetches the descriptor for setup_cycles; the shim's off-chip port passes
    // one 64-byte flit (= one row) every 64/32 = 2 cycles; the last row then
    // needs read_latency plus one hop to reach (0,1).
    let flits = 4u64;
    let port_interval = 64 / u64::from(machine.offchip.bytes_per_cycle_per_shim);
    let done = u64::from(machine.dma.setup_cycles)
        + port_interval * (flits - 1)
        + u64::from(machine.offchip.read_latency)
        + u64::from(machine.noc.hop_latency);
    assert_eq!(done, 117);
    let s = &stats.pe(pe).unwrap().stats;
    assert_eq!(s.wait_dma, done, "`dma.wait` waits cycles 1..=done");
    assert_eq!(
        stats.cycles,
        done + 3,
        "dma.wait issues at done + 1, halt at done + 2"
    );
    assert_eq!(stats.bytes_on(Resource::OffchipRead { col: 0 }), 256);
    assert_eq!(stats.bytes_on(link(0, 0, Direction::North)), 256);
    assert_eq!(stats.dma[0].bytes, 256);
}

#[test]
fn sim_dma_moves_3d_blocks_and_writes_off_chip() {
    let machine = Machine::default_model();
    let pe = TileCoord::new(2, 3);
    let shim = TileCoord::new(2, 0);
    let mut sim = load(
        &machine,
        ".tile (2,3)\n    dma.start ch1, r1\n    dma.wait ch1\n    halt\n",
    );
    // SRAM holds 2 planes of 3 rows of 40 bytes (row stride 48, plane stride
    // 200); off-chip gets them packed (row stride 40, plane stride 120).
    let src: Vec<u8> = (0..400u32).map(|i| (i * 7 % 251) as u8).collect();
    sim.write_sram(pe, 0, &src).unwrap();
    let desc = Descriptor {
        planes: 2,
        src_plane_stride: 200,
        dst_plane_stride: 120,
        ..Descriptor::tile_2d(pe, 0, 48, shim, 0x4000, 40, 40, 3)
    };
    put_descriptor(&mut sim, pe, &desc);
    let stats = sim.run(10_000).unwrap();
    let got = sim.read_offchip(0x4000, 240).unwrap();
    let mut expected = Vec::new();
    for p in 0..2 {
        for r in 0..3 {
            let at = p * 200 + r * 48;
            expected.extend_from_slice(&src[at..at + 40]);
        }
    }
    assert_eq!(got, expected);
    assert_eq!(stats.bytes_on(Resource::OffchipWrite { col: 2 }), 240);
    assert_eq!(stats.bytes_on(link(2, 3, Direction::South)), 240);
    assert_eq!(stats.bytes_on(link(2, 1, Direction::South)), 240);
}

/// (0,1) copies 1 KiB into (7,8)'s SRAM: 7 hops east then 7 north.
#[test]
fn sim_noc_transfer_between_distant_pes_pays_hop_latency() {
    let machine = Machine::default_model();
    let (src, dst) = (TileCoord::new(0, 1), TileCoord::new(7, 8));
    let text =
        ".tile (0,1)\n    dma.start ch0, r1\n    halt\n.tile (7,8)\n    lock.acq l0, 1\n    halt\n";
    let mut sim = load(&machine, text);
    let data: Vec<u8> = (0..1024u32).map(|i| (i % 253) as u8).collect();
    sim.write_sram(src, 0x2000, &data).unwrap();
    put_descriptor(
        &mut sim,
        src,
        &Descriptor::copy(src, 0x2000, dst, 0x40, 1024).with_signal(dst, 0, 1),
    );
    let stats = sim.run(10_000).unwrap();
    assert_eq!(sim.read_sram(dst, 0x40, 1024).unwrap(), data);
    // 16 flits over 14 hops: the first enters at setup_cycles, the last
    // one 15 cycles later, and each needs 14 x hop_latency to arrive.
    let hops = u64::from(src.hops_to(dst));
    let done = u64::from(machine.dma.setup_cycles) + 15 + hops * u64::from(machine.noc.hop_latency);
    assert_eq!((hops, done), (14, 65));
    let receiver = &stats.pe(dst).unwrap().stats;
    assert_eq!(
        receiver.wait_lock,
        done + 1,
        "the release lands the cycle after the last flit"
    );
    assert_eq!(receiver.halted_at, Some(done + 3));
    // Dimension-order route: along row 1, then up column 7.
    for col in 0..7 {
        assert_eq!(stats.bytes_on(link(col, 1, Direction::East)), 1024);
    }
    for row in 1..8 {
        assert_eq!(stats.bytes_on(link(7, row, Direction::North)), 1024);
    }
    assert_eq!(stats.bytes_on(link(0, 1, Direction::North)), 0);
    assert_eq!(stats.links.len(), 14);
    assert!(stats.links.iter().all(|l| l.busy_cycles == 16));
}

#[test]
fn sim_noc_route_y_first_climbs_the_source_column() {
    // The same transfer as above, routed rows first: up column 0, then
    // along row 8; same hop count and time.
    let machine = Machine::default_model();
    let (src, dst) = (TileCoord::new(0, 1), TileCoord::new(7, 8));
    let text =
        ".tile (0,1)\n    dma.start ch0, r1\n    halt\n.tile (7,8)\n    lock.acq l0, 1\n    halt\n";
    let mut sim = load(&machine, text);
    let data: Vec<u8> = (0..1024u32).map(|i| (i % 251) as u8).collect();
    sim.write_sram(src, 0x2000, &data).unwrap();
    let desc = Descriptor::copy(src, 0x2000, dst, 0x40, 1024)
        .with_signal(dst, 0, 1)
        .routed_y_first();
    assert_eq!(
        Descriptor::from_bytes(&desc.to_bytes(), &machine).unwrap(),
        desc,
        "the flag round-trips"
    );
    put_descriptor(&mut sim, src, &desc);
    let stats = sim.run(10_000).unwrap();
    assert_eq!(sim.read_sram(dst, 0x40, 1024).unwrap(), data);
    for row in 1..8 {
        assert_eq!(stats.bytes_on(link(0, row, Direction::North)), 1024);
    }
    for col in 0..7 {
        assert_eq!(stats.bytes_on(link(col, 8, Direction::East)), 1024);
    }
    assert_eq!(stats.bytes_on(link(0, 1, Direction::East)), 0);
    assert_eq!(stats.links.len(), 14);
    assert_eq!(stats.pe(dst).unwrap().stats.halted_at, Some(65 + 3));
}

/// Two 2 KiB flows along row 1: A from (0,1) to (3,1), B from (1,1) to
/// (4,1). They share links (1,1)E and (2,1)E.
#[test]
fn sim_noc_flows_sharing_a_link_split_its_bandwidth() {
    let machine = Machine::default_model();
    let t = |c| TileCoord::new(c, 1);
    let sender = |c: u8, to: u8| {
        format!(".tile ({c},1)\n    dma.start ch0, r1\n    halt\n.tile ({to},1)\n    lock.acq l0, 1\n    halt\n")
    };
    let run = |flows: &[(u8, u8)]| -> Stats {
        let text: String = flows.iter().map(|&(a, b)| sender(a, b)).collect();
        let mut sim = load(&machine, &text);
        for &(a, b) in flows {
            let desc = Descriptor::copy(t(a), 0, t(b), 0, 2048).with_signal(t(b), 0, 1);
            put_descriptor(&mut sim, t(a), &desc);
        }
        sim.run(10_000).unwrap()
    };
    // When each flow's last flit lands: the receiver acquires one cycle later.
    let done = |stats: &Stats, receiver: u8| stats.pe(t(receiver)).unwrap().stats.wait_lock - 1;
    let setup = u64::from(machine.dma.setup_cycles);
    let hop = u64::from(machine.noc.hop_latency);
    // Alone: 32 flits, 3 hops.
    let solo = setup + 31 + 3 * hop;
    assert_eq!(done(&run(&[(0, 3)]), 3), solo);
    assert_eq!(done(&run(&[(1, 4)]), 4), solo);
    // Together: (1,1)E passes all 64 flits back to back from cycle `setup`
    // (B's flits are there first, A's 3 cycles later, then round-robin), each
    // flow gets half of it, and both finish when the shared link has drained
    // plus the two hops after it.
    let both = run(&[(0, 3), (1, 4)]);
    let shared_drained = setup + 63;
    assert_eq!(done(&both, 3), shared_drained + 2 * hop);
    assert_eq!(done(&both, 4), shared_drained + 2 * hop);
    assert!(done(&both, 3) > solo + 25);
    let shared = both
        .links
        .iter()
        .find(|l| {
            l.resource
                == Resource::Link {
                    from: t(1),
                    dir: Direction::East,
                }
        })
        .unwrap();
    assert_eq!((shared.bytes, shared.busy_cycles), (4096, 64));
    assert_eq!(
        both.bytes_on(Resource::Link {
            from: t(2),
            dir: Direction::East
        }),
        4096
    );
    assert_eq!(
        both.bytes_on(Resource::Link {
            from: t(0),
            dir: Direction::East
        }),
        2048
    );
    assert_eq!(
        both.bytes_on(Resource::Link {
            from: t(3),
            dir: Direction::East
        }),
        2048
    );
}

/// Two PEs of one column read from the same shim: its off-chip port (32
/// B/cycle) is shared, so together they take twice as long as one alone.
#[test]
fn sim_offchip_port_bandwidth_is_shared() {
    let machine = Machine::default_model();
    let shim = TileCoord::new(5, 0);
    let run = |rows: &[u8]| -> Stats {
        let text: String = rows
            .iter()
            .map(|r| format!(".tile (5,{r})\n    dma.start ch0, r1\n    dma.wait ch0\n    halt\n"))
            .collect();
        let mut sim = load(&machine, &text);
        for &r in rows {
            let pe = TileCoord::new(5, r);
            put_descriptor(&mut sim, pe, &Descriptor::copy(shim, 0, pe, 0, 4096));
        }
        sim.run(100_000).unwrap()
    };
    let waited = |s: &Stats, r| s.pe(TileCoord::new(5, r)).unwrap().stats.wait_dma;
    let one = run(&[2]);
    // 64 flits at one per 2 cycles, then the off-chip latency and two hops.
    assert_eq!(waited(&one, 2), 8 + 2 * 63 + 100 + 2 * 3);
    let two = run(&[2, 3]);
    let slower = waited(&two, 2).max(waited(&two, 3));
    assert!(slower >= 8 + 4 * 63 + 100, "{slower}");
    assert_eq!(two.bytes_on(Resource::OffchipRead { col: 5 }), 8192);
}

/// A shim's reads and writes share its channel: a PE reading 4 KiB while
/// another writes 4 KiB through the same shim takes about as long as two
/// reads, twice as long as either alone (the roofline's off-chip bound
/// counts read and written bytes together, and the simulator agrees).
#[test]
fn sim_offchip_reads_and_writes_share_a_shims_bandwidth() {
    let machine = Machine::default_model();
    let shim = TileCoord::new(4, 0);
    let run = |read: bool, write: bool| -> (u64, Stats) {
        let mut text = String::new();
        if read {
            text.push_str(".tile (4,2)\n    dma.start ch0, r1\n    dma.wait ch0\n    halt\n");
        }
        if write {
            text.push_str(".tile (4,3)\n    dma.start ch0, r1\n    dma.wait ch0\n    halt\n");
        }
        let mut sim = load(&machine, &text);
        let (reader, writer) = (TileCoord::new(4, 2), TileCoord::new(4, 3));
        if read {
            put_descriptor(
                &mut sim,
                reader,
                &Descriptor::copy(shim, 0, reader, 0, 4096),
            );
        }
        if write {
            put_descriptor(
                &mut sim,
                writer,
                &Descriptor::copy(writer, 0, shim, 0x10000, 4096),
            );
        }
        let stats = sim.run(100_000).unwrap();
        (stats.cycles, stats)
    };
    let (read_alone, _) = run(true, false);
    let (write_alone, _) = run(false, true);
    let (both, stats) = run(true, true);
    // 4 KiB at 32 B/cycle is 128 cycles of port time per transfer.
    assert!(
        both >= read_alone.max(write_alone) + 100,
        "{both} vs {read_alone} / {write_alone}"
    );
    assert_eq!(stats.bytes_on(Resource::OffchipRead { col: 4 }), 4096);
    assert_eq!(stats.bytes_on(Resource::OffchipWrite { col: 4 }), 4096);
}
