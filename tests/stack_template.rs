//! `rstack template` over whole stacks: the example stack against helm's recorded output,
//! `--output-dir`, selection, and a failing chart that stops the run before any output.

use std::path::Path;
use std::process::{Command, Output};

fn rstack(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rstack"))
        .current_dir(dir)
        .args(["--color", "never"])
        .args(args)
        .output()
        .unwrap()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn example_stack_matches_helm_in_every_environment() {
    for env in ["default", "dev", "prod"] {
        let out = rstack(
            root(),
            &["-f", "examples/stack.yaml", "-e", env, "template"],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let expected =
            std::fs::read_to_string(root().join(format!("tests/fixtures/examples/{env}.yaml")))
                .unwrap();
        assert!(
            String::from_utf8_lossy(&out.stdout) == expected,
            "environment {env} differs from helm's output (tests/fixtures/examples/record.sh)"
        );
    }
}

#[test]
fn selection_and_include_needs() {
    let out = rstack(
        root(),
        &[
            "-f",
            "examples/stack.yaml",
            "-l",
            "name=web",
            "template",
            "--include-needs",
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    // web needs backend/api, which needs the database and the cache: all four, needs first.
    let sources: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("# Source: "))
        .collect();
    assert_eq!(
        sources.first(),
        Some(&"# Source: database/templates/service.yaml")
    );
    assert!(
        text.contains("name: web-web") || text.contains("name: web\n"),
        "{text}"
    );
    assert!(
        !text.contains("ghcr.io/example/docs"),
        "docs was not selected"
    );
}

#[test]
fn output_dir_gets_one_folder_per_release() {
    let dir = tempfile::TempDir::new().unwrap();
    let out_dir = dir.path().join("out");
    let out = rstack(
        root(),
        &[
            "-f",
            "examples/stack.yaml",
            "template",
            "--output-dir",
            out_dir.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let svc =
        std::fs::read_to_string(out_dir.join("data/postgres/database/templates/service.yaml"))
            .unwrap();
    assert!(svc.starts_with("---\n# Source: database/templates/service.yaml\n"));
    assert!(
        out_dir
            .join("frontend/docs/web/templates/deployment.yaml")
            .is_file()
    );
}

#[test]
fn a_failing_chart_names_release_chart_template_and_line_and_prints_nothing() {
    let dir = tempfile::TempDir::new().unwrap();
    let write = |p: &str, s: &str| {
        let p = dir.path().join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, s).unwrap();
    };
    write(
        "good/Chart.yaml",
        "apiVersion: v2\nname: good\nversion: 0.1.0\n",
    );
    write(
        "good/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n",
    );
    write(
        "bad/Chart.yaml",
        "apiVersion: v2\nname: bad\nversion: 0.1.0\n",
    );
    write(
        "bad/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ required \"name is required\" .Values.name }}\n",
    );
    write(
        "stack.yaml",
        "releases:\n  - name: one\n    chart: ./good\n  - name: two\n    chart: ./bad\n    needs: [one]\n  - name: three\n    chart: ./good\n",
    );
    let out = rstack(dir.path(), &["template"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "nothing is printed when a release fails"
    );
    assert!(
        stderr.contains("stack.yaml:4:5: release `default/two` (chart ./bad)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("execution error at (bad/templates/cm.yaml:4:11): name is required"),
        "{stderr}"
    );
}
