//! `pack-buffers` on whole kernels: capacity errors, the local-memory
//! report, idempotence, and the peaks before and after reuse.

mod buf_kernels;
mod lower_util;

use buf_kernels::*;
use lower_util::*;
use persim_lang::ir::{Function, Opcode};
use persim_lang::passes::pack_buffers::{local_memory_report, pack_buffers};
use persim_lang::passes::Pipeline;
use persim_lang::target::Target;

/// The spatial accelerator's default PE: 16 lanes, 256 KiB of SRAM.
fn spatial() -> Target {
    Target {
        name: "spatial",
        ..target(16).with_local_mem(256 * 1024)
    }
}

fn lower_and_pack(f: &Function, t: &Target) -> Result<Function, String> {
    let mut g = f.clone();
    Pipeline::new(t.clone())
        .with_passes(&["lower-tiles", "pack-buffers"])
        .unwrap()
        .verify_each(true)
        .run(&mut g)
        .map_err(|e| e.to_string())?;
    Ok(g)
}

#[test]
fn exceeding_the_capacity_names_the_tile_its_source_and_what_is_live() {
    // 128x128 accumulator, 128x64 and 64x128 pointer and data tiles.
    let f = matmul(128, 128, 64);
    let e = lower_and_pack(&f, &spatial()).unwrap_err();
    println!("{e}");
    assert!(e.starts_with("pass `pack-buffers`: matmul.rs:"), "{e}");
    assert!(e.contains("local memory exceeded: tile<"), "{e}");
    assert!(e.contains("> capacity 256 KiB (target spatial)"), "{e}");
    assert!(e.contains("; live here: tile<"), "{e}");
    // The location is that of an op of the kernel producing a tile.
    let loc = e
        .split(": ")
        .nth(1)
        .and_then(|l| l.strip_prefix("matmul.rs:"))
        .unwrap();
    let line: u32 = loc.split(':').next().unwrap().parse().unwrap();
    let op = f
        .all_ops()
        .into_iter()
        .find(|&op| f.ops[op].loc.line == line)
        .unwrap();
    assert!(f.ops[op].results.iter().any(|&r| f.ty(r).rank() > 0), "{e}");
    // The same kernel with smaller blocks fits.
    let g = lower_and_pack(&matmul(32, 32, 32), &spatial()).unwrap();
    assert!(g.attrs.int("local_mem").unwrap() <= 256 * 1024);
}

#[test]
fn a_single_tile_larger_than_the_capacity_is_named() {
    // softmax.rs's load of a 65536-element row: 256 KiB on its own.
    let f = softmax(65536);
    let e = lower_and_pack(&f, &spatial()).unwrap_err();
    assert!(
        e.contains("local memory exceeded: tile<65536xptr<f32>> (512 KiB) does not fit"),
        "{e}"
    );
    let small = Target {
        name: "tiny",
        ..target(4).with_local_mem(64)
    };
    let e = lower_and_pack(&vector_add(32), &small).unwrap_err();
    assert!(e.contains("capacity 64 B (target tiny)"), "{e}");
}

#[test]
fn a_failed_pack_leaves_the_function_alone() {
    let mut f = lower_variant(&softmax(4096), 4, 1);
    let before = f.clone();
    let t = Target {
        name: "tiny",
        ..target(4).with_local_mem(1024)
    };
    assert!(pack_buffers(&mut f, &t).is_err());
    assert_eq!(f, before);
}

#[test]
fn packing_needs_lowered_ir() {
    let mut f = softmax(16);
    let e = pack_buffers(&mut f, &target(4)).unwrap_err();
    assert!(e.to_string().contains("needs lowered IR"), "{e}");
}

#[test]
fn packing_is_idempotent_and_ignores_the_offsets_it_is_given() {
    for f in [softmax(1000), matmul(16, 16, 8), if_in_loop(37)] {
        let mut once = lower_variant(&f, 4, 1);
        pack_buffers(&mut once, &target(4)).unwrap();
        let mut twice = once.clone();
        pack_buffers(&mut twice, &target(4)).unwrap();
        assert_eq!(once, twice, "`{}`", f.name);
        // Scrambled offsets pack to the same result.
        let mut scrambled = lower_variant(&f, 4, 1);
        let mut k = 0;
        for op in scrambled.all_ops() {
            if scrambled.ops[op].opcode == Opcode::Alloc {
                k += 1;
                let off = persim_lang::ir::Attr::Int(64 * 1000 * k);
                scrambled.ops[op].attrs.set("offset", off);
            }
        }
        pack_buffers(&mut scrambled, &target(4)).unwrap();
        assert_eq!(once, scrambled, "`{}`", f.name);
    }
}

#[test]
fn the_report_lists_every_buffer_and_the_peaks() {
    let f = softmax(1000);
    let unpacked = lower_variant(&f, 4, 1);
    let packed = lower_variant(&f, 4, 2);
    let before = local_memory_report(&unpacked);
    let after = local_memory_report(&packed);
    let text = after.to_string();
    println!("{before}\n{text}");
    assert_eq!(after.buffers.len(), before.buffers.len());
    assert_eq!(after.unshared_bytes, before.unshared_bytes);
    assert_eq!(before.peak_bytes, before.unshared_bytes);
    assert_eq!(
        after.peak_bytes as i64,
        packed.attrs.int("local_mem").unwrap()
    );
    assert!(after.max_live_bytes <= after.peak_bytes);
    assert!(after.peak_bytes < before.peak_bytes);
    assert!(
        text.starts_with("local memory of @softmax: peak "),
        "{text}"
    );
    for b in &after.buffers {
        assert!(
            text.contains(&b.location) && text.contains(&b.name),
            "{text}"
        );
        assert!(b.location.starts_with("softmax.rs:"), "{b:?}");
        assert!(b.tile.is_some(), "{b:?}");
        assert!(b.offset % 64 == 0 && b.live.0 <= b.live.1, "{b:?}");
    }
    let none = local_memory_report(&lower_variant(&vector_add(16), 16, 2));
    assert_eq!((none.peak_bytes, none.buffers.len()), (0, 0));
    assert!(none.to_string().contains("no buffers"));
}

/// The peak local memory of the example kernels before and after reuse, at
/// the block sizes `persim-kernels`' examples use, for the Cranelift target
/// (4 lanes) and the spatial one (16 lanes). `cargo test --test buf_pack --
/// --nocapture peaks` prints the table.
#[test]
fn peaks_of_the_example_kernels() {
    let kernels = [
        ("vector_add BLOCK=1024", vector_add(1024)),
        ("softmax BLOCK=1024", softmax(1024)),
        ("matmul 64x64x32", matmul(64, 64, 32)),
        ("if_in_loop BLOCK=256", if_in_loop(256)),
        ("doubling_while BLOCK=256", doubling_while(256)),
    ];
    println!(
        "{:<26} {:>5} {:>10} {:>10} {:>10} {:>10}",
        "kernel", "lanes", "no reuse", "in place", "packed", "live max"
    );
    for (name, f) in &kernels {
        for lanes in [4, 16] {
            let v: Vec<Function> = (0..3).map(|i| lower_variant(f, lanes, i)).collect();
            let bytes: Vec<i64> = v
                .iter()
                .map(|g| g.attrs.int("local_mem").unwrap())
                .collect();
            let live = local_memory_report(&v[2]).max_live_bytes;
            println!(
                "{name:<26} {lanes:>5} {:>10} {:>10} {:>10} {live:>10}",
                bytes[0], bytes[1], bytes[2]
            );
            assert!(bytes[2] < bytes[0], "{name}: {bytes:?}");
            assert!(bytes[2] >= live as i64);
        }
    }
}
