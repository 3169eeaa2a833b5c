//! Parsing a chart's templates on a second core while the chart is still loading.
//!
//! A render is a chain of stages (load the files, coalesce values, validate the schema,
//! parse the templates, execute them) that each take a few milliseconds, and one process
//! renders one chart: on its own the chain keeps one core busy. Parsing a template needs
//! nothing but its text, so the loader offers each template file here as soon as it has
//! read it, and a worker thread parses it while the main thread goes on reading files,
//! coalescing values and validating. When the engine collects the templates it parses
//! what the worker has not reached, from the last file back ([`Preparser::claim`]), while
//! the worker goes on from the front; then it takes the worker's trees
//! ([`Preparser::take`]). (Claimed front to back, the engine kept asking for the file the
//! worker was on and waited for it: the corpus renders ~4 % faster this way.)
//!
//! Only what the engine would parse the same way is kept: the worker parses each file
//! under a placeholder name and the engine renames the trees ([`renamed`]). A file that
//! fails to parse is parsed again by the engine under its real name, so errors are
//! exactly the ones a plain parse reports, in the same order. Files of subcharts that
//! turn out to be disabled may be parsed for nothing; their trees are never used.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use rustc_hash::FxHashMap;

use super::ast::Tree;
use super::exec::has_function;
use super::parser;

/// Template bytes offered before the worker starts: below this a chart parses in well
/// under a millisecond and a thread would cost more than it saves.
const SPAWN_MIN_BYTES: usize = 16 << 10;

/// Template bytes offered that wake an idle worker. Waking it costs a system call here
/// and a cross-CPU interrupt, and most files parse faster than the next one is read:
/// woken per file, the worker slept and woke again for nearly every one. What is left
/// below this when the chart has loaded is handed over by [`Preparser::flush`].
const WAKE_MIN_BYTES: usize = 8 << 10;

/// Hands template files to a background parser and the parsed trees back.
#[derive(Default)]
pub struct Preparser {
    shared: Arc<Shared>,
    offered_bytes: usize,
    /// Bytes offered since the worker was last woken (or found awake).
    unannounced_bytes: usize,
    started: bool,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    /// Signalled when a file is queued for an idle worker, or the worker must stop.
    work_ready: Condvar,
    /// Signalled when the worker finishes a file the engine is waiting for.
    parsed: Condvar,
}

#[derive(Default)]
struct State {
    /// Files waiting for the worker, in the order they were read.
    queue: VecDeque<Arc<[u8]>>,
    /// The file (by address) the worker is parsing now.
    parsing: Option<usize>,
    /// Parsed files by address: the trees, or `None` when the file failed to parse. The
    /// file is kept so that its address cannot be reused by another one.
    done: FxHashMap<usize, Parsed>,
    /// Set when the engine has taken what it needs: the worker stops.
    stop: bool,
    /// Other work for the worker once nothing is left to parse ([`Preparser::run_after_parsing`]).
    jobs: Vec<Box<dyn FnOnce() + Send>>,
    /// The worker sleeps on `work_ready` (only then is it signalled: each signal is a
    /// system call, and files come in every few microseconds).
    worker_idle: bool,
    /// The engine sleeps on `parsed`.
    engine_waiting: bool,
}

/// A parsed file and its trees (`None`: it failed to parse).
type Parsed = (Arc<[u8]>, Option<Vec<Tree>>);

/// A file's identity: the address of its shared bytes.
fn key(data: &Arc<[u8]>) -> usize {
    Arc::as_ptr(data) as *const u8 as usize
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic in the worker only means trees are missing; the engine parses them.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The worker: parses queued files until told to stop.
    fn work(&self) {
        let mut running = crate::parallel::Running::start();
        let mut state = self.lock();
        loop {
            if state.stop && state.jobs.is_empty() {
                return;
            }
            let Some(data) = state.queue.pop_front() else {
                if !state.jobs.is_empty() {
                    let jobs = std::mem::take(&mut state.jobs);
                    drop(state);
                    jobs.into_iter().for_each(|job| job());
                    state = self.lock();
                    continue;
                }
                state.worker_idle = true;
                drop(running);
                state = self
                    .work_ready
                    .wait(state)
                    .unwrap_or_else(|e| e.into_inner());
                running = crate::parallel::Running::start();
                continue;
            };
            state.parsing = Some(key(&data));
            drop(state);
            let text = crate::chart::values::text_from_shared(&data);
            let trees = parser::parse("", text, &has_function).ok();
            state = self.lock();
            state.parsing = None;
            state.done.insert(key(&data), (data, trees));
            if std::mem::take(&mut state.engine_waiting) {
                self.parsed.notify_one();
            }
        }
    }

    /// Wakes the worker if it sleeps.
    fn wake_worker(&self, mut state: MutexGuard<'_, State>) {
        let wake = std::mem::take(&mut state.worker_idle);
        drop(state);
        if wake {
            self.work_ready.notify_one();
        }
    }
}

impl Preparser {
    pub fn new() -> Preparser {
        Preparser::default()
    }

    /// Queues a template file (without a byte order mark) for parsing, and starts the
    /// worker once enough template text has come in to pay for it.
    pub fn offer(&mut self, data: &Arc<[u8]>) {
        let mut state = self.shared.lock();
        state.queue.push_back(data.clone());
        self.unannounced_bytes += data.len();
        if self.unannounced_bytes >= WAKE_MIN_BYTES {
            self.unannounced_bytes = 0;
            self.shared.wake_worker(state);
        } else {
            drop(state);
        }
        self.offered_bytes += data.len();
        if !self.started && self.offered_bytes >= SPAWN_MIN_BYTES && crate::parallel::cores() > 1 {
            let shared = self.shared.clone();
            // Without a worker every file is simply parsed by the engine.
            self.started =
                crate::parallel::spawn_elsewhere("rstack-parse", move || shared.work()).is_ok();
        }
    }

    /// Wakes the worker for what is still queued: the chart has loaded, no more files
    /// come.
    pub fn flush(&self) {
        let state = self.shared.lock();
        if state.queue.is_empty() {
            return;
        }
        self.shared.wake_worker(state);
    }

    /// Whether a worker is parsing: without one, [`Preparser::take`] has nothing to give.
    pub fn is_working(&self) -> bool {
        self.started
    }

    /// Whether the worker still has files to parse (it is using the other core).
    pub fn is_busy(&self) -> bool {
        if !self.started {
            return false;
        }
        let state = self.shared.lock();
        !state.stop && (!state.queue.is_empty() || state.parsing.is_some())
    }

    /// Has the worker run `job` once it has parsed everything queued (or been stopped);
    /// `false`, and `job` dropped, when there is no worker. A worker that has already
    /// stopped never runs it: callers keep a way to do the work themselves
    /// ([`crate::parallel::Deferred`]).
    pub fn run_after_parsing(&self, job: Box<dyn FnOnce() + Send>) -> bool {
        if !self.started {
            return false;
        }
        let mut state = self.shared.lock();
        state.jobs.push(job);
        self.shared.wake_worker(state);
        true
    }

    /// Takes `data` off the worker's queue if it still waits there: `true` when the caller
    /// is to parse it (also when it was never offered or was taken already), `false` when
    /// the worker has parsed it or is parsing it ([`Preparser::take`] then gives it).
    pub fn claim(&self, data: &Arc<[u8]>) -> bool {
        let key = key(data);
        let mut state = self.shared.lock();
        if state.parsing == Some(key) || state.done.contains_key(&key) {
            return false;
        }
        // The engine claims from the back of the queue.
        if let Some(at) = state.queue.iter().rposition(|d| Arc::ptr_eq(d, data)) {
            state.queue.remove(at);
        }
        true
    }

    /// The trees of `data` parsed under the name `name`, waiting if the worker is on it;
    /// `None` when the caller must parse it (never offered, not reached yet, which also
    /// takes it off the worker's queue, or failed to parse).
    pub fn take(&self, data: &Arc<[u8]>, name: &str) -> Option<Vec<Tree>> {
        let key = key(data);
        let mut state = self.shared.lock();
        loop {
            if let Some((_, trees)) = state.done.remove(&key) {
                return trees.map(|t| renamed(t, name));
            }
            if state.parsing != Some(key) {
                break;
            }
            state.engine_waiting = true;
            state = self
                .shared
                .parsed
                .wait(state)
                .unwrap_or_else(|e| e.into_inner());
        }
        if let Some(at) = state.queue.iter().position(|d| Arc::ptr_eq(d, data)) {
            state.queue.remove(at);
        }
        None
    }

    /// Waits until the worker has parsed everything queued.
    #[cfg(test)]
    fn wait_idle(&self) {
        self.flush();
        let mut state = self.shared.lock();
        while !state.queue.is_empty() || state.parsing.is_some() {
            state.engine_waiting = true;
            state = self.shared.parsed.wait(state).unwrap();
        }
    }

    /// Stops the worker: the engine has taken what it needs. What is left would be parsed
    /// for nothing (templates of disabled subcharts) on a core the render can use.
    pub fn stop(&self) {
        let mut state = self.shared.lock();
        state.stop = true;
        state.queue.clear();
        // Trees of files the engine did not take (disabled subcharts).
        crate::teardown::discard(std::mem::take(&mut state.done));
        self.shared.wake_worker(state);
    }
}

impl Drop for Preparser {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Trees parsed under a placeholder name, named as if parsed as `name`: the file's own
/// tree (the first) takes the name, and every tree reports `name` in its locations.
fn renamed(mut trees: Vec<Tree>, name: &str) -> Vec<Tree> {
    let parse_name: Arc<str> = Arc::from(name);
    for tree in &mut trees {
        tree.parse_name = parse_name.clone();
    }
    if let Some(file) = trees.first_mut() {
        file.name = name.to_string();
    }
    trees
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> Arc<[u8]> {
        Arc::from(text.as_bytes())
    }

    fn big(define: &str) -> String {
        let mut text = format!("{{{{ define \"{define}\" }}}}x{{{{ end }}}}");
        text.push_str(&"{{ .Values.a }}\n".repeat(SPAWN_MIN_BYTES / 16 + 1));
        text
    }

    #[test]
    fn jobs_run_on_the_worker_after_what_is_queued_even_once_stopped() {
        let mut p = Preparser::new();
        let (tx, rx) = std::sync::mpsc::channel();
        assert!(!p.run_after_parsing(Box::new(|| {})), "no worker yet");
        let data = file(&big("d"));
        p.offer(&data);
        if !p.is_working() {
            return; // one core: nothing runs in the background
        }
        let (first, second) = (tx.clone(), tx);
        let before = std::thread::current().id();
        assert!(p.run_after_parsing(Box::new(move || {
            first.send(std::thread::current().id()).unwrap();
        })));
        p.flush();
        let ran_on = rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
        assert_ne!(ran_on, before, "the worker ran it");
        assert!(p.take(&data, "a").is_some(), "parsed before the job ran");
        // A job queued as the engine stops the worker still runs.
        assert!(p.run_after_parsing(Box::new(move || second.send(before).unwrap())));
        p.stop();
        rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
    }

    #[test]
    fn worker_trees_are_renamed_as_a_plain_parse_names_them() {
        let mut p = Preparser::new();
        let data = file(&big("d"));
        p.offer(&data);
        if !p.is_working() {
            return; // one core: nothing runs in the background
        }
        p.wait_idle();
        let trees = p
            .take(&data, "c/templates/a.yaml")
            .expect("parsed by the worker");
        let plain = parser::parse(
            "c/templates/a.yaml",
            crate::chart::values::text_from_shared(&data),
            &has_function,
        )
        .unwrap();
        let names = |t: &[Tree]| {
            t.iter()
                .map(|t| (t.name.clone(), t.parse_name.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&trees), names(&plain));
        assert_eq!(trees[0].name, "c/templates/a.yaml");
        assert_eq!(&*trees[1].parse_name, "c/templates/a.yaml");
        // Taken once: a second engine (an aliased copy of the chart) parses for itself.
        assert!(p.take(&data, "c/templates/a.yaml").is_none());
    }

    #[test]
    fn failed_and_unknown_files_are_left_to_the_caller() {
        let mut p = Preparser::new();
        let good = file(&big("d"));
        let bad = file("{{ if }}");
        p.offer(&good);
        p.offer(&bad);
        if !p.is_working() {
            return;
        }
        p.wait_idle();
        assert!(p.take(&good, "g").is_some());
        assert!(
            p.take(&bad, "b").is_none(),
            "a failed parse is redone for its error"
        );
        assert!(p.take(&file("never offered"), "n").is_none());
    }

    #[test]
    fn nothing_starts_below_the_threshold() {
        let mut p = Preparser::new();
        let small = file("{{ .Values.a }}");
        p.offer(&small);
        assert!(!p.is_working());
        assert!(p.take(&small, "s").is_none());
    }
}
