//! ISA round trips: encoder/decoder and assembler/disassembler over every
//! instruction and over random programs; precise errors for bad encodings and
//! bad assembly; the ISA document is generated from the table.

use persim_backend::spatial::encoding::{decode_bundles, decode_inst, encode_bundles, encode_inst};
use persim_backend::spatial::isa::{table, OperandKind, RegClass, ALL_OPCODES};
use persim_backend::spatial::{
    assemble, assemble_for, decode_program, disassemble, encode_program, isa_doc, Bundle,
    Direction, Inst, Machine, Opcode, Operand, Program, TileCoord,
};

/// A tiny deterministic PRNG (xorshift64*), so the property tests need no crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A value of `kind` chosen by `pick(limit)` (which returns 0..limit).
fn operand(kind: OperandKind, pick: &mut dyn FnMut(u64) -> u64, bundles: u32) -> Operand {
    match kind {
        OperandKind::Reg(RegClass::Mask) => Operand::Reg(RegClass::Mask, pick(8) as u8),
        OperandKind::Reg(c) => Operand::Reg(c, pick(32) as u8),
        OperandKind::Lock => Operand::Lock(pick(32) as u8),
        OperandKind::Channel => Operand::Channel(pick(32) as u8),
        OperandKind::Dir => Operand::Dir(Direction::from_index(pick(4) as u8).unwrap()),
        OperandKind::Lane => Operand::Lane(pick(32) as u8),
        OperandKind::Imm => Operand::Imm(pick(1 << 32) as u32 as i32),
        OperandKind::Mem => Operand::Mem {
            base: pick(32) as u8,
            offset: pick(1 << 32) as u32 as i32,
        },
        OperandKind::Target => Operand::Target(pick(u64::from(bundles)) as u32),
        OperandKind::Tile => Operand::Tile(TileCoord::new(pick(256) as u8, pick(256) as u8)),
        OperandKind::Count => Operand::Count(pick(65536) as u16),
    }
}

fn build(opcode: Opcode, pick: &mut dyn FnMut(u64) -> u64, bundles: u32) -> Inst {
    let operands: Vec<Operand> = opcode
        .info()
        .operands
        .iter()
        .map(|s| operand(s.kind, pick, bundles))
        .collect();
    let inst = Inst::new(opcode, &operands).unwrap();
    if opcode.info().maskable {
        inst.masked(pick(8) as u8).unwrap()
    } else {
        inst
    }
}

fn assert_round_trips(program: &Program) {
    let image = encode_program(program);
    assert_eq!(
        &decode_program(&image).unwrap(),
        program,
        "encode -> decode"
    );
    let text = disassemble(program);
    let back = assemble(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    // Source lines are the only thing text adds.
    let mut stripped = back.clone();
    for pe in stripped.tiles.values_mut() {
        pe.lines.clear();
    }
    assert_eq!(&stripped, program, "disassemble -> assemble\n{text}");
    assert_eq!(disassemble(&back), text, "text is canonical");
}

#[test]
fn sim_every_instruction_round_trips_through_binary_and_text() {
    let mut program = Program::new();
    let pe = program.tile_mut(TileCoord::new(1, 2));
    pe.lock_init.insert(3, 7);
    let n = ALL_OPCODES.len() as u32;
    // A fixed, non-trivial value per operand: the largest encodable one.
    let mut max = |limit: u64| limit - 1;
    for &op in ALL_OPCODES {
        let inst = build(op, &mut max, n);
        pe.bundles.push(Bundle::new(vec![inst]));
    }
    // Small values too, including negative immediates and offsets.
    let mut k = 0u64;
    let mut small = |limit: u64| {
        k += 1;
        if limit == 1 << 32 {
            (-(k as i64)) as u64 & 0xffff_ffff
        } else {
            k % limit
        }
    };
    for &op in ALL_OPCODES {
        let inst = build(op, &mut small, 2 * n);
        pe.bundles.push(Bundle::new(vec![inst]));
    }
    assert_eq!(pe.bundles.len(), 2 * ALL_OPCODES.len());
    assert_round_trips(&program);
    // Each instruction word decodes to itself, stop bit included.
    for b in &program.tiles[&TileCoord::new(1, 2)].bundles {
        let inst = b.insts[0];
        for stop in [false, true] {
            assert_eq!(decode_inst(encode_inst(&inst, stop)).unwrap(), (inst, stop));
        }
    }
}

#[test]
fn sim_random_programs_round_trip() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..300 {
        let mut program = Program::new();
        for _ in 0..=rng.below(3) {
            let tile = TileCoord::new(rng.below(8) as u8, 1 + rng.below(8) as u8);
            let bundles = 1 + rng.below(24) as u32;
            let pe = program.tile_mut(tile);
            pe.bundles.clear();
            for _ in 0..rng.below(3) {
                pe.lock_init
                    .insert(rng.below(32) as u8, rng.below(65536) as u16);
            }
            for _ in 0..bundles {
                let width = 1 + rng.below(4);
                let insts = (0..width)
                    .map(|_| {
                        let op = ALL_OPCODES[rng.below(ALL_OPCODES.len() as u64) as usize];
                        build(op, &mut |l| rng.below(l), bundles)
                    })
                    .collect();
                pe.bundles.push(Bundle::new(insts));
            }
        }
        assert_round_trips(&program);
        for pe in program.tiles.values() {
            assert_eq!(
                decode_bundles(&encode_bundles(&pe.bundles)).unwrap(),
                pe.bundles
            );
        }
    }
}

#[test]
fn sim_decoder_rejects_every_invalid_word_it_is_shown() {
    let add = Inst::new(Opcode::Add, &[Operand::s(1), Operand::s(2), Operand::s(3)]).unwrap();
    let word = encode_inst(&add, true);
    let cases: [(u64, &str); 6] = [
        ((word & !0xff) | 0xff, "unknown opcode 0xff"),
        (word | 5 << 24, "does not use field D but it holds 5"),
        (word | 1 << 40, "leaves immediate bits 0x00000100 unused"),
        (
            word | 3 << 29,
            "`add` is not maskable but the mask field is m3",
        ),
        (
            encode_inst(
                &Inst::new(
                    Opcode::Vsend,
                    &[Operand::Dir(Direction::West), Operand::v(1)],
                )
                .unwrap(),
                true,
            ) | 7 << 9,
            "field A holds 7 but its operand allows at most 3",
        ),
        (
            encode_inst(
                &Inst::new(Opcode::LockAcq, &[Operand::Lock(1), Operand::Count(2)]).unwrap(),
                true,
            ) | 1 << 60,
            "leaves immediate bits 0x10000000 unused",
        ),
    ];
    for (w, expected) in cases {
        let err = decode_inst(w).unwrap_err();
        assert!(err.contains(expected), "{w:#x}: `{err}` lacks `{expected}`");
    }
    // A bundle must end with a stop bit.
    let e = decode_bundles(&[encode_inst(&add, false)]).unwrap_err();
    assert_eq!(
        (e.at, e.message.as_str()),
        (1, "the last bundle has no stop bit")
    );
    // Images: magic, truncation, trailing bytes, the byte offset of a bad word.
    let mut program = Program::new();
    program
        .tile_mut(TileCoord::new(0, 1))
        .bundles
        .push(Bundle::new(vec![add]));
    let image = encode_program(&program);
    assert!(decode_program(b"NOTANIMG\x01\0\0\0\0\0\0\0")
        .unwrap_err()
        .message
        .contains("bad magic"));
    let e = decode_program(&image[..image.len() - 3]).unwrap_err();
    assert!(
        e.message
            .contains("truncated image: expected an instruction word"),
        "{e}"
    );
    let mut long = image.clone();
    long.push(0);
    assert!(decode_program(&long)
        .unwrap_err()
        .message
        .contains("1 trailing bytes"));
    let mut bad = image.clone();
    let at = bad.len() - 8;
    bad[at] = 0xfe;
    let e = decode_program(&bad).unwrap_err();
    assert_eq!(e.at, at);
    assert!(
        e.to_string().contains("tile (0,1): unknown opcode 0xfe"),
        "{e}"
    );
}

#[test]
fn sim_builder_checks_operand_kinds_and_ranges() {
    let e = Inst::new(
        Opcode::VaddF,
        &[Operand::v(1), Operand::s(2), Operand::v(3)],
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "operand 2 of `vadd.f32` must be a vector register (v0..v31), got Reg(Scalar, 2)"
    );
    let e = Inst::new(Opcode::VaddF, &[Operand::v(1), Operand::v(2)]).unwrap_err();
    assert_eq!(e.to_string(), "`vadd.f32` takes 3 operands, got 2");
    let e = Inst::new(Opcode::Vmov, &[Operand::v(32), Operand::v(0)]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "operand 1 of `vmov`: 32 exceeds the encodable maximum 31"
    );
    // What a scheduler asks: slot, latency on a machine, register roles.
    let machine = Machine::default_model();
    let vld = Inst::new(
        Opcode::Vldp,
        &[Operand::v(4), Operand::s(2), Operand::Imm(64)],
    )
    .unwrap();
    assert_eq!(vld.latency(&machine), 4);
    assert_eq!(
        vld.info().slot,
        Some(persim_backend::spatial::SlotKind::Load)
    );
    let roles: Vec<_> = vld.register_operands().collect();
    use persim_backend::spatial::isa::Role;
    assert_eq!(
        roles,
        vec![
            (RegClass::Vector, 4, Role::Def),
            (RegClass::Scalar, 2, Role::PostInc)
        ]
    );
    let e = Inst::new(Opcode::Add, &[Operand::s(1), Operand::s(2), Operand::s(3)])
        .unwrap()
        .masked(1)
        .unwrap_err();
    assert_eq!(e.to_string(), "`add` takes no `@m` predicate");
}

#[test]
fn sim_assembler_errors_carry_line_and_column() {
    let cases: &[(&str, &str)] = &[
        (
            "add r1, r2, r3",
            "1:1: instruction before any `.tile (col,row)` directive",
        ),
        (
            ".tile (1,1)\n    frob r1",
            "2:5: unknown instruction `frob`",
        ),
        (
            ".tile (1,1)\n    vadd.f32 v1, v40, v2",
            "2:18: a vector register v40 does not exist (the ISA encodes v0..v31)",
        ),
        (
            ".tile (1,1)\n    add r1 r2, r3",
            "2:12: expected `,`, found `r2`",
        ),
        (
            ".tile (1,1)\n    j nowhere",
            "2:7: undefined label `nowhere`",
        ),
        (
            ".tile (1,1)\na:\na: halt",
            "3:1: label `a` is defined twice in this tile",
        ),
        (
            ".tile (1,1)\n    li r1, 5 $",
            "2:14: unexpected character `$`",
        ),
        (
            ".tile (1,1)\n    add r1, r2, r3 @m1",
            "2:20: `add` takes no `@m` predicate",
        ),
        (
            ".tile (1,1)\n    li r1, 0x1_0000_0000",
            "2:12: a 32-bit immediate must be from -2147483648 to 4294967295, got 4294967296",
        ),
        (
            ".tile (0,0)",
            "1:7: (0,0) is a shim tile (row 0); code runs on rows 1 and up",
        ),
        (
            ".tile (1,1)\n.lock l0, 70000",
            "2:11: a lock value must be from 0 to 65535, got 70000",
        ),
        (
            ".tile (1,1)\n    vld v1, 4(v2)",
            "2:15: expected a base register (r0..r31), found `v2`",
        ),
        (
            ".tile (1,1)\n    vsend up, v1",
            "2:11: expected north, east, south or west, found `up`",
        ),
        (".tile (1,1)\nend:", "2:1: label `end` labels no bundle"),
        (
            ".tile (1,1)\n    halt extra",
            "2:10: unexpected `extra` after the operands of `halt`",
        ),
        (
            ".tilt (1,1)",
            "1:1: unknown directive `.tilt` (expected `.tile` or `.lock`)",
        ),
    ];
    for (text, expected) in cases {
        let e = assemble(text).unwrap_err();
        assert_eq!(&e.to_string(), expected, "for {text:?}");
    }
}

#[test]
fn sim_assembler_checks_bundles_against_the_machine() {
    let machine = Machine::default_model();
    let text = ".tile (1,1)\n    li r1, 1\n    addi r2, r1, 1 | li r3, 2\n    halt\n";
    let e = assemble_for(text, &machine).unwrap_err();
    assert_eq!(
        e.to_string(),
        "3:1: tile (1,1) bundle 1: has 2 scalar instructions but the machine has 1 scalar slot(s) (slots.scalar)"
    );
    let text = ".tile (1,1)\n    vld v1, 0(r0) | vld v2, 64(r0) | vld v3, 128(r0)\n    halt\n";
    assert!(assemble_for(text, &machine)
        .unwrap_err()
        .to_string()
        .contains("3 load instructions"));
    let text = ".tile (1,1)\n    vmov v1, v2 | vld v1, 0(r0)\n    halt\n";
    assert_eq!(
        assemble_for(text, &machine).unwrap_err().to_string(),
        "2:1: tile (1,1) bundle 0: writes v1 twice in one bundle"
    );
    let small = Machine::from_toml("[pe]\nvector_registers = 8").unwrap();
    let text = ".tile (1,1)\n    vmov v9, v2\n    halt\n";
    assert_eq!(
        assemble_for(text, &small).unwrap_err().to_string(),
        "2:1: tile (1,1) bundle 0: `vmov`: v9 but the machine has 8 (pe.vector_registers)"
    );
    let text = ".tile (9,1)\n    halt\n";
    assert!(assemble_for(text, &machine)
        .unwrap_err()
        .to_string()
        .contains("is not a compute tile of the 8x8 grid"));
    let text = ".tile (1,1)\n    vmov v1, v2\n";
    let ok = assemble_for(text, &machine).unwrap();
    assert_eq!(ok.tiles[&TileCoord::new(1, 1)].lines, vec![2]);
}

#[test]
fn sim_isa_doc_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/isa.md");
    let rendered = isa_doc::render();
    if std::env::var_os("PERSIM_BLESS").is_some() {
        std::fs::write(path, &rendered).unwrap();
    }
    let on_disk = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        on_disk == rendered,
        "docs/isa.md is out of date; run `PERSIM_BLESS=1 cargo test -p persim-backend --test spatial_isa`"
    );
    for info in table() {
        assert!(
            on_disk.contains(&format!("`{}", info.mnemonic)),
            "{} undocumented",
            info.mnemonic
        );
        assert!(on_disk.contains(&format!("`0x{:02x}`", info.opcode as u8)));
    }
}
