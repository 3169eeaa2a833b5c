//! Mapping a slice on every core, for the few steps of a render big enough to pay for
//! threads (parsing a big chart's templates, executing them speculatively, decoding a
//! big output's document heads).
//! Callers decide when that is; this keeps the order of the results.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `items.iter().map(f)`, with the items shared out to one thread per core as each
/// thread becomes free. Results are in item order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_indexed(items, |_, item| f(item))
}

/// [`map`] with each item's index passed to `f`.
fn map_indexed<T: Sync, R: Send>(items: &[T], f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let threads = cores().min(items.len());
    if threads < 2 {
        return items
            .iter()
            .enumerate()
            .map(|(i, item)| f(i, item))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            let result = f(i, item);
            *slots[i].lock().expect("slot lock") = Some(result);
        }
    };
    // The calling thread works too: one thread fewer to start, and what it allocates
    // lands in the heap the rest of the run reuses.
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .expect("slot lock")
                .expect("every item was mapped")
        })
        .collect()
}

/// Like [`map`], for work that must stop at the first item whose result says so: `f`
/// returns `(result, last)`, and the results of the items up to and including the first
/// `last` one are returned in order. Items after it may not be mapped at all: once an
/// item says `last`, no thread starts a later one.
pub fn map_until<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> (R, bool) + Sync) -> Vec<R> {
    let limit = AtomicUsize::new(usize::MAX);
    let mapped = map_indexed(items, |i, item| {
        if i > limit.load(Ordering::Relaxed) {
            return None;
        }
        let (result, last) = f(item);
        if last {
            limit.fetch_min(i, Ordering::Relaxed);
        }
        Some((result, last))
    });
    let mut out = Vec::new();
    for (result, last) in mapped.into_iter().map_while(|r| r) {
        out.push(result);
        if last {
            break;
        }
    }
    out
}

/// Cores available to this process, asked once (the answer reads cgroup files).
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order() {
        let items: Vec<u32> = (0..1000).collect();
        assert_eq!(
            super::map(&items, |i| i * 2),
            (0..1000).map(|i| i * 2).collect::<Vec<_>>()
        );
        assert_eq!(super::map(&[(); 3], |_| 1), vec![1, 1, 1]);
        assert!(super::map(&Vec::<u8>::new(), |_| 0).is_empty());
    }

    #[test]
    fn map_until_stops_at_the_first_last_item() {
        let items: Vec<u32> = (0..1000).collect();
        let mapped = std::sync::atomic::AtomicUsize::new(0);
        let out = super::map_until(&items, |&i| {
            mapped.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            (i * 2, i == 10 || i == 500)
        });
        assert_eq!(out, (0..=10).map(|i| i * 2).collect::<Vec<_>>());
        // Items after the last one are not started once it is known (a few may be in
        // flight on other threads).
        assert!(mapped.into_inner() < 100);
        assert_eq!(super::map_until(&items, |&i| (i, false)), items);
        assert!(super::map_until(&[0u8; 0], |_| (0, true)).is_empty());
    }
}
