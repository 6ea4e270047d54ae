#[persim::kernel]
fn k(out: *mut f32) {
    let pid = program_id(3);
}

fn main() {}
