//! Value layering: chart defaults < defaults.values < environment `releases.<name>` <
//! release values < release set < CLI set, with Helm's merge/coalesce rules, and the
//! origin of every leaf.

use rstack::chart::values::{Map, SetKind, Value, parse_values};
use rstack::workspace::{LayerKind, LayeredValues, layer_values, load_stack, local_chart_defaults};
use tempfile::TempDir;

const CHART: &str = "chart/Chart.yaml";
const CHART_YAML: &str = "apiVersion: v2\nname: chart\nversion: 0.1.0\n";

/// Writes `files` (path, content) into a fresh folder.
fn folder(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    for (path, content) in files.iter().chain(&[(CHART, CHART_YAML)]) {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    dir
}

fn layered_with(
    files: &[(&str, &str)],
    env: &str,
    cli: &[(SetKind, &str)],
) -> (TempDir, LayeredValues) {
    let dir = folder(files);
    let stack = load_stack(&dir.path().join("stack.yaml"), env).unwrap_or_else(|e| panic!("{e}"));
    let release = &stack.releases[0];
    let defaults = local_chart_defaults(&stack, release).unwrap();
    let cli: Vec<(SetKind, String)> = cli.iter().map(|(k, a)| (*k, a.to_string())).collect();
    let layered = layer_values(&stack, release, defaults, &cli).unwrap_or_else(|e| panic!("{e}"));
    (dir, layered)
}

fn layered(files: &[(&str, &str)]) -> LayeredValues {
    layered_with(files, "default", &[]).1
}

fn yaml(src: &str) -> Map {
    parse_values(src).unwrap()
}

const RELEASE: &str = "releases:\n  - name: app\n    chart: ./chart\n";

fn stack_with(release_extra: &str, top: &str) -> String {
    format!("{top}{RELEASE}{release_extra}")
}

#[test]
fn chart_defaults_alone() {
    let l = layered(&[
        ("stack.yaml", RELEASE),
        ("chart/values.yaml", "a: 1\nb: {c: x}\n"),
    ]);
    assert_eq!(l.values, yaml("a: 1\nb: {c: x}\n"));
}

#[test]
fn stack_defaults_override_chart() {
    let s = stack_with("", "defaults:\n  values:\n    - {a: 2}\n");
    let l = layered(&[("stack.yaml", &s), ("chart/values.yaml", "a: 1\nz: 0\n")]);
    assert_eq!(l.values, yaml("a: 2\nz: 0\n"));
}

#[test]
fn environment_release_scope_overrides_defaults() {
    let s = stack_with(
        "",
        "defaults:\n  values:\n    - {a: 2}\nenvironments:\n  prod:\n    values:\n      - env.yaml\n",
    );
    let (_d, l) = layered_with(
        &[
            ("stack.yaml", &s),
            ("env.yaml", "releases:\n  app:\n    a: 3\n"),
            ("chart/values.yaml", "a: 1\n"),
        ],
        "prod",
        &[],
    );
    assert_eq!(l.values, yaml("a: 3\n"));
}

#[test]
fn environment_values_outside_the_release_scope_do_not_leak() {
    let s = stack_with(
        "",
        "environments:\n  prod:\n    values:\n      - {domain: x.example, releases: {other: {a: 9}}}\n",
    );
    let (_d, l) = layered_with(
        &[("stack.yaml", &s), ("chart/values.yaml", "a: 1\n")],
        "prod",
        &[],
    );
    assert_eq!(l.values, yaml("a: 1\n"));
}

#[test]
fn release_values_override_environment() {
    let s = stack_with(
        "    values:\n      - {a: 4}\n",
        "environments:\n  default:\n    values:\n      - {releases: {app: {a: 3, b: 3}}}\n",
    );
    let l = layered(&[("stack.yaml", &s), ("chart/values.yaml", "a: 1\n")]);
    assert_eq!(l.values, yaml("a: 4\nb: 3\n"));
}

#[test]
fn release_values_entries_apply_in_order() {
    let s = stack_with(
        "    values:\n      - one.yaml\n      - {a: 2}\n      - two.yaml\n",
        "",
    );
    let l = layered(&[
        ("stack.yaml", &s),
        ("one.yaml", "a: 1\nb: 1\n"),
        ("two.yaml", "b: 3\n"),
    ]);
    assert_eq!(l.values, yaml("a: 2\nb: 3\n"));
}

#[test]
fn set_overrides_values_and_cli_overrides_set() {
    let s = stack_with(
        "    values:\n      - {a: 1, b: 1}\n    set:\n      - {name: a, value: 2}\n      - {name: b, value: 2}\n",
        "",
    );
    let (_d, l) = layered_with(&[("stack.yaml", &s)], "default", &[(SetKind::Typed, "b=3")]);
    assert_eq!(l.values.get("a"), Some(&Value::Int64(2)));
    assert_eq!(l.values.get("b"), Some(&Value::Int64(3)));
}

#[test]
fn null_in_release_values_deletes_a_chart_default() {
    let s = stack_with("    values:\n      - {a: null}\n", "");
    let l = layered(&[("stack.yaml", &s), ("chart/values.yaml", "a: 1\nb: 2\n")]);
    assert_eq!(l.values, yaml("b: 2\n"));
}

#[test]
fn null_from_set_deletes_a_chart_default() {
    let s = stack_with("    set:\n      - {name: a.b, value: null}\n", "");
    let l = layered(&[
        ("stack.yaml", &s),
        ("chart/values.yaml", "a: {b: 1, c: 2}\n"),
    ]);
    assert_eq!(l.values, yaml("a: {c: 2}\n"));
}

#[test]
fn nested_null_deletes_only_that_key() {
    let s = stack_with("    values:\n      - {x: {y: {z: null}}}\n", "");
    let l = layered(&[
        ("stack.yaml", &s),
        ("chart/values.yaml", "x: {y: {z: 1, w: 2}, v: 3}\n"),
    ]);
    assert_eq!(l.values, yaml("x: {y: {w: 2}, v: 3}\n"));
}

#[test]
fn null_without_a_default_stays_explicit() {
    let s = stack_with("    values:\n      - {nothing: null}\n", "");
    let l = layered(&[("stack.yaml", &s), ("chart/values.yaml", "a: 1\n")]);
    assert_eq!(l.values.get("nothing"), Some(&Value::Nil));
}

#[test]
fn null_in_a_lower_layer_is_overridden_by_a_higher_one() {
    let s = stack_with("    values:\n      - {a: null}\n      - {a: 5}\n", "");
    let l = layered(&[("stack.yaml", &s), ("chart/values.yaml", "a: 1\n")]);
    assert_eq!(l.values, yaml("a: 5\n"));
}

#[test]
fn lists_are_replaced_not_merged() {
    let s = stack_with("    values:\n      - {l: [3]}\n", "");
    let l = layered(&[("stack.yaml", &s), ("chart/values.yaml", "l: [1, 2]\n")]);
    assert_eq!(l.values, yaml("l: [3]\n"));
}

#[test]
fn set_list_index_replaces_the_whole_default_list() {
    let s = stack_with("    set:\n      - {name: 'l[1].v', value: 2}\n", "");
    let l = layered(&[
        ("stack.yaml", &s),
        ("chart/values.yaml", "l: [{v: 0}, {v: 1}]\n"),
    ]);
    let list = l.values["l"].as_list().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0], Value::Nil);
}

#[test]
fn maps_merge_deeply_across_layers() {
    let s = stack_with(
        "    values:\n      - {m: {b: 2}}\n    set:\n      - {name: m.c, value: 3}\n",
        "defaults:\n  values:\n    - {m: {a: 1}}\n",
    );
    let l = layered(&[("stack.yaml", &s), ("chart/values.yaml", "m: {z: 0}\n")]);
    assert_eq!(l.values["m"].as_map().unwrap().len(), 4);
}

#[test]
fn a_scalar_replaces_a_map_in_user_layers() {
    let s = stack_with("    values:\n      - {m: {a: 1}}\n      - {m: flat}\n", "");
    let l = layered(&[("stack.yaml", &s)]);
    assert_eq!(l.values, yaml("m: flat\n"));
}

#[test]
fn a_user_map_over_a_default_scalar_warns() {
    let s = stack_with("    values:\n      - {a: {b: 1}}\n", "");
    let l = layered(&[
        ("stack.yaml", &s),
        ("chart/values.yaml", "a: {b: scalar}\n"),
    ]);
    assert_eq!(l.values, yaml("a: {b: 1}\n"));
    let s = stack_with("    values:\n      - {a: {b: {c: 1}}}\n", "");
    let l = layered(&[
        ("stack.yaml", &s),
        ("chart/values.yaml", "a: {b: scalar}\n"),
    ]);
    let warnings: Vec<String> = l.warnings.iter().map(|w| w.text()).collect();
    assert_eq!(
        warnings,
        vec!["destination for a.b is a table. Ignoring non-table value (scalar)".to_string()]
    );
}

#[test]
fn numbers_from_files_are_floats_and_set_integers_int64() {
    let s = stack_with(
        "    values:\n      - {f: 1}\n    set:\n      - {name: i, value: 1}\n      - {name: s, value: '007'}\n",
        "",
    );
    let l = layered(&[("stack.yaml", &s)]);
    assert_eq!(l.values["f"], Value::Float(1.0));
    assert_eq!(l.values["i"], Value::Int64(1));
    assert_eq!(l.values["s"], Value::from("007"));
}

#[test]
fn set_values_list_and_literal_commas() {
    let s = stack_with(
        "    set:\n      - {name: l, values: [a, 'b,c', 2]}\n      - {name: t, value: 'x,y={z}'}\n",
        "",
    );
    let l = layered(&[("stack.yaml", &s)]);
    assert_eq!(
        l.values["l"],
        Value::list(vec![Value::from("a"), Value::from("b,c"), Value::Int64(2)])
    );
    assert_eq!(l.values["t"], Value::from("x,y={z}"));
}

#[test]
fn set_file_reads_the_file_as_a_string() {
    let s = stack_with("    set:\n      - {name: conf, file: files/app.conf}\n", "");
    let l = layered(&[("stack.yaml", &s), ("files/app.conf", "key = 1\n")]);
    assert_eq!(l.values["conf"], Value::from("key = 1\n"));
}

#[test]
fn environment_values_files_merge_in_order() {
    let s = stack_with(
        "",
        "environments:\n  default:\n    values:\n      - a.yaml\n      - b.yaml\n",
    );
    let l = layered(&[
        ("stack.yaml", &s),
        ("a.yaml", "releases: {app: {x: 1, y: 1}}\n"),
        ("b.yaml", "releases: {app: {y: 2}}\n"),
    ]);
    assert_eq!(l.values, yaml("x: 1\ny: 2\n"));
}

#[test]
fn yaml_1_1_words_in_values_files() {
    let s = stack_with("    values:\n      - v.yaml\n", "");
    let l = layered(&[
        ("stack.yaml", &s),
        ("v.yaml", "on: yes\nflag: off\nkey: '1.0'\n"),
    ]);
    assert_eq!(l.values["true"], Value::Bool(true));
    assert_eq!(l.values["flag"], Value::Bool(false));
    assert_eq!(l.values["key"], Value::from("1.0"));
}

#[test]
fn origins_name_layer_file_and_line() {
    let s = stack_with(
        "    values:\n      - release.yaml\n      - {inline: 1}\n    set:\n      - {name: fromset, value: x}\n",
        "environments:\n  default:\n    values:\n      - env.yaml\n",
    );
    let (_d, l) = layered_with(
        &[
            ("stack.yaml", &s),
            (
                "chart/values.yaml",
                "image:\n  repository: nginx\n  tag: old\n",
            ),
            (
                "env.yaml",
                "releases:\n  app:\n    image:\n      tag: env\n",
            ),
            ("release.yaml", "\nfromfile: 1\n"),
        ],
        "default",
        &[(SetKind::Typed, "cli=1")],
    );
    let origin = |path: &[&str]| {
        let (kind, at) = l.origin(path).unwrap();
        let file = at.file.file_name().unwrap().to_string_lossy().to_string();
        (kind, format!("{file}:{}:{}", at.line, at.col))
    };
    assert_eq!(
        origin(&["image", "repository"]),
        (LayerKind::ChartDefaults, "values.yaml:2:3".into())
    );
    assert_eq!(
        origin(&["image", "tag"]),
        (LayerKind::Environment, "env.yaml:4:7".into())
    );
    assert_eq!(
        origin(&["fromfile"]),
        (LayerKind::ReleaseValues, "release.yaml:2:1".into())
    );
    assert_eq!(
        origin(&["inline"]),
        (LayerKind::ReleaseValues, "stack.yaml:10:10".into())
    );
    assert_eq!(
        origin(&["fromset"]),
        (LayerKind::ReleaseSet, "stack.yaml:12:9".into())
    );
    assert_eq!(l.origin(&["cli"]).unwrap().0, LayerKind::CliSet);
    assert!(l.origin(&["absent"]).is_none());
}

#[test]
fn origin_of_an_overridden_value_is_the_highest_layer() {
    let s = stack_with("    values:\n      - {a: 2}\n", "");
    let (_d, l) = layered_with(
        &[("stack.yaml", &s), ("chart/values.yaml", "a: 1\n")],
        "default",
        &[(SetKind::Typed, "a=3")],
    );
    assert_eq!(l.origin(&["a"]).unwrap().0, LayerKind::CliSet);
}

#[test]
fn defaults_set_applies_to_every_release_below_its_own_set() {
    let s = stack_with(
        "    values:\n      - {a: 1, b: 1}\n    set:\n      - {name: b, value: 3}\n",
        "defaults:\n  set:\n    - {name: a, value: 2}\n    - {name: b, value: 2}\n",
    );
    let (_d, l) = layered_with(&[("stack.yaml", &s)], "default", &[]);
    assert_eq!(l.values["a"], Value::Int64(2));
    assert_eq!(l.values["b"], Value::Int64(3));
    let (kind, at) = l.origin(&["a"]).unwrap();
    assert_eq!((kind, at.line), (LayerKind::ReleaseSet, 3));
}
