//! Malformed stacks: each case under tests/fixtures/malformed/<case>/ must fail with exit
//! code 1, never panic, and print exactly `expected.txt` on stderr (a short error naming
//! file:line and a hint). `args` holds the arguments (default: `lint`); the stack file is
//! always `-f stack.yaml` in the case folder. `RSTACK_BLESS=1` rewrites `expected.txt`
//! after a deliberate change of wording (review the diff).

use std::path::Path;
use std::process::Command;

#[test]
fn malformed_stacks_fail_with_located_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/malformed");
    let bless = std::env::var_os("RSTACK_BLESS").is_some();
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("stack.yaml").exists())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 15,
        "expected at least 15 malformed cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let args = std::fs::read_to_string(case.join("args")).unwrap_or_else(|_| "lint".into());
        let out = Command::new(env!("CARGO_BIN_EXE_rstack"))
            .current_dir(case)
            .args(["-f", "stack.yaml", "--color", "never"])
            .args(args.split_whitespace())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        if out.status.code() != Some(1) {
            failures.push(format!(
                "{name}: exit {:?}, want 1\n{stderr}",
                out.status.code()
            ));
            continue;
        }
        if stderr.contains("panicked") {
            failures.push(format!("{name}: panicked\n{stderr}"));
            continue;
        }
        if !stderr.contains("stack.yaml")
            && !stderr.contains("<command line>")
            && !stderr.contains(".yaml:")
        {
            failures.push(format!("{name}: the error names no file\n{stderr}"));
        }
        let expected_file = case.join("expected.txt");
        if bless {
            std::fs::write(&expected_file, &stderr).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
        if expected != stderr {
            failures.push(format!(
                "{name}: stderr differs\n--- expected\n{expected}--- got\n{stderr}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
