//! Mapping a slice on every core, for the few steps of a render big enough to pay for
//! threads (parsing a big chart's templates, decoding a big output's document heads).
//! Callers decide when that is; this keeps the order of the results.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// `items.iter().map(f)`, with the items shared out to one thread per core as each
/// thread becomes free. Results are in item order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = cores().min(items.len());
    if threads < 2 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            let result = f(item);
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
}
