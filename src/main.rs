//! The `rstack` binary: parse arguments, run, exit. Everything else is in the library.

use clap::Parser;

/// Our own allocator on Linux (`rstack::heap`): it packs a run's memory into as few huge
/// pages as it can, which is most of what memory costs a short run (docs/performance.md).
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
#[global_allocator]
static ALLOCATOR: rstack::heap::Heap = rstack::heap::Heap;

fn main() -> std::process::ExitCode {
    let cli = {
        let _stage = rstack::timing::stage("arguments");
        rstack::cli::Cli::parse()
    };
    let _stage = rstack::timing::stage("run");
    rstack::cli::run(cli)
}
