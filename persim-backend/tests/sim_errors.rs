//! Spatial compiler diagnostics: SRAM capacity errors name the buffer and
//! its source location, and a deadlocking program is reported with its
//! wait-for cycle. (Unsupported ops are compile errors naming the op: the
//! conformance suite's `sim_runs_device_functions_and_refuses_custom_ops`.)

mod sim_util;

use persim_backend::spatial::inst::Bundle;
use persim_backend::spatial::{
    Inst, Machine, Opcode, Operand, SimEngine, SimLaunchError, TileCoord,
};
use persim_backend::{Arg, Grid, LaunchError};
use sim_util::*;

const BIG: &str = r#"
fn big(x: *const f32, out: *mut f32, #[constexpr] BLOCK: i32) {
    let cols = arange(0, BLOCK);
    let v = load(x + cols);
    let w = exp(v - max(v, 0));
    store(out + cols, w / sum(w, 0));
}"#;

#[test]
fn sim_capacity_error_names_the_tile_and_its_location() {
    // 2 x 96K f32 = 768 KiB of live tiles on a PE with 256 KiB of SRAM.
    let f = build_ok(BIG, &[("BLOCK", 96 * 1024)]);
    let x = vec![0.0f32; 96 * 1024];
    let mut out = vec![0.0f32; 96 * 1024];
    let err = SimEngine::default()
        .launch_ir(
            &f,
            Grid::from(1u32),
            &mut [Arg::from(&x[..]), Arg::from(&mut out[..])],
        )
        .unwrap_err();
    let SimLaunchError::Launch(LaunchError::Compile { message, .. }) = &err else {
        panic!("expected a compile error, got {err}");
    };
    assert!(message.contains("tile<98304xf32>"), "{message}");
    assert!(
        message.contains("kernel.rs:"),
        "names the source location: {message}"
    );
    // A small one fits.
    let f = build_ok(BIG, &[("BLOCK", 1024)]);
    let x = vec![1.0f32; 1024];
    let mut out = vec![0.0f32; 1024];
    SimEngine::default()
        .launch_ir(
            &f,
            Grid::from(1u32),
            &mut [Arg::from(&x[..]), Arg::from(&mut out[..])],
        )
        .unwrap();
    assert!((out[0] - 1.0 / 1024.0).abs() < 1e-9);
}

const ADD: &str = r#"
fn add(x: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    store(out + offs, load(x + offs, offs < n) + 1.0, offs < n);
}"#;

/// Compiled code of two PEs, each first waiting for the other to release
/// its lock l5 (a synchronization the programs were wrongly given): the
/// simulator reports the wait-for cycle instead of hanging.
#[test]
fn sim_deadlock_of_compiled_programs_is_reported() {
    let tiles = vec![TileCoord::new(0, 1), TileCoord::new(1, 1)];
    let engine = SimEngine::new(Machine::default_model()).with_placement(tiles.clone());
    let f = engine.lower(&build_ok(ADD, &[("BLOCK", 16)])).unwrap();
    let x = [1.0f32; 32];
    let mut out = [0.0f32; 32];
    let mut args = [Arg::from(&x[..]), Arg::from(&mut out[..]), Arg::from(32i32)];
    let mut image = engine.build(&f, Grid::from(2u32), &args).unwrap();
    // The undisturbed image runs.
    engine.run_image(&image, &mut args).unwrap();
    for (i, &tile) in tiles.iter().enumerate() {
        let other = tiles[1 - i];
        let pe = image.compiled.program.tiles.get_mut(&tile).unwrap();
        for b in &mut pe.bundles {
            for inst in &mut b.insts {
                if inst.target().is_some() {
                    inst.imm += 2;
                }
            }
        }
        let acquire = Inst::new(Opcode::LockAcq, &[Operand::Lock(5), Operand::Count(1)]).unwrap();
        let release = Inst::new(
            Opcode::LockRelRemote,
            &[Operand::Tile(other), Operand::Lock(5), Operand::Count(1)],
        )
        .unwrap();
        pe.bundles.insert(0, Bundle::new(vec![release]));
        pe.bundles.insert(0, Bundle::new(vec![acquire]));
    }
    let err = engine.run_image(&image, &mut args).unwrap_err();
    let SimLaunchError::Sim { error, .. } = &err else {
        panic!("expected a simulation error, got {err}");
    };
    assert!(error.is_deadlock(), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("wait-for cycle"), "{msg}");
    assert!(msg.contains("(0,1) bundle 0 `lock.acq l5, 1`"), "{msg}");
    assert!(msg.contains("(1,1) bundle 0 `lock.acq l5, 1`"), "{msg}");
}
