//! Transparent huge pages, on only when a render is big.
//!
//! The allocator (mimalloc) asks for huge pages, and where the kernel gives them the
//! first touch of each 2 MiB region zeroes all of it. For a small chart that is a large
//! part of the run (the engine corpus, 168 one-rule charts: 441 ms with huge pages, 386 ms
//! without); for a big one huge pages mean far fewer page faults (the conformance corpus
//! was ~12% slower with them off throughout). So the binary
//! starts with THP off for the process ([`start_small`]) and turns it back on when it
//! meets a big chart ([`expect_large`]). The flag is per process and inherited by
//! children; rstack starts none while rendering.

use std::sync::atomic::{AtomicBool, Ordering};

/// Template bytes (a chart and its subcharts) from which huge pages pay off, measured
/// on the conformance corpus.
pub const LARGE_TEMPLATES: usize = 256 << 10;

static STARTED_SMALL: AtomicBool = AtomicBool::new(false);

/// Turns transparent huge pages off for this process (Linux; elsewhere a no-op).
pub fn start_small() {
    if set_thp_disabled(true) {
        STARTED_SMALL.store(true, Ordering::Relaxed);
    }
}

/// Turns huge pages back on if [`start_small`] turned them off and the work ahead is
/// large (`template_bytes` at least [`LARGE_TEMPLATES`]).
pub fn expect_large(template_bytes: usize) {
    if template_bytes >= LARGE_TEMPLATES && STARTED_SMALL.swap(false, Ordering::Relaxed) {
        set_thp_disabled(false);
    }
}

#[cfg(target_os = "linux")]
fn set_thp_disabled(disabled: bool) -> bool {
    // SAFETY: PR_SET_THP_DISABLE takes an integer flag and no pointers.
    unsafe {
        libc::prctl(
            libc::PR_SET_THP_DISABLE,
            libc::c_ulong::from(disabled),
            0,
            0,
            0,
        ) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn set_thp_disabled(_disabled: bool) -> bool {
    false
}
