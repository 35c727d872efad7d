//! Compile-time behaviour: misuse is a compile error at the user's token (correct use compiles
//! and runs in `tests/pass/`, each its own crate).
//!
//! The `.stderr` files are blessed on the project's toolchain (Rust 1.95, no `rust-src`), as
//! rustc's wording changes between versions; other compilers skip this test. Re-bless with
//! `TRYBUILD=overwrite cargo test --test ui` and review the diff.

#[rustversion::attr(not(stable(1.95)), ignore = "ui output is blessed on Rust 1.95")]
#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
}
