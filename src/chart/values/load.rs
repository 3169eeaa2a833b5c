//! Loading values files the way Helm does: YAML 1.1 (go-yaml v2) converted through JSON,
//! so every number becomes a `float64` (HELM-SEMANTICS.md §1.10).

use std::borrow::Cow;
use std::collections::btree_map::Entry;
use std::sync::Arc;

use crate::chart::values::{Map, Value, merge_values};
use crate::yaml::{self, Key, Node, NodeKind, Pos, Resolved, Scalar, ScalarStyle, Sink};

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ValuesError {
    #[error("{0}")]
    Syntax(#[from] yaml::YamlError),
    #[error("{pos}: the top level of a values file must be a mapping, found {found}")]
    NotAMap { pos: Pos, found: &'static str },
    /// `.inf`/`.nan` cannot pass through JSON (helm: `json: unsupported value: +Inf`).
    #[error("{pos}: json: unsupported value: {text}")]
    Unsupported { pos: Pos, text: String },
    /// A `~:`/`null:` key, which cannot become a JSON key (sigs.k8s.io/yaml's wording).
    #[error(
        "{pos}: error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: {value}"
    )]
    NullKey { pos: Pos, value: String },
}

impl ValuesError {
    /// Where in the file the problem is.
    pub fn pos(&self) -> Pos {
        match self {
            ValuesError::Syntax(y) => y.pos,
            ValuesError::NotAMap { pos, .. }
            | ValuesError::Unsupported { pos, .. }
            | ValuesError::NullKey { pos, .. } => *pos,
        }
    }

    /// The message without its position.
    pub fn message(&self) -> String {
        let text = self.to_string();
        match text.split_once(": ") {
            Some((_, m)) => m.to_string(),
            None => text,
        }
    }
}

/// Parses a values file. All documents are merged, later ones winning (Helm 4).
/// An empty file is an empty map.
pub fn parse_values(src: &str) -> Result<Map, ValuesError> {
    if let Some(docs) = yaml::read_documents(src, Values)
        && docs.iter().all(|d| matches!(d, Value::Map(_) | Value::Nil))
    {
        let mut maps = docs.into_iter().filter_map(|d| match d {
            Value::Map(m) => Some(m),
            _ => None,
        });
        let mut merged = match maps.next() {
            Some(first) => Arc::unwrap_or_clone(first),
            None => Map::new(),
        };
        for m in maps {
            merge_values(&mut merged, &m);
        }
        return Ok(merged);
    }
    parse_values_from_tree(src)
}

/// [`parse_values`] through the [`Node`] tree: for what the fast reader declines.
fn parse_values_from_tree(src: &str) -> Result<Map, ValuesError> {
    let mut merged = Map::new();
    for doc in yaml::parse_documents(src)? {
        if doc.is_null() {
            continue;
        }
        let (pos, found) = (doc.pos, doc.describe());
        match node_into_value(doc)? {
            Value::Map(m) => merge_values(&mut merged, &m),
            _ => return Err(ValuesError::NotAMap { pos, found }),
        }
    }
    Ok(merged)
}

/// The first document of `src` as a value ([`node_into_value`] of it), or `None` for an
/// empty text.
pub fn first_document_value(src: &str) -> Result<Option<Value>, FirstDocumentError> {
    if let Some(docs) = yaml::read_documents(src, Values) {
        return Ok(docs.into_iter().next());
    }
    let docs = yaml::parse_documents(src).map_err(FirstDocumentError::Syntax)?;
    match docs.into_iter().next() {
        Some(doc) => node_into_value(doc)
            .map(Some)
            .map_err(FirstDocumentError::Value),
        None => Ok(None),
    }
}

/// Why [`first_document_value`] failed: the text is not YAML, or has no JSON value.
#[derive(Debug)]
pub enum FirstDocumentError {
    Syntax(yaml::YamlError),
    Value(ValuesError),
}

/// Helm's values built by the fast YAML reader as it reads, without the [`Node`] tree in
/// between. It declines what needs an error or the tree's choices ([`node_into_value`]
/// decides those): a `null` key, an infinite or NaN number, a key written twice.
struct Values;

impl Sink for Values {
    type Node = Value;
    type Map = Map;

    fn scalar(&self, text: Cow<'_, str>, style: ScalarStyle, _: Pos, _: usize) -> Option<Value> {
        let typed = match style {
            ScalarStyle::Plain => plain_value(&text).ok()?,
            _ => None,
        };
        Some(typed.unwrap_or_else(|| Value::String(Arc::from(text.as_ref()))))
    }

    fn seq(&self, items: Vec<Value>, _: Pos) -> Value {
        Value::list(items)
    }

    fn map(&self, _: usize) -> Map {
        Map::new()
    }

    fn entry(&self, map: &mut Map, key: Key<'_>, value: Value) -> Option<()> {
        match map.entry(json_key(key.text, key.style)?) {
            Entry::Vacant(slot) => {
                slot.insert(value);
                Some(())
            }
            Entry::Occupied(_) => None,
        }
    }

    fn end_map(&self, map: Map, _: Pos) -> Value {
        Value::map(map)
    }
}

/// Converts one YAML node to a value with Helm's typing: numbers are `float64`, map keys
/// are strings (a non-string key is written the way Go prints it: `true`, `1`).
pub fn node_to_value(node: &Node) -> Result<Value, ValuesError> {
    node_into_value(node.clone())
}

/// [`node_to_value`] consuming the tree: map keys are moved rather than copied, and each
/// subtree is freed as soon as it is converted, so the values reuse its memory (a big
/// `fromYaml` or values file otherwise holds both whole at once).
pub fn node_into_value(node: Node) -> Result<Value, ValuesError> {
    let pos = node.pos;
    Ok(match node.kind {
        NodeKind::Scalar(s) => scalar_to_value(s, pos)?,
        NodeKind::Seq(items) => Value::list(
            items
                .into_iter()
                .map(node_into_value)
                .collect::<Result<_, _>>()?,
        ),
        NodeKind::Map(entries) => {
            let mut map = Map::new();
            for (k, v) in entries {
                if k.is_null() {
                    let value = match node_into_value(v)? {
                        Value::String(s) => crate::chart::template::format::quote(&s),
                        other => crate::chart::template::format::format_value(&other),
                    };
                    return Err(ValuesError::NullKey { pos: k.pos, value });
                }
                map.insert(key_into_text(k), node_into_value(v)?);
            }
            Value::map(map)
        }
    })
}

fn scalar_to_value(s: Scalar, pos: Pos) -> Result<Value, ValuesError> {
    // An explicit scalar tag types even a quoted scalar (`!!int '3'`); a tagged scalar
    // that is not a finite number stays a string instead of failing.
    let typed_by_tag = matches!(s.tag.as_deref(), Some("int" | "float" | "bool" | "null"));
    Ok(match s.tag.as_deref() {
        Some("str") => Value::from(s.text),
        // `!!binary`: base64, decoded to a string as go-yaml does.
        Some("binary") => {
            use base64::Engine;
            let compact: String = s.text.split_whitespace().collect();
            match base64::engine::general_purpose::STANDARD.decode(compact) {
                Ok(bytes) => Value::from(String::from_utf8_lossy(&bytes).into_owned()),
                Err(_) => Value::from(s.text),
            }
        }
        _ if !typed_by_tag && s.style != ScalarStyle::Plain => Value::from(s.text),
        _ => match plain_value(&s.text) {
            Ok(Some(value)) => value,
            Err(f) if !typed_by_tag => {
                return Err(ValuesError::Unsupported {
                    pos,
                    text: if f.is_nan() {
                        "NaN".into()
                    } else if f > 0.0 {
                        "+Inf".into()
                    } else {
                        "-Inf".into()
                    },
                });
            }
            Ok(None) | Err(_) => Value::from(s.text),
        },
    })
}

/// A plain scalar's value by go-yaml's rules, numbers as `float64`: `Ok(None)` for a
/// string, `Err` with an infinity or NaN (which JSON cannot carry).
fn plain_value(text: &str) -> Result<Option<Value>, f64> {
    Ok(Some(match yaml::resolve_plain(text) {
        Resolved::Null => Value::Nil,
        Resolved::Bool(b) => Value::Bool(b),
        Resolved::Int(i) => Value::Float(i as f64),
        Resolved::Float(f) if f.is_finite() => Value::Float(f),
        Resolved::Float(f) => return Err(f),
        Resolved::Str => return Ok(None),
    }))
}

/// The JSON key an untagged scalar key written in `style` becomes (`true`, `1` for plain
/// booleans and integers); `None` for a null key, which has none.
fn json_key(text: Cow<'_, str>, style: ScalarStyle) -> Option<String> {
    if style != ScalarStyle::Plain {
        return Some(text.into_owned());
    }
    Some(match yaml::resolve_plain(&text) {
        Resolved::Null => return None,
        Resolved::Bool(b) => b.to_string(),
        Resolved::Int(i) => i.to_string(),
        _ => text.into_owned(),
    })
}

/// The string a mapping key becomes once Helm has passed it through JSON.
pub fn key_text(key: &Node) -> String {
    key_into_text(key.clone())
}

fn key_into_text(key: Node) -> String {
    match key.kind {
        NodeKind::Scalar(s) if s.tag.is_none() => {
            json_key(Cow::Owned(s.text), s.style).unwrap_or_else(|| "null".into())
        }
        NodeKind::Scalar(s) => s.text,
        kind => format!("{kind:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_floats() {
        let m = parse_values("a: 1\nb: 1.5\nc: \"1\"\nd: yes\ne: ~\n").unwrap();
        assert_eq!(m["a"], Value::Float(1.0));
        assert_eq!(m["b"], Value::Float(1.5));
        assert_eq!(m["c"], Value::from("1"));
        assert_eq!(m["d"], Value::Bool(true));
        assert_eq!(m["e"], Value::Nil);
    }

    #[test]
    fn boolean_keys_are_stringified() {
        let m = parse_values("y: 1\nn: 2\n").unwrap();
        assert!(m.contains_key("true") && m.contains_key("false"));
    }

    #[test]
    fn documents_merge_later_wins() {
        let m = parse_values("a: {x: 1, z: 1}\n---\na: {z: 2}\n").unwrap();
        assert_eq!(m["a"].as_map().unwrap()["x"], Value::Float(1.0));
        assert_eq!(m["a"].as_map().unwrap()["z"], Value::Float(2.0));
    }

    #[test]
    fn explicit_tags() {
        let m = parse_values("a: !!int '3'\nb: !!binary aGk=\nc: !!str 1\n").unwrap();
        assert_eq!(m["a"], Value::Float(3.0));
        assert_eq!(m["b"], Value::from("hi"));
        assert_eq!(m["c"], Value::from("1"));
    }

    #[test]
    fn infinity_is_rejected() {
        assert!(matches!(
            parse_values("a: .inf"),
            Err(ValuesError::Unsupported { .. })
        ));
    }

    /// Wherever values are built straight from the fast reader, they are those of the
    /// tree, on every sample text (small edits of typical YAML and the whole corpus).
    #[test]
    fn values_read_directly_are_those_of_the_tree() {
        let mut texts = yaml::samples::edits();
        texts.extend(yaml::samples::corpus());
        let mut direct = 0;
        for text in &texts {
            let Some(docs) = yaml::read_documents(text, Values) else {
                continue;
            };
            let tree: Vec<Value> = yaml::parse_documents(text)
                .expect("the fast reader reads only YAML")
                .into_iter()
                .map(|doc| node_into_value(doc).expect("declined otherwise"))
                .collect();
            assert_eq!(docs, tree, "{text:?}");
            assert_eq!(parse_values(text), parse_values_from_tree(text), "{text:?}");
            direct += 1;
        }
        assert!(direct > 1000);
    }

    #[test]
    fn what_the_direct_reader_declines_reads_through_the_tree() {
        for src in [
            "a: .inf\n",
            "~: 1\n",
            "true: 1\nyes: 2\ntrue: 3\n",
            "a: 1\na: 2\n",
        ] {
            assert!(yaml::read_documents(src, Values).is_none(), "{src:?}");
        }
        let m = parse_values("true: 1\nyes: 2\ntrue: 3\n").unwrap();
        // The tree keeps a repeated key at its first place: `yes` comes last.
        assert_eq!(m["true"], Value::Float(2.0));
        assert!(matches!(
            parse_values("~: 1\n"),
            Err(ValuesError::NullKey { .. })
        ));
    }

    #[test]
    fn top_level_must_be_a_map() {
        assert!(matches!(
            parse_values("- 1\n"),
            Err(ValuesError::NotAMap { .. })
        ));
        assert!(parse_values("").unwrap().is_empty());
    }
}
