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
    #[error("{pos}: error converting YAML to JSON: json: unsupported value: {text}")]
    Unsupported { pos: Pos, text: String },
    /// A `~:`/`null:` key, which cannot become a JSON key (sigs.k8s.io/yaml's wording).
    #[error(
        "{pos}: error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: {value}"
    )]
    NullKey { pos: Pos, value: String },
    /// A key that is a list or mapping (go-yaml: `invalid map key: []interface {}{"a"}`).
    #[error("{pos}: error converting YAML to JSON: yaml: invalid map key: {key}")]
    InvalidKey { pos: Pos, key: String },
    /// A scalar whose explicit tag does not fit its text (`!!int abc`), go-yaml's words.
    #[error("{pos}: error converting YAML to JSON: yaml: {message}")]
    BadTag { pos: Pos, message: String },
}

impl ValuesError {
    /// Where in the file the problem is.
    pub fn pos(&self) -> Pos {
        match self {
            ValuesError::Syntax(y) => y.pos,
            ValuesError::NotAMap { pos, .. }
            | ValuesError::Unsupported { pos, .. }
            | ValuesError::NullKey { pos, .. }
            | ValuesError::InvalidKey { pos, .. }
            | ValuesError::BadTag { pos, .. } => *pos,
        }
    }

    /// Why a YAML text has no JSON form, as sigs.k8s.io/yaml words it (`fromYaml` and
    /// rendered manifests print this): `error converting YAML to JSON: …`.
    pub fn json_conversion_message(&self) -> String {
        self.message()
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
                check_key(&k, &v)?;
                map.insert(key_into_text(k), node_into_value(v)?);
            }
            Value::map(map)
        }
    })
}

/// Whether `node` has a JSON form as helm converts YAML (sigs.k8s.io/yaml over go-yaml
/// v2), without building it: every key a non-null scalar, every tag fitting its text,
/// no infinite or NaN number. What [`node_into_value`] would reject.
pub fn check_json_form(node: &Node) -> Result<(), ValuesError> {
    match &node.kind {
        NodeKind::Scalar(s) => check_scalar(s, node.pos),
        NodeKind::Seq(items) => items.iter().try_for_each(check_json_form),
        NodeKind::Map(entries) => entries.iter().try_for_each(|(k, v)| {
            check_key(k, v)?;
            if let NodeKind::Scalar(s) = &k.kind {
                check_scalar(s, k.pos)?;
            }
            check_json_form(v)
        }),
    }
}

/// [`scalar_to_value`]'s checks without the value: only a tagged or plain scalar can
/// fail them.
fn check_scalar(s: &Scalar, pos: Pos) -> Result<(), ValuesError> {
    match (&s.tag, s.style) {
        (None, ScalarStyle::Plain) => match yaml::resolve_plain(&s.text) {
            Resolved::Float(f) if !f.is_finite() => Err(non_finite(f, pos)),
            _ => Ok(()),
        },
        (None, _) => Ok(()),
        (Some(_), _) => scalar_to_value(s.clone(), pos).map(drop),
    }
}

/// A mapping key JSON cannot take: null, or a list or mapping.
fn check_key(key: &Node, value: &Node) -> Result<(), ValuesError> {
    if key.is_null() {
        return Err(ValuesError::NullKey {
            pos: key.pos,
            value: go_sharp_v(value),
        });
    }
    if !matches!(key.kind, NodeKind::Scalar(_)) {
        return Err(ValuesError::InvalidKey {
            pos: key.pos,
            key: go_sharp_v(key),
        });
    }
    Ok(())
}

/// A node as Go's `%#v` prints what go-yaml v2 decodes it to (integers stay `int`,
/// mappings are `map[interface {}]interface {}` with keys in `fmt`'s sorted order):
/// how helm names a key or value that JSON cannot take.
fn go_sharp_v(node: &Node) -> String {
    use crate::chart::template::format::{format_float, quote};
    match &node.kind {
        NodeKind::Scalar(s) if s.tag.is_none() && s.style == ScalarStyle::Plain => {
            match yaml::resolve_plain(&s.text) {
                Resolved::Null => "interface {}(nil)".into(),
                Resolved::Bool(b) => b.to_string(),
                Resolved::Int(i) => i.to_string(),
                Resolved::Float(f) => format_float(f),
                Resolved::Str => quote(&s.text),
            }
        }
        NodeKind::Scalar(s) => quote(&s.text),
        NodeKind::Seq(items) => {
            let items: Vec<String> = items.iter().map(go_sharp_v).collect();
            format!("[]interface {{}}{{{}}}", items.join(", "))
        }
        NodeKind::Map(entries) => {
            let mut pairs: Vec<(String, String)> = entries
                .iter()
                .map(|(k, v)| (go_sharp_v(k), go_sharp_v(v)))
                .collect();
            pairs.sort();
            let pairs: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
            format!("map[interface {{}}]interface {{}}{{{}}}", pairs.join(", "))
        }
    }
}

fn scalar_to_value(s: Scalar, pos: Pos) -> Result<Value, ValuesError> {
    let value = match s.tag.as_deref() {
        None if s.style != ScalarStyle::Plain => Value::from(s.text),
        None => match plain_value(&s.text) {
            Ok(Some(value)) => value,
            Ok(None) => Value::from(s.text),
            Err(f) => return Err(non_finite(f, pos)),
        },
        Some(tag) => {
            tagged_value(s.text, tag).map_err(|message| ValuesError::BadTag { pos, message })?
        }
    };
    match value {
        Value::Float(f) if !f.is_finite() => Err(non_finite(f, pos)),
        value => Ok(value),
    }
}

/// An infinite or NaN number, which JSON cannot carry (`json: unsupported value: +Inf`).
fn non_finite(f: f64, pos: Pos) -> ValuesError {
    let text = if f.is_nan() {
        "NaN"
    } else if f > 0.0 {
        "+Inf"
    } else {
        "-Inf"
    };
    ValuesError::Unsupported {
        pos,
        text: text.into(),
    }
}

/// A scalar with an explicit tag, as go-yaml v2's `resolve` reads it: `!!str` keeps the
/// text, `!!binary` decodes base64, and `!!int`/`!!float`/`!!bool`/`!!null` resolve the
/// text (quoted or not) and must find that type (an integer may be a `!!float`);
/// other tags keep the text. The error is go-yaml's message.
fn tagged_value(text: String, tag: &str) -> Result<Value, String> {
    use base64::Engine;
    let wanted = match tag {
        "str" => return Ok(Value::from(text)),
        "binary" => {
            let compact: String = text.split_whitespace().collect();
            return match base64::engine::general_purpose::STANDARD.decode(compact) {
                Ok(bytes) => Ok(Value::from(String::from_utf8_lossy(&bytes).into_owned())),
                Err(_) => Err("!!binary value contains invalid base64 data".into()),
            };
        }
        "int" | "float" | "bool" | "null" => tag,
        _ => return Ok(Value::from(text)),
    };
    let (found, value) = match yaml::resolve_plain(&text) {
        Resolved::Null => ("null", Value::Nil),
        Resolved::Bool(b) => ("bool", Value::Bool(b)),
        Resolved::Int(i) => ("int", Value::Float(i as f64)),
        Resolved::Float(f) => ("float", Value::Float(f)),
        Resolved::Str => ("str", Value::Nil),
    };
    if found == wanted || (wanted == "float" && found == "int") {
        return Ok(value);
    }
    Err(format!("cannot decode !!{found} `{text}` as a !!{wanted}"))
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

/// A checked key's text ([`check_key`] turned away null and collection keys; a key
/// reaching here as one of those is printed as Go would).
fn key_into_text(key: Node) -> String {
    match key.kind {
        NodeKind::Scalar(s) if s.tag.is_none() => {
            json_key(Cow::Owned(s.text), s.style).unwrap_or_else(|| "null".into())
        }
        NodeKind::Scalar(s) => s.text,
        _ => go_sharp_v(&key),
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
