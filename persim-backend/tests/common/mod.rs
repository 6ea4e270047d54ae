//! Shared test support: a deterministic PRNG, typed byte buffers, a plain-Rust
//! model of element values, and a builder for hand-written lowered kernels.
#![allow(dead_code)]

pub mod model;

use persim_backend::{Arg, Engine};
use persim_lang::ir::{
    Attr, Attrs, Builder, Dtype, Elem, Function, Loc, Opcode, Param, Type, Value,
};

/// splitmix64: small, deterministic, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [lo, hi).
    pub fn f64_in(&mut self, lo: f64, hi: f64) -> f64 {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        lo + (hi - lo) * u
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// A buffer of `len` elements of `dtype`, 8-byte aligned.
#[derive(Clone, Debug)]
pub struct Buffer {
    pub dtype: Dtype,
    pub len: usize,
    words: Vec<u64>,
}

impl Buffer {
    pub fn zeroed(dtype: Dtype, len: usize) -> Buffer {
        let bytes = len * dtype.size_bytes() as usize;
        Buffer {
            dtype,
            len,
            words: vec![0; bytes.div_ceil(8).max(1)],
        }
    }
    pub fn bytes(&self) -> &[u8] {
        let n = self.len * self.dtype.size_bytes() as usize;
        // SAFETY: u64 storage viewed as bytes, within its length.
        unsafe { std::slice::from_raw_parts(self.words.as_ptr() as *const u8, n) }
    }
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        let n = self.len * self.dtype.size_bytes() as usize;
        // SAFETY: as above.
        unsafe { std::slice::from_raw_parts_mut(self.words.as_mut_ptr() as *mut u8, n) }
    }
    pub fn get(&self, i: usize) -> u64 {
        let s = self.dtype.size_bytes() as usize;
        let mut b = [0u8; 8];
        b[..s].copy_from_slice(&self.bytes()[i * s..(i + 1) * s]);
        u64::from_le_bytes(b)
    }
    pub fn set(&mut self, i: usize, bits: u64) {
        let s = self.dtype.size_bytes() as usize;
        self.bytes_mut()[i * s..(i + 1) * s].copy_from_slice(&bits.to_le_bytes()[..s]);
    }
    pub fn arg(&self) -> Arg<'_> {
        // SAFETY: `words` holds at least `len` elements of `dtype` and is
        // borrowed for the argument's lifetime.
        unsafe { Arg::from_raw_parts(self.words.as_ptr() as u64, self.len, self.dtype, false) }
    }
    pub fn arg_mut(&mut self) -> Arg<'_> {
        // SAFETY: as above, and the mutable borrow excludes other arguments.
        unsafe { Arg::from_raw_parts(self.words.as_mut_ptr() as u64, self.len, self.dtype, true) }
    }
}

pub fn scalar_arg(dtype: Dtype, bits: u64) -> Arg<'static> {
    Arg::scalar_bits(dtype, bits)
}

/// A lowered function with the given parameters, `lanes` and `local_mem`,
/// and `files = ["kernel.rs"]` so locations read `kernel.rs:line:col`.
pub fn lowered(name: &str, params: Vec<Param>, lanes: u32, local_mem: u64) -> Function {
    let mut f = Function::new(name, params);
    f.attrs.set("lanes", Attr::Int(lanes as i64));
    f.attrs.set("local_mem", Attr::Int(local_mem as i64));
    f.file_index("kernel.rs");
    f
}

pub fn ptr_param(name: &str, d: Dtype, mutable: bool) -> Param {
    Param {
        name: name.into(),
        ty: Type::ptr(d),
        mutable,
    }
}

pub fn scalar_param(name: &str, d: Dtype) -> Param {
    Param {
        name: name.into(),
        ty: Type::scalar(d),
        mutable: false,
    }
}

/// Builder conveniences for lowered IR.
pub trait LoweredBuilder {
    fn at(&mut self, line: u32, col: u32);
    fn pid(&mut self, axis: i64) -> Value;
    fn arange(&mut self, lo: i64, hi: i64) -> Value;
    fn op(&mut self, opcode: Opcode, operands: &[Value]) -> Value;
    fn ptr_add(&mut self, p: Value, off: Value) -> Value;
    fn load(
        &mut self,
        ptrs: Value,
        mask: Option<Value>,
        other: Option<Value>,
        arg: Option<i64>,
    ) -> Value;
    fn store(&mut self, ptrs: Value, value: Value, mask: Option<Value>, arg: Option<i64>);
    /// `offs = splat(pid * lanes) + arange(lanes)` (or the scalar `pid` for
    /// lanes = 0), and `mask = offs < n`.
    fn block_offsets(&mut self, lanes: u32, n: Value) -> (Value, Value);
    /// `splat(p) + offs` for vector offsets, `p + offs` for scalars.
    fn ptrs(&mut self, p: Value, offs: Value) -> Value;
}

impl LoweredBuilder for Builder<'_> {
    fn at(&mut self, line: u32, col: u32) {
        self.loc = Loc::new(0, line, col);
    }
    fn pid(&mut self, axis: i64) -> Value {
        self.value(
            Opcode::ProgramId,
            &[],
            Attrs::new().with("axis", Attr::Int(axis)),
        )
        .unwrap()
    }
    fn arange(&mut self, lo: i64, hi: i64) -> Value {
        let attrs = Attrs::new()
            .with("lo", Attr::Int(lo))
            .with("hi", Attr::Int(hi));
        self.value(Opcode::Arange, &[], attrs).unwrap()
    }
    fn op(&mut self, opcode: Opcode, operands: &[Value]) -> Value {
        self.value(opcode, operands, Attrs::new()).unwrap()
    }
    fn ptr_add(&mut self, p: Value, off: Value) -> Value {
        self.op(Opcode::PtrAdd, &[p, off])
    }
    fn load(
        &mut self,
        ptrs: Value,
        mask: Option<Value>,
        other: Option<Value>,
        arg: Option<i64>,
    ) -> Value {
        let mut ops = vec![ptrs];
        ops.extend(mask);
        ops.extend(other);
        let mut attrs = Attrs::new();
        if let Some(a) = arg {
            attrs.set("arg", Attr::Int(a));
        }
        self.value(Opcode::Load, &ops, attrs).unwrap()
    }
    fn store(&mut self, ptrs: Value, value: Value, mask: Option<Value>, arg: Option<i64>) {
        let mut ops = vec![ptrs, value];
        ops.extend(mask);
        let mut attrs = Attrs::new();
        if let Some(a) = arg {
            attrs.set("arg", Attr::Int(a));
        }
        self.build(Opcode::Store, &ops, attrs, &[]).unwrap();
    }
    fn block_offsets(&mut self, lanes: u32, n: Value) -> (Value, Value) {
        let pid = self.pid(0);
        if lanes == 0 {
            let mask = self.cmp(persim_lang::ir::CmpPred::Lt, pid, n).unwrap();
            return (pid, mask);
        }
        let l = self.const_i32(lanes as i32);
        let base = self.op(Opcode::Mul, &[pid, l]);
        let base = self.splat(base, &[lanes]).unwrap();
        let r = self.arange(0, lanes as i64);
        let offs = self.op(Opcode::Add, &[base, r]);
        let nv = self.splat(n, &[lanes]).unwrap();
        let mask = self.cmp(persim_lang::ir::CmpPred::Lt, offs, nv).unwrap();
        (offs, mask)
    }
    fn ptrs(&mut self, p: Value, offs: Value) -> Value {
        let shape = self.func.ty(offs).shape().unwrap_or(&[]).to_vec();
        let p = if shape.is_empty() {
            p
        } else {
            self.splat(p, &shape).unwrap()
        };
        self.ptr_add(p, offs)
    }
}

/// A vector type of `lanes` elements (a scalar when `lanes` is 0).
pub fn vty(elem: Elem, lanes: u32) -> Type {
    if lanes == 0 {
        Type::Tile {
            elem,
            shape: Default::default(),
        }
    } else {
        Type::tile(elem, &[lanes])
    }
}

/// Number of program instances covering `n` elements `lanes` at a time.
pub fn blocks(n: usize, lanes: u32) -> u32 {
    n.div_ceil(lanes.max(1) as usize).max(1) as u32
}

pub fn engine() -> Engine {
    Engine::jit()
}

/// Lowered vector add: `out[i] = x[i] + y[i]` for `i < n`, each program
/// instance covering `block` elements in a loop of `lanes`-wide steps
/// (`block` a multiple of `lanes`). Loads are at kernel.rs:10:9 and 11:9,
/// the store at kernel.rs:12:5. `masked = false` omits the masks (for
/// checked-mode tests).
pub fn vector_add(lanes: u32, block: u32, masked: bool, out_mutable: bool) -> Function {
    let params = vec![
        ptr_param("x", Dtype::F32, false),
        ptr_param("y", Dtype::F32, false),
        ptr_param("out", Dtype::F32, out_mutable),
        scalar_param("n", Dtype::I32),
    ];
    let mut f = lowered("add", params, lanes, 0);
    let mut b = Builder::new(&mut f);
    b.at(3, 15);
    let pid = b.pid(0);
    let blk = b.const_i32(block as i32);
    let base = b.op(Opcode::Mul, &[pid, blk]);
    let zero = b.const_i32(0);
    let step = b.const_i32(lanes as i32);
    b.for_loop(zero, blk, step, &[], |b, i, _| {
        b.at(5, 9);
        let start = b.op(Opcode::Add, &[base, i]);
        let start = b.splat(start, &[lanes])?;
        let r = b.arange(0, lanes as i64);
        let offs = b.op(Opcode::Add, &[start, r]);
        let n = b.func.param_value(3);
        let nv = b.splat(n, &[lanes])?;
        let mask = b.cmp(persim_lang::ir::CmpPred::Lt, offs, nv)?;
        let mask = masked.then_some(mask);
        let (x, y, out) = (
            b.func.param_value(0),
            b.func.param_value(1),
            b.func.param_value(2),
        );
        b.at(10, 9);
        let px = b.ptrs(x, offs);
        let vx = b.load(px, mask, None, Some(0));
        b.at(11, 9);
        let py = b.ptrs(y, offs);
        let vy = b.load(py, mask, None, Some(1));
        let s = b.op(Opcode::Add, &[vx, vy]);
        b.at(12, 5);
        let po = b.ptrs(out, offs);
        b.store(po, s, mask, Some(2));
        Ok(vec![])
    })
    .unwrap();
    b.build(Opcode::Return, &[], Attrs::new(), &[]).unwrap();
    f
}

/// Inputs and output of a vector-add run: (x, y, out).
pub type AddRun = (Vec<f32>, Vec<f32>, Vec<f32>);

/// Run `vector_add` over `n` random elements.
pub fn run_vector_add(
    engine: &Engine,
    f: &Function,
    n: usize,
    block: u32,
    seed: u64,
) -> Result<AddRun, persim_backend::LaunchError> {
    let kernel = engine.compile_ir(f)?;
    let mut rng = Rng::new(seed);
    let x: Vec<f32> = (0..n).map(|_| rng.f64_in(-100.0, 100.0) as f32).collect();
    let y: Vec<f32> = (0..n).map(|_| rng.f64_in(-100.0, 100.0) as f32).collect();
    let mut out = vec![f32::NAN; n];
    let grid = (n.div_ceil(block as usize)).max(1);
    engine.launch_compiled(
        &kernel,
        grid.into(),
        &mut [
            Arg::from(&x),
            Arg::from(&y),
            Arg::from(&mut out),
            Arg::from(n as i32),
        ],
    )?;
    Ok((x, y, out))
}
