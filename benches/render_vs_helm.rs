//! rstack vs the real helm/helmfile, side by side in one run, as ratios:
//!
//! * `engine`: every case of the engine corpus, one process per case, `rstack chart
//!   template` vs `helm template` (helm v4.1.4 from ../shared/tools/helm-ref);
//! * `conformance`: the 78 real-chart cases, one process per case, wall time and peak RSS
//!   of each process (RSS measured in one more run through a small reaper, see [`peak_rss`]);
//! * `stack`: `rstack template` on a generated 100-release stack vs `helmfile template`
//!   (0.166, with helm 3.15.3, which it requires) on the same stack as helmfile.yaml.
//!
//! Run: `cargo bench --bench render_vs_helm` (`RSTACK_BENCH=engine,conformance,stack` to
//! pick parts, `RSTACK_BENCH_RUNS=N` runs per case and tool, fastest counts; default 3;
//! `RSTACK_BENCH_BIN=target/dist/rstack` to time another rstack binary, such as the
//! static (and optionally profile-guided) build of `scripts/release-build`; the
//! in-process figures are always this bench's own build).
//! Results: docs/performance.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Wall time and peak RSS (KiB) of one child process.
struct Run {
    wall: Duration,
    max_rss_kib: i64,
    ok: bool,
    stdout: Vec<u8>,
}

// The child is reaped by `libc::wait4` (which also gives its own rusage), not by `wait()`.
#[allow(clippy::zombie_processes)]
fn run(cmd: &mut Command) -> Run {
    use std::os::unix::process::ExitStatusExt;
    let start = Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let pid = child.id() as libc::pid_t;
    // Read stdout on a thread while we wait4 for the rusage of exactly this child.
    let mut stdout_pipe = child.stdout.expect("piped");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout_pipe, &mut buf).ok();
        buf
    });
    let mut status: libc::c_int = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: wait4 on our own child pid with valid out-pointers.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    let stdout = reader.join().unwrap_or_default();
    let ok = rc == pid && std::process::ExitStatus::from_raw(status).success();
    Run {
        wall,
        max_rss_kib: usage.ru_maxrss,
        ok,
        stdout,
    }
}

/// Peak RSS (KiB) of `cmd`, measured through a small reaper process.
///
/// Why not `wait4` on a child of this benchmark: Linux carries a process's RSS high-water
/// mark across `exec`, so a child forked from this (large) process reports at least this
/// process's RSS. The reaper is this binary started afresh (`RSTACK_BENCH_REAP=1`), a few
/// MiB, which runs `cmd` and prints the child's `ru_maxrss`.
fn peak_rss(cmd: &Command) -> i64 {
    let mut reaper = Command::new(std::env::current_exe().expect("own path"));
    reaper
        .env("RSTACK_BENCH_REAP", "1")
        .arg(cmd.get_program())
        .args(cmd.get_args());
    if let Some(dir) = cmd.get_current_dir() {
        reaper.current_dir(dir);
    }
    for (key, value) in cmd.get_envs() {
        match value {
            Some(v) => reaper.env(key, v),
            None => reaper.env_remove(key),
        };
    }
    let out = reaper
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("reaper");
    String::from_utf8_lossy(&out.stderr)
        .trim()
        .parse()
        .expect("the reaper prints the peak RSS")
}

/// The reaper's side of [`peak_rss`]: runs argv[1..] and prints its `ru_maxrss`.
fn reap() -> ! {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut cmd = Command::new(&args[0]);
    cmd.args(&args[1..]).env_remove("RSTACK_BENCH_REAP");
    let r = run(&mut cmd);
    eprintln!("{}", r.max_rss_kib);
    std::process::exit(if r.ok { 0 } else { 1 });
}

fn shared(dir: &str, var: &str) -> PathBuf {
    std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("shared")
            .join(dir)
    })
}

fn helm_bin(name: &str) -> PathBuf {
    let home = std::env::var("HOME").unwrap_or_default();
    PathBuf::from(format!("{home}/.cache/rstack-test/bin/{name}"))
}

fn cases(corpus: &Path) -> Vec<(String, Vec<String>, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(corpus.join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for d in dirs {
        let args: Vec<String> = std::fs::read_to_string(d.join("args"))
            .unwrap()
            .split_whitespace()
            .map(String::from)
            .collect();
        let expected = std::fs::read(d.join("expected.yaml")).ok();
        out.push((
            d.file_name().unwrap().to_string_lossy().to_string(),
            args,
            expected,
        ));
    }
    out
}

/// The rstack binary the process-per-case parts time: `RSTACK_BENCH_BIN`, else the one
/// cargo built for this bench.
fn rstack_bin() -> PathBuf {
    match std::env::var_os("RSTACK_BENCH_BIN") {
        Some(path) => {
            let path = PathBuf::from(path);
            assert!(
                path.is_file(),
                "RSTACK_BENCH_BIN={} is not a file",
                path.display()
            );
            std::fs::canonicalize(&path).expect("RSTACK_BENCH_BIN resolves")
        }
        None => PathBuf::from(env!("CARGO_BIN_EXE_rstack")),
    }
}

/// Runs per case and tool (`RSTACK_BENCH_RUNS`, default 3).
fn runs_per_case() -> usize {
    std::env::var("RSTACK_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(3)
}

/// Runs every case with both tools; prints totals and, with `rss`, memory per case.
/// Returns helm's total time, for the in-process comparison made at the end.
fn corpus(name: &str, dir: &Path, rss: bool) -> Option<Duration> {
    if !dir.join("cases").is_dir() {
        println!("{name}: corpus not found at {} — skipped", dir.display());
        return None;
    }
    let helm = helm_bin("helm4");
    let scratch = tempfile::TempDir::new().unwrap();
    let rstack = rstack_bin();
    let (mut t_r, mut t_h) = (Duration::ZERO, Duration::ZERO);
    let (mut same, mut total, mut rss_lower) = (0, 0, 0);
    let mut rows = Vec::new();
    let runs = runs_per_case();
    for (case, args, expected) in cases(dir) {
        // Each tool runs the case `runs` times, alternating; the fastest run of each counts
        // (the machine is shared, so single runs carry scheduling noise).
        let (mut r, mut h): (Option<Run>, Option<Run>) = (None, None);
        let rstack_cmd = || {
            let mut c = Command::new(&rstack);
            c.current_dir(dir).arg("chart").arg("template").args(&args);
            c
        };
        let helm_cmd = || {
            let mut c = Command::new(&helm);
            c.current_dir(dir)
                .env("HELM_CONFIG_HOME", scratch.path())
                .env("HELM_CACHE_HOME", scratch.path())
                .env("HELM_DATA_HOME", scratch.path())
                .env("KUBECONFIG", scratch.path().join("none"))
                .env("TZ", "UTC")
                .arg("template")
                .args(&args);
            c
        };
        for _ in 0..runs {
            let rr = run(&mut rstack_cmd());
            let hh = run(&mut helm_cmd());
            if r.as_ref().is_none_or(|b| rr.wall < b.wall) {
                r = Some(rr);
            }
            if h.as_ref().is_none_or(|b| hh.wall < b.wall) {
                h = Some(hh);
            }
        }
        let (Some(mut r), Some(mut h)) = (r, h) else {
            continue;
        };
        if rss {
            r.max_rss_kib = peak_rss(&rstack_cmd());
            h.max_rss_kib = peak_rss(&helm_cmd());
        }
        total += 1;
        if expected
            .as_deref()
            .is_some_and(|e| e == r.stdout.as_slice())
            || (expected.is_none() && !r.ok && !h.ok)
        {
            same += 1;
        }
        t_r += r.wall;
        t_h += h.wall;
        if r.max_rss_kib < h.max_rss_kib {
            rss_lower += 1;
        }
        rows.push((case, r.wall, h.wall, r.max_rss_kib, h.max_rss_kib));
    }
    println!(
        "\n== {name}: {total} cases, one process per case, fastest of {runs} runs each ({same} byte-identical to helm's recorded output)"
    );
    println!(
        "rstack total {:>8.2} s   helm total {:>8.2} s   ratio {:.1}x",
        t_r.as_secs_f64(),
        t_h.as_secs_f64(),
        t_h.as_secs_f64() / t_r.as_secs_f64()
    );
    if rss {
        println!("peak RSS lower than helm's in {rss_lower} of {total} cases");
        println!(
            "{:<44} {:>9} {:>9} {:>10} {:>10}",
            "case", "rstack ms", "helm ms", "rstack KiB", "helm KiB"
        );
        for (case, r, h, rr, hr) in rows {
            println!(
                "{case:<44} {:>9.1} {:>9.1} {rr:>10} {hr:>10}",
                r.as_secs_f64() * 1e3,
                h.as_secs_f64() * 1e3
            );
        }
    }
    Some(t_h)
}

/// The same cases rendered in one process through the library: the engine's own speed,
/// without process start-up (which `rstack template` pays once for a whole stack). Run
/// last: a child forked from a big parent would report the parent's pages as its peak RSS.
fn in_process(name: &str, dir: &Path, t_h: Duration) {
    let requests: Vec<_> = cases(dir)
        .into_iter()
        .filter_map(|(_, args, _)| rstack::chart::render::TemplateArgs::parse(&args).ok())
        .map(|a| a.to_request(dir))
        .collect();
    let rounds = 5;
    let start = Instant::now();
    for _ in 0..rounds {
        for r in &requests {
            let _ = rstack::chart::render::render(r);
        }
    }
    let in_process = start.elapsed() / rounds;
    println!(
        "{name}: rstack in one process (library, all cases) {:>7.3} s   ratio vs helm {:.0}x",
        in_process.as_secs_f64(),
        t_h.as_secs_f64() / in_process.as_secs_f64()
    );
}

/// 100 releases of the example charts, as stack.yaml and as helmfile.yaml.
fn stack_vs_helmfile() {
    let helmfile = helm_bin("helmfile");
    let dir = tempfile::TempDir::new().unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/charts");
    let charts = ["web", "database", "cache"];
    let mut stack = String::from("releases:\n");
    let mut hf = String::from("releases:\n");
    for i in 0..100 {
        let chart = charts[i % 3];
        let block = format!(
            "  - name: r{i}\n    namespace: ns{}\n    chart: {}\n    values:\n      - values/r{i}.yaml\n",
            i % 10,
            examples.join(chart).display()
        );
        stack += &block;
        hf += &block;
        std::fs::create_dir_all(dir.path().join("values")).unwrap();
        std::fs::write(
            dir.path().join(format!("values/r{i}.yaml")),
            format!(
                "replicaCount: {}\npodAnnotations: {{team: t{i}}}\n",
                i % 4 + 1
            ),
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("stack.yaml"), stack).unwrap();
    std::fs::write(dir.path().join("helmfile.yaml"), hf).unwrap();
    let rstack = rstack_bin();
    let runs = 3;
    let mut best_r = Duration::MAX;
    let mut best_h = Duration::MAX;
    let rstack_cmd = || {
        let mut c = Command::new(&rstack);
        c.current_dir(dir.path()).arg("template");
        c
    };
    for _ in 0..runs {
        let r = run(&mut rstack_cmd());
        assert!(r.ok, "rstack template failed");
        best_r = best_r.min(r.wall);
    }
    let rss_r = peak_rss(&rstack_cmd());
    println!("\n== stack: 100 releases (examples/charts), whole command, best of {runs}");
    println!(
        "rstack template             {:>9.1} ms  (peak RSS {rss_r} KiB)",
        best_r.as_secs_f64() * 1e3
    );
    if !helmfile.exists() {
        println!("helmfile not installed (../shared/tools/helm-ref): no comparison");
        return;
    }
    for _ in 0..runs {
        let h = run(Command::new(&helmfile).current_dir(dir.path()).args([
            "--helm-binary",
            helm_bin("helm3").to_str().unwrap(),
            "template",
            "--skip-deps",
        ]));
        assert!(h.ok, "helmfile template failed");
        best_h = best_h.min(h.wall);
    }
    println!(
        "helmfile template (+helm3)  {:>9.1} ms",
        best_h.as_secs_f64() * 1e3
    );
    println!("ratio {:.0}x", best_h.as_secs_f64() / best_r.as_secs_f64());
}

fn main() {
    if std::env::var_os("RSTACK_BENCH_REAP").is_some() {
        reap();
    }
    let parts = std::env::var("RSTACK_BENCH").unwrap_or_else(|_| "engine,conformance,stack".into());
    println!("rstack binary: {}", rstack_bin().display());
    let mut helm_totals = Vec::new();
    if parts.contains("engine") {
        let dir = shared("conformance-engine", "RSTACK_ENGINE_CORPUS");
        if let Some(t) = corpus("engine corpus", &dir, false) {
            helm_totals.push(("engine corpus", dir, t));
        }
    }
    if parts.contains("conformance") {
        let dir = shared("conformance", "RSTACK_CONFORMANCE_DIR");
        if let Some(t) = corpus("conformance corpus", &dir, true) {
            helm_totals.push(("conformance corpus", dir, t));
        }
    }
    if parts.contains("stack") {
        stack_vs_helmfile();
    }
    println!();
    for (name, dir, t_h) in helm_totals {
        in_process(name, &dir, t_h);
    }
}
