//! `values.schema.json` validation (HELM-SEMANTICS.md §4.8) with helm 4's error shape.
//!
//! Helm 4 validates the root chart's coalesced values against its schema, then each
//! subchart's section against the subchart's schema, recursively (`ValidateAgainstSchema`),
//! and prints santhosh-tekuri/jsonschema v6 messages: `- at '/port': got string, want
//! number`. We validate with the `jsonschema` crate; [`v6`] shapes and words its errors
//! the way v6 prints them. A schema is also checked the way v6 compiles it: against its
//! draft's meta-schema (helm's `is not valid against metaschema` report), with patterns
//! that must be Go regular expressions.

mod v6;

use crate::chart::model::{Chart, FileData};
use crate::chart::template::funcs::go_regex_error;
use crate::chart::values::{Map, Value};
use v6::{Flat, flatten, flatten_values, render};

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
    Schemas::of(chart).validate(values)
}

/// What validation needs of a chart and its subcharts, owned, so that it can run on
/// another thread while the chart is rendered (`chart::render`).
pub struct Schemas {
    name: String,
    schema: Option<FileData>,
    dependencies: Vec<Schemas>,
}

impl Schemas {
    pub fn of(chart: &Chart) -> Schemas {
        Schemas {
            name: chart.metadata.name.clone(),
            schema: chart.schema.clone(),
            dependencies: chart.dependencies.iter().map(Schemas::of).collect(),
        }
    }

    /// Whether the chart or one of its subcharts has a schema to validate against.
    pub fn any(&self) -> bool {
        self.schema.is_some() || self.dependencies.iter().any(Schemas::any)
    }

    /// Validates `values` against every schema, as [`validate_values`].
    pub fn validate(&self, values: &Map) -> Result<(), SchemaError> {
        let mut report = String::new();
        self.validate_into(values, &mut report);
        if report.is_empty() {
            Ok(())
        } else {
            Err(SchemaError { report })
        }
    }

    fn validate_into(&self, values: &Map, report: &mut String) {
        if let Some(schema) = &self.schema
            && let Err(errors) = validate_one(schema, values)
        {
            report.push_str(&format!("{}:\n{errors}", self.name));
        }
        for dep in &self.dependencies {
            match values.get(&dep.name) {
                None | Some(Value::Nil) => {}
                Some(Value::Map(sub)) => dep.validate_into(sub, report),
                Some(other) => report.push_str(&format!(
                    "{}:\ninvalid type for values: expected object (map), got {}\n",
                    dep.name,
                    other.type_name()
                )),
            }
        }
    }
}

/// Checks one schema; `Err` holds the `- at ...` lines, each ending in a newline.
fn validate_one(schema: &[u8], values: &Map) -> Result<(), String> {
    let schema: serde_json::Value = serde_json::from_slice(schema)
        .map_err(|e| format!("- unable to parse values.schema.json: {e}\n"))?;
    // v6 compiles patterns as Go regular expressions: one Go rejects fails the schema's
    // meta-schema check (its `format: regex`), even where our validator's engine accepts it.
    if has_go_invalid_pattern(&schema)
        && let Some(report) = metaschema_report(&schema)
    {
        return Err(report);
    }
    let validator = jsonschema::validator_for(&schema).map_err(|e| {
        metaschema_report(&schema).unwrap_or_else(|| format!("- invalid values.schema.json: {e}\n"))
    })?;
    let instance = to_json(&Value::map(values.clone()));
    let errors: Vec<Flat> = validator
        .iter_errors(&instance)
        .flat_map(|e| flatten_values(&e, &schema, &instance))
        .collect();
    let out = render(errors);
    crate::teardown::discard((schema, validator, instance));
    if out.is_empty() { Ok(()) } else { Err(out) }
}

/// Why `schema` is not a valid schema of its draft, as helm 4 says it (v6 checks every
/// schema against its draft's meta-schema when compiling it): a first line naming the
/// schema and the meta-schema, then the tree of errors, without a final newline. `None`
/// when the schema is valid against it, or names a meta-schema we do not know (the
/// compiler's own error is reported then).
fn metaschema_report(schema: &serde_json::Value) -> Option<String> {
    use jsonschema::Draft;
    use referencing::meta;
    let (url, metaschema) = match Draft::default().detect(schema) {
        Draft::Draft4 => ("http://json-schema.org/draft-04/schema#", &*meta::DRAFT4),
        Draft::Draft6 => ("http://json-schema.org/draft-06/schema#", &*meta::DRAFT6),
        Draft::Draft7 => ("http://json-schema.org/draft-07/schema#", &*meta::DRAFT7),
        Draft::Draft201909 => (
            "https://json-schema.org/draft/2019-09/schema#",
            &*meta::DRAFT201909,
        ),
        Draft::Draft202012 => (
            "https://json-schema.org/draft/2020-12/schema#",
            &*meta::DRAFT202012,
        ),
        _ => return None,
    };
    // Compiled as an ordinary schema, so that errors carry their evaluation paths. Of the
    // formats meta-schemas use, v6 fails `regex` (Go's syntax) and lets URIs through.
    let mut options = jsonschema::options()
        .should_validate_formats(true)
        .with_format("regex", |s| go_regex_error(s).is_none());
    for lenient in [
        "uri",
        "uri-reference",
        "iri",
        "iri-reference",
        "uri-template",
    ] {
        options = options.with_format(lenient, |_| true);
    }
    let validator = options.build(metaschema).ok()?;
    let errors: Vec<Flat> = validator
        .iter_errors(schema)
        .flat_map(|e| flatten(&e, metaschema))
        .collect();
    if errors.is_empty() {
        return None;
    }
    let mut out = format!(
        "\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with '{url}'\n"
    );
    out.push_str(&render(errors));
    out.pop();
    Some(out)
}

/// Whether some `pattern` or `patternProperties` name in `schema` is not a Go regular
/// expression (looked for everywhere: a false alarm only costs the meta-schema check).
fn has_go_invalid_pattern(schema: &serde_json::Value) -> bool {
    match schema {
        serde_json::Value::Object(map) => map.iter().any(|(key, value)| {
            let bad = match (key.as_str(), value) {
                ("pattern", serde_json::Value::String(p)) => go_regex_error(p).is_some(),
                ("patternProperties", serde_json::Value::Object(props)) => {
                    props.keys().any(|p| go_regex_error(p).is_some())
                }
                _ => false,
            };
            bad || has_go_invalid_pattern(value)
        }),
        serde_json::Value::Array(items) => items.iter().any(has_go_invalid_pattern),
        _ => false,
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
            schema: Some(schema.as_bytes().into()),
            ..Default::default()
        }
    }

    /// The report of `values` (YAML) against `schema`, which they must fail.
    fn report(schema: &str, values: &str) -> String {
        validate_values(&chart("c", schema), &parse_values(values).unwrap())
            .unwrap_err()
            .report
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
    fn errors_nest_like_v6() {
        let schema = r##"{"$defs": {"port": {"type": "integer", "minimum": 1}}, "properties": {
            "a": {"required": ["x"], "properties": {"p": {"$ref": "#/$defs/port"}, "q": {"type": "string"}}},
            "single": {"$ref": "#/$defs/port"}}}"##;
        assert_eq!(
            report(schema, "a: {p: 0, q: 1}\nsingle: 0\n"),
            "c:\n- at '/a': validation failed\n  - at '/a': missing property 'x'\n  - at '/a/p': minimum: got 0, want 1\n  - at '/a/q': got number, want string\n- at '/single': minimum: got 0, want 1\n"
        );
    }

    /// The reports below are helm 4.1.4's, byte for byte (v6 prints errors of sibling
    /// properties in Go map order; where there are two, ours is one of the orders it prints).
    #[test]
    fn all_of_and_any_of_branches_nest_like_v6() {
        let schema = r#"{"required": ["zz"], "allOf": [
            {"properties": {"a": {"type": "string"}, "b": {"type": "string"}}},
            {"properties": {"a": {"anyOf": [{"allOf": [{"type": "string"}]}, {"type": "boolean"}]}}}]}"#;
        assert_eq!(
            report(schema, "a: 1\nb: 2\n"),
            "c:\n- at '': missing property 'zz'\n- at '': 'allOf' failed\n  - at '': validation failed\n    - at '/a': got number, want string\n    - at '/b': got number, want string\n  - at '/a': 'anyOf' failed\n    - at '/a': 'allOf' failed\n      - at '/a': got number, want string\n    - at '/a': got number, want boolean\n"
        );
    }

    #[test]
    fn type_const_and_enum_stop_their_schema_in_that_order() {
        assert_eq!(
            report(
                r#"{"properties": {"a": {"type": "string", "enum": ["q"], "minimum": 5}}}"#,
                "a: 1\n"
            ),
            "c:\n- at '/a': got number, want string\n"
        );
        assert_eq!(
            report(
                r#"{"properties": {"a": {"enum": [7], "const": 8, "minimum": 5}}}"#,
                "a: 1\n"
            ),
            "c:\n- at '/a': value must be 8\n"
        );
        assert_eq!(
            report(
                r#"{"properties": {"a": {"anyOf": [{"type": "string", "minimum": 5}, {"type": "boolean"}]}}}"#,
                "a: 1\n"
            ),
            "c:\n- at '/a': 'anyOf' failed\n  - at '/a': got number, want string\n  - at '/a': got number, want boolean\n"
        );
        // A `type` in a `$ref`ed schema stops that schema only.
        assert_eq!(
            report(
                r##"{"properties": {"a": {"$ref": "#/$defs/s", "minimum": 5}}, "$defs": {"s": {"type": "string"}}}"##,
                "a: 1\n"
            ),
            "c:\n- at '/a': got number, want string\n- at '/a': minimum: got 1, want 5\n"
        );
    }

    #[test]
    fn a_ref_is_reported_before_its_schemas_own_keywords() {
        let schema = r##"{"$ref": "#/$defs/s", "required": ["zz"], "$defs": {"s": {"properties": {"a": {"type": "string"}}}}}"##;
        assert_eq!(
            report(schema, "a: 1\n"),
            "c:\n- at '/a': got number, want string\n- at '': missing property 'zz'\n"
        );
    }

    /// helm 4.1.4's reports, byte for byte: v6 checks a schema against its draft's
    /// meta-schema, and so does the report of one that fails it.
    #[test]
    fn a_schema_that_fails_its_meta_schema_is_explained_like_v6() {
        let head = "c:\n\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with";
        assert_eq!(
            report(
                r#"{"type": "object", "properties": {"a": {"minimum": "x"}}}"#,
                "a: 1\n"
            ),
            format!(
                "{head} 'https://json-schema.org/draft/2020-12/schema#'\n- at '': 'allOf' failed\n  - at '/properties/a': 'allOf' failed\n    - at '/properties/a/minimum': got string, want number"
            )
        );
        assert_eq!(
            report(
                r#"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "foo"}"#,
                "a: 1\n"
            ),
            format!(
                "{head} 'http://json-schema.org/draft-07/schema#'\n- at '/type': 'anyOf' failed\n  - at '/type': value must be one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string'\n  - at '/type': got string, want array"
            )
        );
        assert_eq!(
            report(
                r#"{"$schema": "http://json-schema.org/draft-04/schema#", "required": 5}"#,
                "a: 1\n"
            ),
            format!(
                "{head} 'http://json-schema.org/draft-04/schema#'\n- at '/required': got number, want array"
            )
        );
    }

    /// helm 4.1.4's reports: v6 compiles patterns with Go's `regexp`, so a lookahead our
    /// validator's engine would take fails the schema, and a pattern property name is
    /// checked as a value of its own.
    #[test]
    fn patterns_are_go_regular_expressions() {
        let head = "c:\n\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with 'https://json-schema.org/draft/2020-12/schema#'\n- at '': 'allOf' failed\n";
        assert_eq!(
            report(r#"{"properties": {"a": {"pattern": "(?=x)"}}}"#, "a: 1\n"),
            format!(
                "{head}  - at '/properties/a': 'allOf' failed\n    - at '/properties/a/pattern': '(?=x)' is not valid regex: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"
            )
        );
        assert_eq!(
            report(r#"{"patternProperties": {"(": {}}}"#, "a: 1\n"),
            format!(
                "{head}  - at '': invalid propertyName '('\n    - at '': '(' is not valid regex: error parsing regexp: missing closing ): `(`"
            )
        );
        assert_eq!(
            report(r#"{"propertyNames": {"pattern": "^a"}}"#, "bb: 1\n"),
            "c:\n- at '': invalid propertyName 'bb'\n  - at '': 'bb' does not match pattern '^a'\n"
        );
    }

    /// helm 4.1.4's wording, byte for byte: v6's type order, English number formatting,
    /// dependent properties, `unevaluatedProperties: false` per property, keyword order.
    #[test]
    fn messages_are_worded_like_v6() {
        assert_eq!(
            report(
                r#"{"properties": {"a": {"type": ["integer", "null"]}}}"#,
                "a: x\n"
            ),
            "c:\n- at '/a': got string, want null or integer\n"
        );
        assert_eq!(
            report(
                r#"{"properties": {"a": {"maximum": 1234.5}}}"#,
                "a: 99999.25\n"
            ),
            "c:\n- at '/a': maximum: got 99,999.25, want 1,234.5\n"
        );
        assert_eq!(
            report(
                r#"{"properties": {"a": {"minimum": 0.0001}}}"#,
                "a: -0.00001\n"
            ),
            "c:\n- at '/a': minimum: got -1×10⁻⁰⁵, want 0.0001\n"
        );
        assert_eq!(
            report(r#"{"properties": {"a": {"minLength": 1000}}}"#, "a: x\n"),
            "c:\n- at '/a': minLength: got 1, want 1,000\n"
        );
        assert_eq!(
            report(r#"{"dependentRequired": {"a": ["b", "c"]}}"#, "a: 1\n"),
            "c:\n- at '': properties 'b', 'c' required, if 'a' exists\n"
        );
        assert_eq!(
            report(
                r#"{"unevaluatedProperties": false, "properties": {"a": {}}}"#,
                "a: 1\nz: 2\n"
            ),
            "c:\n- at '/z': false schema\n"
        );
        assert_eq!(
            report(
                r#"{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"l": {"items": [{"type": "string"}], "additionalItems": false}}}"#,
                "l: [1, 2]\n"
            ),
            "c:\n- at '/l/0': got number, want string\n- at '/l': last 1 additionalItem(s) not allowed\n"
        );
        assert_eq!(
            report(
                r#"{"additionalProperties": false, "allOf": [{"required": ["q"]}]}"#,
                "a: 1\nb: 2\n"
            ),
            "c:\n- at '': additional properties 'a', 'b' not allowed\n- at '': 'allOf' failed\n  - at '': missing property 'q'\n"
        );
        assert_eq!(
            report(
                r#"{"properties": {"l": {"contains": {"type": "string"}, "minContains": 2}}}"#,
                "l: [1, a]\n"
            ),
            "c:\n- at '/l': min 2 items required to match contains schema, but matched 1 items at 1\n  - at '/l/0': got number, want string\n"
        );
        // v6's keyword order: maxProperties, required, properties, ..., allOf.
        assert_eq!(
            report(
                r#"{"allOf": [{"minProperties": 5}], "required": ["q"], "maxProperties": 0, "properties": {"a": {"type": "string"}}}"#,
                "a: 1\n"
            ),
            "c:\n- at '': maxProperties: got 1, want 0\n- at '': missing property 'q'\n- at '/a': got number, want string\n- at '': 'allOf' failed\n  - at '': minProperties: got 1, want 5\n"
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
