//! `rstack chart template` as a command line, against helm 4.1.4's recorded behaviour:
//! `--output-dir` (files and stdout from `tests/fixtures/output-dir/record.sh`),
//! `--debug`, repeated flags and the helm flags a local render ignores or refuses.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/output-dir")
}

fn rstack(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rstack"))
        .current_dir(dir)
        .args(["chart", "template"])
        .args(args)
        .output()
        .expect("rstack runs")
}

/// Every file under `root`, as (path relative to `root`, contents), sorted.
fn tree(root: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                let rel = path.strip_prefix(root).unwrap().display().to_string();
                files.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn output_dir_writes_what_helm_writes() {
    let chart = fixture().join("chart");
    for (case, flags) in [
        ("plain", &[][..]),
        (
            "release-name-crds",
            &["--release-name", "--include-crds"][..],
        ),
        ("no-hooks", &["--no-hooks", "--skip-tests"][..]),
    ] {
        let expected = fixture().join("expected").join(case);
        let work = tempfile::tempdir().unwrap();
        let mut args = vec!["rel", chart.to_str().unwrap(), "--output-dir", "out"];
        args.extend_from_slice(flags);
        let out = rstack(work.path(), &args);
        assert!(
            out.status.success(),
            "{case}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = std::fs::read_to_string(expected.join("stdout")).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            stdout,
            "{case}: stdout"
        );
        assert_eq!(
            tree(&work.path().join("out")),
            tree(&expected.join("out")),
            "{case}"
        );
    }
}

#[test]
fn output_dir_with_show_only_writes_then_fails() {
    let chart = fixture().join("chart");
    let work = tempfile::tempdir().unwrap();
    let args = [
        "rel",
        chart.to_str().unwrap(),
        "--output-dir",
        "out",
        "-s",
        "templates/b.yaml",
    ];
    let out = rstack(work.path(), &args);
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("wrote out/c/charts/sub/templates/s.yaml\n"),
        "{stdout}"
    );
    assert!(
        !stdout.ends_with("\n\n"),
        "no manifest newline after a failure: {stdout:?}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("could not find template templates/b.yaml in chart"),
        "{stderr}"
    );
}

#[test]
fn debug_prints_the_rendered_documents_before_a_yaml_error() {
    let work = tempfile::tempdir().unwrap();
    let chart = work.path().join("d");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: d\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(chart.join("templates/bad.yaml"), "a: [\n").unwrap();
    std::fs::write(chart.join("templates/good.yaml"), "ok: 1\n").unwrap();
    let plain = rstack(work.path(), &["rel", "d"]);
    assert!(!plain.status.success() && plain.stdout.is_empty());
    assert!(String::from_utf8_lossy(&plain.stderr).contains("Use --debug flag"));
    let debug = rstack(work.path(), &["rel", "d", "--debug"]);
    assert!(!debug.status.success());
    assert_eq!(
        String::from_utf8_lossy(&debug.stdout),
        "---\n# Source: d/templates/bad.yaml\na: [\n\n---\n# Source: d/templates/good.yaml\nok: 1\n"
    );
    let stderr = String::from_utf8_lossy(&debug.stderr);
    assert!(
        stderr.contains("YAML parse error on d/templates/bad.yaml"),
        "{stderr}"
    );
    assert!(!stderr.contains("Use --debug flag"), "{stderr}");
}

#[test]
fn helm_flags_last_wins_ignored_and_refused() {
    let chart = fixture().join("chart");
    let chart = chart.to_str().unwrap();
    let dir = fixture();
    // A repeated single flag takes its last value, as helm's flag parser does.
    let out = rstack(
        &dir,
        &["rel", chart, "-n", "a", "-n", "b", "-s", "templates/b.yaml"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plain = rstack(&dir, &["rel", chart, "-s", "templates/b.yaml"]);
    // Flags about clusters, repositories and installs change nothing in a local render.
    let ignored = rstack(
        &dir,
        &[
            "rel",
            chart,
            "--kube-context",
            "prod",
            "--wait",
            "--timeout",
            "5m",
            "-l",
            "a=b",
            "--atomic",
            "--dry-run",
            "--skip-crds",
            "--version",
            "1.2.3",
            "-s",
            "templates/b.yaml",
        ],
    );
    assert!(
        ignored.status.success(),
        "{}",
        String::from_utf8_lossy(&ignored.stderr)
    );
    assert_eq!(ignored.stdout, plain.stdout);
    for refused in [
        "--dependency-update",
        "--validate",
        "--dry-run=server",
        "--dry-run=none",
    ] {
        let out = rstack(&dir, &["rel", chart, refused]);
        assert!(!out.status.success(), "{refused} is refused");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn helm_warnings_are_printed_as_helm_prints_them() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/helm-warnings");
    let out = rstack(&dir, &["rel", "./chart", "--set", "m.k.z=1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = |name| std::fs::read_to_string(dir.join(name)).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        expected("expected.stdout")
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        expected("expected.stderr")
    );
}
