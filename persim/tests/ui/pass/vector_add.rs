use persim::ir::Opcode;
use persim::prelude::*;

#[persim::kernel]
pub fn add(x: *const f32, y: *const f32, out: *mut f32, n: i32, #[constexpr] BLOCK: i32) {
    let pid = program_id(0);
    let offs = pid * BLOCK + arange(0, BLOCK);
    let mask = offs < n;
    store(out + offs, load(x + offs, mask) + load(y + offs, mask), mask);
}

fn main() {
    let f = add::ir(&[("BLOCK", 256)]).unwrap();
    assert_eq!(f.all_ops().iter().filter(|&&op| f.op(op).opcode == Opcode::Load).count(), 2);
    let (x, y) = (vec![1.0f32; 4], vec![2.0f32; 4]);
    let mut out = vec![0.0f32; 4];
    let args = add::Args { x: &x, y: &y, out: &mut out, n: 4, BLOCK: 256 };
    let _launch = |engine: &Engine| add::launch(engine, 1u32, args);
}
