//! Freeing what a one-shot command is done with.
//!
//! A chart's parse trees, values and rendered text are millions of small allocations;
//! freeing them one by one just before the process exits cost ~10% of a `chart template`
//! run. A command that renders once and exits (`rstack chart template`) declares itself
//! one-shot and [`discard`] then leaves them to the OS. Everything else keeps ordinary
//! drops: `rstack template` renders many releases and must reuse their memory, and
//! library users (tests, a long-lived process) need it back.

use std::sync::atomic::{AtomicBool, Ordering};

static ONE_SHOT: AtomicBool = AtomicBool::new(false);

/// Declares that the process exits right after its one render.
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
