//! The machine descriptor: the default file is the default model, partial
//! files inherit defaults, and bad files fail with the field or `line:col`.

use persim_backend::spatial::machine::DEFAULT_MACHINE_TOML;
use persim_backend::spatial::{LatencyClass, Machine, MachineError, SlotKind};

#[test]
fn sim_default_toml_is_default_model() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/machines/default.toml");
    let from_file = Machine::from_file(path).unwrap();
    assert_eq!(from_file, Machine::default_model());
    assert_eq!(Machine::from_toml(DEFAULT_MACHINE_TOML).unwrap(), from_file);
    let m = from_file;
    // The figures the brief asks for.
    assert_eq!((m.grid.cols, m.grid.rows), (8, 8));
    assert_eq!((m.pe.sram_bytes, m.pe.sram_banks), (256 * 1024, 8));
    assert_eq!((m.pe.vector_bits, m.lanes()), (512, 16));
    assert_eq!(m.slot_count(SlotKind::Load), 2);
    assert_eq!(m.matrix.macs_per_cycle, 256);
    assert_eq!(m.matrix_interval(), 1);
    assert_eq!(m.noc.link_bytes_per_cycle, 64);
    assert_eq!(m.clock_mhz, 1000);
    assert_eq!(m.peak_macs_per_cycle(), 64 * 256);
    assert_eq!(m.latency(LatencyClass::Load), 4);
}

#[test]
fn sim_partial_descriptor_inherits_defaults() {
    let m = Machine::from_toml(
        "name = \"tiny\"\n[grid]\ncols = 2\nrows = 1\n[matrix]\nmacs_per_cycle = 64\n",
    )
    .unwrap();
    assert_eq!(m.name, "tiny");
    assert_eq!((m.grid.cols, m.grid.rows, m.pe_count()), (2, 1, 2));
    assert_eq!(m.pe, Machine::default_model().pe);
    // 256 MACs per outer product at 64 per cycle: one every 4 cycles.
    assert_eq!(m.matrix_interval(), 4);
    assert_eq!(m.bank_of(0), 0);
    assert_eq!(m.bank_of(32 * 1024), 1);
    assert_eq!(m.bank_of(8 * 32 * 1024 - 4), 7);
}

#[test]
fn sim_bad_descriptors_name_the_field_or_position() {
    let cases: &[(&str, &str)] = &[
        ("[pe]\nvector_bits = 384\n", "bad machine descriptor: `pe.vector_bits` must be a power of two from 64 to 1024, got 384"),
        ("[pe]\nscalar_registers = 40\n", "bad machine descriptor: `pe.scalar_registers` must be from 2 to 32, got 40"),
        ("[pe]\nmask_registers = 9\n", "`pe.mask_registers` must be from 1 to 8, got 9"),
        ("[slots]\nmac = 0\n", "`slots.mac` must be from 1 to 8, got 0"),
        ("[latency]\nload = 0\n", "`latency.load` must be from 1 to 1000, got 0"),
        ("[matrix]\nmacs_per_cycle = 1000\n", "`matrix.macs_per_cycle` must be from 1 to 256, got 1000"),
        ("[grid]\ncols = 300\n", "`grid.cols` must be from 1 to 255, got 300"),
        ("[pe]\nbank_interleave_bytes = 48\n", "`pe.bank_interleave_bytes` must be a power of two, got 48"),
        ("[offchip]\nbytes = 8589934592\n", "`offchip.bytes` must be from 1 to 4294967296 (32-bit addresses), got 8589934592"),
        ("[noc]\nlink_bytes_per_cycle = 2\n", "`noc.link_bytes_per_cycle` must be from 4 to 4096, got 2"),
    ];
    for (text, expected) in cases {
        let e = Machine::from_toml(text).unwrap_err();
        assert!(matches!(e, MachineError::Invalid { .. }), "{e:?}");
        assert!(e.to_string().contains(expected), "`{e}` lacks `{expected}`");
    }
    // Parse errors: unknown field, wrong type, broken TOML — with line:col.
    let e = Machine::from_toml("[pe]\nsram_bytes = 1024\nsram_bank = 4\n").unwrap_err();
    assert!(matches!(e, MachineError::Parse { .. }));
    let msg = e.to_string();
    assert!(
        msg.contains("3:1: unknown field `sram_bank`, expected one of"),
        "{msg}"
    );
    let e = Machine::from_toml("[grid]\ncols = \"eight\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("bad machine descriptor: 2:8: invalid type: string \"eight\""),
        "{e}"
    );
    let e = Machine::from_toml("[grid\ncols = 8\n")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("bad machine descriptor: 1:"), "{e}");
    let e = Machine::from_file("/nonexistent/machine.toml").unwrap_err();
    assert!(matches!(e, MachineError::Io { .. }));
    assert!(e
        .to_string()
        .starts_with("cannot read machine descriptor /nonexistent/machine.toml"));
}
