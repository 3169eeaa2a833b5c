//! `values.schema.json` validation (HELM-SEMANTICS.md §4.8) with helm 4's error shape.
//!
//! Helm 4 validates the root chart's coalesced values against its schema, then each
//! subchart's section against the subchart's schema, recursively (`ValidateAgainstSchema`),
//! and prints santhosh-tekuri/jsonschema v6 messages: `- at '/port': got string, want
//! number`. We validate with the `jsonschema` crate and word its errors the v6 way, and
//! shape them as v6 does: its tree (a subschema with several errors is `validation
//! failed`, a failed `allOf` is `'allOf' failed` over its branches, `anyOf`/`oneOf` list
//! theirs), what it leaves out (a schema whose `type`, `const` or `enum` fails reports only
//! that) and what it reports first (a `$ref` before its schema's own keywords); a schema
//! that fails its draft's meta-schema is reported the same way, and patterns must be Go
//! regular expressions there, as v6 compiles them with Go's `regexp`. The order
//! of several errors on one object follows our validator (v6's follows Go map order, which
//! is not stable either).

use crate::chart::model::{Chart, FileData};
use crate::chart::template::funcs::{go_regex_error, go_regex_is_match};
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
        .flat_map(|e| {
            let mut flat = flatten(&e, &schema);
            if let Some(message) = extra_properties(&e, &schema, &instance) {
                flat.iter_mut()
                    .for_each(|f| f.report.message = message.clone());
            }
            flat
        })
        .collect();
    let mut top = build(&first_failures(errors), 0, &[]);
    // v6's root error lists the real errors: a lone `validation failed` group at the top is
    // unwrapped into its causes (traefik: two bad entries under `ports` print flat).
    if top.len() == 1 && top[0].message == "validation failed" {
        top = top.remove(0).causes;
    }
    let mut out = String::new();
    for report in top {
        report.write(0, &mut out);
    }
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
    for report in build(&first_failures(errors), 0, &[]) {
        report.write(0, &mut out);
    }
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

/// One line of the report and its nested causes (v6 prints a tree).
#[derive(Clone, Debug)]
struct Report {
    at: String,
    message: String,
    causes: Vec<Report>,
}

impl Report {
    fn write(&self, depth: usize, out: &mut String) {
        out.push_str(&format!(
            "{}- at '{}': {}\n",
            "  ".repeat(depth),
            self.at,
            self.message
        ));
        for c in &self.causes {
            c.write(depth + 1, out);
        }
    }
}

/// A validation error reduced to what the report needs.
#[derive(Clone, Debug)]
struct Flat {
    /// Evaluation path (keywords followed, `$ref`s included), one segment each.
    schema: Vec<String>,
    instance: Vec<String>,
    report: Report,
    /// `Some(property)` for a missing required property (folded per object).
    required: Option<String>,
    /// For `type`, `const`, `enum` and `format`, the order in which v6 checks them (see
    /// [`first_failures`]).
    stops: Option<u8>,
}

/// v6 checks a schema's `type`, then `const`, then `enum`, then `format` (where formats
/// are asserted), and stops at the first that fails: the schema's other keywords, and everything below it, are not evaluated for that
/// value (`{"type": "string", "minimum": 5}` against `1` reports the type only). Our
/// validator evaluates every keyword; this drops what v6 would not have reached.
fn first_failures(errors: Vec<Flat>) -> Vec<Flat> {
    let mut stopped: Vec<(&[String], &[String], u8)> = Vec::new();
    for e in &errors {
        let Some(rank) = e.stops else { continue };
        let (parent, at) = (
            &e.schema[..e.schema.len().saturating_sub(1)],
            &e.instance[..],
        );
        match stopped
            .iter_mut()
            .find(|(p, i, _)| *p == parent && *i == at)
        {
            Some(entry) => entry.2 = entry.2.min(rank),
            None => stopped.push((parent, at, rank)),
        }
    }
    if stopped.is_empty() {
        return errors;
    }
    let keep = |e: &Flat| {
        stopped.iter().all(|(parent, at, rank)| {
            let below = e.schema.len() > parent.len()
                && e.schema.starts_with(parent)
                && e.instance.starts_with(at);
            !below || (e.stops == Some(*rank) && e.schema.len() == parent.len() + 1)
        })
    };
    let kept: Vec<bool> = errors.iter().map(keep).collect();
    errors
        .into_iter()
        .zip(kept)
        .filter_map(|(e, k)| k.then_some(e))
        .collect()
}

fn segments(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn pointer(segs: &[String]) -> String {
    segs.iter()
        .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// `e` as the errors v6 reports for it: usually one, but our validator words some
/// failures as one error where v6 has one per property.
fn flatten(e: &jsonschema::ValidationError<'_>, schema: &serde_json::Value) -> Vec<Flat> {
    use jsonschema::error::ValidationErrorKind as K;
    let one = flatten_one(e, schema);
    let with = |instance: Vec<String>, message: String| Flat {
        instance,
        report: Report {
            at: String::new(),
            message,
            causes: Vec::new(),
        },
        ..one.clone()
    };
    match e.kind() {
        // One line per present property whose dependents are missing.
        K::Required { property } if dependent_keyword(e) => {
            dependent_required(e, schema, property.as_str().unwrap_or_default())
                .into_iter()
                .map(|m| {
                    let mut f = with(one.instance.clone(), m);
                    f.report.at = one.report.at.clone();
                    f
                })
                .collect()
        }
        // `unevaluatedProperties: false`: v6 checks each property against the false
        // schema, so each is `false schema` at its own location.
        K::UnevaluatedProperties { unexpected }
            if schema.pointer(&e.schema_path().to_string())
                == Some(&serde_json::Value::Bool(false)) =>
        {
            unexpected
                .iter()
                .map(|name| {
                    let mut at = one.instance.clone();
                    at.push(name.clone());
                    let mut f = with(at.clone(), "false schema".into());
                    f.report.at = pointer(&at);
                    f
                })
                .collect()
        }
        K::Contains => match contains(e, schema) {
            Some(report) => vec![Flat { report, ..one }],
            None => vec![one],
        },
        _ => vec![one],
    }
}

/// v6's report of a failed `contains` (with `minContains`/`maxContains`): which items
/// matched, and why each other one did not. Our validator only says that the array
/// failed, so the items are checked again against the `contains` schema on its own;
/// `None` when that schema cannot stand alone (a `$ref` into the rest of the document).
fn contains(e: &jsonschema::ValidationError<'_>, schema: &serde_json::Value) -> Option<Report> {
    let path = e.schema_path().to_string();
    let parent = schema.pointer(&path[..path.rfind('/')?])?;
    let sub = parent.get("contains")?;
    let validator = jsonschema::validator_for(sub).ok()?;
    let limit = |key: &str| parent.get(key).and_then(serde_json::Value::as_u64);
    let at = segments(&e.instance_path().to_string());
    let (mut matched, mut causes) = (Vec::new(), Vec::new());
    for (i, item) in e.instance().as_array()?.iter().enumerate() {
        let mut here = at.clone();
        here.push(i.to_string());
        let flat: Vec<Flat> = validator
            .iter_errors(item)
            .flat_map(|inner| flatten(&inner, sub))
            .map(|f| rerooted(f, &here))
            .collect();
        if flat.is_empty() {
            matched.push(i.to_string());
        } else {
            causes.push(one_or_group(build(&first_failures(flat), 0, &here), &here));
        }
    }
    let message = match (limit("minContains"), limit("maxContains")) {
        (Some(min), _) if (matched.len() as u64) < min => {
            if matched.is_empty() {
                format!(
                    "min {} items required to match contains schema, but none matched",
                    go_int(min)
                )
            } else {
                format!(
                    "min {} items required to match contains schema, but matched {} items at {}",
                    go_int(min),
                    go_int(matched.len() as u64),
                    matched.join(" ")
                )
            }
        }
        (_, Some(max)) if matched.len() as u64 > max => {
            causes.clear();
            format!(
                "max {} items required to match contains schema, but matched {} items at {}",
                go_int(max),
                go_int(matched.len() as u64),
                matched.join(" ")
            )
        }
        _ => "no items match contains schema".into(),
    };
    Some(Report {
        at: pointer(&at),
        message,
        causes,
    })
}

/// `f`, found by validating a value on its own, placed at `at` in the whole instance.
fn rerooted(mut f: Flat, at: &[String]) -> Flat {
    fn prefix(r: &mut Report, with: &str) {
        r.at = format!("{with}{}", r.at);
        r.causes.iter_mut().for_each(|c| prefix(c, with));
    }
    prefix(&mut f.report, &pointer(at));
    f.instance = at.iter().cloned().chain(f.instance).collect();
    f
}

fn flatten_one(e: &jsonschema::ValidationError<'_>, schema: &serde_json::Value) -> Flat {
    use jsonschema::error::ValidationErrorKind as K;
    let evaluation = segments(&e.evaluation_path().to_string());
    // A property `dependentRequired` (draft 7: `dependencies`) asks for is not `required`.
    let dependent = matches!(
        evaluation.last().map(String::as_str),
        Some("dependentRequired" | "dependencies")
    );
    let required = match e.kind() {
        K::Required { property } if !dependent => {
            Some(property.as_str().unwrap_or_default().to_string())
        }
        _ => None,
    };
    Flat {
        schema: evaluation,
        instance: segments(&e.instance_path().to_string()),
        report: report(e, schema),
        required,
        stops: match e.kind() {
            K::Type { .. } => Some(0),
            K::Constant { .. } => Some(1),
            K::Enum { .. } => Some(2),
            K::Format { .. } => Some(3),
            _ => None,
        },
    }
}

/// A subschema's evaluation-path segments and the instance location it applied to.
type GroupKey = (Vec<String>, Vec<String>);

/// Groups errors the way v6 nests them: by the subschema (and child instance) they were
/// found in. A group of one error is printed in place; a larger one becomes
/// `validation failed` with the errors as causes.
fn build(errors: &[Flat], depth: usize, at: &[String]) -> Vec<Report> {
    // Each report with the keyword it came from, put in v6's order at the end.
    let mut out: Vec<(&str, Report)> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    let mut groups: Vec<(GroupKey, Vec<Flat>)> = Vec::new();
    for e in errors {
        let rest = &e.schema[depth.min(e.schema.len())..];
        if rest.len() <= 1 {
            match &e.required {
                Some(p) => missing.push(quote(p)),
                // One report per dependent property, however many of its names are missing.
                None if out
                    .iter()
                    .any(|(_, r)| r.at == e.report.at && r.message == e.report.message) => {}
                None => out.push((rest.first().map_or("", String::as_str), e.report.clone())),
            }
            continue;
        }
        // `allOf` is one group over all its branches: v6 reports it as one error.
        let width = match rest[0].as_str() {
            "properties" | "patternProperties" | "dependentSchemas" | "anyOf" | "oneOf"
            | "prefixItems" | "$defs" | "definitions" | "dependencies" => 2,
            "items" if rest[1].parse::<usize>().is_ok() => 2,
            _ => 1,
        };
        let descends = matches!(
            rest[0].as_str(),
            "properties"
                | "patternProperties"
                | "additionalProperties"
                | "items"
                | "prefixItems"
                | "additionalItems"
                | "contains"
                | "unevaluatedProperties"
                | "unevaluatedItems"
        );
        let mut child = at.to_vec();
        if descends && let Some(seg) = e.instance.get(at.len()) {
            child.push(seg.clone());
        }
        let key = (rest[..width.min(rest.len())].to_vec(), child);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(e.clone()),
            None => groups.push((key, vec![e.clone()])),
        }
    }
    if !missing.is_empty() {
        let noun = if missing.len() == 1 {
            "property"
        } else {
            "properties"
        };
        out.push((
            "required",
            Report {
                at: pointer(at),
                message: format!("missing {noun} {}", missing.join(", ")),
                causes: Vec::new(),
            },
        ));
    }
    let mut grouped = Vec::new();
    for ((schema, child), members) in groups {
        let report = if schema == ["allOf"] {
            all_of(&members, depth + 1, &child)
        } else {
            one_or_group(build(&members, depth + schema.len(), &child), &child)
        };
        grouped.push((schema[0].clone(), report));
    }
    let mut all: Vec<(usize, Report)> = out
        .into_iter()
        .map(|(keyword, r)| (v6_order(keyword, true), r))
        .chain(grouped.into_iter().map(|(k, r)| (v6_order(&k, false), r)))
        .collect();
    all.sort_by_key(|(order, _)| *order);
    all.into_iter().map(|(_, r)| r).collect()
}

/// Where v6 checks `keyword` among a schema's keywords (its validator's order: `$ref`,
/// then the instance's own type's keywords, then the applicators, then `unevaluated*`).
/// `leaf`: the error is the keyword's own (`additionalProperties: false`), not one found
/// in its subschema (which v6 checks with `properties`).
fn v6_order(keyword: &str, leaf: bool) -> usize {
    const ORDER: &[&str] = &[
        "$ref",
        "minProperties",
        "maxProperties",
        "required",
        "dependencies",
        "properties",
        "additionalProperties",
        "propertyNames",
        "dependentSchemas",
        "dependentRequired",
        "minItems",
        "maxItems",
        "uniqueItems",
        "prefixItems",
        "items",
        "additionalItems",
        "contains",
        "minContains",
        "maxContains",
        "minLength",
        "maxLength",
        "pattern",
        "contentEncoding",
        "contentMediaType",
        "contentSchema",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "$recursiveRef",
        "$dynamicRef",
        "not",
        "allOf",
        "anyOf",
        "oneOf",
        "if",
        "then",
        "else",
        "unevaluatedItems",
        "unevaluatedProperties",
    ];
    let keyword = match keyword {
        "patternProperties" => "properties",
        "additionalProperties" if !leaf => "properties",
        other => other,
    };
    ORDER.iter().position(|k| *k == keyword).unwrap_or(0)
}

/// A subschema's errors as one report: the error itself when there is one, else
/// `validation failed` with the errors as causes.
fn one_or_group(mut errors: Vec<Report>, at: &[String]) -> Report {
    if errors.len() == 1 {
        return errors.remove(0);
    }
    Report {
        at: pointer(at),
        message: "validation failed".into(),
        causes: errors,
    }
}

/// A failed `allOf` (v6's `'allOf' failed`): one cause per failing branch, in branch
/// order, each as [`one_or_group`] words it. `depth` is past the `allOf` segment.
fn all_of(errors: &[Flat], depth: usize, at: &[String]) -> Report {
    let branch = |e: &Flat| {
        e.schema
            .get(depth)
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(usize::MAX)
    };
    let mut branches: Vec<usize> = errors.iter().map(branch).collect();
    branches.sort_unstable();
    branches.dedup();
    let causes = branches
        .into_iter()
        .map(|b| {
            let members: Vec<Flat> = errors.iter().filter(|e| branch(e) == b).cloned().collect();
            one_or_group(build(&members, depth + 1, at), at)
        })
        .collect();
    Report {
        at: pointer(at),
        message: "'allOf' failed".into(),
        causes,
    }
}

/// v6's `quote`: Go's `%q` with single quotes (`"` unescaped, `'` escaped).
fn quote(s: &str) -> String {
    let q = crate::chart::template::lexer::go_quote(s);
    let inner = &q[1..q.len() - 1];
    format!("'{}'", inner.replace("\\\"", "\"").replace('\'', "\\'"))
}

fn is_composite(v: &serde_json::Value) -> bool {
    v.is_array() || v.is_object()
}

/// v6's `display` of an enum/const value: strings quoted, others as Go's `%v` (`<nil>`).
fn display(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => quote(s),
        serde_json::Value::Null => "<nil>".into(),
        other => other.to_string(),
    }
}

/// One error as v6 words it (`anyOf`/`oneOf` failures carry their branches' errors).
fn report(e: &jsonschema::ValidationError<'_>, schema: &serde_json::Value) -> Report {
    use jsonschema::error::ValidationErrorKind as K;
    let at = e.instance_path().to_string();
    let got = json_type(e.instance());
    let message = match e.kind() {
        K::Type { kind } => {
            let mut want: Vec<&str> = match kind {
                jsonschema::error::TypeKind::Single(t) => vec![t.as_str()],
                jsonschema::error::TypeKind::Multiple(set) => {
                    set.iter().map(|t| t.as_str()).collect()
                }
            };
            // v6 lists types in its own order, not the schema's or alphabetical.
            const V6_TYPES: [&str; 7] = [
                "null", "boolean", "number", "integer", "string", "array", "object",
            ];
            want.sort_by_key(|t| V6_TYPES.iter().position(|v| v == t));
            format!("got {got}, want {}", want.join(" or "))
        }
        K::Enum { options } => match options.as_array().map(Vec::as_slice) {
            Some(all) if all.iter().any(is_composite) => "'enum' failed".into(),
            Some([one]) => format!("value must be {}", display(one)),
            Some(all) => format!(
                "value must be one of {}",
                all.iter().map(display).collect::<Vec<_>>().join(", ")
            ),
            None => "'enum' failed".into(),
        },
        K::Constant { expected_value } if is_composite(expected_value) => "'const' failed".into(),
        K::Constant { expected_value } => format!("value must be {}", display(expected_value)),
        K::FalseSchema => "false schema".into(),
        K::Minimum { limit } => bound("minimum", e.instance(), limit),
        K::Maximum { limit } => bound("maximum", e.instance(), limit),
        K::ExclusiveMinimum { limit } => bound("exclusiveMinimum", e.instance(), limit),
        K::ExclusiveMaximum { limit } => bound("exclusiveMaximum", e.instance(), limit),
        K::MultipleOf { multiple_of } => format!(
            "multipleOf: got {}, want {}",
            go_float(e.instance().as_f64().unwrap_or_default()),
            go_float(*multiple_of)
        ),
        K::MinLength { limit } => count("minLength", str_len(e.instance()), *limit),
        K::MaxLength { limit } => count("maxLength", str_len(e.instance()), *limit),
        K::MinItems { limit } => count("minItems", collection_len(e.instance()), *limit),
        K::MaxItems { limit } => count("maxItems", collection_len(e.instance()), *limit),
        K::MinProperties { limit } => count("minProperties", collection_len(e.instance()), *limit),
        K::MaxProperties { limit } => count("maxProperties", collection_len(e.instance()), *limit),
        K::AdditionalItems { limit } => format!(
            "last {} additionalItem(s) not allowed",
            go_int(collection_len(e.instance()).saturating_sub(*limit) as u64)
        ),
        K::Required { property } if dependent_keyword(e) => {
            dependent_required(e, schema, property.as_str().unwrap_or_default()).remove(0)
        }
        K::Pattern { pattern } => format!(
            "{} does not match pattern {}",
            quote(e.instance().as_str().unwrap_or_default()),
            quote(pattern)
        ),
        K::Format { format } => match (format.as_str(), e.instance().as_str()) {
            ("regex", Some(p)) if go_regex_error(p).is_some() => format!(
                "{} is not valid regex: {}",
                display(e.instance()),
                go_regex_error(p).unwrap_or_default()
            ),
            _ => format!("{} is not valid {format}", display(e.instance())),
        },
        K::UniqueItems => match duplicate_items(e.instance()) {
            Some((i, j)) => format!("items at {i} and {j} are equal"),
            None => "items are not unique".into(),
        },
        K::AdditionalProperties { unexpected } => {
            let mut names: Vec<String> = unexpected.iter().map(|n| quote(n)).collect();
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
            // Each branch's errors nest as a subschema's do (`allOf` inside a branch).
            let depth = segments(&e.evaluation_path().to_string()).len() + 1;
            let here = segments(&at);
            let causes = context
                .iter()
                .filter(|branch| !branch.is_empty())
                .map(|branch| {
                    let flat = branch.iter().flat_map(|c| flatten(c, schema)).collect();
                    one_or_group(build(&first_failures(flat), depth, &here), &here)
                })
                .collect();
            return Report {
                at,
                message: name.into(),
                causes,
            };
        }
        K::OneOfMultipleValid { .. } => match matching_branches(e, schema) {
            Some((i, j)) => format!("'oneOf' failed, subschemas {i}, {j} matched"),
            None => "'oneOf' failed, subschemas matched more than once".into(),
        },
        // v6 checks a property name as a value of its own: both lines are at ''.
        K::PropertyNames { error } => {
            return Report {
                at: String::new(),
                message: format!("invalid propertyName {}", display(error.instance())),
                causes: vec![Report {
                    at: String::new(),
                    ..report(error, schema)
                }],
            };
        }
        K::Required { property } => format!(
            "missing property {}",
            quote(property.as_str().unwrap_or_default())
        ),
        _ => e.to_string(),
    };
    Report {
        at,
        message,
        causes: Vec::new(),
    }
}

/// The first two `oneOf` branches the instance satisfies (v6 names them), found by
/// checking each branch on its own; `None` when a branch cannot be checked alone.
fn matching_branches(
    e: &jsonschema::ValidationError<'_>,
    schema: &serde_json::Value,
) -> Option<(usize, usize)> {
    let branches = schema.pointer(&e.schema_path().to_string())?.as_array()?;
    let mut valid = Vec::new();
    for (i, branch) in branches.iter().enumerate() {
        if jsonschema::validator_for(branch)
            .ok()?
            .is_valid(e.instance())
        {
            valid.push(i);
        }
    }
    match valid.as_slice() {
        [i, j, ..] => Some((*i, *j)),
        _ => None,
    }
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

/// `minimum: got 1, want 5` and its kin: both numbers as float64, as v6 prints them.
fn bound(keyword: &str, got: &serde_json::Value, want: &serde_json::Value) -> String {
    let num = |v: &serde_json::Value| go_float(v.as_f64().unwrap_or_default());
    format!("{keyword}: got {}, want {}", num(got), num(want))
}

/// `minLength: got 1, want 50` and its kin (counts).
fn count(keyword: &str, got: usize, want: u64) -> String {
    format!(
        "{keyword}: got {}, want {}",
        go_int(got as u64),
        go_int(want)
    )
}

/// An integer as v6's English message printer writes it: digits grouped by commas.
fn go_int(n: u64) -> String {
    group_digits(&n.to_string())
}

/// A float64 as v6's English message printer writes `%v`: Go's shortest form, the integer
/// part grouped by commas (`99,999.25`), and scientific notation (Go's `%g` thresholds)
/// written with `×10` and a superscript exponent of at least two digits (`1×10⁻⁰⁵`).
fn go_float(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if f != 0.0 && !(-4..21).contains(&exp) {
        const SUPER: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
        let digits: String = format!("{:02}", exp.unsigned_abs())
            .bytes()
            .map(|d| SUPER[(d - b'0') as usize])
            .collect();
        let sign = if exp < 0 { "⁻" } else { "" };
        return format!("{mantissa}×10{sign}{digits}");
    }
    let plain = f.to_string();
    let (negative, plain) = match plain.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, plain.as_str()),
    };
    let (int, frac) = plain.split_once('.').unwrap_or((plain, ""));
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group_digits(int));
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// `1234567` → `1,234,567`.
fn group_digits(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// v6's `additional properties 'x', 'y' not allowed` where our validator reports
/// `additionalProperties: false` as a `false schema` error about the first extra value,
/// located at the object (it does when the schema has no `properties`): the names are the
/// object's that `properties` and `patternProperties` do not cover.
fn extra_properties(
    e: &jsonschema::ValidationError<'_>,
    schema: &serde_json::Value,
    root: &serde_json::Value,
) -> Option<String> {
    use jsonschema::error::ValidationErrorKind as K;
    let schema_path = e.schema_path().to_string();
    let parent_path = schema_path.strip_suffix("/additionalProperties")?;
    if !matches!(e.kind(), K::FalseSchema) {
        return None;
    }
    let object = root.pointer(&e.instance_path().to_string())?.as_object()?;
    if e.instance().as_object() == Some(object) {
        return None;
    }
    let parent = schema.pointer(parent_path)?;
    let declared = |key: &str| parent.get(key).and_then(serde_json::Value::as_object);
    let covered = |name: &str| {
        declared("properties").is_some_and(|p| p.contains_key(name))
            || declared("patternProperties")
                .is_some_and(|p| p.keys().any(|re| go_regex_is_match(re, name) == Some(true)))
    };
    let mut names: Vec<String> = object
        .keys()
        .filter(|n| !covered(n))
        .map(|n| quote(n))
        .collect();
    names.sort();
    Some(format!(
        "additional properties {} not allowed",
        names.join(", ")
    ))
}

/// Whether `e`, a missing property, comes from `dependentRequired` (or draft 7's
/// `dependencies`) rather than `required`.
fn dependent_keyword(e: &jsonschema::ValidationError<'_>) -> bool {
    let path = e.evaluation_path().to_string();
    path.ends_with("/dependentRequired") || path.ends_with("/dependencies")
}

/// v6's `properties 'b', 'c' required, if 'a' exists`, for every present property whose
/// dependents include `missing` (our validator reports each missing name once, however
/// many properties need it; [`build`] keeps one line per message).
fn dependent_required(
    e: &jsonschema::ValidationError<'_>,
    schema: &serde_json::Value,
    missing: &str,
) -> Vec<String> {
    let object = e.instance().as_object();
    let has = |name: &str| object.is_some_and(|o| o.contains_key(name));
    let rules = schema
        .pointer(&e.schema_path().to_string())
        .and_then(serde_json::Value::as_object);
    let mut out = Vec::new();
    for (present, needs) in rules.into_iter().flatten() {
        let Some(needs) = needs.as_array() else {
            continue;
        };
        let names: Vec<&str> = needs.iter().filter_map(serde_json::Value::as_str).collect();
        if has(present) && names.contains(&missing) {
            let absent: Vec<String> = names.iter().filter(|n| !has(n)).map(|n| quote(n)).collect();
            out.push(format!(
                "properties {} required, if {} exists",
                absent.join(", "),
                quote(present)
            ));
        }
    }
    if out.is_empty() {
        out.push(format!("missing property {}", quote(missing)));
    }
    out
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
        let values = parse_values("a: {p: 0, q: 1}\nsingle: 0\n").unwrap();
        let err = validate_values(&chart("c", schema), &values).unwrap_err();
        assert_eq!(
            err.report,
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
        let values = parse_values("a: 1\nb: 2\n").unwrap();
        let err = validate_values(&chart("c", schema), &values).unwrap_err();
        assert_eq!(
            err.report,
            "c:\n- at '': missing property 'zz'\n- at '': 'allOf' failed\n  - at '': validation failed\n    - at '/a': got number, want string\n    - at '/b': got number, want string\n  - at '/a': 'anyOf' failed\n    - at '/a': 'allOf' failed\n      - at '/a': got number, want string\n    - at '/a': got number, want boolean\n"
        );
    }

    #[test]
    fn type_const_and_enum_stop_their_schema_in_that_order() {
        let values = parse_values("a: 1\n").unwrap();
        let report = |schema: &str| {
            validate_values(&chart("c", schema), &values)
                .unwrap_err()
                .report
        };
        assert_eq!(
            report(r#"{"properties": {"a": {"type": "string", "enum": ["q"], "minimum": 5}}}"#),
            "c:\n- at '/a': got number, want string\n"
        );
        assert_eq!(
            report(r#"{"properties": {"a": {"enum": [7], "const": 8, "minimum": 5}}}"#),
            "c:\n- at '/a': value must be 8\n"
        );
        assert_eq!(
            report(
                r#"{"properties": {"a": {"anyOf": [{"type": "string", "minimum": 5}, {"type": "boolean"}]}}}"#
            ),
            "c:\n- at '/a': 'anyOf' failed\n  - at '/a': got number, want string\n  - at '/a': got number, want boolean\n"
        );
        // A `type` in a `$ref`ed schema stops that schema only.
        assert_eq!(
            report(
                r##"{"properties": {"a": {"$ref": "#/$defs/s", "minimum": 5}}, "$defs": {"s": {"type": "string"}}}"##
            ),
            "c:\n- at '/a': got number, want string\n- at '/a': minimum: got 1, want 5\n"
        );
    }

    #[test]
    fn a_ref_is_reported_before_its_schemas_own_keywords() {
        let schema = r##"{"$ref": "#/$defs/s", "required": ["zz"], "$defs": {"s": {"properties": {"a": {"type": "string"}}}}}"##;
        let values = parse_values("a: 1\n").unwrap();
        let err = validate_values(&chart("c", schema), &values).unwrap_err();
        assert_eq!(
            err.report,
            "c:\n- at '/a': got number, want string\n- at '': missing property 'zz'\n"
        );
    }

    /// helm 4.1.4's reports, byte for byte: v6 checks a schema against its draft's
    /// meta-schema, and so does the report of one that fails it.
    #[test]
    fn a_schema_that_fails_its_meta_schema_is_explained_like_v6() {
        let values = parse_values("a: 1\n").unwrap();
        let report = |schema: &str| {
            validate_values(&chart("c", schema), &values)
                .unwrap_err()
                .report
        };
        let head = "c:\n\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with";
        assert_eq!(
            report(r#"{"type": "object", "properties": {"a": {"minimum": "x"}}}"#),
            format!(
                "{head} 'https://json-schema.org/draft/2020-12/schema#'\n- at '': 'allOf' failed\n  - at '/properties/a': 'allOf' failed\n    - at '/properties/a/minimum': got string, want number"
            )
        );
        assert_eq!(
            report(r#"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "foo"}"#),
            format!(
                "{head} 'http://json-schema.org/draft-07/schema#'\n- at '/type': 'anyOf' failed\n  - at '/type': value must be one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string'\n  - at '/type': got string, want array"
            )
        );
        assert_eq!(
            report(r#"{"$schema": "http://json-schema.org/draft-04/schema#", "required": 5}"#),
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
        let values = parse_values("a: 1\n").unwrap();
        let report = |schema: &str| {
            validate_values(&chart("c", schema), &values)
                .unwrap_err()
                .report
        };
        let head = "c:\n\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with 'https://json-schema.org/draft/2020-12/schema#'\n- at '': 'allOf' failed\n";
        assert_eq!(
            report(r#"{"properties": {"a": {"pattern": "(?=x)"}}}"#),
            format!(
                "{head}  - at '/properties/a': 'allOf' failed\n    - at '/properties/a/pattern': '(?=x)' is not valid regex: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"
            )
        );
        assert_eq!(
            report(r#"{"patternProperties": {"(": {}}}"#),
            format!(
                "{head}  - at '': invalid propertyName '('\n    - at '': '(' is not valid regex: error parsing regexp: missing closing ): `(`"
            )
        );
        let names = parse_values("bb: 1\n").unwrap();
        let err = validate_values(
            &chart("c", r#"{"propertyNames": {"pattern": "^a"}}"#),
            &names,
        );
        assert_eq!(
            err.unwrap_err().report,
            "c:\n- at '': invalid propertyName 'bb'\n  - at '': 'bb' does not match pattern '^a'\n"
        );
    }

    /// helm 4.1.4's wording, byte for byte: v6's type order, English number formatting,
    /// dependent properties, `unevaluatedProperties: false` per property, keyword order.
    #[test]
    fn messages_are_worded_like_v6() {
        let report = |schema: &str, values: &str| {
            validate_values(&chart("c", schema), &parse_values(values).unwrap())
                .unwrap_err()
                .report
        };
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
