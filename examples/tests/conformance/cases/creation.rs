//! Creating tiles: `arange`, `zeros`, `zeros_like`, `full`.

use persim::{bf16, f16, Engine};

use crate::support::{assert_exact, f32s, SIZES};

/// `arange(LO, LO + LEN)` stored from `out[0]`.
#[persim::kernel]
fn arange_from(out: *mut i32, #[constexpr] LO: i32, #[constexpr] LEN: i32) {
    store(out + arange(0, LEN), arange(LO, LO + LEN));
}

pub fn arange(engine: &Engine) {
    for &len in SIZES {
        for lo in [0, -3, 5] {
            let mut out = vec![i32::MIN; len];
            let args = arange_from::Args {
                out: &mut out,
                LO: lo,
                LEN: len as i32,
            };
            arange_from::launch(engine, 1u32, args).unwrap();
            let want: Vec<i32> = (lo..lo + len as i32).collect();
            assert_exact(&format!("arange({lo}, {})", lo + len as i32), &out, &want);
        }
    }
}

/// Zeros of four types over outputs pre-filled with garbage.
#[persim::kernel]
fn zero_fill(
    x: *const f32,
    zf: *mut f32,
    zi: *mut i64,
    zh: *mut f16,
    zl: *mut f32,
    #[constexpr] N: i32,
) {
    let offs = arange(0, N);
    store(zf + offs, zeros([N]));
    store(zi + offs, zeros::<i64>([N]));
    store(zh + offs, zeros::<f16>([N]));
    store(zl + offs, zeros_like(load(x + offs)));
}

pub fn zeros_and_zeros_like(engine: &Engine) {
    for &n in SIZES {
        let x = f32s(n, 1);
        let (mut zf, mut zi, mut zh, mut zl) = (
            vec![7.0f32; n],
            vec![-7i64; n],
            vec![f16::ONE; n],
            vec![7.0f32; n],
        );
        let args = zero_fill::Args {
            x: &x,
            zf: &mut zf,
            zi: &mut zi,
            zh: &mut zh,
            zl: &mut zl,
            N: n as i32,
        };
        zero_fill::launch(engine, 1u32, args).unwrap();
        assert_exact("zeros f32", &zf, &vec![0.0; n]);
        assert_exact("zeros i64", &zi, &vec![0; n]);
        assert_exact("zeros f16", &zh, &vec![f16::ZERO; n]);
        assert_exact("zeros_like", &zl, &vec![0.0; n]);
    }
}

/// `full` with runtime scalars of several types and with a literal.
#[persim::kernel]
fn fill(
    of: *mut f32,
    ob: *mut bf16,
    ou: *mut u8,
    ok: *mut bool,
    ol: *mut i32,
    vf: f32,
    vb: bf16,
    vu: u8,
    vk: bool,
    #[constexpr] R: i32,
    #[constexpr] C: i32,
) {
    let offs = arange(0, R).expand_dims(1) * C + arange(0, C).expand_dims(0);
    store(of + offs, full([R, C], vf));
    store(ob + offs, full([R, C], vb));
    store(ou + offs, full([R, C], vu));
    store(ok + offs, full([R, C], vk));
    store(ol + offs, full([R, C], -12));
}

pub fn full(engine: &Engine) {
    for (r, c) in [(1, 1), (7, 13), (3, 1025)] {
        let n = r * c;
        let (mut of, mut ob, mut ou, mut ok, mut ol) = (
            vec![0.0f32; n],
            vec![bf16::ZERO; n],
            vec![0u8; n],
            vec![false; n],
            vec![0i32; n],
        );
        let vb = bf16::from_f32(-2.75);
        let args = fill::Args {
            of: &mut of,
            ob: &mut ob,
            ou: &mut ou,
            ok: &mut ok,
            ol: &mut ol,
            vf: 1.5e-3,
            vb,
            vu: 201,
            vk: true,
            R: r as i32,
            C: c as i32,
        };
        fill::launch(engine, 1u32, args).unwrap();
        assert_exact("full f32", &of, &vec![1.5e-3; n]);
        assert_exact("full bf16", &ob, &vec![vb; n]);
        assert_exact("full u8", &ou, &vec![201; n]);
        assert_exact("full bool", &ok, &vec![true; n]);
        assert_exact("full literal", &ol, &vec![-12; n]);
    }
}
