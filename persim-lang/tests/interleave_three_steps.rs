//! `interleave-three-final-steps` changes when products and copies run and
//! where the last `a` tile's rows sit (`buf_matmul`'s `arow0`), never what
//! is computed: the interpreter gives bit-identical results before and
//! after it, on random data, with the tile in pieces across three buffers.

use persim_lang::interp::{run_grid, InterpArg};
use persim_lang::ir::{parse_function, verify, Opcode};
use persim_lang::passes::pipeline::Pipeline;
use persim_lang::target::Target;

/// The input of the pass's filetest (a four-step loop of 32-row products
/// after `double-buffer`), its result tile `%23` zero-filled first, as a
/// kernel's accumulator is.
fn input() -> String {
    let text = include_str!("../filetests/interleave-three-final-steps/last_three_steps.pir");
    let body = &text[..text
        .find("; expect:")
        .expect("a filetest has an expectation")];
    let fill = "  %900 = const {value = 0.0, ty = f32} : f32
  %901 = splat %900 {shape = [4]} : tile<4xf32>
  %903 = const {value = 512, ty = i32} : i32
  for %8, %903, %7 {
  ^(%902: i32):
    buf_store %23, %902, %901
    yield
  }";
    let mut lines = Vec::new();
    for l in body.lines().filter(|l| !l.starts_with(';')) {
        lines.push(l);
        if l.trim_start().starts_with("%23 = alloc") {
            lines.push(fill);
        }
    }
    lines.join("\n")
}

fn dma_matmul() -> Target {
    Target {
        matmul_op: true,
        ..Target::cranelift()
            .with_bulk_copies(true)
            .with_early_write_out(true)
    }
}

/// Deterministic values in [-1, 1) with every mantissa bit in play.
fn values(n: usize, seed: u64) -> Vec<f32> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((s >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
        })
        .collect()
}

#[test]
fn three_interleaved_steps_compute_what_the_loop_did() {
    let f = parse_function(&input()).unwrap();
    let mut g = f.clone();
    Pipeline::new(dma_matmul())
        .with_passes(&[
            "early-write-out",
            "canonicalize",
            "dce",
            "interleave-three-final-steps",
        ])
        .unwrap()
        .run(&mut g)
        .unwrap();
    verify(&g).unwrap();
    let pieces = g
        .all_ops()
        .into_iter()
        .filter(|&op| g.op(op).opcode == Opcode::BufMatmul && g.op(op).attrs.get("arow0").is_some())
        .count();
    assert_eq!(pieces, 8, "the last product reads its `a` rows in place");
    // `a` rows have pitch 16 and the steps walk 16 elements along them;
    // `b` rows have pitch `n`; `c` starts at row `m`.
    for seed in 1..4 {
        let (m, n) = (3, 16);
        let args = vec![
            InterpArg::slice(&values(1024, seed)),
            InterpArg::slice(&values(2048, seed + 100)),
            InterpArg::slice(&vec![f32::NAN; 1024]),
            InterpArg::scalar(m),
            InterpArg::scalar(n),
        ];
        let (mut want, mut got) = (args.clone(), args);
        run_grid(&f, [1, 1, 1], &mut want).unwrap();
        run_grid(&g, [1, 1, 1], &mut got).unwrap();
        let (want, got) = (
            want[2].to_vec::<f32>().unwrap(),
            got[2].to_vec::<f32>().unwrap(),
        );
        let written = want.iter().filter(|x| !x.is_nan()).count();
        assert_eq!(written, 32 * 16, "the kernel writes one 32 x 16 tile");
        for (i, (w, x)) in want.iter().zip(&got).enumerate() {
            assert_eq!(w.to_bits(), x.to_bits(), "seed {seed}: element {i}");
        }
    }
}

#[test]
fn a_block_whose_a_rows_run_past_the_buffer_is_a_type_error() {
    let text = "kernel @k() {
  %0 = alloc {ty = buf<64xf32>, offset = 0} : buf<64xf32>
  %1 = alloc {ty = buf<64xf32>, offset = 256} : buf<64xf32>
  %2 = alloc {ty = buf<64xf32>, offset = 512} : buf<64xf32>
  buf_matmul %0, %1, %2, %2 {m = 4, n = 8, k = 8, lda = 8, ldb = 8, ldc = 8, row0 = 0, arow0 = 6}
  return
}";
    let err = parse_function(text)
        .map(|f| verify(&f).map(|_| ()))
        .map_err(|e| e.to_string())
        .and_then(|r| r.map_err(|e| e.to_string()))
        .unwrap_err();
    assert!(
        err.contains("operand `a` has 64 elements, needs 80"),
        "{err}"
    );
}
