//! Links the `rstack` binary as a position-dependent executable: its code is compiled
//! position-independent as usual, but the linker then resolves the ~48,000 relocations
//! of the binary's tables at link time instead of the dynamic loader doing it at every
//! start (a measurable share of a ~2 ms `rstack chart template`; docs/performance.md).
fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
