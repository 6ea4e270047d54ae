#[persim::kernel]
fn literals(out32: *mut f32, out8: *mut u8, out64: *mut i64, outh: *mut f16, outb: *mut bf16, flags: *mut bool) {
    let offs = arange(0, 8);
    store(out32 + offs, 0.0);
    store(out32 + offs + 8, 1);
    store(out32 + offs + 16, 1e-5f32);
    store(out32 + offs + 24, f32::NEG_INFINITY);
    store(out32 + offs + 32, f32::INFINITY);
    store(out32 + offs + 40, f32::MAX);
    store(out32 + offs + 48, f32::MIN);
    store(out32 + offs + 56, -2.5e3);
    store(out8 + offs, 2u8);
    store(out8 + offs + 8, u8::MAX);
    store(out64 + offs, i64::MIN);
    store(out64 + offs + 8, 0x7fff_ffff_ffffi64);
    store(out64 + offs + 16, i32::MAX.to::<i64>());
    store(outh + offs, f16::MAX);
    store(outh + offs + 8, 0.5);
    store(outb + offs, bf16::EPSILON);
    store(flags + offs, true);
    store(flags + offs + 8, offs < 4 && !false);
    store(out8 + offs + 16, (offs as u8) << 2u8);
    store(out32 + offs + 64, cast::<f32>(offs) / 3.0);
}

fn main() {
    literals::ir(&[]).unwrap();
}
