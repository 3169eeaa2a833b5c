//! Conformance: `helm template <args>` corpora, compared byte for byte with helm 4's output.
//!
//! Layout of a corpus (see shared/conformance/README.md): `cases/<case>/args` holds the
//! arguments after `helm template` (split on whitespace, paths relative to the corpus
//! directory), and either `expected.yaml` (exact stdout) or `expected.err` (exact stderr of
//! a failing run). A case that must fail passes when we fail; a different error text is
//! reported as an "error text mismatch" but still counted as passed.
//!
//! Corpora: `RSTACK_ENGINE_CORPUS` (default `../shared/conformance-engine`),
//! `RSTACK_CONFORMANCE_DIR` (default `../shared/conformance`), and `tests/corpus`.
//! A missing corpus is a loud warning and a failure unless `RSTACK_ALLOW_MISSING_CORPUS=1`.
//! A failing case fails the run, unless it is listed with its reason in
//! `tests/corpus/known-failures.txt`; a listed case that passes fails the run too (take it
//! off the list). `RSTACK_CONFORMANCE_LENIENT=1` reports without failing. An optional
//! argument filters cases by substring: `cargo test --test conformance -- out-`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rstack::chart::render::{TemplateArgs, render};

/// How one case ended.
enum Outcome {
    Pass,
    /// Failed as expected, with another message (expected, ours).
    PassErrorText(String, String),
    Fail(String),
}

struct Corpus {
    label: &'static str,
    dir: PathBuf,
}

fn corpora() -> Vec<Corpus> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let from_env = |var: &str, default: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join(default))
    };
    vec![
        Corpus {
            label: "engine",
            dir: from_env("RSTACK_ENGINE_CORPUS", "../shared/conformance-engine"),
        },
        Corpus {
            label: "conformance",
            dir: from_env("RSTACK_CONFORMANCE_DIR", "../shared/conformance"),
        },
        Corpus {
            label: "own",
            dir: root.join("tests/corpus"),
        },
    ]
}

/// The corpora render on the allocator the binary uses, so they test it too.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
#[global_allocator]
static ALLOCATOR: rstack::heap::Heap = rstack::heap::Heap;

fn flag(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| v == "1")
}

fn main() -> ExitCode {
    let strict = !flag("RSTACK_CONFORMANCE_LENIENT");
    let known = known_failures();
    let allow_missing = flag("RSTACK_ALLOW_MISSING_CORPUS");
    // cargo passes libtest flags (`--nocapture`, ...) through; only a bare word filters.
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_default();
    let mut missing = false;
    let mut any_failed = false;
    for corpus in corpora() {
        let cases_dir = corpus.dir.join("cases");
        if !cases_dir.is_dir() {
            eprintln!(
                "\n!!!!!!!! WARNING: conformance corpus `{}` not found at {} !!!!!!!!\n",
                corpus.label,
                cases_dir.display()
            );
            missing = true;
            continue;
        }
        let (passed, failed) = run_corpus(&corpus, &cases_dir, &filter);
        println!(
            "{}: {} passed, {} failed",
            corpus.label,
            passed.len(),
            failed.len()
        );
        for name in &failed {
            if known.iter().any(|k| k == name) {
                println!("  {name}: known failure (tests/corpus/known-failures.txt)");
            } else {
                any_failed = true;
            }
        }
        for name in passed.iter().filter(|n| known.contains(n)) {
            println!("  {name}: listed as a known failure but passes: take it off the list");
            any_failed = true;
        }
    }
    if missing && !allow_missing {
        eprintln!("a corpus is missing (set RSTACK_ALLOW_MISSING_CORPUS=1 to allow)");
        return ExitCode::FAILURE;
    }
    if any_failed && strict {
        return ExitCode::FAILURE;
    }
    if any_failed {
        println!("(RSTACK_CONFORMANCE_LENIENT=1: failures reported only)");
    }
    ExitCode::SUCCESS
}

/// Case names from tests/corpus/known-failures.txt (`case  # why`, one per line).
fn known_failures() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/known-failures.txt");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Runs every case; returns the names that passed and those that failed.
fn run_corpus(corpus: &Corpus, cases_dir: &Path, filter: &str) -> (Vec<String>, Vec<String>) {
    let mut names: Vec<String> = match std::fs::read_dir(cases_dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .filter(|e| e.path().join("args").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(e) => {
            eprintln!("{}: cannot list {}: {e}", corpus.label, cases_dir.display());
            return (
                Vec::new(),
                vec![format!("<cannot list {}>", cases_dir.display())],
            );
        }
    };
    names.sort();
    let (mut passed, mut failed, mut text_mismatch) = (Vec::new(), Vec::new(), 0);
    for name in names.iter().filter(|n| n.contains(filter)) {
        match run_case(&corpus.dir, &cases_dir.join(name)) {
            Outcome::Pass => passed.push(name.clone()),
            Outcome::PassErrorText(expected, got) => {
                passed.push(name.clone());
                text_mismatch += 1;
                println!(
                    "[{}] {name}: error text mismatch\n  expected: {}\n  got:      {}",
                    corpus.label,
                    expected.trim_end().replace('\n', "\n            "),
                    got.trim_end().replace('\n', "\n            ")
                );
            }
            Outcome::Fail(why) => {
                failed.push(name.clone());
                println!("[{}] {name}: FAILED\n{why}", corpus.label);
            }
        }
    }
    if text_mismatch > 0 {
        println!(
            "{}: {text_mismatch} error text mismatches (counted as passed)",
            corpus.label
        );
    }
    (passed, failed)
}

fn run_case(corpus_dir: &Path, case: &Path) -> Outcome {
    let args = match std::fs::read_to_string(case.join("args")) {
        Ok(a) => a,
        Err(e) => return Outcome::Fail(format!("  cannot read args: {e}")),
    };
    let args: Vec<String> = args.split_whitespace().map(String::from).collect();
    let result = std::panic::catch_unwind(|| {
        let parsed = TemplateArgs::parse(&args)?;
        render(&parsed.to_request(corpus_dir))
    });
    let result = match result {
        Ok(r) => r.map_err(|e| format!("Error: {e}\n")),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            return Outcome::Fail(format!("  panicked: {msg}"));
        }
    };
    let expected_err = std::fs::read_to_string(case.join("expected.err")).ok();
    match (expected_err, result) {
        (Some(want), Err(got)) if want == got => Outcome::Pass,
        (Some(want), Err(got)) => Outcome::PassErrorText(want, got),
        (Some(_), Ok(_)) => Outcome::Fail("  expected a failure, but rendering succeeded".into()),
        (None, Err(got)) => Outcome::Fail(format!("  unexpected error: {}", got.trim_end())),
        (None, Ok(out)) => match std::fs::read(case.join("expected.yaml")) {
            Ok(want) if want == out.as_bytes() => Outcome::Pass,
            Ok(want) => Outcome::Fail(short_diff(&String::from_utf8_lossy(&want), &out)),
            Err(e) => Outcome::Fail(format!("  cannot read expected.yaml: {e}")),
        },
    }
}

/// The first differing line with a little context from both sides.
fn short_diff(want: &str, got: &str) -> String {
    let w: Vec<&str> = want.split('\n').collect();
    let g: Vec<&str> = got.split('\n').collect();
    let first = w
        .iter()
        .zip(&g)
        .position(|(a, b)| a != b)
        .unwrap_or(w.len().min(g.len()));
    let from = first.saturating_sub(2);
    let mut out = format!(
        "  first difference at line {} (expected {} lines, got {}):\n",
        first + 1,
        w.len(),
        g.len()
    );
    for (label, lines) in [("-", &w), ("+", &g)] {
        for (i, line) in lines.iter().enumerate().skip(from).take(first - from + 4) {
            let mark = if i >= first { label } else { " " };
            out.push_str(&format!("  {mark}{:>5} | {line}\n", i + 1));
        }
    }
    out
}
