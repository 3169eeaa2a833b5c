//! Whole-process timings of `rstack lint` and `rstack graph` on a generated 2,000-release
//! stack, side by side with `helmfile list` on the same stack written as helmfile.yaml
//! (when helm-ref's helmfile is installed).
//!
//! Run: `cargo bench --bench stack_commands` (set `RSTACK_BENCH_RELEASES` to change the
//! size, `HELMFILE` to point at a helmfile binary). Results: docs/performance.md.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let n: usize = std::env::var("RSTACK_BENCH_RELEASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let dir = tempfile::TempDir::new().unwrap();
    write_stack(dir.path(), n);
    let rstack = env!("CARGO_BIN_EXE_rstack");
    println!(
        "{n} releases, 10 namespaces, up to 3 needs each; 10 runs per command, whole processes\n"
    );
    let lint = time(dir.path(), rstack, &["-f", "stack.yaml", "lint"]);
    let graph = time(dir.path(), rstack, &["-f", "stack.yaml", "graph"]);
    let dot = time(
        dir.path(),
        rstack,
        &["-f", "stack.yaml", "graph", "--format", "dot"],
    );
    report("rstack lint", lint);
    report("rstack graph", graph);
    report("rstack graph --format dot", dot);
    let helmfile = std::env::var("HELMFILE").unwrap_or_else(|_| {
        let home = std::env::var("HOME").unwrap_or_default();
        format!("{home}/.cache/rstack-test/bin/helmfile")
    });
    if Path::new(&helmfile).exists() {
        let helm = Path::new(&helmfile).with_file_name("helm3");
        let helm = helm.to_string_lossy();
        let hf = time_n(
            dir.path(),
            &helmfile,
            &["--helm-binary", &helm, "-f", "helmfile.yaml", "list"],
            3,
        );
        report("helmfile list (0.166+helm3)", hf);
        println!(
            "\nratio helmfile list / rstack lint: {:.0}x",
            hf.1.as_secs_f64() / lint.1.as_secs_f64()
        );
        println!(
            "ratio helmfile list / rstack graph: {:.0}x",
            hf.1.as_secs_f64() / graph.1.as_secs_f64()
        );
    } else {
        println!(
            "\n(helmfile not found at {helmfile}: run ../shared/tools/helm-ref for the side-by-side)"
        );
    }
}

/// The same stack twice: stack.yaml for rstack, helmfile.yaml for helmfile.
fn write_stack(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir.join("chart/templates")).unwrap();
    std::fs::write(
        dir.join("chart/Chart.yaml"),
        "apiVersion: v2\nname: chart\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(dir.join("chart/values.yaml"), "replicas: 1\n").unwrap();
    let mut stack =
        String::from("environments:\n  prod:\n    values:\n      - {region: eu}\nreleases:\n");
    let mut helmfile = String::from("environments:\n  default: {}\n---\nreleases:\n");
    for i in 0..n {
        let ns = format!("ns{}", i % 10);
        let needs: Vec<String> = [i / 2, i / 3, i.saturating_sub(7)]
            .into_iter()
            .filter(|&j| j < i)
            .map(|j| format!("ns{}/r{j}", j % 10))
            .collect();
        let block = format!(
            "  - name: r{i}\n    namespace: {ns}\n    chart: ./chart\n    labels: {{tier: t{}}}\n    needs: [{}]\n    values:\n      - {{replicas: {}}}\n",
            i % 4,
            needs.join(", "),
            i % 5 + 1
        );
        stack += &block;
        helmfile += &block;
    }
    std::fs::write(dir.join("stack.yaml"), stack).unwrap();
    std::fs::write(dir.join("helmfile.yaml"), helmfile).unwrap();
}

fn time(dir: &Path, bin: &str, args: &[&str]) -> (Duration, Duration) {
    time_n(dir, bin, args, 10)
}

/// (fastest, mean) of `runs` runs; every run must succeed.
fn time_n(dir: &Path, bin: &str, args: &[&str], runs: usize) -> (Duration, Duration) {
    let mut all = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let out = Command::new(bin)
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        all.push(start.elapsed());
        assert!(
            out.status.success(),
            "{bin} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let min = *all.iter().min().unwrap();
    let mean = all.iter().sum::<Duration>() / runs as u32;
    (min, mean)
}

fn report(name: &str, (min, mean): (Duration, Duration)) {
    println!(
        "{name:<28} fastest {:>8.1} ms   mean {:>8.1} ms",
        min.as_secs_f64() * 1e3,
        mean.as_secs_f64() * 1e3
    );
}
