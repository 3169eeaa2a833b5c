//! The `rstack` binary: parse arguments, run, exit. Everything else is in the library.
//!
//! The entry point is C's `main`, not Rust's. Rust's runtime start-up installs a
//! stack-overflow handler: it asks glibc for the main thread's stack bounds (glibc reads
//! and parses `/proc/self/maps` for that) and gives every thread a signal stack. Without
//! it an empty chart renders in 1.37 ms instead of 1.70 (docs/performance.md). What that
//! start-up did for us is done here: SIGPIPE ignored (a closed pipe is an error we
//! report, as before) and stdout flushed at exit (`std::process::exit` does). Deep
//! recursion in the engine moves to a fresh stack before it runs out (`rstack::stack`,
//! told here where the main thread's stack ends), so no overflow depends on the
//! runtime's report.
// The test harness brings its own `main` to the binary's (empty) unit tests.
#![cfg_attr(not(test), no_main)]

/// Our own allocator on Linux (`rstack::heap`): it packs a run's memory into as few huge
/// pages as it can, which is most of what memory costs a short run (docs/performance.md).
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
#[global_allocator]
static ALLOCATOR: rstack::heap::Heap = rstack::heap::Heap;

/// musl's `memcpy`, `memmove`, `memcmp` and `bcmp` replaced by ours (`rstack::mem`:
/// musl's are slow on the short copies and comparisons a render is made of). A static link takes a symbol from libc only when
/// nothing else defines it.
#[cfg(all(target_env = "musl", target_arch = "x86_64", not(test)))]
mod libc_copies {
    /// # Safety
    /// C's `memcpy` contract.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn memcpy(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        // SAFETY: C's contract is `copy`'s.
        unsafe { rstack::mem::copy(dest, src, n) };
        dest
    }

    /// # Safety
    /// C's `memcmp` contract.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        // SAFETY: C's contract is `compare`'s.
        unsafe { rstack::mem::compare(a, b, n) }
    }

    /// # Safety
    /// C's `bcmp` contract (equal or not; LLVM calls it for slice equality).
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        // SAFETY: C's contract is `compare`'s.
        unsafe { rstack::mem::compare(a, b, n) }
    }

    /// # Safety
    /// C's `memmove` contract.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn memmove(dest: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        // SAFETY: C's contract is `copy`'s.
        unsafe { rstack::mem::copy(dest, src, n) };
        dest
    }
}

/// Arguments are taken from `argv`: `std::env::args` is filled before `main` only by
/// glibc (which hands them to initialisers), not by musl, which the shipped binary uses.
#[cfg(not(test))]
#[unsafe(no_mangle)]
extern "C" fn main(argc: libc::c_int, argv: *const *const libc::c_char) -> libc::c_int {
    // SAFETY: changes a signal disposition before any thread exists.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    rstack::stack::know_main_thread();
    let cli = {
        let _stage = rstack::timing::stage("arguments");
        let args = (0..argc.max(0) as usize).map(|i| {
            use std::os::unix::ffi::OsStrExt;
            // SAFETY: the C runtime hands `main` `argc` valid NUL-terminated strings.
            let arg = unsafe { std::ffi::CStr::from_ptr(*argv.add(i)) };
            std::ffi::OsStr::from_bytes(arg.to_bytes()).to_os_string()
        });
        rstack::cli::Cli::from_argv(args.collect())
    };
    let code = {
        let _stage = rstack::timing::stage("run");
        rstack::cli::run(cli)
    };
    // `exit` flushes stdout, as returning from Rust's `main` would.
    std::process::exit(code.into())
}
