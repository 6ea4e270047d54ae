//! Compile-time behaviour of `#[persim::kernel]`: rejected kernels report
//! one precise error at the offending token (and nothing else), accepted
//! kernels expand to a usable module.
//!
//! Refresh the expected output with `TRYBUILD=overwrite cargo test -p persim --test ui`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
