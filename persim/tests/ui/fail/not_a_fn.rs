#[persim::kernel]
struct Kernel {
    x: i32,
}

fn main() {}
