//! Freeing what a one-shot command is done with.
//!
//! A chart's parse trees, values and rendered text are millions of small allocations;
//! freeing them one by one just before the process exits cost ~10% of a `chart template`
//! run. The binary declares itself one-shot and [`discard`] then leaves them to the OS;
//! library users (tests, a long-lived process) keep ordinary drops.

use std::sync::atomic::{AtomicBool, Ordering};

static ONE_SHOT: AtomicBool = AtomicBool::new(false);

/// Declares that the process exits when the current command ends.
pub fn set_one_shot() {
    ONE_SHOT.store(true, Ordering::Relaxed);
}

/// Drops `value`, or, in a one-shot process, leaves its memory to the OS.
pub fn discard<T>(value: T) {
    if ONE_SHOT.load(Ordering::Relaxed) {
        std::mem::forget(value);
    } else {
        drop(value);
    }
}
