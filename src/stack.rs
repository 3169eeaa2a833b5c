//! Deep recursion without stack overflow: [`maybe_grow`] runs a closure on a fresh stack
//! segment (`stacker`) when the current one is nearly used up.
//!
//! Why not `stacker::maybe_grow` everywhere: to know how much stack a thread has left,
//! stacker asks glibc for the thread's stack bounds once per thread, and for the main
//! thread glibc finds them by reading and parsing `/proc/self/maps` — about 1 % of a
//! small chart's render. The binary knows the main thread's bounds without that: its stack
//! may grow to `RLIMIT_STACK` below where `main` started ([`know_main_thread`]). Other
//! threads (and code not started by the binary, such as tests) use stacker's own guess,
//! which for them is cheap.

use std::cell::Cell;

thread_local! {
    /// The lowest address this thread's stack may reach, when known (0: ask stacker).
    static LIMIT: Cell<usize> = const { Cell::new(0) };
}

/// Room kept between the computed limit and the real one: `main` starts below the
/// process's arguments, environment and the C runtime's first frames.
const SLACK: usize = 256 << 10;

/// The current stack position (an address in the calling frame).
#[inline(always)]
fn stack_position() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// Records the main thread's stack limit. Call it first thing in `main`, on the main
/// thread; without a finite `RLIMIT_STACK` nothing is recorded.
#[cfg(unix)]
pub fn know_main_thread() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `getrlimit` writes the struct it is given.
    if unsafe { libc::getrlimit(libc::RLIMIT_STACK, &mut limit) } != 0
        || limit.rlim_cur == libc::RLIM_INFINITY
    {
        return;
    }
    let size = limit.rlim_cur as usize;
    if size <= 2 * SLACK {
        return;
    }
    let lowest = stack_position().saturating_sub(size - SLACK);
    LIMIT.with(|l| l.set(lowest));
}

#[cfg(not(unix))]
pub fn know_main_thread() {}

/// Runs `f`, on a new stack segment of `stack_size` bytes when less than `red_zone`
/// bytes of the current stack are left.
#[inline]
pub fn maybe_grow<R>(red_zone: usize, stack_size: usize, f: impl FnOnce() -> R) -> R {
    let limit = LIMIT.with(Cell::get);
    if limit == 0 {
        return stacker::maybe_grow(red_zone, stack_size, f);
    }
    if stack_position().saturating_sub(limit) >= red_zone {
        return f();
    }
    // On the new segment stacker knows the bounds; ours are back once it returns.
    let _restore = Restore(limit);
    LIMIT.with(|l| l.set(0));
    stacker::grow(stack_size, f)
}

/// Puts the thread's known limit back, also when the closure panics.
struct Restore(usize);

impl Drop for Restore {
    fn drop(&mut self) {
        LIMIT.with(|l| l.set(self.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        // A frame of some size, so that the recursion really uses stack.
        let pad = std::hint::black_box([0u8; 512]);
        maybe_grow(32 << 10, 1 << 20, || depth(n - 1) + 1 + pad[0] as usize)
    }

    #[test]
    fn deep_recursion_grows_with_a_known_limit_and_without() {
        // A thread with a small stack: 20 000 frames of ~0.5 KiB need new segments.
        let known = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(|| {
                know_main_thread_like(1 << 20);
                let d = depth(20_000);
                (d, LIMIT.with(Cell::get) != 0)
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(known, (20_000, true), "the limit is restored after growing");
        let guessed = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(|| depth(20_000))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(guessed, 20_000);
    }

    /// [`know_main_thread`] for a test thread of `size` bytes of stack.
    fn know_main_thread_like(size: usize) {
        let lowest = stack_position() - (size - SLACK);
        LIMIT.with(|l| l.set(lowest));
    }
}
