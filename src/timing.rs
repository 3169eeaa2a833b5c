//! Stage timings for speed work: with `RSTACK_TIMINGS=1`, each timed stage prints
//! `timing <stage> <microseconds> <end>` on stderr when it ends, `<end>` in microseconds
//! since the first stage began: stages of different threads overlap, and the ends show
//! which one the others waited for (docs/performance.md).
//! It also prints `memory <stage> <KiB>`, the process's anonymous resident memory when
//! the stage ends (the kernel zeroes every fresh page, so memory touched is time spent).
//! Off by default; the check is one cached environment lookup.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("RSTACK_TIMINGS").is_some_and(|v| v == "1"))
}

/// When the first stage began.
fn origin() -> Instant {
    static ORIGIN: OnceLock<Instant> = OnceLock::new();
    *ORIGIN.get_or_init(Instant::now)
}

/// Times a stage from creation until dropped.
#[must_use = "the stage ends when this is dropped"]
pub struct Stage {
    name: &'static str,
    start: Option<Instant>,
}

/// Starts timing `name` (a no-op unless `RSTACK_TIMINGS=1`).
pub fn stage(name: &'static str) -> Stage {
    Stage {
        name,
        start: enabled().then(|| {
            origin();
            Instant::now()
        }),
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if let Some(start) = self.start {
            let end = Instant::now();
            eprintln!(
                "timing {} {} {}",
                self.name,
                (end - start).as_micros(),
                (end - origin()).as_micros()
            );
            if let Some(kib) = resident_kib() {
                eprintln!("memory {} {kib}", self.name);
            }
        }
    }
}

/// This process's anonymous resident memory in KiB (Linux: resident minus file-backed
/// pages of `/proc/self/statm`; x86-64's 4 KiB pages).
fn resident_kib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let mut pages = statm.split_whitespace().skip(1).map(str::parse::<u64>);
    let (resident, shared) = (pages.next()?.ok()?, pages.next()?.ok()?);
    Some(resident.saturating_sub(shared) * 4)
}
