#[persim::kernel]
fn collatz_steps(out: *mut i32, start: i32) {
    let mut x = start;
    let mut steps = 0;
    while x != 1 {
        if x % 2 == 0 {
            x = x / 2;
        } else {
            x = 3 * x + 1;
        }
        steps += 1;
    }
    store(out + program_id(0), steps);
}

fn main() {
    let f = collatz_steps::ir(&[]).unwrap();
    assert!(f.all_ops().iter().any(|&op| f.op(op).opcode == persim::ir::Opcode::While));
}
