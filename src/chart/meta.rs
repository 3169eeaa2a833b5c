//! `Chart.yaml` and `requirements.yaml` into [`Metadata`], typed the way Helm's YAML→JSON
//! path types them (HELM-SEMANTICS.md §5.1), and Helm's metadata validation.
//!
//! Helm decodes Chart.yaml with sigs.k8s.io/yaml, which converts a YAML number or bool
//! into a string when the Go field is a string: `version: 1.0` becomes `"1"` (a float
//! printed with `%g` at 32-bit precision). Reading the positioned tree field by field keeps
//! that rule and lets every error point at its line.

use crate::chart::model::{Dependency, Maintainer, Metadata};
use crate::chart::semver::Version;
use crate::chart::values::node_to_value;
use crate::yaml::{self, Node, NodeKind, Pos, Resolved, ScalarStyle};

/// A problem at a position of Chart.yaml or requirements.yaml.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{pos}: {message}")]
pub struct MetaError {
    pub pos: Pos,
    pub message: String,
}

impl MetaError {
    fn at(node: &Node, message: impl Into<String>) -> MetaError {
        MetaError {
            pos: node.pos,
            message: message.into(),
        }
    }
}

impl From<yaml::YamlError> for MetaError {
    fn from(e: yaml::YamlError) -> MetaError {
        MetaError {
            pos: e.pos,
            message: e.message,
        }
    }
}

/// The first document of a YAML text (go-yaml's `Unmarshal` reads only that one), or
/// `None` when the text is empty or `null`.
fn first_document(src: &str) -> Result<Option<Node>, MetaError> {
    let doc = yaml::parse_documents(src)?.into_iter().next();
    Ok(doc.filter(|d| !d.is_null()))
}

/// The top-level mapping of a document, or the error Go's decoder gives for other shapes.
fn top_map<'a>(doc: &'a Node, target: &str) -> Result<&'a [(Node, Node)], MetaError> {
    doc.as_map().ok_or_else(|| {
        MetaError::at(
            doc,
            format!("cannot unmarshal {} into {target}", doc.describe()),
        )
    })
}

/// Fills `meta` from a Chart.yaml text (fields absent from the text keep their value).
pub fn parse_chart_yaml(src: &str, meta: &mut Metadata) -> Result<(), MetaError> {
    let Some(doc) = first_document(src)? else {
        return Ok(());
    };
    for (key, value) in top_map(&doc, "chart metadata")? {
        let Some(key) = key.as_scalar().map(|s| s.text.as_str()) else {
            continue;
        };
        match key {
            "apiVersion" => meta.api_version = string(value)?,
            "name" => meta.name = string(value)?,
            "version" => meta.version = string(value)?,
            "kubeVersion" => meta.kube_version = string(value)?,
            "description" => meta.description = string(value)?,
            "type" => meta.chart_type = string(value)?,
            "keywords" => meta.keywords = string_list(value)?,
            "home" => meta.home = string(value)?,
            "sources" => meta.sources = string_list(value)?,
            "dependencies" => meta.dependencies = dependencies(value)?,
            "maintainers" => meta.maintainers = maintainers(value)?,
            "icon" => meta.icon = string(value)?,
            "appVersion" => meta.app_version = string(value)?,
            "deprecated" => meta.deprecated = boolean(value)?,
            "annotations" => meta.annotations = string_map(value)?,
            "condition" => meta.condition = string(value)?,
            "tags" => meta.tags = string(value)?,
            _ => {}
        }
    }
    Ok(())
}

/// Reads the `dependencies` of a requirements.yaml into `meta` (v1 charts; honoured with a
/// warning for v2).
pub fn parse_requirements(src: &str, meta: &mut Metadata) -> Result<(), MetaError> {
    let Some(doc) = first_document(src)? else {
        return Ok(());
    };
    if let Some(deps) = top_map(&doc, "requirements")?
        .iter()
        .find(|(k, _)| k.as_scalar().is_some_and(|s| s.text == "dependencies"))
    {
        meta.dependencies = dependencies(&deps.1)?;
    }
    Ok(())
}

fn dependencies(node: &Node) -> Result<Vec<Dependency>, MetaError> {
    list(node)?
        .iter()
        .map(|item| {
            let mut dep = Dependency::default();
            if item.is_null() {
                return Ok(dep);
            }
            for (key, value) in top_map(item, "a dependency")? {
                match key.as_scalar().map(|s| s.text.as_str()) {
                    Some("name") => dep.name = string(value)?,
                    Some("version") => dep.version = string(value)?,
                    Some("repository") => dep.repository = string(value)?,
                    Some("condition") => dep.condition = string(value)?,
                    Some("tags") => dep.tags = string_list(value)?,
                    Some("enabled") => dep.enabled = boolean(value)?,
                    Some("import-values") => {
                        dep.import_values = list(value)?
                            .iter()
                            .map(|v| {
                                node_to_value(v)
                                    .map(|v| serde_json::Value::from(&v))
                                    .map_err(|e| MetaError::at(v, e.to_string()))
                            })
                            .collect::<Result<_, _>>()?;
                    }
                    Some("alias") => dep.alias = string(value)?,
                    _ => {}
                }
            }
            Ok(dep)
        })
        .collect()
}

fn maintainers(node: &Node) -> Result<Vec<Maintainer>, MetaError> {
    list(node)?
        .iter()
        .map(|item| {
            let mut m = Maintainer::default();
            if item.is_null() {
                return Ok(m);
            }
            for (key, value) in top_map(item, "a maintainer")? {
                match key.as_scalar().map(|s| s.text.as_str()) {
                    Some("name") => m.name = string(value)?,
                    Some("email") => m.email = string(value)?,
                    Some("url") => m.url = string(value)?,
                    _ => {}
                }
            }
            Ok(m)
        })
        .collect()
}

fn list(node: &Node) -> Result<&[Node], MetaError> {
    if node.is_null() {
        return Ok(&[]);
    }
    node.as_seq()
        .ok_or_else(|| MetaError::at(node, format!("expected a list, found {}", node.describe())))
}

fn string_list(node: &Node) -> Result<Vec<String>, MetaError> {
    list(node)?.iter().map(string).collect()
}

fn string_map(node: &Node) -> Result<std::collections::BTreeMap<String, String>, MetaError> {
    if node.is_null() {
        return Ok(Default::default());
    }
    let entries = node.as_map().ok_or_else(|| {
        MetaError::at(
            node,
            format!("expected a mapping, found {}", node.describe()),
        )
    })?;
    entries
        .iter()
        .map(|(k, v)| Ok((string(k)?, string(v)?)))
        .collect()
}

fn boolean(node: &Node) -> Result<bool, MetaError> {
    match &node.kind {
        NodeKind::Scalar(s) if s.style == ScalarStyle::Plain && s.tag.is_none() => {
            match yaml::resolve_plain(&s.text) {
                Resolved::Bool(b) => Ok(b),
                Resolved::Null => Ok(false),
                _ => Err(MetaError::at(
                    node,
                    format!("expected a boolean, found `{}`", s.text),
                )),
            }
        }
        _ => Err(MetaError::at(
            node,
            format!("expected a boolean, found {}", node.describe()),
        )),
    }
}

/// A scalar as a Go string field receives it through sigs.k8s.io/yaml: numbers and bools
/// are formatted, `null` is the empty string.
fn string(node: &Node) -> Result<String, MetaError> {
    let NodeKind::Scalar(s) = &node.kind else {
        return Err(MetaError::at(
            node,
            format!("expected a string, found {}", node.describe()),
        ));
    };
    if s.style != ScalarStyle::Plain || s.tag.as_deref() == Some("str") {
        return Ok(s.text.clone());
    }
    Ok(match yaml::resolve_plain(&s.text) {
        Resolved::Null => String::new(),
        Resolved::Bool(b) => b.to_string(),
        Resolved::Int(i) => i.to_string(),
        Resolved::Float(f) => format_g32(f),
        Resolved::Str => s.text.clone(),
    })
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`: the shortest digits that round-trip a
/// float32, in `%e` form when the exponent is below -4 or at least 6.
pub fn format_g32(f: f64) -> String {
    let x = f as f32;
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    // Rust's `{:e}` prints the shortest round-trip digits: `-1.2345e-7`.
    let sci = format!("{x:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::from(if neg { "-" } else { "" });
    if !(-4..6).contains(&exp) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push_str(&format!(
            "e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        ));
    } else if exp >= 0 {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.push_str(&digits);
            out.push_str(&"0".repeat(int_len - digits.len()));
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    } else {
        out.push_str("0.");
        out.push_str(&"0".repeat((-exp - 1) as usize));
        out.push_str(&digits);
    }
    out
}

/// Helm's `sanitizeString`: whitespace becomes a space, non-printable characters go.
fn sanitize(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if c.is_control() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{feff}') {
                None
            } else {
                Some(c)
            }
        })
        .collect()
}

/// Helm's `Metadata.Validate` (chart/v2 metadata.go): sanitises the informational fields and
/// returns the message Helm prints after `validation: `.
pub fn validate(meta: &mut Metadata) -> Result<(), String> {
    for field in [
        &mut meta.name,
        &mut meta.description,
        &mut meta.home,
        &mut meta.icon,
        &mut meta.condition,
        &mut meta.tags,
        &mut meta.app_version,
        &mut meta.kube_version,
    ] {
        *field = sanitize(field);
    }
    for s in meta.sources.iter_mut().chain(meta.keywords.iter_mut()) {
        *s = sanitize(s);
    }
    if meta.api_version.is_empty() {
        return Err("chart.metadata.apiVersion is required".into());
    }
    if meta.name.is_empty() {
        return Err("chart.metadata.name is required".into());
    }
    if meta.name == "." || meta.name == ".." || meta.name.contains(['/', '\\']) {
        return Err(format!("chart.metadata.name {:?} is invalid", meta.name));
    }
    if meta.version.is_empty() {
        return Err("chart.metadata.version is required".into());
    }
    if Version::parse(&meta.version).is_err() {
        return Err(format!(
            "chart.metadata.version {:?} is invalid",
            meta.version
        ));
    }
    if !matches!(meta.chart_type.as_str(), "" | "application" | "library") {
        return Err("chart.metadata.type must be application or library".into());
    }
    for m in &mut meta.maintainers {
        m.name = sanitize(&m.name);
        m.email = sanitize(&m.email);
        m.url = sanitize(&m.url);
    }
    let mut seen = std::collections::BTreeSet::new();
    for dep in &mut meta.dependencies {
        for field in [
            &mut dep.name,
            &mut dep.version,
            &mut dep.repository,
            &mut dep.condition,
            &mut dep.alias,
        ] {
            *field = sanitize(field);
        }
        for t in &mut dep.tags {
            *t = sanitize(t);
        }
        if !dep.alias.is_empty()
            && !dep
                .alias
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(format!(
                "dependency {:?} has disallowed characters in the alias",
                dep.name
            ));
        }
        let key = if dep.alias.is_empty() {
            &dep.name
        } else {
            &dep.alias
        };
        if !seen.insert(key.clone()) {
            return Err(format!(
                "more than one dependency with name or alias {key:?}"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Metadata {
        let mut m = Metadata::default();
        parse_chart_yaml(src, &mut m).unwrap();
        m
    }

    #[test]
    fn numbers_in_string_fields_use_go_formatting() {
        let m = parse("name: c\nversion: 1.0\nappVersion: 1.10\nkubeVersion: 10\n");
        assert_eq!(m.version, "1");
        assert_eq!(m.app_version, "1.1");
        assert_eq!(m.kube_version, "10");
        assert_eq!(format_g32(1234567.0), "1.234567e+06");
        assert_eq!(format_g32(0.0001), "0.0001");
        assert_eq!(format_g32(0.00001), "1e-05");
        assert_eq!(format_g32(123456.0), "123456");
        assert_eq!(format_g32(0.1), "0.1");
    }

    #[test]
    fn dependencies_are_read() {
        let m = parse(
            "name: c\ndependencies:\n- name: sub\n  version: ^1.0.0\n  alias: s\n  condition: sub.enabled\n  tags: [a, b]\n  import-values: [data, {child: x, parent: y}]\n",
        );
        let d = &m.dependencies[0];
        assert_eq!((d.name.as_str(), d.alias.as_str()), ("sub", "s"));
        assert_eq!(d.tags, ["a", "b"]);
        assert_eq!(d.import_values.len(), 2);
    }

    #[test]
    fn errors_carry_positions() {
        let mut m = Metadata::default();
        let err = parse_chart_yaml("name: c\nkeywords: 5\n", &mut m).unwrap_err();
        assert_eq!(err.pos.line, 2);
        assert!(parse_chart_yaml("name: [\n", &mut m).is_err());
    }

    #[test]
    fn validation_messages_match_helm() {
        let mut m = parse("apiVersion: v2\nname: c\nversion: 1.0.0\ntype: foo\n");
        assert_eq!(
            validate(&mut m).unwrap_err(),
            "chart.metadata.type must be application or library"
        );
        let mut m = parse(
            "apiVersion: v2\nname: c\nversion: 1.0.0\ndependencies:\n- name: a\n- name: b\n  alias: a\n",
        );
        assert_eq!(
            validate(&mut m).unwrap_err(),
            "more than one dependency with name or alias \"a\""
        );
    }
}
