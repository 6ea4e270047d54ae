#[persim::func]
fn offsets(pid: i32, #[constexpr] B: i32) -> Tile<i32, 1> {
    pid * B + arange(0, B)
}

#[persim::kernel]
fn k(out: *mut f32, b: i32) {
    let offs = offsets(program_id(0), b);
    store(out + offs, 1.0);
}

fn main() {}
