//! `--set` parity with the real helm: every case of tests/fixtures/set-parity/cases.json
//! (recorded from helm v4.1.4 by its gen.py) through rstack's parser.

use std::path::Path;

use rstack::chart::values::{
    Map, SetKind, Value, apply_sets, merge_values, parse_values, read_set_file,
};
use serde_json::Value as J;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/set-parity");

/// Parses helm-style flags into user values, the way `helm template` would.
fn user_values(args: &[String]) -> Result<Map, String> {
    let mut files = Vec::new();
    let mut sets = Vec::new();
    for pair in args.chunks(2) {
        let [flag, arg] = pair else {
            panic!("flag without argument: {pair:?}")
        };
        let kind = match flag.as_str() {
            "-f" | "--values" => {
                files.push(arg.clone());
                continue;
            }
            "--set" => SetKind::Typed,
            "--set-string" => SetKind::String,
            "--set-file" => SetKind::File,
            "--set-json" => SetKind::Json,
            "--set-literal" => SetKind::Literal,
            other => panic!("unknown flag {other}"),
        };
        sets.push((kind, arg.clone()));
    }
    let mut values = Map::new();
    for f in files {
        let text = std::fs::read_to_string(Path::new(DIR).join(&f)).map_err(|e| e.to_string())?;
        merge_values(
            &mut values,
            &parse_values(&text).map_err(|e| e.to_string())?,
        );
    }
    let read = |p: &str| read_set_file(p, &Path::new(DIR).join(p));
    apply_sets(&mut values, &sets, &read).map_err(|e| e.to_string())?;
    Ok(values)
}

/// Compares a value with the fixture's typed encoding (`"int64:1"`, `"nil"`, ...).
fn matches(v: &Value, expected: &J, path: &str, diffs: &mut Vec<String>) {
    let ok = match (v, expected) {
        (Value::Map(m), J::Object(e)) => {
            if m.len() != e.len() || m.keys().any(|k| !e.contains_key(k)) {
                diffs.push(format!(
                    "{path}: keys {:?} vs {:?}",
                    m.keys().collect::<Vec<_>>(),
                    e.keys().collect::<Vec<_>>()
                ));
            }
            for (k, ev) in e {
                match m.get(k) {
                    Some(val) => matches(val, ev, &format!("{path}.{k}"), diffs),
                    None => diffs.push(format!("{path}.{k}: missing")),
                }
            }
            true
        }
        (Value::List(l), J::Array(e)) => {
            if l.len() != e.len() {
                diffs.push(format!("{path}: {} items vs {}", l.len(), e.len()));
            }
            for (i, (val, ev)) in l.iter().zip(e).enumerate() {
                matches(val, ev, &format!("{path}[{i}]"), diffs);
            }
            true
        }
        (Value::Nil, J::String(s)) => s == "nil",
        (Value::Bool(b), J::String(s)) => *s == format!("bool:{b}"),
        (Value::Int64(i), J::String(s)) => *s == format!("int64:{i}"),
        (Value::String(x), J::String(s)) => s.strip_prefix("string:") == Some(&**x),
        (Value::Float(f), J::String(s)) => s
            .strip_prefix("float64:")
            .and_then(|t| t.parse::<f64>().ok())
            .is_some_and(|e| e == *f),
        _ => false,
    };
    if !ok {
        diffs.push(format!("{path}: got {v:?}, helm has {expected}"));
    }
}

#[test]
fn set_flags_match_helm() {
    let cases: Vec<J> =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/cases.json")).unwrap())
            .unwrap();
    assert!(cases.len() >= 25, "the fixture file lost its cases");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let args: Vec<String> = case["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect();
        let got = user_values(&args);
        match (
            &got,
            case["expected"].get("values"),
            case["expected"].get("error"),
        ) {
            (Ok(values), Some(expected), _) => {
                let mut diffs = Vec::new();
                matches(&Value::map(values.clone()), expected, "", &mut diffs);
                if !diffs.is_empty() {
                    failures.push(format!("{name}: {}", diffs.join("; ")));
                }
            }
            (Err(e), _, Some(expected)) => {
                if e != expected.as_str().unwrap() {
                    failures.push(format!("{name}: error `{e}`, helm says `{expected}`"));
                }
            }
            (Ok(v), None, _) => {
                failures.push(format!("{name}: rstack accepted it ({v:?}), helm fails"))
            }
            (Err(e), Some(_), _) => {
                failures.push(format!("{name}: rstack fails ({e}), helm accepts"))
            }
            _ => unreachable!(),
        }
    }
    println!(
        "set parity: {} passed, {} failed",
        cases.len() - failures.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
