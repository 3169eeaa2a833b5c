//! Our validator's errors shaped and worded as santhosh-tekuri/jsonschema v6 prints them
//! (what helm 4 shows): v6's tree (a subschema with several errors is `validation
//! failed`, a failed `allOf` is `'allOf' failed` over its branches, `anyOf`/`oneOf` list
//! theirs, `contains` lists its items'), what it leaves out (a schema whose `type`,
//! `const`, `enum` or `format` fails reports only that), the order it checks keywords in,
//! and its wording (types in its order, numbers as its English printer writes them).
//! Where v6's order follows a Go map (sibling properties), ours follows our validator.

use crate::chart::template::funcs::{go_regex_error, go_regex_is_match};

/// The report of `errors` (each line ending in a newline), as v6 prints its root error.
pub(super) fn render(errors: Vec<Flat>) -> String {
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
    out
}

/// [`flatten`] for an error of the values `root`: also words `additionalProperties:
/// false` as v6 does where our validator reports it about one value ([`extra_properties`]).
pub(super) fn flatten_values(
    e: &jsonschema::ValidationError<'_>,
    schema: &serde_json::Value,
    root: &serde_json::Value,
) -> Vec<Flat> {
    let mut flat = flatten(e, schema);
    if let Some(message) = extra_properties(e, schema, root) {
        flat.iter_mut()
            .for_each(|f| f.report.message = message.clone());
    }
    flat
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
pub(super) struct Flat {
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
/// are asserted), and stops at the first that fails: the schema's other keywords, and
/// everything below it, are not evaluated for that value (`{"type": "string", "minimum":
/// 5}` against `1` reports the type only). Our validator evaluates every keyword; this
/// drops what v6 would not have reached.
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
pub(super) fn flatten(
    e: &jsonschema::ValidationError<'_>,
    schema: &serde_json::Value,
) -> Vec<Flat> {
    use jsonschema::error::ValidationErrorKind as K;
    let one = flatten_one(e, schema);
    let with = |instance: Vec<String>, message: String| Flat {
        report: Report {
            at: pointer(&instance),
            message,
            causes: Vec::new(),
        },
        instance,
        ..one.clone()
    };
    match e.kind() {
        // One line per present property whose dependents are missing.
        K::Required { property } if dependent_keyword(e) => {
            dependent_required(e, schema, property.as_str().unwrap_or_default())
                .into_iter()
                .map(|m| with(one.instance.clone(), m))
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
                    with(at, "false schema".into())
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
    let matched_at = |bound: &str, want: u64| {
        format!(
            "{bound} {} items required to match contains schema, but matched {} items at {}",
            go_int(want),
            go_int(matched.len() as u64),
            matched.join(" ")
        )
    };
    let message = match (limit("minContains"), limit("maxContains")) {
        (Some(min), _) if matched.is_empty() && min > 0 => format!(
            "min {} items required to match contains schema, but none matched",
            go_int(min)
        ),
        (Some(min), _) if (matched.len() as u64) < min => matched_at("min", min),
        (_, Some(max)) if matched.len() as u64 > max => {
            causes.clear();
            matched_at("max", max)
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
    let required = match e.kind() {
        // A property `dependentRequired` asks for is not `required` ([`flatten`] words it).
        K::Required { property } if !dependent_keyword(e) => {
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
