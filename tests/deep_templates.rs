//! Deep recursion in templates runs in the binary's main thread, whose stack limit the
//! binary computes itself (`rstack::stack`): it must grow onto new stack segments
//! instead of overflowing, as in the library's tests (which run on test threads).

use std::process::Command;

fn chart_with(template: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Chart.yaml"),
        "apiVersion: v2\nname: deep\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("templates/cm.yaml"), template).unwrap();
    dir
}

fn template(chart: &tempfile::TempDir) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rstack"))
        .args(["chart", "template", "r"])
        .arg(chart.path())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn unbounded_template_recursion_is_an_error_not_a_crash() {
    let chart =
        chart_with("{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}");
    let (code, _, stderr) = template(&chart);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("exceeded maximum template depth (100000)"),
        "{stderr}"
    );
}

#[test]
fn deeply_nested_actions_render() {
    let depth = 450;
    let body = format!(
        "{}a: {{{{ {}1{} }}}}\n{}",
        "{{ if true }}".repeat(depth),
        "(".repeat(depth),
        ")".repeat(depth),
        "{{ end }}".repeat(depth)
    );
    let chart = chart_with(&body);
    let (code, stdout, stderr) = template(&chart);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.ends_with("a: 1\n"), "{stdout}");
}
