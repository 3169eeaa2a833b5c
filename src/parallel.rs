//! Mapping a slice on every core, for the few steps of a render big enough to pay for
//! threads (parsing a big chart's templates, executing them speculatively, decoding a
//! big output's document heads).
//! Callers decide when that is; this keeps the order of the results.
//!
//! Also [`Deferred`] work, which a helper thread does if it gets to it first, and where a
//! new thread starts running. Linux may queue a new thread on the CPU of the thread that
//! started it; while that one stays busy, the newcomer can wait a whole scheduler slice
//! (2–3 ms measured here, on a 2-core VM, against ~0.1 ms when placed) before an idle CPU
//! takes it, which is longer than most renders. So a named thread is placed on another
//! CPU when started ([`spawn_elsewhere`]), and after starting scoped helpers the caller
//! checks where they began ([`make_way`]).

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
            spawn_helper(scope, work);
        }
        make_way();
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

/// Work offered to a helper thread, which the offering thread takes back and does itself
/// if no helper has started it by the time it needs the result: whichever thread is free
/// first does it, and nobody waits for a helper still busy with something else.
pub struct Deferred<T> {
    slot: std::sync::Arc<DeferredSlot<T>>,
}

struct DeferredSlot<T> {
    state: Mutex<DeferredState<T>>,
    done: std::sync::Condvar,
}

type Work<T> = Box<dyn FnOnce() -> T + Send>;

enum DeferredState<T> {
    Waiting(Work<T>),
    Running,
    /// The result, or the panic the work ended in (raised again in the owner).
    Done(std::thread::Result<T>),
    Taken,
}

impl<T: Send + 'static> Deferred<T> {
    pub fn new(work: impl FnOnce() -> T + Send + 'static) -> Deferred<T> {
        Deferred {
            slot: std::sync::Arc::new(DeferredSlot {
                state: Mutex::new(DeferredState::Waiting(Box::new(work))),
                done: std::sync::Condvar::new(),
            }),
        }
    }

    /// What a helper runs: the work, unless the owner took it back first.
    pub fn runner(&self) -> Box<dyn FnOnce() + Send> {
        let slot = self.slot.clone();
        Box::new(move || {
            let mut state = slot.lock();
            let work = match std::mem::replace(&mut *state, DeferredState::Running) {
                DeferredState::Waiting(work) => work,
                other => {
                    *state = other;
                    return;
                }
            };
            drop(state);
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
            *slot.lock() = DeferredState::Done(result);
            slot.done.notify_all();
        })
    }

    /// The result: done here if no helper has started the work, else waited for.
    pub fn wait(self) -> T {
        let mut state = self.slot.lock();
        loop {
            match std::mem::replace(&mut *state, DeferredState::Taken) {
                DeferredState::Waiting(work) => {
                    drop(state);
                    return work();
                }
                DeferredState::Done(result) => {
                    return result.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                }
                DeferredState::Running => {
                    *state = DeferredState::Running;
                    state = self
                        .slot
                        .done
                        .wait(state)
                        .unwrap_or_else(|e| e.into_inner());
                }
                DeferredState::Taken => unreachable!("a deferred result is taken once"),
            }
        }
    }
}

impl<T> DeferredSlot<T> {
    fn lock(&self) -> std::sync::MutexGuard<'_, DeferredState<T>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Helper threads of this process running now (not waiting for work).
static RUNNING: AtomicUsize = AtomicUsize::new(0);
/// Helper threads started by [`spawn_helper`] that have not run yet ([`make_way`]).
static STARTING: AtomicUsize = AtomicUsize::new(0);
/// The CPU the last helper to start began on (`usize::MAX` when unknown).
static STARTED_ON: AtomicUsize = AtomicUsize::new(usize::MAX);
/// How long [`make_way`] waits for a helper it just started to begin: a thread Linux
/// placed on an idle CPU starts within tens of microseconds here.
const START_WAIT: std::time::Duration = std::time::Duration::from_micros(100);

/// Counts the calling helper thread as running ([`make_way`]) until dropped.
pub struct Running(());

impl Running {
    pub fn start() -> Running {
        RUNNING.fetch_add(1, Ordering::Relaxed);
        Running(())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Starts a scoped helper thread running `f`, counted as running ([`make_way`]) until `f`
/// returns.
///
/// While another helper runs, the other CPU is busy and Linux puts the new thread on the
/// calling thread's CPU, where it preempts the caller at once (EEVDF) and keeps it waiting
/// for a whole slice: a schema validation started beside the background parser held the
/// main thread off its CPU for 3.3 ms while the other CPU went idle (`perf sched`). So the
/// new thread first moves itself off the caller's CPU, to share the busy one with the
/// running helper; the caller keeps its own. (With no helper running, the caller checks
/// where the new thread began: [`make_way`].)
pub fn spawn_helper<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    f: impl FnOnce() -> T + Send + 'scope,
) -> std::thread::ScopedJoinHandle<'scope, T> {
    let away = if RUNNING.load(Ordering::Relaxed) > 0 {
        Affinity::of_process().and_then(|all| Some((all, all.without_current_cpu()?)))
    } else {
        None
    };
    STARTING.fetch_add(1, Ordering::AcqRel);
    scope.spawn(move || {
        let _running = Running::start();
        STARTED_ON.store(
            affinity::current_cpu().unwrap_or(usize::MAX),
            Ordering::Relaxed,
        );
        STARTING.fetch_sub(1, Ordering::AcqRel);
        if let Some((all, others)) = away {
            hop(others, all);
        }
        f()
    })
}

/// Starts a named thread running `f` on another CPU than the calling thread's (when the
/// process may use more than one); once running it may move anywhere again.
pub fn spawn_elsewhere<F: FnOnce() + Send + 'static>(
    name: &str,
    f: F,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    let allowed = Affinity::of_process();
    let handle = std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            if let Some(all) = allowed {
                all.apply_to_current();
            }
            f()
        })?;
    if let Some(others) = allowed.and_then(|a| a.without_current_cpu()) {
        use std::os::unix::thread::JoinHandleExt;
        // std's raw handle is an integer; libc's `pthread_t` is one on glibc, a pointer on musl.
        #[allow(clippy::unnecessary_cast)]
        others.apply_to(handle.as_pthread_t() as libc::pthread_t);
    }
    Ok(handle)
}

/// Called right after starting threads that cannot be placed by [`spawn_elsewhere`]
/// (scoped ones): makes sure the new thread does not wait behind the calling one.
///
/// Linux usually puts a new thread on an idle CPU itself (here it began there 16–65 µs
/// after being started), and then moving the caller over would be the worst choice: it
/// would wait behind the new thread for a scheduler slice (1.7–4.3 ms measured) while its
/// own CPU idled. So this waits up to [`START_WAIT`] for the new thread to begin and moves
/// the calling thread to another CPU (and back to any) only when the new thread began on
/// this CPU and no other helper of ours keeps the other one busy. A thread that has not
/// begun by then is left to the scheduler: the caller works on meanwhile (every caller
/// does its share of the work), so a late helper costs parallelism, never a stall.
pub fn make_way() {
    let waited_from = std::time::Instant::now();
    while RUNNING.load(Ordering::Acquire) == 0
        && STARTING.load(Ordering::Acquire) > 0
        && waited_from.elapsed() < START_WAIT
    {
        std::hint::spin_loop();
    }
    let began_on =
        (STARTING.load(Ordering::Acquire) == 0).then(|| STARTED_ON.load(Ordering::Relaxed));
    let here = affinity::current_cpu();
    if !should_hop(began_on, here, RUNNING.load(Ordering::Relaxed)) {
        return;
    }
    let Some(all) = Affinity::of_process() else {
        return;
    };
    if let Some(others) = all.without_current_cpu() {
        hop(others, all);
    }
}

/// [`make_way`]'s choice: move the caller only when the new helper began (`began_on`) on
/// the caller's CPU (`here`) and no other helper of ours runs (`running` counts the new
/// one).
fn should_hop(began_on: Option<usize>, here: Option<usize>, running: usize) -> bool {
    began_on.is_some() && began_on == here && running <= 1
}

/// Moves the calling thread onto one of `others`, then lets it run on any of `all` again
/// (where it is, it stays until the scheduler moves it).
fn hop(others: Affinity, all: Affinity) {
    others.apply_to_current();
    all.apply_to_current();
}

#[cfg(target_os = "linux")]
mod affinity {
    /// A set of CPUs a thread may run on.
    #[derive(Clone, Copy)]
    pub(super) struct Affinity(libc::cpu_set_t);

    /// The CPU the calling thread runs on.
    pub(super) fn current_cpu() -> Option<usize> {
        // SAFETY: a plain libc call.
        usize::try_from(unsafe { libc::sched_getcpu() }).ok()
    }

    /// How many CPUs the process may run on (1 if unknown).
    pub(super) fn process_cpus() -> usize {
        // SAFETY: `CPU_COUNT` reads an initialised set.
        Affinity::of_process().map_or(1, |all| unsafe { libc::CPU_COUNT(&all.0) } as usize)
    }

    impl Affinity {
        /// The CPUs the process may use, read once; `None` if only one (or unknown).
        pub(super) fn of_process() -> Option<Affinity> {
            static ALLOWED: std::sync::OnceLock<Option<Affinity>> = std::sync::OnceLock::new();
            *ALLOWED.get_or_init(|| {
                // SAFETY: a zeroed `cpu_set_t` is an empty set; the call fills it.
                let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
                let size = std::mem::size_of::<libc::cpu_set_t>();
                // SAFETY: `set` is a valid, writable `cpu_set_t` of `size` bytes.
                let ok = unsafe { libc::sched_getaffinity(0, size, &mut set) } == 0;
                // SAFETY: `set` is initialised.
                (ok && unsafe { libc::CPU_COUNT(&set) } > 1).then_some(Affinity(set))
            })
        }

        /// This set without the CPU the calling thread is on; `None` if that leaves nothing.
        pub(super) fn without_current_cpu(mut self) -> Option<Affinity> {
            let cpu = current_cpu().filter(|&cpu| cpu < libc::CPU_SETSIZE as usize)?;
            // SAFETY: plain libc calls on a valid set.
            unsafe {
                libc::CPU_CLR(cpu, &mut self.0);
                (libc::CPU_COUNT(&self.0) > 0).then_some(self)
            }
        }

        /// Restricts the calling thread to this set (best effort: placement only).
        pub(super) fn apply_to_current(&self) {
            // SAFETY: `self.0` is a valid set of the size given.
            unsafe { libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &self.0) };
        }

        /// Restricts thread `thread` to this set (best effort: placement only).
        pub(super) fn apply_to(&self, thread: libc::pthread_t) {
            // SAFETY: `thread` is a live thread (its handle is held); the set is valid.
            unsafe {
                libc::pthread_setaffinity_np(
                    thread,
                    std::mem::size_of::<libc::cpu_set_t>(),
                    &self.0,
                )
            };
        }
    }
}

/// Elsewhere the scheduler places new threads itself.
#[cfg(not(target_os = "linux"))]
mod affinity {
    #[derive(Clone, Copy)]
    pub(super) struct Affinity;

    /// Unknown here ([`super::make_way`] then leaves placement to the scheduler).
    pub(super) fn current_cpu() -> Option<usize> {
        None
    }

    /// How many CPUs the process may use, asked once.
    pub(super) fn process_cpus() -> usize {
        static CPUS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
        *CPUS.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from))
    }

    impl Affinity {
        pub(super) fn of_process() -> Option<Affinity> {
            None
        }
        pub(super) fn without_current_cpu(self) -> Option<Affinity> {
            None
        }
        pub(super) fn apply_to_current(&self) {}
        pub(super) fn apply_to(&self, _thread: libc::pthread_t) {}
    }
}

use affinity::Affinity;

/// Cores this thread may spread its work over: the CPUs the process may run on, or 1
/// inside [`without_helpers`].
///
/// A CPU quota (cgroup `cpu.max`, which `std::thread::available_parallelism` also reads)
/// is left out on purpose: it is enforced per period (100 ms by default), longer than a
/// whole render, so a render's two threads do run together under a one-CPU quota. And
/// reading it costs several file opens and a parse of `/proc/self/mountinfo` in every
/// process (~1 % of a small chart's run). `rstack template` on a stack, which runs
/// long enough for a quota to bite, sizes its pool with the quota (`cli::template_cmd`).
pub fn cores() -> usize {
    if !HELPERS.get() {
        return 1;
    }
    affinity::process_cpus()
}

thread_local! {
    static HELPERS: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Runs `f` without starting helper threads (background parsing, schema validation
/// beside the render, speculative execution): for work that is already one of several
/// threads sharing the cores, such as the releases of `rstack template`.
pub fn without_helpers<R>(f: impl FnOnce() -> R) -> R {
    let before = HELPERS.replace(false);
    let result = f();
    HELPERS.set(before);
    result
}

#[cfg(test)]
mod tests {
    use super::{Deferred, should_hop};

    #[test]
    fn the_caller_moves_only_off_a_cpu_it_shares_with_the_new_helper() {
        // Began elsewhere: already running in parallel.
        assert!(!should_hop(Some(1), Some(0), 1));
        // Began on the caller's CPU, nothing else running: move to the idle one.
        assert!(should_hop(Some(0), Some(0), 1));
        assert!(
            should_hop(Some(0), Some(0), 0),
            "the helper may have finished already"
        );
        // Another helper keeps the other CPU busy: moving there would wait behind it.
        assert!(!should_hop(Some(0), Some(0), 2));
        // Not begun yet, or the CPU unknown: leave placement to the scheduler.
        assert!(!should_hop(None, Some(0), 0));
        assert!(!should_hop(Some(0), None, 1));
        assert!(!should_hop(None, None, 0));
    }

    #[test]
    fn deferred_work_is_done_once_by_whoever_comes_first() {
        // Taken back before any helper started it: done by the owner, the runner is a no-op.
        let ran = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = ran.clone();
        let deferred = Deferred::new(move || {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            7
        });
        let runner = deferred.runner();
        assert_eq!(deferred.wait(), 7);
        runner();
        assert_eq!(ran.load(std::sync::atomic::Ordering::SeqCst), 1);

        // Done by a helper first: the owner gets its result.
        let deferred = Deferred::new(|| "helper".to_string());
        let runner = deferred.runner();
        std::thread::spawn(runner).join().unwrap();
        assert_eq!(deferred.wait(), "helper");
    }

    #[test]
    fn a_panic_in_deferred_work_reaches_the_owner() {
        let deferred: Deferred<()> = Deferred::new(|| panic!("boom"));
        std::thread::spawn(deferred.runner()).join().unwrap();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| deferred.wait()));
        assert!(caught.is_err());
    }

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
