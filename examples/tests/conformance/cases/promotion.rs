//! Type promotion (Triton's rules, see `persim::front::promote`): the
//! operands of a binary operator are converted to a common type. Each result
//! is stored through a pointer of the type the rules predict, so a wrong
//! result type fails the build, and a wrong conversion fails the check.

use persim::{bf16, f16, Engine};

use crate::support::{
    assert_exact, assert_same_floats, blocks, bools, f32s, uniform, BLOCK, SIZES,
};

#[persim::kernel]
fn mixed(
    i: *const i32,
    f: *const f32,
    u8s: *const u8,
    i8s: *const i8,
    u32s: *const u32,
    i64s: *const i64,
    h: *const f16,
    b: *const bf16,
    d: *const f64,
    k: *const bool,
    int_float: *mut f32,
    u8_i32: *mut i32,
    i8_u32: *mut u32,
    u32_i64: *mut i64,
    f16_f32: *mut f32,
    f16_bf16: *mut f32,
    f16_f64: *mut f64,
    f16_int: *mut f16,
    bool_int: *mut i32,
    n: i32,
    #[constexpr] BLOCK: i32,
) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    let iv = load(i + offs, m);
    let hv = load(h + offs, m);
    store(int_float + offs, iv + load(f + offs, m), m);
    store(u8_i32 + offs, load(u8s + offs, m) + iv, m);
    store(i8_u32 + offs, load(i8s + offs, m) + load(u32s + offs, m), m);
    store(
        u32_i64 + offs,
        load(u32s + offs, m) * load(i64s + offs, m),
        m,
    );
    store(f16_f32 + offs, hv * load(f + offs, m), m);
    store(f16_bf16 + offs, hv + load(b + offs, m), m);
    store(f16_f64 + offs, hv - load(d + offs, m), m);
    store(f16_int + offs, hv + (iv % 1000), m);
    store(bool_int + offs, load(k + offs, m) + iv, m);
}

pub fn mixed_dtypes(engine: &Engine) {
    for &n in SIZES {
        let i = uniform(n, -100_000, 100_000, 1);
        let f = f32s(n, 2);
        let u8s = uniform(n, 0, u8::MAX, 3);
        let i8s = uniform(n, i8::MIN, i8::MAX, 4);
        let u32s = uniform(n, 0, u32::MAX, 5);
        let i64s = uniform(n, -1 << 40, 1 << 40, 6);
        let h: Vec<f16> = f32s(n, 7).iter().map(|&v| f16::from_f32(v * 8.0)).collect();
        let b: Vec<bf16> = f32s(n, 8)
            .iter()
            .map(|&v| bf16::from_f32(v * 8.0))
            .collect();
        let d = uniform(n, -1e3, 1e3, 9);
        let k = bools(n, 10);
        let mut int_float = vec![0.0f32; n];
        let mut u8_i32 = vec![0i32; n];
        let mut i8_u32 = vec![0u32; n];
        let mut u32_i64 = vec![0i64; n];
        let mut f16_f32 = vec![0.0f32; n];
        let mut f16_bf16 = vec![0.0f32; n];
        let mut f16_f64 = vec![0.0f64; n];
        let mut f16_int = vec![f16::ZERO; n];
        let mut bool_int = vec![0i32; n];
        let args = mixed::Args {
            i: &i,
            f: &f,
            u8s: &u8s,
            i8s: &i8s,
            u32s: &u32s,
            i64s: &i64s,
            h: &h,
            b: &b,
            d: &d,
            k: &k,
            int_float: &mut int_float,
            u8_i32: &mut u8_i32,
            i8_u32: &mut i8_u32,
            u32_i64: &mut u32_i64,
            f16_f32: &mut f16_f32,
            f16_bf16: &mut f16_bf16,
            f16_f64: &mut f16_f64,
            f16_int: &mut f16_int,
            bool_int: &mut bool_int,
            n: n as i32,
            BLOCK,
        };
        mixed::launch(engine, blocks(n), args).unwrap();
        let map = |f: &dyn Fn(usize) -> f64| (0..n).map(f).collect::<Vec<f64>>();
        let want: Vec<f32> = (0..n).map(|j| i[j] as f32 + f[j]).collect();
        assert_same_floats("i32 + f32 -> f32", &int_float, &want);
        let want: Vec<i32> = (0..n).map(|j| u8s[j] as i32 + i[j]).collect();
        assert_exact("u8 + i32 -> i32", &u8_i32, &want);
        let want: Vec<u32> = (0..n)
            .map(|j| (i8s[j] as u32).wrapping_add(u32s[j]))
            .collect();
        assert_exact("i8 + u32 -> u32", &i8_u32, &want);
        let want: Vec<i64> = (0..n)
            .map(|j| (u32s[j] as i64).wrapping_mul(i64s[j]))
            .collect();
        assert_exact("u32 * i64 -> i64", &u32_i64, &want);
        let want: Vec<f32> = (0..n).map(|j| h[j].to_f32() * f[j]).collect();
        assert_same_floats("f16 * f32 -> f32", &f16_f32, &want);
        let want: Vec<f32> = (0..n).map(|j| h[j].to_f32() + b[j].to_f32()).collect();
        assert_same_floats("f16 + bf16 -> f32", &f16_bf16, &want);
        assert_same_floats(
            "f16 - f64 -> f64",
            &f16_f64,
            &map(&|j| h[j].to_f64() - d[j]),
        );
        let want: Vec<f16> = (0..n)
            .map(|j| f16::from_f32(h[j].to_f32() + (i[j] % 1000) as f32))
            .collect();
        assert_same_floats("f16 + i32 -> f16", &f16_int, &want);
        let want: Vec<i32> = (0..n).map(|j| k[j] as i32 + i[j]).collect();
        assert_exact("bool + i32 -> i32", &bool_int, &want);
    }
}

/// Unsuffixed literals are weak: they take the other operand's type (a
/// float literal next to an integer makes `f32`; next to a `bool` an
/// integer literal keeps `i32`).
#[persim::kernel]
fn weak(
    u: *const u8,
    h: *const f16,
    i: *const i32,
    s: *const i8,
    d: *const f64,
    l: *const i64,
    k: *const bool,
    u_plus: *mut u8,
    h_times: *mut f16,
    i_plus_half: *mut f32,
    s_times: *mut i8,
    d_plus: *mut f64,
    l_plus: *mut i64,
    k_plus: *mut i32,
    n: i32,
    #[constexpr] BLOCK: i32,
) {
    let offs = program_id(0) * BLOCK + arange(0, BLOCK);
    let m = offs < n;
    store(u_plus + offs, load(u + offs, m) + 1, m);
    store(h_times + offs, load(h + offs, m) * 2.5, m);
    store(i_plus_half + offs, load(i + offs, m) + 1.5, m);
    store(s_times + offs, load(s + offs, m) * 3, m);
    store(d_plus + offs, load(d + offs, m) + 0.1, m);
    store(l_plus + offs, load(l + offs, m) + 3000000000, m);
    store(k_plus + offs, load(k + offs, m) + 1, m);
}

pub fn weak_literals(engine: &Engine) {
    for &n in SIZES {
        let mut u = uniform(n, 0, u8::MAX, 11);
        u[0] = u8::MAX;
        let h: Vec<f16> = f32s(n, 12)
            .iter()
            .map(|&v| f16::from_f32(v * 4.0))
            .collect();
        let i = uniform(n, -1 << 20, 1 << 20, 13);
        let s = uniform(n, i8::MIN, i8::MAX, 14);
        let d = uniform(n, -1.0, 1.0, 15);
        let l = uniform(n, -1 << 40, 1 << 40, 16);
        let k = bools(n, 17);
        let mut u_plus = vec![0u8; n];
        let mut h_times = vec![f16::ZERO; n];
        let mut i_plus_half = vec![0.0f32; n];
        let mut s_times = vec![0i8; n];
        let mut d_plus = vec![0.0f64; n];
        let mut l_plus = vec![0i64; n];
        let mut k_plus = vec![0i32; n];
        let args = weak::Args {
            u: &u,
            h: &h,
            i: &i,
            s: &s,
            d: &d,
            l: &l,
            k: &k,
            u_plus: &mut u_plus,
            h_times: &mut h_times,
            i_plus_half: &mut i_plus_half,
            s_times: &mut s_times,
            d_plus: &mut d_plus,
            l_plus: &mut l_plus,
            k_plus: &mut k_plus,
            n: n as i32,
            BLOCK,
        };
        weak::launch(engine, blocks(n), args).unwrap();
        let col = |f: &dyn Fn(usize) -> u8| (0..n).map(f).collect::<Vec<_>>();
        assert_exact(
            "u8 + 1 wraps in u8",
            &u_plus,
            &col(&|j| u[j].wrapping_add(1)),
        );
        let want: Vec<f16> = h.iter().map(|v| f16::from_f32(v.to_f32() * 2.5)).collect();
        assert_same_floats("f16 * 2.5 stays f16", &h_times, &want);
        let want: Vec<f32> = i.iter().map(|&v| v as f32 + 1.5).collect();
        assert_same_floats("i32 + 1.5 -> f32", &i_plus_half, &want);
        let want: Vec<i8> = s.iter().map(|v| v.wrapping_mul(3)).collect();
        assert_exact("i8 * 3 wraps in i8", &s_times, &want);
        let want: Vec<f64> = d.iter().map(|v| v + 0.1).collect();
        assert_same_floats("f64 + 0.1 (an f64 literal)", &d_plus, &want);
        let want: Vec<i64> = l.iter().map(|v| v + 3_000_000_000).collect();
        assert_exact("i64 + 3e9", &l_plus, &want);
        let want: Vec<i32> = k.iter().map(|&v| v as i32 + 1).collect();
        assert_exact("bool + 1 -> i32", &k_plus, &want);
    }
}
