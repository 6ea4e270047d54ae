//! The PE: exposed latencies, bank conflicts, statistics against hand counts,
//! hand-written vector programs (vector add over a DMA'd tile with a tail
//! mask, a matmul on the matrix unit), run-time errors, and the simulator's
//! speed.

use persim_backend::spatial::sim::SimErrorKind;
use persim_backend::spatial::{
    assemble_for, Descriptor, Machine, SimError, Simulator, SlotKind, Stats, TileCoord,
};

const T01: TileCoord = TileCoord::new(0, 1);
const SHIM0: TileCoord = TileCoord::new(0, 0);

fn load(machine: &Machine, text: &str) -> Simulator {
    let program = assemble_for(text, machine).unwrap_or_else(|e| panic!("{e}\n{text}"));
    Simulator::new(machine, &program).unwrap()
}

fn run(text: &str) -> Result<(Simulator, Stats), SimError> {
    let mut sim = load(&Machine::default_model(), text);
    let stats = sim.run(1_000_000)?;
    Ok((sim, stats))
}

fn f32s(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect()
}

fn bytes_of(xs: &[f32]) -> Vec<u8> {
    xs.iter().flat_map(|x| x.to_le_bytes()).collect()
}

#[test]
fn sim_reports_a_read_before_the_producer_latency() {
    let err = run(".tile (0,1)\n    vld v0, 0(r0)\n    vadd.f32 v1, v0, v0\n    halt\n")
        .expect_err("an early read is an error");
    assert_eq!(err.cycle, 1);
    assert_eq!(
        err.kind,
        SimErrorKind::LatencyViolation {
            register: "v0".into(),
            producer_bundle: 0,
            ready_at: 4
        }
    );
    assert_eq!(
        err.to_string(),
        "cycle 1, tile (0,1) bundle 1 (line 3) `vadd.f32 v1, v0, v0`: reads v0 before it is ready: \
         bundle 0 writes it and the result is readable from cycle 4"
    );
    // Waiting out latency.load (4) makes it legal: the read is at cycle 4.
    let (sim, stats) = run(".tile (0,1)\n    vld v0, 0(r0)\n    nop\n    nop\n    nop\n    vadd.f32 v1, v0, v0\n    halt\n").unwrap();
    assert_eq!(stats.cycles, 6);
    assert_eq!(sim.vreg(T01, 1).unwrap(), vec![0; 16]);
    // Post-increment bases and predicates are reads too.
    let err = run(".tile (0,1)\n    li r1, 64\n    vldp v0, r1, 64\n    halt\n").unwrap();
    assert_eq!(err.0.sreg(T01, 1).unwrap(), 128);
    let err = run(
        ".tile (0,1)\n    li r1, 3\n    mlanes m1, r1\n    vadd.i32 v1, v2, v3 @m1\n    halt\n",
    )
    .err()
    .unwrap();
    assert!(
        matches!(&err.kind, SimErrorKind::LatencyViolation { register, .. } if register == "m1"),
        "{err}"
    );
}

#[test]
fn sim_reports_a_write_overtaking_an_older_slower_write() {
    let err = run(".tile (0,1)\n    vexp.f32 v1, v0\n    vmov v1, v2\n    halt\n")
        .err()
        .unwrap();
    assert_eq!(
        err.to_string(),
        "cycle 1, tile (0,1) bundle 1 (line 3) `vmov v1, v2`: writes v1 (ready at cycle 3) while the write \
         by bundle 0 lands later (cycle 8) and would overwrite it"
    );
}

#[test]
fn sim_counts_bank_conflict_stalls() {
    let default = Machine::default_model();
    let interleaved = Machine::from_toml("[pe]\nbank_interleave_bytes = 64\n").unwrap();
    // (machine, bundle, expected stall cycles)
    let cases = [
        (&default, "vld v0, 0(r0) | vld v1, 64(r0)", 1),
        (&default, "vld v0, 0(r0) | vld v1, 0x8000(r0)", 0),
        (
            &default,
            "vld v0, 0(r0) | vld v1, 64(r0) | vst v2, 128(r0)",
            2,
        ),
        (
            &default,
            "vld v0, 0(r0) | vld v1, 0x8000(r0) | vst v2, 0x10000(r0)",
            0,
        ),
        // A vector straddling banks 0 and 1 meets one inside bank 1.
        (&default, "vld v0, 0x7ff0(r0) | vld v1, 0x8040(r0)", 1),
        (&default, "lw r1, 0(r0) | sw r2, 4(r0)", 1),
        (&interleaved, "vld v0, 0(r0) | vld v1, 64(r0)", 0),
        (&interleaved, "vld v0, 0(r0) | vld v1, 512(r0)", 1),
    ];
    for (machine, bundle, stalls) in cases {
        let mut sim = load(machine, &format!(".tile (0,1)\n    {bundle}\n    halt\n"));
        let stats = sim.run(100).unwrap();
        let pe = &stats.pe(T01).unwrap().stats;
        assert_eq!(pe.stall_bank, stalls, "{bundle}");
        assert_eq!(stats.cycles, 2 + stalls, "{bundle}");
        assert_eq!(pe.issue_cycles, 2);
    }
}

#[test]
fn sim_statistics_match_hand_counts() {
    let text = "
.tile (0,1)
    li r1, 5
    loop r1, Lend
    addi r2, r2, 1
    nop
Lend:
    beqz r0, Ltaken
    nop
Ltaken:
    halt
.tile (1,1)
    viota v0
    halt
";
    let (sim, stats) = run(text).unwrap();
    // (0,1): li@0, loop@1, 5 x (addi, nop)@2..11, beqz@12 (taken: bubble
    // 13, 14), halt@15 -> 16 cycles.
    assert_eq!(stats.cycles, 16);
    assert_eq!(sim.sreg(T01, 2).unwrap(), 5);
    let a = &stats.pe(T01).unwrap().stats;
    assert_eq!(a.issue_cycles, 14);
    assert_eq!(
        a.insts, 9,
        "li, loop, 5 addi, beqz, halt; nops are not instructions"
    );
    assert_eq!(a.stall_branch, 2);
    assert_eq!(a.slot_insts[SlotKind::Scalar.index()], 9);
    assert_eq!(a.halted_at, Some(16));
    assert_eq!(stats.pe(T01).unwrap().utilization, 14.0 / 16.0);
    let b = stats.pe(TileCoord::new(1, 1)).unwrap();
    assert_eq!(
        (b.stats.issue_cycles, b.stats.insts, b.stats.halted_at),
        (2, 2, Some(2))
    );
    assert_eq!(b.utilization, 2.0 / 16.0);
    // Two PEs ran 16 cycles: scalar slot 10 of 32, vector ALU 1 of 32.
    assert_eq!(stats.slot(SlotKind::Scalar), 10.0 / 32.0);
    assert_eq!(stats.slot(SlotKind::VectorAlu), 1.0 / 32.0);
    assert_eq!(stats.slot(SlotKind::Mac), 0.0);
    assert_eq!(stats.insts, 11);
    assert!(stats.links.is_empty());
    let report = stats.report();
    assert!(
        report.contains("cycles: 16 (0.016 us at 1000 MHz); instructions: 11"),
        "{report}"
    );
    assert!(report.contains("(0,1)"));
}

/// `out = x + y` for 60 floats: DMA both in from off-chip memory, three full
/// vectors in a zero-overhead loop, a 12-lane masked tail, DMA the result out.
#[test]
fn sim_vector_add_over_dma_tile_with_tail_mask() {
    const N: usize = 60;
    let text = "
.tile (0,1)
    li r1, 0x18000
    li r2, 0x18040
    dma.start ch0, r1
    dma.start ch1, r2
    li r3, 0
    li r4, 0x8000
    lock.acq l0, 1
    lock.acq l1, 1
    li r5, 0x10000
    li r6, 3
    loop r6, Ltail
    vldp v0, r3, 64 | vldp v1, r4, 64
    nop
    nop
    nop
    vadd.f32 v2, v0, v1
    nop
    nop
    nop
    vstp v2, r5, 64
Ltail:
    li r7, 12
    mlanes m1, r7
    nop
    vld v0, 0(r3) @m1 | vld v1, 0(r4) @m1
    nop
    nop
    nop
    vadd.f32 v2, v0, v1 @m1
    nop
    nop
    nop
    vst v2, 0(r5) @m1
    li r8, 0x18080
    dma.start ch0, r8
    dma.wait ch0
    halt
";
    let machine = Machine::default_model();
    let mut sim = load(&machine, text);
    let x: Vec<f32> = (0..N).map(|i| i as f32 * 0.5 - 7.0).collect();
    let y: Vec<f32> = (0..N).map(|i| 1.0 / (i as f32 + 1.0)).collect();
    sim.write_offchip(0x0, &bytes_of(&x)).unwrap();
    sim.write_offchip(0x1000, &bytes_of(&y)).unwrap();
    let bytes = (N * 4) as u32;
    let descs = [
        Descriptor::copy(SHIM0, 0x0, T01, 0x0, bytes).with_signal(T01, 0, 1),
        Descriptor::copy(SHIM0, 0x1000, T01, 0x8000, bytes).with_signal(T01, 1, 1),
        Descriptor::copy(T01, 0x10000, SHIM0, 0x2000, bytes),
    ];
    for (i, d) in descs.iter().enumerate() {
        sim.write_sram(T01, 0x18000 + 0x40 * i as u64, &d.to_bytes())
            .unwrap();
    }
    // Lanes past the tail must not be written by the masked store.
    sim.write_sram(T01, 0x10000 + 4 * N as u64, &0xdead_beef_u32.to_le_bytes())
        .unwrap();
    let stats = sim.run(100_000).unwrap();
    let out = f32s(&sim.read_offchip(0x2000, N * 4).unwrap());
    let expected: Vec<f32> = x.iter().zip(&y).map(|(a, b)| a + b).collect();
    assert_eq!(out, expected);
    assert_eq!(
        sim.read_sram(T01, 0x10000 + 4 * N as u64, 4).unwrap(),
        0xdead_beef_u32.to_le_bytes()
    );
    assert_eq!(
        sim.read_offchip(0x2000 + 4 * N as u64, 4).unwrap(),
        vec![0; 4]
    );
    let pe = &stats.pe(T01).unwrap().stats;
    assert!(
        pe.wait_lock > 100,
        "the PE waits for the off-chip latency: {}",
        pe.wait_lock
    );
    assert_eq!(
        stats.dma.iter().map(|d| d.bytes).sum::<u64>(),
        3 * u64::from(bytes)
    );
}

/// `C = A B` with A 16 x K and B K x 16 on the matrix unit: one `mop.f32` per
/// cycle fed by two post-increment loads, software-pipelined over the load
/// latency by rotating four register pairs.
#[test]
fn sim_matmul_on_the_matrix_unit_is_exact() {
    const K: usize = 64;
    let mut text = String::from(
        ".tile (0,1)
    li r1, 0
    li r2, 0x8000
    li r9, 15
    vldp v0, r1, 64 | vldp v1, r2, 64 | mzero a0
    vldp v2, r1, 64 | vldp v3, r2, 64
    vldp v4, r1, 64 | vldp v5, r2, 64
    vldp v6, r1, 64 | vldp v7, r2, 64 | loop r9, Ldrain
    vldp v0, r1, 64 | vldp v1, r2, 64 | mop.f32 a0, v0, v1
    vldp v2, r1, 64 | vldp v3, r2, 64 | mop.f32 a0, v2, v3
    vldp v4, r1, 64 | vldp v5, r2, 64 | mop.f32 a0, v4, v5
    vldp v6, r1, 64 | vldp v7, r2, 64 | mop.f32 a0, v6, v7
Ldrain:
    mop.f32 a0, v0, v1
    mop.f32 a0, v2, v3
    mop.f32 a0, v4, v5
    mop.f32 a0, v6, v7
    li r3, 0x10000
    nop
    nop
",
    );
    // Read the accumulator out row by row, storing each row two cycles later.
    for j in 0..18 {
        let mut parts = Vec::new();
        if j < 16 {
            parts.push(format!("mrow v{}, a0, {j}", 8 + j % 8));
        }
        if j >= 2 {
            parts.push(format!("vstp v{}, r3, 64", 8 + (j - 2) % 8));
        }
        text.push_str(&format!("    {}\n", parts.join(" | ")));
    }
    text.push_str("    halt\n");
    let machine = Machine::default_model();
    let mut sim = load(&machine, &text);
    // Values with inexact products, so the summation order shows.
    let a: Vec<f32> = (0..16 * K)
        .map(|i| ((i * 37 % 101) as f32 - 50.0) / 7.0)
        .collect();
    let b: Vec<f32> = (0..K * 16)
        .map(|i| ((i * 53 % 97) as f32 - 48.0) / 3.0)
        .collect();
    let at: Vec<f32> = (0..K * 16).map(|x| a[(x % 16) * K + x / 16]).collect(); // k-major
    sim.write_sram(T01, 0x0, &bytes_of(&at)).unwrap();
    sim.write_sram(T01, 0x8000, &bytes_of(&b)).unwrap();
    let stats = sim.run(10_000).unwrap();
    let c = f32s(&sim.read_sram(T01, 0x10000, 16 * 16 * 4).unwrap());
    for i in 0..16 {
        for j in 0..16 {
            let mut r = 0.0f32;
            for k in 0..K {
                r += a[i * K + k] * b[k * 16 + j];
            }
            assert_eq!(c[i * 16 + j].to_bits(), r.to_bits(), "C[{i}][{j}]");
        }
    }
    // 3 li, 4 prologue, 60 loop, 4 drain, li + 2 nops, 18 readout, halt:
    // the last mop issues at 70, its accumulator is ready at 74 (first mrow).
    assert_eq!(stats.cycles, 93);
    assert_eq!(stats.macs, (16 * 16 * K) as u64);
    let pe = &stats.pe(T01).unwrap().stats;
    // `mzero` and the `mop`s; the `mrow`s issue in the vector slot.
    assert_eq!(pe.slot_insts[SlotKind::Mac.index()], K as u64 + 1);
    assert_eq!(pe.stall_bank, 0, "A and B live in different banks");
    assert_eq!(stats.mac_utilization, (16 * 16 * K) as f64 / (93.0 * 256.0));
    assert_eq!(
        stats.machine_mac_utilization,
        (16 * 16 * K) as f64 / (93.0 * 256.0 * 64.0)
    );
}

#[test]
fn sim_reports_memory_and_control_errors() {
    let err = run(".tile (0,1)\n    li r1, 262144\n    vld v0, 0(r1)\n    halt\n")
        .err()
        .unwrap();
    assert_eq!(
        err.to_string(),
        "cycle 1, tile (0,1) bundle 1 (line 3) `vld v0, 0(r1)`: SRAM access [0x40000, 0x40040) is outside the 262144 bytes of data memory"
    );
    // A masked load may run past the end: disabled lanes are not read.
    let (sim, _) = run(".tile (0,1)\n    li r1, 262128\n    li r2, 4\n    mlanes m1, r2\n    nop\n    vld v0, 0(r1) @m1\n    halt\n").unwrap();
    assert_eq!(sim.vreg(T01, 0).unwrap(), vec![0; 16]);
    let err = run(".tile (0,1)\n    vld v0, 2(r0)\n    halt\n")
        .err()
        .unwrap();
    assert!(
        err.to_string()
            .ends_with("address 0x2 is not 4-byte aligned"),
        "{err}"
    );
    let err = run(".tile (0,1)\n    nop\n").err().unwrap();
    assert_eq!(
        err.to_string(),
        "cycle 1: tile (0,1) ran past its last bundle (1) without `halt`"
    );
    let mut sim = load(&Machine::default_model(), ".tile (0,1)\nL0:\n    j L0\n");
    let err = sim.run(50).unwrap_err();
    assert_eq!(err.kind, SimErrorKind::CycleLimit(50));
    let err = run(".tile (0,1)\n    vsend west, v0\n    halt\n")
        .err()
        .unwrap();
    assert!(
        err.to_string()
            .ends_with("tile (0,1) has no compute neighbour to the west"),
        "{err}"
    );
    // A descriptor reaching past SRAM is rejected when `dma.start` issues.
    let machine = Machine::default_model();
    let mut sim = load(&machine, ".tile (0,1)\n    dma.start ch0, r0\n    halt\n");
    let bad = Descriptor::copy(SHIM0, 0, T01, 262100, 64);
    sim.write_sram(T01, 0, &bad.to_bytes()).unwrap();
    let err = sim.run(100).unwrap_err();
    assert!(matches!(err.kind, SimErrorKind::Descriptor(_)));
    assert!(
        err.to_string().ends_with(
            "descriptor destination (0,1) [0x3ffd4, 0x40014) runs past the 262144 bytes of SRAM"
        ),
        "{err}"
    );
    // Loading a program that does not fit the machine is an error, not a panic.
    let program = persim_backend::spatial::assemble(".tile (0,9)\n    halt\n").unwrap();
    let err = Simulator::new(&machine, &program).unwrap_err();
    assert!(matches!(err.kind, SimErrorKind::Program(_)));
}

#[test]
fn sim_scalar_and_vector_semantics() {
    let text = "
.tile (0,1)
    li r1, -7
    li r2, 2
    div r3, r1, r2
    rem r4, r1, r2
    sra r5, r1, r2
    shr r6, r1, r2
    slt r7, r1, r2
    div r8, r1, r0
    i2f r9, r1
    nop
    nop
    f2i r10, r9
    viota v0
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    nop
    vcvt.f32.i32 v1, v0
    vsplat v2, r9
    nop
    nop
    vmul.f32 v3, v1, v2
    nop
    nop
    nop
    vredsum.f32 r11, v3
    vredmax.i32 r12, v0
    nop
    nop
    nop
    nop
    nop
    halt
";
    let (sim, _) = run(text).unwrap();
    let s = |r| sim.sreg(T01, r).unwrap();
    assert_eq!(s(3) as i32, -3);
    assert_eq!(s(4) as i32, -1);
    assert_eq!(s(5) as i32, -2);
    assert_eq!(s(6), (-7i32 as u32) >> 2);
    assert_eq!(s(7), 1);
    assert_eq!(s(8), u32::MAX, "division by zero gives -1");
    assert_eq!(f32::from_bits(s(9)), -7.0);
    assert_eq!(s(10) as i32, -7);
    assert_eq!(f32::from_bits(s(11)), -7.0 * 120.0);
    assert_eq!(s(12), 15);
}

/// Not a check of speed (tests never assert times): prints how fast the
/// simulator runs a busy matrix-unit loop on all 64 PEs.
#[test]
fn sim_reports_its_speed() {
    let text_for = |tile: &str| {
        format!(
            ".tile {tile}
    li r9, 2000
    vld v0, 0(r0) | vld v1, 0x8000(r0)
    vld v2, 64(r0) | vld v3, 0x8040(r0)
    vld v4, 128(r0) | vld v5, 0x8080(r0)
    vld v6, 192(r0) | vld v7, 0x80c0(r0) | loop r9, Lend
    vld v0, 0(r0) | vld v1, 0x8000(r0) | mop.f32 a0, v0, v1 | vadd.f32 v8, v0, v1
    vld v2, 64(r0) | vld v3, 0x8040(r0) | mop.f32 a0, v2, v3 | vadd.f32 v9, v2, v3
    vld v4, 128(r0) | vld v5, 0x8080(r0) | mop.f32 a0, v4, v5 | vadd.f32 v10, v4, v5
    vld v6, 192(r0) | vld v7, 0x80c0(r0) | mop.f32 a0, v6, v7 | vadd.f32 v11, v6, v7
Lend:
    halt
"
        )
    };
    let mut text = String::new();
    for row in 1..=8 {
        for col in 0..8 {
            text.push_str(&text_for(&format!("({col},{row})")));
        }
    }
    let machine = Machine::default_model();
    let mut sim = load(&machine, &text);
    let stats = sim.run(1_000_000).unwrap();
    assert_eq!(stats.insts, 64 * (1 + 8 + 1 + 2000 * 16 + 1));
    assert!(stats.mac_utilization > 0.99);
    println!("{}", stats.report().lines().last().unwrap());
    println!(
        "simulated {} instructions in {} cycles on 64 PEs: {:.2} M instructions/s",
        stats.insts,
        stats.cycles,
        stats.insts_per_second() / 1e6
    );
}

/// bf16 and f16 live in memory only: loads widen to f32 lanes exactly,
/// stores narrow with round-to-nearest-even.
#[test]
fn sim_half_precision_loads_and_stores() {
    let text = "
.tile (0,1)
    vld v0, 0(r0) | li r1, 3
    mlanes m1, r1
    nop
    nop
    vst.bf16 v0, 0x100(r0)
    vst.f16 v0, 0x200(r0)
    vst.bf16 v0, 0x300(r0) @m1
    vld.bf16 v1, 0x100(r0) | vld.f16 v2, 0x200(r0)
    nop
    nop
    nop
    halt
";
    let mut sim = load(&Machine::default_model(), text);
    // 1 + 2^-8 and 1 + 3 * 2^-8 are bf16 ties: they round to the even neighbour.
    let xs = [
        1.0f32,
        1.0 + 1.0 / 256.0,
        1.0 + 3.0 / 256.0,
        -2.5,
        1.0 / 3.0,
        65520.0,
        0.0,
        -0.0,
    ];
    let mut lanes = xs.to_vec();
    lanes.resize(16, 0.5);
    sim.write_sram(T01, 0, &bytes_of(&lanes)).unwrap();
    sim.run(100).unwrap();
    let halves = |addr: u64, n: usize| -> Vec<u16> {
        sim.read_sram(T01, addr, 2 * n)
            .unwrap()
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect()
    };
    assert_eq!(
        halves(0x100, 8),
        vec![0x3f80, 0x3f80, 0x3f82, 0xc020, 0x3eab, 0x4780, 0x0000, 0x8000]
    );
    assert_eq!(
        halves(0x200, 8),
        vec![0x3c00, 0x3c04, 0x3c0c, 0xc100, 0x3555, 0x7c00, 0x0000, 0x8000]
    );
    let masked = halves(0x300, 16);
    assert_eq!(&masked[..3], &[0x3f80, 0x3f80, 0x3f82]);
    assert!(
        masked[3..].iter().all(|&h| h == 0),
        "disabled lanes stay unwritten"
    );
    let widened: Vec<f32> = sim
        .vreg(T01, 1)
        .unwrap()
        .iter()
        .map(|&b| f32::from_bits(b))
        .collect();
    assert_eq!(
        &widened[..6],
        &[
            1.0,
            1.0,
            1.015625,
            -2.5,
            f32::from_bits(0x3eab_0000),
            65536.0
        ]
    );
    let widened: Vec<f32> = sim
        .vreg(T01, 2)
        .unwrap()
        .iter()
        .map(|&b| f32::from_bits(b))
        .collect();
    assert_eq!(widened[5], f32::INFINITY, "65520 overflows f16");
    assert_eq!(widened[4], f32::from_bits(0x3eaa_a000));
}

/// `mst` stores a mask's lanes as a word (lane i = bit i), `mld` loads one
/// back, dropping bits past the lanes: the register allocator's mask spill.
#[test]
fn sim_mask_store_and_load_round_trip() {
    let text = "
.tile (0,1)
    li r1, 5
    li r2, -1
    mlanes m1, r1
    sw r2, 0x104(r0)
    nop
    mst m1, 0x100(r0)
    mld m2, 0x100(r0)
    mld m3, 0x104(r0)
    li r3, 1
    nop
    vsplat v0, r3
    nop
    nop
    vredsum.i32 r4, v0 @m2
    vredsum.i32 r5, v0 @m3
    nop
    nop
    nop
    nop
    nop
    sw r4, 0x108(r0)
    sw r5, 0x10c(r0)
    halt
";
    let (sim, _) = run(text).unwrap_or_else(|e| panic!("{e}"));
    let words: Vec<u32> = sim
        .read_sram(T01, 0x100, 16)
        .unwrap()
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    assert_eq!(words[0], 0b11111, "the first 5 lanes as bits");
    assert_eq!(words[2], 5, "the reloaded mask enables 5 lanes");
    assert_eq!(words[3], 16, "bits past the 16 lanes are dropped");
}

/// 64-bit lanes: `vsplat.64` and the `.i64`/`.f64` instructions use whole
/// lanes, a 32-bit instruction clears the high half of what it writes,
/// `vst.64`/`vsts.64` store 8 bytes per lane, a 64-bit compare's lane
/// reaches the scalar unit with `mext`, and `vld.64` must be 8-byte aligned.
#[test]
fn sim_64_bit_lanes() {
    let text = "\
.tile (0,1)
    li r1, -1
    li r2, 1
    vsplat.64 v1, r1, r2
    li r3, 2
    vsplat v2, r3
    nop
    vadd.i64 v3, v1, v2
    vadd.i32 v4, v1, v2
    nop
    vst.64 v3, 0(r0)
    vst.64 v4, 128(r0)
    vsts.64 v1, 256(r0)
    vcmplt.u64 m1, v2, v1
    vcmplt.i64 m2, v3, v2
    nop
    mext r4, m1, 3
    mext r5, m2, 0
    vld.64 v7, 0(r0)
    nop
    nop
    nop
    nop
    vredsum.i64 v8, v7
    nop
    nop
    nop
    nop
    nop
    nop
    vsts.64 v8, 264(r0)
    halt
";
    let (sim, _) = run(text).unwrap();
    let u64s = |addr: u64, n: usize| -> Vec<u64> {
        sim.read_sram(T01, addr, 8 * n)
            .unwrap()
            .chunks_exact(8)
            .map(|b| u64::from_le_bytes(b.try_into().unwrap()))
            .collect()
    };
    // (1 << 32 | 0xffff_ffff) + 2, in all 16 lanes.
    assert_eq!(u64s(0, 16), vec![(2u64 << 32) | 1; 16]);
    // The 32-bit add wraps in the low half and clears the high one.
    assert_eq!(u64s(128, 16), vec![1; 16]);
    assert_eq!(u64s(256, 1), vec![(1u64 << 32) | 0xffff_ffff]);
    assert_eq!(sim.sreg(T01, 4).unwrap(), 1, "2 < 0x1_ffff_ffff unsigned");
    assert_eq!(sim.sreg(T01, 5).unwrap(), 0, "0x2_0000_0001 < 2 is false");
    assert_eq!(u64s(264, 1), vec![((2u64 << 32) | 1).wrapping_mul(16)]);

    let err = run(".tile (0,1)\n    vld.64 v0, 4(r0)\n    halt\n").expect_err("misaligned");
    assert!(err.to_string().contains("8-byte aligned"), "{err}");
}
