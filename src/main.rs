//! The `rstack` binary: parse arguments, run, exit. Everything else is in the library.

use clap::Parser;

/// mimalloc instead of glibc's malloc: rendering allocates many small short-lived values;
/// mimalloc is faster at that and touches fewer fresh pages (docs/performance.md). Its v2
/// line (Cargo feature `v2`): v3 starts every process with three huge pages touched
/// instead of two, and the corpus renders ~6% faster on v2.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h's `mi_option_e` (the crate names only some options).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // A run is short: returning freed memory to the OS (madvise) only to fault it back in
    // moments later cost ~20% of a large chart's render. Never purge.
    // SAFETY: sets a global allocator option before any thread starts.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    let cli = {
        let _stage = rstack::timing::stage("arguments");
        rstack::cli::Cli::parse()
    };
    let _stage = rstack::timing::stage("run");
    rstack::cli::run(cli)
}
