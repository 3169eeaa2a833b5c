//! The workspace's templated inputs, with real files in temp folders: `stack.yaml.gotmpl`
//! (helmfile's `---` parts), `.gotmpl` values files and templated `set` values, their
//! functions (`env`, `requiredEnv`, `readFile`, `get`, `getOrNil`) and their errors. Also
//! that chart templates still lack `env`/`expandenv`, as in Helm.

use rstack::chart::template::exec::TemplateSet;
use rstack::chart::values::{Map, Value};
use rstack::span::Diagnostics;
use rstack::workspace::{Stack, layer_values, load_stack};
use tempfile::TempDir;

/// Writes `files` (path, content) into a fresh folder, with a chart at `charts/app`.
fn folder(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    let chart = [
        (
            "charts/app/Chart.yaml",
            "apiVersion: v2\nname: app\nversion: 0.1.0\n",
        ),
        ("charts/app/values.yaml", "replicas: 1\n"),
    ];
    for (path, content) in files.iter().chain(&chart) {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    dir
}

fn load(dir: &TempDir, file: &str, env: &str) -> Result<Stack, Diagnostics> {
    load_stack(&dir.path().join(file), env)
}

fn names(stack: &Stack) -> Vec<String> {
    stack.releases.iter().map(|r| r.name.clone()).collect()
}

/// The user values of the stack's release `name`, as YAML-ish `key=value` lines.
fn user_values(stack: &Stack, name: &str) -> Map {
    let release = stack.releases.iter().find(|r| r.name == name).unwrap();
    layer_values(stack, release, None, &[])
        .unwrap_or_else(|e| panic!("{e}"))
        .user
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.to_string(),
        other => format!("{other:?}"),
    }
}

/// A diagnostic's text with the temp folder removed.
fn shown(err: &Diagnostics, dir: &TempDir) -> String {
    err.to_string()
        .replace(&format!("{}/", dir.path().display()), "")
}

const TWO_PARTS: &str = r#"name: shop
environments:
  dev:
    values:
      - tag: "1.0"
  prod:
    values:
      - tag: "2.0"
        replicas: 3
---
releases:
  - name: api
    chart: ./charts/app
    set:
      - name: image.tag
        value: {{ .Environment.Values.tag | quote }}
{{- if eq .Environment.Name "prod" }}
  - name: monitor-{{ .StackName }}
    chart: ./charts/app
{{- end }}
"#;

#[test]
fn environments_drive_releases_across_parts() {
    let dir = folder(&[("stack.yaml.gotmpl", TWO_PARTS)]);
    let dev = load(&dir, "stack.yaml.gotmpl", "dev").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names(&dev), ["api"]);
    let prod = load(&dir, "stack.yaml.gotmpl", "prod").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names(&prod), ["api", "monitor-shop"]);
    assert_eq!(prod.name, "shop");
    // The second part saw the environment values the first part declared.
    let image = user_values(&prod, "api");
    let tag = image
        .get("image")
        .and_then(Value::as_map)
        .unwrap()
        .get("tag");
    assert_eq!(text(tag), "2.0");
    // An environment no part declares is unknown, as in a plain stack file.
    let err = load(&dir, "stack.yaml.gotmpl", "staging").unwrap_err();
    assert!(
        err.to_string().contains("unknown environment `staging`"),
        "{err}"
    );
}

#[test]
fn parts_merge_releases_repositories_and_defaults() {
    let src = "defaults:\n  namespace: one\n  wait: true\nreleases:\n  - name: a\n    chart: ./charts/app\n---\ndefaults:\n  namespace: two\nreleases:\n  - name: b\n    chart: ./charts/app\n";
    let dir = folder(&[("stack.yaml.gotmpl", src)]);
    let stack = load(&dir, "stack.yaml.gotmpl", "default").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names(&stack), ["a", "b"]);
    assert_eq!(stack.defaults.namespace.as_deref(), Some("two"));
    assert_eq!(stack.defaults.wait, Some(true));
}

#[test]
fn required_env_names_the_missing_variable_and_its_line() {
    let src = "releases:\n  - name: a\n    chart: ./charts/app\n---\nreleases:\n  - name: b\n    chart: {{ requiredEnv \"RSTACK_GOTMPL_TEST_UNSET\" }}\n";
    let dir = folder(&[("stack.yaml.gotmpl", src)]);
    let err = load(&dir, "stack.yaml.gotmpl", "default").unwrap_err();
    assert_eq!(
        shown(&err, &dir),
        "stack.yaml.gotmpl:7:14: executing \"stack.yaml.gotmpl\" at <requiredEnv \"RSTACK_GOTMPL_TEST_UNSET\">: error calling requiredEnv: required env var `RSTACK_GOTMPL_TEST_UNSET` is not set\n  hint: export that variable before running rstack (requiredEnv fails when it is unset or empty)"
    );
}

#[test]
fn env_and_required_env_read_the_environment() {
    let path = std::env::var("PATH").unwrap_or_default();
    let src = "name: \"{{ env \"PATH\" }}|{{ requiredEnv \"PATH\" }}|{{ expandenv \"$PATH\" }}|{{ env \"RSTACK_GOTMPL_TEST_UNSET\" }}\"\nreleases: []\n";
    let dir = folder(&[("stack.yaml.gotmpl", src)]);
    let stack = load(&dir, "stack.yaml.gotmpl", "default").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stack.name, format!("{path}|{path}|{path}|"));
}

#[test]
fn read_file_is_relative_to_the_stack_folder() {
    let src = "releases:\n  - name: {{ readFile \"files/name.txt\" | trim }}\n    chart: ./charts/app\n{{- if isFile \"files/name.txt\" }}\n    labels: {found: \"yes\"}\n{{- end }}\n";
    let dir = folder(&[
        ("deploy/stack.yaml.gotmpl", src),
        ("deploy/files/name.txt", "from-file\n"),
        (
            "deploy/charts/app/Chart.yaml",
            "apiVersion: v2\nname: app\nversion: 0.1.0\n",
        ),
    ]);
    let stack = load(&dir, "deploy/stack.yaml.gotmpl", "default").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names(&stack), ["from-file"]);
    assert_eq!(
        stack.releases[0].labels.get("found").map(String::as_str),
        Some("yes")
    );

    let missing = "name: {{ readFile \"nope.txt\" }}\n";
    let dir = folder(&[("stack.yaml.gotmpl", missing)]);
    let err = shown(
        &load(&dir, "stack.yaml.gotmpl", "default").unwrap_err(),
        &dir,
    );
    assert!(err.starts_with("stack.yaml.gotmpl:1:9: "), "{err}");
    assert!(
        err.contains("error calling readFile: open nope.txt: no such file or directory"),
        "{err}"
    );
}

#[test]
fn gotmpl_values_files_see_release_and_environment() {
    let stack = "environments:\n  prod:\n    values:\n      - domain: example.org\n        replicas: 4\nreleases:\n  - name: web\n    namespace: front\n    chart: ./charts/app\n    labels: {tier: edge}\n    values:\n      - values/web.yaml.gotmpl\n";
    let values = "host: {{ .Release.Name }}.{{ .Environment.Values.domain }}\nnamespace: {{ .Release.Namespace }}\ntier: {{ .Release.Labels.tier }}\nchart: {{ .Release.Chart }}\nreplicas: {{ .StateValues.replicas }}\nenv: {{ .Environment.Name }}\nmissing: \"{{ .Values.nope }}\"\nport: {{ get \"port\" 8080 .Values }}\nmaybe: {{ getOrNil \"a.b\" .Values | toJson }}\n";
    let dir = folder(&[("stack.yaml", stack), ("values/web.yaml.gotmpl", values)]);
    let stack = load(&dir, "stack.yaml", "prod").unwrap_or_else(|e| panic!("{e}"));
    let v = user_values(&stack, "web");
    assert_eq!(text(v.get("host")), "web.example.org");
    assert_eq!(text(v.get("namespace")), "front");
    assert_eq!(text(v.get("tier")), "edge");
    assert_eq!(text(v.get("chart")), "./charts/app");
    assert_eq!(v.get("replicas"), Some(&Value::Float(4.0)));
    assert_eq!(text(v.get("env")), "prod");
    assert_eq!(text(v.get("missing")), "");
    assert_eq!(v.get("port"), Some(&Value::Float(8080.0)));
    assert_eq!(v.get("maybe"), Some(&Value::Nil));
}

#[test]
fn templated_set_values_are_rendered_then_typed() {
    let stack = "environments:\n  default:\n    values:\n      - replicas: 3\nreleases:\n  - name: api\n    chart: ./charts/app\n    set:\n      - name: replicaCount\n        value: \"{{ .Environment.Values.replicas }}\"\n      - name: owner\n        value: \"{{ .Release.Name }}-{{ .Release.Namespace }}\"\n      - name: hosts\n        values: [\"{{ .Release.Name }}.a\", plain]\n      - name: literal\n        value: \"no template\"\n";
    let dir = folder(&[("stack.yaml", stack)]);
    let stack = load(&dir, "stack.yaml", "default").unwrap_or_else(|e| panic!("{e}"));
    let v = user_values(&stack, "api");
    // `--set` typing applies to the rendered text: "3" is an int64.
    assert_eq!(v.get("replicaCount"), Some(&Value::Int64(3)));
    assert_eq!(text(v.get("owner")), "api-default");
    assert_eq!(
        v.get("hosts"),
        Some(&Value::list(vec![
            Value::from("api.a"),
            Value::from("plain")
        ]))
    );
    assert_eq!(text(v.get("literal")), "no template");
}

#[test]
fn template_errors_point_at_file_and_line() {
    let stack = "releases:\n  - name: api\n    chart: ./charts/app\n    values: [broken.yaml.gotmpl]\n    set:\n      - name: a\n        value: \"{{ .Values | nope }}\"\n";
    let values = "a: 1\nb: {{ fromYaml }}\nc: {{ undefinedFn 1 }}\n";
    let dir = folder(&[("stack.yaml", stack), ("broken.yaml.gotmpl", values)]);
    let err = shown(&load(&dir, "stack.yaml", "default").unwrap_err(), &dir);
    assert_eq!(
        err,
        "broken.yaml.gotmpl:3: function \"undefinedFn\" not defined (values file listed at stack.yaml:4:14)\n  hint: templated files have Helm's functions plus env, expandenv, requiredEnv, readFile, isFile, get and getOrNil\n\
         stack.yaml:6:9: set entry `a`: value:1: function \"nope\" not defined\n  hint: templated files have Helm's functions plus env, expandenv, requiredEnv, readFile, isFile, get and getOrNil"
    );
}

#[test]
fn rendered_yaml_errors_say_rendered_and_never_show_secrets() {
    let stack =
        "releases:\n  - name: api\n    chart: ./charts/app\n    values: [creds.yaml.gotmpl]\n";
    let values = "user: admin\npassword: {{ readFile \"secret.txt\" }}\n";
    let dir = folder(&[
        ("stack.yaml", stack),
        ("creds.yaml.gotmpl", values),
        ("secret.txt", "hunter2: [x\n"),
    ]);
    let err = shown(&load(&dir, "stack.yaml", "default").unwrap_err(), &dir);
    assert!(err.starts_with("creds.yaml.gotmpl (rendered):2:"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");

    let src = "releases:\n  - name: a\n    chart: ./charts/app\n    {{ \"broken: [\" }}\n";
    let dir = folder(&[("stack.yaml.gotmpl", src)]);
    let err = shown(
        &load(&dir, "stack.yaml.gotmpl", "default").unwrap_err(),
        &dir,
    );
    assert!(err.starts_with("stack.yaml.gotmpl (rendered):"), "{err}");
    assert!(
        err.contains("invalid YAML in the rendered template"),
        "{err}"
    );
}

#[test]
fn schema_problems_in_a_rendered_stack_are_located() {
    let src =
        "releases:\n  - name: a\n    chart: ./charts/app\n    chrat: {{ .Environment.Name }}\n";
    let dir = folder(&[("stack.yaml.gotmpl", src)]);
    let err = shown(
        &load(&dir, "stack.yaml.gotmpl", "default").unwrap_err(),
        &dir,
    );
    assert!(
        err.starts_with("stack.yaml.gotmpl (rendered):4:5: "),
        "{err}"
    );
    assert!(err.contains("did you mean `chart`?"), "{err}");
}

#[test]
fn charts_still_lack_env_and_expandenv() {
    for f in ["env", "expandenv", "requiredEnv", "readFile"] {
        let err = TemplateSet::new()
            .parse_file("t", &format!("{{{{ {f} \"HOME\" }}}}"))
            .unwrap_err();
        assert_eq!(err.message, format!("function \"{f}\" not defined"));
    }
    let dir = folder(&[("charts/app/templates/cm.yaml", "home: {{ env \"HOME\" }}\n")]);
    let chart = rstack::chart::load::load_chart(&dir.path().join("charts/app")).unwrap();
    let err = rstack::chart::template::render_chart(
        &chart,
        &Value::empty_map(),
        &rstack::chart::template::RenderOptions::default(),
    )
    .unwrap_err();
    assert!(
        err.message.contains("function \"env\" not defined"),
        "{}",
        err.message
    );
}

#[test]
fn tpl_inside_a_workspace_template_sees_the_extra_functions() {
    let src = "name: {{ tpl \"{{ env \\\"RSTACK_GOTMPL_TEST_UNSET\\\" }}x\" . }}\n";
    let dir = folder(&[("stack.yaml.gotmpl", src)]);
    let stack = load(&dir, "stack.yaml.gotmpl", "default").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stack.name, "x");
}
