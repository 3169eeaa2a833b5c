//! Helm's serialisation functions (`pkg/engine/funcs.go`) and the JSON ones Sprig adds
//! (`toPrettyJson`, `toRawJson`, `mustFromJson`...). Helm's versions of `toYaml`,
//! `toJson`, `fromJson`... override Sprig's, so this family is registered after Sprig's.
//!
//! Error behaviour is Helm's, which differs per function on purpose: the `to*` functions
//! print `""` on failure while `must*` fail the render; `toToml` prints the encoder's
//! error text; `fromYaml`/`fromJson`/`fromToml` return a map holding an `Error` key and
//! `fromYamlArray`/`fromJsonArray` a one-element list with the message.

use crate::chart::template::funcs::{Func, FuncError};
use crate::chart::values::json::{self, Decoded, Target};
use crate::chart::values::toml::{self, TomlError};
use crate::chart::values::yaml_emit;
use crate::chart::values::{FirstDocumentError, Map, Value, first_document_value};
use crate::yaml;

/// This family's functions, by template name.
pub const FUNCS: &[(&str, Func)] = &[
    ("toYaml", to_yaml),
    ("mustToYaml", must_to_yaml),
    ("toYamlPretty", to_yaml_pretty),
    ("fromYaml", from_yaml),
    ("fromYamlArray", from_yaml_array),
    ("toJson", to_json),
    ("mustToJson", must_to_json),
    ("toPrettyJson", to_pretty_json),
    ("mustToPrettyJson", must_to_pretty_json),
    ("toRawJson", to_raw_json),
    ("mustToRawJson", must_to_raw_json),
    ("fromJson", from_json),
    ("mustFromJson", must_from_json),
    ("fromJsonArray", from_json_array),
    ("toToml", to_toml),
    ("fromToml", from_toml),
];

/// The single argument of a one-parameter function (Go checks the count before calling).
fn one<'a>(name: &str, args: &'a [Value]) -> Result<&'a Value, FuncError> {
    match args {
        [v] => Ok(v),
        _ => Err(FuncError::Args(format!(
            "wrong number of args for {name}: want 1 got {}",
            args.len()
        ))),
    }
}

/// A `string` parameter: Go's text/template refuses anything but a string. A missing
/// value is a nil `interface {}` to Go (literal `nil` and constants are rejected by the
/// executor before any call, with messages of their own).
fn one_string<'a>(name: &str, args: &'a [Value]) -> Result<&'a str, FuncError> {
    match one(name, args)? {
        Value::String(s) => Ok(s),
        other => Err(FuncError::Args(format!(
            "wrong type for value; expected string; got {}",
            if other.is_nil() {
                "interface {}"
            } else {
                other.type_name()
            }
        ))),
    }
}

fn call_error(e: impl ToString) -> FuncError {
    FuncError::Call(e.to_string())
}

fn to_yaml(args: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::from(yaml_emit::to_yaml(one("toYaml", args)?)))
}

fn must_to_yaml(args: &[Value]) -> Result<Value, FuncError> {
    yaml_emit::must_to_yaml(one("mustToYaml", args)?)
        .map(Value::from)
        .map_err(call_error)
}

fn to_yaml_pretty(args: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::from(yaml_emit::to_yaml_pretty(one(
        "toYamlPretty",
        args,
    )?)))
}

/// `sigs.k8s.io/yaml.Unmarshal` into `target`: the first YAML document, typed as values
/// files are (YAML 1.1, numbers `float64`), then the JSON type check.
fn unmarshal_yaml(src: &str, target: Target) -> Result<Value, String> {
    let doc = first_document(src);
    let value = match first_document_value(doc) {
        Ok(value) => value.unwrap_or(Value::Nil),
        Err(FirstDocumentError::Syntax(e)) => {
            return Err(format!(
                "error converting YAML to JSON: {}",
                yaml::go_yaml_message(doc, &e)
            ));
        }
        Err(FirstDocumentError::Value(e)) => return Err(e.json_conversion_message()),
    };
    let kind = match (&value, target) {
        (Value::Nil, Target::Map) => return Ok(Value::empty_map()),
        (Value::Nil, _) => return Ok(Value::list(Vec::new())),
        (Value::Map(_), Target::Map) | (Value::List(_), Target::List) => return Ok(value),
        (Value::Map(_), _) => "object",
        (Value::List(_), _) => "array",
        (Value::String(_), _) => "string",
        (Value::Bool(_), _) => "bool",
        _ => "number",
    };
    let go_type = if target == Target::Map {
        "map[string]interface {}"
    } else {
        "[]interface {}"
    };
    Err(format!(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {kind} into Go value of type {go_type}"
    ))
}

/// The text of the first YAML document: go-yaml's `Unmarshal` reads only that one, so
/// whatever follows the next `---`/`...` line (even invalid YAML) is never looked at.
fn first_document(src: &str) -> &str {
    let is_marker = |line: &str, m: &[u8; 3]| {
        crate::scan::has_prefix(line, m)
            && line
                .as_bytes()
                .get(3)
                .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    };
    // Up to the first line with content, line by line.
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        offset += line.len();
        let starts_document = is_marker(line, b"---");
        // Directives (`%YAML`) and comments before the content are not content.
        let directive = !starts_document && line.starts_with('%');
        let body = if starts_document { &line[3..] } else { line };
        if !directive && !is_blank_or_comment(body) {
            break;
        }
    }
    // After it, only line starts matter: the next document or end marker ends it (a big
    // input is one CRD of megabytes, so this skips from line break to line break).
    let line_starts = std::iter::once(offset).chain(
        crate::scan::byte_positions(b'\n', &src.as_bytes()[offset..])
            .map(|newline| offset + newline + 1),
    );
    for start in line_starts {
        let line = &src[start..];
        if is_marker(line, b"---") || is_marker(line, b"...") {
            return &src[..start];
        }
    }
    src
}

/// Whether a line is only whitespace, or a comment (Go's `strings.TrimSpace`, then `#`).
fn is_blank_or_comment(line: &str) -> bool {
    let rest = line.trim_ascii_start();
    match rest.as_bytes().first() {
        None => true,
        Some(b'#') => true,
        // Other Unicode white space (and vertical tab) the ASCII trim keeps.
        Some(&b) if !b.is_ascii() || b == 0x0b => {
            let t = line.trim();
            t.is_empty() || t.starts_with('#')
        }
        Some(_) => false,
    }
}

/// `{"Error": message}` added to what was decoded, as Helm's `from*` functions return.
fn with_error(value: Value, message: String) -> Value {
    let mut map = value.as_map().cloned().unwrap_or_default();
    map.insert("Error".into(), Value::from(message));
    Value::map(map)
}

fn from_yaml(args: &[Value]) -> Result<Value, FuncError> {
    let src = one_string("fromYaml", args)?;
    Ok(unmarshal_yaml(src, Target::Map).unwrap_or_else(|e| with_error(Value::empty_map(), e)))
}

fn from_yaml_array(args: &[Value]) -> Result<Value, FuncError> {
    let src = one_string("fromYamlArray", args)?;
    Ok(unmarshal_yaml(src, Target::List).unwrap_or_else(|e| Value::list(vec![Value::from(e)])))
}

fn to_json(args: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::from(
        json::to_json(one("toJson", args)?).unwrap_or_default(),
    ))
}

fn must_to_json(args: &[Value]) -> Result<Value, FuncError> {
    json::to_json(one("mustToJson", args)?)
        .map(Value::from)
        .map_err(call_error)
}

fn to_pretty_json(args: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::from(
        json::to_pretty_json(one("toPrettyJson", args)?).unwrap_or_default(),
    ))
}

fn must_to_pretty_json(args: &[Value]) -> Result<Value, FuncError> {
    json::to_pretty_json(one("mustToPrettyJson", args)?)
        .map(Value::from)
        .map_err(call_error)
}

/// Sprig's `toRawJson` panics on error, so unlike `toJson` it fails the render.
fn to_raw_json(args: &[Value]) -> Result<Value, FuncError> {
    json::to_raw_json(one("toRawJson", args)?)
        .map(Value::from)
        .map_err(call_error)
}

fn must_to_raw_json(args: &[Value]) -> Result<Value, FuncError> {
    json::to_raw_json(one("mustToRawJson", args)?)
        .map(Value::from)
        .map_err(call_error)
}

fn from_json(args: &[Value]) -> Result<Value, FuncError> {
    let Decoded { value, error } = json::unmarshal(one_string("fromJson", args)?, Target::Map);
    Ok(match error {
        Some(message) => with_error(value, message),
        None => value,
    })
}

fn from_json_array(args: &[Value]) -> Result<Value, FuncError> {
    let Decoded { value, error } =
        json::unmarshal(one_string("fromJsonArray", args)?, Target::List);
    Ok(match error {
        Some(message) => Value::list(vec![Value::from(message)]),
        None => value,
    })
}

/// Sprig's `mustFromJson`: any JSON value, or the error.
fn must_from_json(args: &[Value]) -> Result<Value, FuncError> {
    let Decoded { value, error } = json::unmarshal(one_string("mustFromJson", args)?, Target::Any);
    match error {
        Some(message) => Err(FuncError::Call(message)),
        None => Ok(value),
    }
}

fn to_toml(args: &[Value]) -> Result<Value, FuncError> {
    match toml::to_toml(one("toToml", args)?) {
        Ok(text) => Ok(Value::from(text)),
        Err(TomlError::Encode(message)) => Ok(Value::from(message)),
        Err(e @ TomlError::Panic(_)) => Err(call_error(e)),
    }
}

fn from_toml(args: &[Value]) -> Result<Value, FuncError> {
    let src = one_string("fromToml", args)?;
    Ok(match toml::from_toml(src) {
        Ok(map) => Value::map(map),
        Err(message) => {
            let mut map = Map::new();
            map.insert("Error".into(), Value::from(message));
            Value::map(map)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: &[Value]) -> Result<Value, FuncError> {
        let f = FUNCS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
            .unwrap();
        f(args)
    }

    fn s(text: &str) -> Value {
        Value::from(text)
    }

    fn error_of(v: &Value) -> String {
        v.as_map().unwrap()["Error"].as_str().unwrap().to_string()
    }

    // Expected strings are helm v4.1.4's output.

    #[test]
    fn from_yaml_types_and_errors() {
        let y = call("fromYaml", &[s("a: 1\nb: [x, y]\nc: yes\n")]).unwrap();
        let m = y.as_map().unwrap();
        assert_eq!(m["a"], Value::Float(1.0));
        assert_eq!(m["b"], Value::list(vec![s("x"), Value::Bool(true)]));
        assert_eq!(m["c"], Value::Bool(true));
        assert_eq!(
            error_of(&call("fromYaml", &[s("- a")]).unwrap()),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
        );
        assert_eq!(
            error_of(&call("fromYaml", &[s("1")]).unwrap()),
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go value of type map[string]interface {}"
        );
        assert_eq!(
            error_of(&call("fromYaml", &[s("a: .inf")]).unwrap()),
            "error converting YAML to JSON: json: unsupported value: +Inf"
        );
        // go-yaml's syntax errors: its wording and line numbering.
        for (src, want) in [
            ("a: [", "yaml: line 1: did not find expected node content"),
            (
                "a: b: c",
                "yaml: mapping values are not allowed in this context",
            ),
            (
                "a:\n  - 1\n b: 2",
                "yaml: line 2: did not find expected key",
            ),
            ("{a: 1", "yaml: line 1: did not find expected ',' or '}'"),
            ("a: \"x", "yaml: found unexpected end of stream"),
        ] {
            assert_eq!(
                error_of(&call("fromYaml", &[s(src)]).unwrap()),
                format!("error converting YAML to JSON: {want}"),
                "{src:?}"
            );
        }
        assert_eq!(call("fromYaml", &[s("")]).unwrap(), Value::empty_map());
        assert_eq!(call("fromYaml", &[s("~")]).unwrap(), Value::empty_map());
        // Only the first document is read, even when a later one is invalid.
        let first = call("fromYaml", &[s("a: 1\n---\nb: 2")]).unwrap();
        assert_eq!(first.as_map().unwrap().len(), 1);
        let first = call("fromYaml", &[s("a: 1\n---\nb: 2\n---\n[")]).unwrap();
        assert_eq!(first.as_map().unwrap()["a"], Value::Float(1.0));
        assert_eq!(
            first_document("# c\n%YAML 1.1\n---\n\na: 1\n...\nb"),
            "# c\n%YAML 1.1\n---\n\na: 1\n"
        );
        assert_eq!(first_document("--- 1\n--- {a: 1}"), "--- 1\n");
        assert_eq!(first_document("---\n---\na: 1"), "---\n---\na: 1");
        assert_eq!(first_document("a: ---x\n----\n"), "a: ---x\n----\n");
        assert_eq!(first_document("a: 1\n---\nb: 2\n---\n"), "a: 1\n");
        assert_eq!(first_document("a: 1\n...\n"), "a: 1\n");
        assert_eq!(
            first_document("\u{a0}\n# c\n\u{b}\na: 1\n--- x"),
            "\u{a0}\n# c\n\u{b}\na: 1\n"
        );
        assert_eq!(first_document("\u{a0}x\n---\n"), "\u{a0}x\n");
        assert_eq!(first_document("a"), "a");
    }

    #[test]
    fn from_yaml_array_errors_are_a_one_element_list() {
        assert_eq!(
            call("fromYamlArray", &[s("- 1\n- b")]).unwrap(),
            Value::list(vec![Value::Float(1.0), s("b")])
        );
        assert_eq!(
            call("fromYamlArray", &[s("a: 1")]).unwrap(),
            Value::list(vec![s(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}"
            )])
        );
        assert_eq!(
            call("fromYamlArray", &[s("")]).unwrap(),
            Value::list(vec![])
        );
    }

    #[test]
    fn from_json_keeps_partial_maps() {
        assert_eq!(
            error_of(&call("fromJson", &[s("bad")]).unwrap()),
            "invalid character 'b' looking for beginning of value"
        );
        let v = call("fromJson", &[s("{\"a\":1,\"b\":1e400}")]).unwrap();
        let m = v.as_map().unwrap();
        assert_eq!(m["a"], Value::Float(1.0));
        assert_eq!(m["b"], Value::Nil);
        assert_eq!(
            m["Error"],
            s("json: cannot unmarshal number 1e400 into Go value of type float64")
        );
        assert_eq!(
            call("fromJsonArray", &[s("{}")]).unwrap(),
            Value::list(vec![s(
                "json: cannot unmarshal object into Go value of type []interface {}"
            )])
        );
        assert_eq!(
            call("mustFromJson", &[s("[1]")]).unwrap(),
            Value::list(vec![Value::Float(1.0)])
        );
        assert_eq!(
            call("mustFromJson", &[s("")]),
            Err(FuncError::Call("unexpected end of JSON input".into()))
        );
    }

    #[test]
    fn to_functions_swallow_errors_must_functions_fail() {
        let nan = Value::Float(f64::NAN);
        for name in ["toJson", "toPrettyJson", "toYaml"] {
            assert_eq!(
                call(name, std::slice::from_ref(&nan)).unwrap(),
                s(""),
                "{name}"
            );
        }
        for (name, msg) in [
            ("mustToJson", "json: unsupported value: NaN"),
            ("toRawJson", "json: unsupported value: NaN"),
            ("mustToRawJson", "json: unsupported value: NaN"),
            ("mustToPrettyJson", "json: unsupported value: NaN"),
            (
                "mustToYaml",
                "error marshaling into JSON: json: unsupported value: NaN",
            ),
        ] {
            assert_eq!(
                call(name, std::slice::from_ref(&nan)),
                Err(FuncError::Call(msg.into())),
                "{name}"
            );
        }
        assert_eq!(call("toToml", &[nan]).unwrap(), s("nan"));
        assert_eq!(
            call("toToml", &[Value::Nil]),
            Err(FuncError::Call(
                "reflect: call of reflect.Value.Type on zero Value".into()
            ))
        );
    }

    #[test]
    fn toml_round_trip_and_errors() {
        let v = call("fromToml", &[s("a = 1\nb = 'x'")]).unwrap();
        assert_eq!(v.as_map().unwrap()["a"], Value::Int64(1));
        assert!(
            error_of(&call("fromToml", &[s("bad =")]).unwrap())
                .starts_with("toml: line 1 (last key \"bad\"): ")
        );
        let top = call("toToml", &[Value::list(vec![Value::empty_map()])]).unwrap();
        assert_eq!(top, s("toml: top-level values must be Go maps or structs"));
    }

    #[test]
    fn registered_under_helm_4_names() {
        for (name, _) in FUNCS {
            assert!(
                crate::chart::template::funcs::lookup(name).is_some(),
                "{name}"
            );
        }
        // `mustToToml` came after Helm 4.1.4.
        assert!(crate::chart::template::funcs::lookup("mustToToml").is_none());
    }

    #[test]
    fn argument_checks_match_go() {
        assert_eq!(
            call("toYaml", &[]),
            Err(FuncError::Args(
                "wrong number of args for toYaml: want 1 got 0".into()
            ))
        );
        assert_eq!(
            call("fromYaml", &[Value::Float(1.0)]),
            Err(FuncError::Args(
                "wrong type for value; expected string; got float64".into()
            ))
        );
        assert_eq!(
            call("fromJson", &[Value::Nil]),
            Err(FuncError::Args(
                "wrong type for value; expected string; got interface {}".into()
            ))
        );
    }

    #[test]
    fn helm_conformance_snippets() {
        // sp-toyaml-scalars: `toYaml (list 1 (list 2 3) (dict "a" (list 4)))`.
        let nested = Value::list(vec![
            Value::Int(1),
            Value::list(vec![Value::Int(2), Value::Int(3)]),
            Value::map(Map::from([(
                "a".to_string(),
                Value::list(vec![Value::Int(4)]),
            )])),
        ]);
        assert_eq!(
            call("toYaml", &[nested]).unwrap(),
            s("- 1\n- - 2\n  - 3\n- a:\n  - 4")
        );
        assert_eq!(call("toYaml", &[Value::Float(1e21)]).unwrap(), s("1e+21"));
        assert_eq!(
            call("toYaml", &[Value::Float(0.0000001)]).unwrap(),
            s("1e-07")
        );
        assert_eq!(call("toJson", &[Value::Float(1.0)]).unwrap(), s("1"));
        assert_eq!(call("toJson", &[s("s")]).unwrap(), s("\"s\""));
        // sp-fromyaml: `toYaml (fromYaml "x: 1.0")`.
        let x = call("fromYaml", &[s("x: 1.0")]).unwrap();
        assert_eq!(call("toYaml", &[x]).unwrap(), s("x: 1"));
    }
}
