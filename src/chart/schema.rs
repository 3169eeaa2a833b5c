//! `values.schema.json` validation (HELM-SEMANTICS.md §4.8) with helm 4's error shape.
//!
//! Helm 4 validates the root chart's coalesced values against its schema, then each
//! subchart's section against the subchart's schema, recursively (`ValidateAgainstSchema`),
//! and prints santhosh-tekuri/jsonschema v6 messages: `- at '/port': got string, want
//! number`. We validate with the `jsonschema` crate and word its errors the v6 way. The
//! order of several errors on one object follows our validator (v6's follows Go map order,
//! which is not stable either).

use crate::chart::model::Chart;
use crate::chart::values::{Map, Value};

/// Values that fail a schema; the message is helm's, starting with `values don't meet`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "values don't meet the specifications of the schema(s) in the following chart(s):\n{report}"
)]
pub struct SchemaError {
    /// One `<chart>:\n- at ...\n` block per failing chart.
    pub report: String,
}

/// Validates `values` (the chart's coalesced values) against the schemas of the chart and
/// of its enabled subcharts.
pub fn validate_values(chart: &Chart, values: &Map) -> Result<(), SchemaError> {
    let mut report = String::new();
    validate_chart(chart, values, &mut report);
    if report.is_empty() {
        Ok(())
    } else {
        Err(SchemaError { report })
    }
}

fn validate_chart(chart: &Chart, values: &Map, report: &mut String) {
    if let Some(schema) = &chart.schema
        && let Err(errors) = validate_one(schema, values)
    {
        report.push_str(&format!("{}:\n{errors}", chart.metadata.name));
    }
    for dep in &chart.dependencies {
        match values.get(&dep.metadata.name) {
            None | Some(Value::Nil) => {}
            Some(Value::Map(sub)) => validate_chart(dep, sub, report),
            Some(other) => report.push_str(&format!(
                "{}:\ninvalid type for values: expected object (map), got {}\n",
                dep.metadata.name,
                other.type_name()
            )),
        }
    }
}

/// Checks one schema; `Err` holds the `- at ...` lines, each ending in a newline.
fn validate_one(schema: &[u8], values: &Map) -> Result<(), String> {
    let schema: serde_json::Value = serde_json::from_slice(schema)
        .map_err(|e| format!("- unable to parse values.schema.json: {e}\n"))?;
    let validator = jsonschema::validator_for(&schema)
        .map_err(|e| format!("- invalid values.schema.json: {e}\n"))?;
    let instance = to_json(&Value::map(values.clone()));
    let mut out = String::new();
    let mut errors: Vec<_> = validator.iter_errors(&instance).collect();
    // v6 reports a missing required property before the properties' own errors.
    errors.sort_by_key(|e| {
        !matches!(
            e.kind(),
            jsonschema::error::ValidationErrorKind::Required { .. }
        )
    });
    let mut required_done = false;
    for e in &errors {
        if let jsonschema::error::ValidationErrorKind::Required { .. } = e.kind() {
            // v6 folds every missing property of an object into one line.
            if required_done {
                continue;
            }
            required_done = true;
            let missing: Vec<String> = errors
                .iter()
                .filter_map(|e| match e.kind() {
                    jsonschema::error::ValidationErrorKind::Required { property } => {
                        Some(format!("'{}'", property.as_str().unwrap_or_default()))
                    }
                    _ => None,
                })
                .collect();
            let noun = if missing.len() == 1 {
                "property"
            } else {
                "properties"
            };
            out.push_str(&format!(
                "- at '{}': missing {noun} {}\n",
                e.instance_path(),
                missing.join(", ")
            ));
            continue;
        }
        write_error(e, 0, &mut out);
    }
    if out.is_empty() { Ok(()) } else { Err(out) }
}

fn write_error(e: &jsonschema::ValidationError<'_>, depth: usize, out: &mut String) {
    use jsonschema::error::ValidationErrorKind as K;
    let indent = "  ".repeat(depth);
    let at = e.instance_path().to_string();
    let got = json_type(e.instance());
    let quoted = |vals: &[serde_json::Value]| {
        vals.iter()
            .map(|v| {
                format!(
                    "'{}'",
                    v.as_str().map_or_else(|| v.to_string(), str::to_string)
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let message = match e.kind() {
        K::Type { kind } => {
            let mut want: Vec<&str> = match kind {
                jsonschema::error::TypeKind::Single(t) => vec![t.as_str()],
                jsonschema::error::TypeKind::Multiple(set) => {
                    set.iter().map(|t| t.as_str()).collect()
                }
            };
            want.sort_unstable();
            format!("got {got}, want {}", want.join(" or "))
        }
        K::Enum { options } => match options.as_array().map(Vec::as_slice) {
            Some([one]) => format!("value must be {}", quoted(std::slice::from_ref(one))),
            Some(all) => format!("value must be one of {}", quoted(all)),
            None => "value must be one of the enum".into(),
        },
        K::Constant { expected_value } => {
            format!(
                "value must be {}",
                quoted(std::slice::from_ref(&**expected_value))
            )
        }
        K::FalseSchema => "false schema".into(),
        K::Minimum { limit } => format!("minimum: got {}, want {limit}", e.instance()),
        K::Maximum { limit } => format!("maximum: got {}, want {limit}", e.instance()),
        K::ExclusiveMinimum { limit } => {
            format!("exclusiveMinimum: got {}, want {limit}", e.instance())
        }
        K::ExclusiveMaximum { limit } => {
            format!("exclusiveMaximum: got {}, want {limit}", e.instance())
        }
        K::MultipleOf { multiple_of } => {
            format!(
                "multipleOf: got {}, want {}",
                e.instance(),
                go_number(*multiple_of)
            )
        }
        K::MinLength { limit } => format!("minLength: got {}, want {limit}", str_len(e.instance())),
        K::MaxLength { limit } => format!("maxLength: got {}, want {limit}", str_len(e.instance())),
        K::MinItems { limit } => format!(
            "minItems: got {}, want {limit}",
            collection_len(e.instance())
        ),
        K::MaxItems { limit } => format!(
            "maxItems: got {}, want {limit}",
            collection_len(e.instance())
        ),
        K::MinProperties { limit } => {
            format!(
                "minProperties: got {}, want {limit}",
                collection_len(e.instance())
            )
        }
        K::MaxProperties { limit } => {
            format!(
                "maxProperties: got {}, want {limit}",
                collection_len(e.instance())
            )
        }
        K::Pattern { pattern } => format!(
            "'{}' does not match pattern '{pattern}'",
            e.instance().as_str().unwrap_or_default()
        ),
        K::Format { format } => format!(
            "'{}' is not valid {format}",
            e.instance().as_str().unwrap_or_default()
        ),
        K::UniqueItems => match duplicate_items(e.instance()) {
            Some((i, j)) => format!("items at {i} and {j} are equal"),
            None => "items are not unique".into(),
        },
        K::AdditionalProperties { unexpected } => {
            let mut names: Vec<String> = unexpected.iter().map(|n| format!("'{n}'")).collect();
            names.sort();
            format!("additional properties {} not allowed", names.join(", "))
        }
        K::Not { .. } => "'not' failed".into(),
        K::AnyOf { context } | K::OneOfNotValid { context } => {
            let name = if matches!(e.kind(), K::AnyOf { .. }) {
                "'anyOf' failed"
            } else {
                "'oneOf' failed, none matched"
            };
            out.push_str(&format!("{indent}- at '{at}': {name}\n"));
            for branch in context {
                for sub in branch {
                    write_error(sub, depth + 1, out);
                }
            }
            return;
        }
        K::OneOfMultipleValid { .. } => "'oneOf' failed, subschemas matched more than once".into(),
        _ => e.to_string(),
    };
    out.push_str(&format!("{indent}- at '{at}': {message}\n"));
}

/// v6's names for JSON types (numbers are always `number` on the "got" side).
fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

fn str_len(v: &serde_json::Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fn collection_len(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(a) => a.len(),
        serde_json::Value::Object(o) => o.len(),
        _ => 0,
    }
}

fn duplicate_items(v: &serde_json::Value) -> Option<(usize, usize)> {
    let items = v.as_array()?;
    (0..items.len()).find_map(|i| {
        ((i + 1)..items.len())
            .find(|j| items[i] == items[*j])
            .map(|j| (i, j))
    })
}

fn go_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// Values as JSON for validation: integral floats become JSON integers so that they print
/// as `1` (not `1.0`) in messages and satisfy `"type": "integer"` as they do in Helm.
fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => {
            serde_json::Value::from(*f as i64)
        }
        Value::List(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Map(m) => {
            serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
        other => serde_json::Value::from(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::model::Metadata;
    use crate::chart::values::parse_values;

    fn chart(name: &str, schema: &str) -> Chart {
        Chart {
            metadata: Metadata {
                name: name.into(),
                ..Default::default()
            },
            schema: Some(std::sync::Arc::from(schema.as_bytes())),
            ..Default::default()
        }
    }

    const SCHEMA: &str = r#"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "required": ["port"], "properties": {"port": {"type": "integer", "minimum": 1}, "name": {"type": "string"}}}"#;

    #[test]
    fn reports_like_helm4() {
        let err =
            validate_values(&chart("c", SCHEMA), &parse_values("name: 5\n").unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "values don't meet the specifications of the schema(s) in the following chart(s):\nc:\n- at '': missing property 'port'\n- at '/name': got number, want string\n"
        );
    }

    #[test]
    fn integral_floats_are_integers() {
        assert!(
            validate_values(&chart("c", SCHEMA), &parse_values("port: 8080\n").unwrap()).is_ok()
        );
        let err =
            validate_values(&chart("c", SCHEMA), &parse_values("port: 0\n").unwrap()).unwrap_err();
        assert!(
            err.report.contains("- at '/port': minimum: got 0, want 1"),
            "{}",
            err.report
        );
    }

    #[test]
    fn subcharts_are_checked_against_their_section() {
        let mut root = chart("c", "{}");
        root.dependencies.push(chart(
            "sub",
            r#"{"properties": {"x": {"enum": ["a", "b"]}}}"#,
        ));
        let values = parse_values("sub: {x: c}\n").unwrap();
        let err = validate_values(&root, &values).unwrap_err();
        assert_eq!(
            err.report,
            "sub:\n- at '/x': value must be one of 'a', 'b'\n"
        );
        let values = parse_values("sub: 3\n").unwrap();
        assert!(
            validate_values(&root, &values)
                .unwrap_err()
                .report
                .contains("invalid type for values")
        );
    }
}
