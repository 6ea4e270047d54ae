//! Checked mode on real kernels: a deliberately out-of-bounds store becomes an
//! error naming the kernel, the source location of the store, the argument
//! and the index — never a segfault or silent corruption.

use persim::{Engine, LaunchError};

/// Forgets the mask on its store, so the last block writes past `out`.
#[persim::kernel]
fn unmasked_copy(x: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let v = load(x + offs, offs < n, 0.0);
    store(out + offs, v);
}

/// The line of the `store` above, found in this file so the test cannot
/// drift from the source.
fn store_line() -> u32 {
    let src = include_str!("checked_mode.rs");
    let line = src
        .lines()
        .position(|l| l.trim_start().starts_with("store(out + offs, v);"))
        .expect("the store is in this file");
    line as u32 + 1
}

#[test]
fn out_of_bounds_store_is_caught_with_location_argument_and_index() {
    let n = 1000usize;
    let x = vec![1.0f32; n];
    let mut out = vec![0.0f32; n];
    let engine = Engine::jit().checked(true);
    let err = unmasked_copy::launch(
        &engine,
        n.div_ceil(256) as u32,
        unmasked_copy::Args {
            x: &x,
            out: &mut out,
            n: n as i32,
            BLOCK: 256,
        },
    )
    .expect_err("the last block stores past the end of `out`");
    match &err {
        LaunchError::OutOfBounds {
            kernel,
            location,
            arg,
            index,
            len,
            store,
        } => {
            assert_eq!(kernel, "unmasked_copy");
            assert_eq!(arg, "out");
            assert!(*store);
            assert_eq!(*len, n);
            assert!((n as i64..1024).contains(index), "index {index}");
            let want = format!("checked_mode.rs:{}:5", store_line());
            assert!(
                location.ends_with(&want),
                "{location} should end with {want}"
            );
        }
        other => panic!("expected OutOfBounds, got {other}"),
    }
    let text = err.to_string();
    assert!(text.contains("out-of-bounds store of `out`"), "{text}");
}

#[test]
fn the_same_launch_in_bounds_passes_checked_mode() {
    let n = 1024usize;
    let x: Vec<f32> = (0..n).map(|i| i as f32).collect();
    let mut out = vec![0.0f32; n];
    let engine = Engine::jit().checked(true);
    unmasked_copy::launch(
        &engine,
        4u32,
        unmasked_copy::Args {
            x: &x,
            out: &mut out,
            n: n as i32,
            BLOCK: 256,
        },
    )
    .expect("every access is in bounds");
    assert_eq!(out, x);
}

#[test]
fn launch_mistakes_name_the_argument() {
    let x = vec![1.0f32; 8];
    let mut out = vec![0.0f32; 8];
    let engine = Engine::jit();
    let mut args = [
        persim::Arg::from(x.as_slice()),
        persim::Arg::from(out.as_mut_slice()),
        persim::Arg::from(8u32),
    ];
    let err = engine
        .launch(
            &unmasked_copy::KERNEL,
            1u32.into(),
            &[("BLOCK", 8)],
            &mut args,
        )
        .expect_err("n is an i32 parameter");
    assert!(err.to_string().contains("`n`"), "{err}");
    let err = engine
        .launch(&unmasked_copy::KERNEL, 1u32.into(), &[], &mut args[..2])
        .expect_err("missing argument");
    assert!(
        matches!(
            err,
            LaunchError::Arity {
                expected: 3,
                got: 2,
                ..
            }
        ),
        "{err}"
    );
    let mut args = [
        persim::Arg::from(x.as_slice()),
        persim::Arg::from(out.as_mut_slice()),
        persim::Arg::from(8i32),
    ];
    let err = engine
        .launch(&unmasked_copy::KERNEL, 1u32.into(), &[], &mut args)
        .expect_err("BLOCK missing");
    assert!(err.to_string().contains("BLOCK"), "{err}");
}
