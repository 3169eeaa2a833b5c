//! The project's YAML writer: what Helm's `toYaml` (and `.Files.AsConfig`, `helm get
//! values`) print, byte for byte.
//!
//! Helm's `toYaml` is `sigs.k8s.io/yaml.Marshal`: `json.Marshal`, the JSON read back by
//! go-yaml v2 (so integral numbers become ints, `1e+21` stays a float), then go-yaml v2's
//! encoder. `toYamlPretty` (Helm 4) instead hands the data straight to go-yaml v3's encoder
//! with indent 2. Both encoders are the libyaml emitter ported to Go; this module ports the
//! part of it that block-style documents without tags, anchors or comments reach, keeping
//! its state variables (`column`, `indent`, `whitespace`, `indention`) so the decisions —
//! scalar style, 80-column folding, indentless sequences, `|2-` headers — come out the same.
//! See go-yaml `emitterc.go` (`yaml_emitter_analyze_scalar`, `..._select_scalar_style`,
//! `..._write_*_scalar`), `encode.go` (`stringv`) and `sorter.go` (key order).
//! HELM-SEMANTICS.md §3.2 lists the observable rules.

mod emitter;
mod key_order;
mod plain;
#[cfg(test)]
mod tests;

use base64::Engine as _;

use crate::chart::values::gofloat::{FloatFormat, format_float};
use crate::chart::values::json::{self, MarshalError};
use crate::chart::values::{Map, Value};
use emitter::Emitter;
use key_order::{key_less_v2, key_less_v3, merge_sort};
use plain::plain_reads_as_string;

/// Nesting beyond this is refused instead of risking the stack.
const MAX_DEPTH: usize = 500;

/// Why `toYaml`/`mustToYaml` fail: JSON rejects NaN and infinities, and go-yaml rejects
/// some JSON texts when reading them back.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum YamlError {
    #[error("error marshaling into JSON: {0}")]
    Json(#[from] MarshalError),
    /// go-yaml could not read the JSON back (see [`RoundTrip`]).
    #[error("yaml: {0}")]
    Reread(String),
}

/// `sigs.k8s.io/yaml.Marshal(v)`: the whole document, ending in a newline.
pub fn marshal(v: &Value) -> Result<String, YamlError> {
    let node = RoundTrip::default().node(v, 0)?;
    Ok(Emitter::new(Dialect::V2).document(&node))
}

/// Helm's `toYaml`: [`marshal`] with one trailing newline removed; `""` on error.
pub fn to_yaml(v: &Value) -> String {
    must_to_yaml(v).unwrap_or_default()
}

/// Helm's `mustToYaml`: like `toYaml`, but the error is returned.
pub fn must_to_yaml(v: &Value) -> Result<String, YamlError> {
    let mut text = marshal(v)?;
    if text.ends_with('\n') {
        text.pop();
    }
    Ok(text)
}

/// Helm 4's `toYamlPretty`: go-yaml v3's encoder with indent 2 over the data as it is
/// (no JSON step: a float64 `1000000` prints as `1e+06`), sequences indented under
/// their key, no line folding; one trailing newline removed.
pub fn to_yaml_pretty(v: &Value) -> String {
    let Ok(node) = Node::from_data(v, 0) else {
        return String::new();
    };
    let mut text = Emitter::new(Dialect::V3).document(&node);
    if text.ends_with('\n') {
        text.pop();
    }
    text
}

/// Which go-yaml encoder is mimicked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dialect {
    /// go-yaml v2 (`toYaml`): indentless sequences under keys, 80-column folding.
    V2,
    /// go-yaml v3 (`toYamlPretty`): indented sequences, tabs allowed in literal blocks,
    /// no folding, and a slightly different key order around digits.
    V3,
}

/// The style the encoder asks for; the emitter may override it (`select_style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

/// A document ready to emit: scalars already formatted, map keys already sorted.
#[derive(Clone, Debug, PartialEq)]
enum Node {
    Scalar(String, Style),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    fn plain(text: impl Into<String>) -> Node {
        Node::Scalar(text.into(), Style::Plain)
    }

    /// go-yaml's `stringv`: literal block for text with a newline, plain when the text
    /// would read back as a string, otherwise double quotes.
    fn string(s: &str, dialect: Dialect) -> Node {
        let style = if s.contains('\n') {
            Style::Literal
        } else if plain_reads_as_string(s, dialect) {
            Style::Plain
        } else {
            Style::DoubleQuoted
        };
        Node::Scalar(s.to_string(), style)
    }

    /// The data as go-yaml v3 sees Helm's Go values directly.
    fn from_data(v: &Value, depth: usize) -> Result<Node, MarshalError> {
        if depth > MAX_DEPTH {
            return Err(MarshalError::TooDeep);
        }
        Ok(match v {
            Value::Nil => Node::plain("null"),
            Value::Bool(b) => Node::plain(b.to_string()),
            Value::Int(i) | Value::Int64(i) => Node::plain(i.to_string()),
            Value::Uint8(u) => Node::plain(u.to_string()),
            Value::Uint64(u) => Node::plain(u.to_string()),
            Value::Float(f) => Node::plain(yaml_float(*f)),
            Value::String(s) => Node::string(s, Dialect::V3),
            // A Go []byte is a slice of integers to go-yaml v3.
            Value::Bytes(b) => Node::Seq(b.iter().map(|x| Node::plain(x.to_string())).collect()),
            Value::List(items) => Node::Seq(
                items
                    .iter()
                    .map(|item| Node::from_data(item, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Map(map) => Node::Map(sorted_entries(map, Dialect::V3, |item| {
                Node::from_data(item, depth + 1)
            })?),
            Value::Object(o) => Node::from_data(&o.to_data(), depth + 1)?,
        })
    }
}

/// go-yaml's `floatv`: `strconv.FormatFloat(f, 'g', -1, 64)` with YAML's infinity and NaN.
fn yaml_float(f: f64) -> String {
    if f.is_nan() {
        ".nan".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        }
    } else {
        format_float(f, FloatFormat::General)
    }
}

/// How go-yaml v2 reads a JSON number back (`resolve`): an `int` when it fits, a
/// `uint64` beyond that, otherwise a `float64` printed with `%g`.
fn json_number_as_yaml(text: &str) -> String {
    if let Ok(i) = text.parse::<i64>() {
        return i.to_string();
    }
    if let Ok(u) = text.parse::<u64>() {
        return u.to_string();
    }
    text.parse::<f64>()
        .map_or_else(|_| text.to_string(), yaml_float)
}

/// Map entries as nodes, in go-yaml's key order.
fn sorted_entries(
    map: &Map,
    dialect: Dialect,
    mut value: impl FnMut(&Value) -> Result<Node, MarshalError>,
) -> Result<Vec<(Node, Node)>, MarshalError> {
    let entries = map
        .iter()
        .map(|(k, v)| Ok((k.clone(), value(v)?)))
        .collect::<Result<Vec<_>, MarshalError>>()?;
    Ok(sort_entries(entries, dialect))
}

/// Orders `(key, node)` pairs with go-yaml's comparator and makes the keys nodes.
fn sort_entries(mut entries: Vec<(String, Node)>, dialect: Dialect) -> Vec<(Node, Node)> {
    if entries
        .iter()
        .all(|(k, _)| k.bytes().all(|b| b.is_ascii() && !b.is_ascii_digit()))
    {
        // Without digits (and outside ASCII's letters, nothing is one) both dialects'
        // orders are a plain total order: the common case needs no per-key work.
        entries.sort_by(|(a, _), (b, _)| key_order::ascii_without_digits(a, b));
        return entries
            .into_iter()
            .map(|(k, v)| (Node::string(&k, dialect), v))
            .collect();
    }
    let less = match dialect {
        Dialect::V2 => key_less_v2,
        Dialect::V3 => key_less_v3,
    };
    let mut keyed: Vec<(Vec<char>, String, Node)> = entries
        .into_iter()
        .map(|(k, v)| (k.chars().collect(), k, v))
        .collect();
    merge_sort(&mut keyed, &|a, b| less(&a.0, &b.0));
    keyed
        .into_iter()
        .map(|(_, k, v)| (Node::string(&k, dialect), v))
        .collect()
}

/// The JSON step of `toYaml`: the data as go-yaml v2 reads it back from
/// `json.Marshal`'s text. Numbers are re-typed (`json_number_as_yaml`), and strings
/// mostly survive unchanged, except where go-yaml's reader and scanner see the raw
/// characters JSON leaves unescaped:
/// * U+007F, C1 controls other than U+0085, U+FFFE and U+FFFF are rejected by the
///   reader (`yaml: control characters are not allowed`), so `toYaml` prints nothing;
/// * U+0085 (NEL) is a line break inside the double-quoted JSON string, so it is folded
///   like one (a single break becomes a space, blanks around it vanish); a key with a
///   NEL cannot be a flow key, and `---`/`...` right after a NEL ends the document —
///   both are errors that carry go-yaml's line number (the number of NELs before).
#[derive(Default)]
struct RoundTrip {
    /// Line breaks (NELs) in the JSON text so far: go-yaml's line number.
    lines: usize,
}

impl RoundTrip {
    fn node(&mut self, v: &Value, depth: usize) -> Result<Node, YamlError> {
        if depth == 0 && has_control_chars(v, 0) {
            return Err(YamlError::Reread(
                "control characters are not allowed".into(),
            ));
        }
        if depth > MAX_DEPTH {
            return Err(MarshalError::TooDeep.into());
        }
        Ok(match v {
            Value::Nil => Node::plain("null"),
            Value::Bool(b) => Node::plain(b.to_string()),
            Value::Int(i) | Value::Int64(i) => Node::plain(i.to_string()),
            Value::Uint8(u) => Node::plain(u.to_string()),
            Value::Uint64(u) => Node::plain(u.to_string()),
            // sigs.k8s.io/yaml goes through JSON, where a nil slice is `null`.
            Value::List(items) if items.is_nil() => Node::plain("null"),
            Value::Float(f) => Node::plain(json_number_as_yaml(&json::format_json_float(*f)?)),
            Value::String(s) => Node::string(&self.reread(s)?, Dialect::V2),
            Value::Bytes(b) => Node::string(
                &base64::engine::general_purpose::STANDARD.encode(b),
                Dialect::V2,
            ),
            Value::List(items) => Node::Seq(
                items
                    .iter()
                    .map(|item| self.node(item, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Map(map) => {
                // JSON writes keys in byte order, which is the map's order.
                let mut entries = Vec::with_capacity(map.len());
                for (k, item) in map.iter() {
                    let key = self.reread(k)?;
                    if k.contains('\u{85}') {
                        return Err(YamlError::Reread(format!(
                            "line {}: did not find expected ',' or '}}'",
                            self.lines
                        )));
                    }
                    entries.push((key, self.node(item, depth + 1)?));
                }
                Node::Map(sort_entries(entries, Dialect::V2))
            }
            Value::Object(o) => self.node(&o.to_data(), depth + 1)?,
        })
    }

    /// A JSON string as go-yaml's double-quoted scalar scanner reads it back.
    fn reread(&mut self, s: &str) -> Result<String, YamlError> {
        if !s.contains('\u{85}') {
            return Ok(s.to_string());
        }
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while i < chars.len() {
            if chars[i] != ' ' && chars[i] != '\u{85}' {
                out.push(chars[i]);
                i += 1;
                continue;
            }
            let (mut spaces, mut breaks) = (String::new(), 0usize);
            while i < chars.len() && (chars[i] == ' ' || chars[i] == '\u{85}') {
                if chars[i] == ' ' {
                    if breaks == 0 {
                        spaces.push(' ');
                    }
                } else {
                    breaks += 1;
                    self.lines += 1;
                }
                i += 1;
            }
            match breaks {
                0 => out.push_str(&spaces),
                1 => out.push(' '),
                n => out.extend(std::iter::repeat_n('\n', n - 1)),
            }
            // A new line that starts with a document marker ends the document.
            let rest = &chars[i..];
            if breaks > 0
                && chars[i - 1] == '\u{85}'
                && (rest.starts_with(&['-', '-', '-']) || rest.starts_with(&['.', '.', '.']))
                && matches!(rest.get(3), Some(' ' | '\u{85}'))
            {
                return Err(YamlError::Reread(format!(
                    "line {}: found unexpected document indicator",
                    self.lines + 1
                )));
            }
        }
        Ok(out)
    }
}

/// Whether a string in `v` holds a character go-yaml's reader refuses once JSON has left
/// it unescaped.
fn has_control_chars(v: &Value, depth: usize) -> bool {
    let bad = |s: &str| {
        s.chars().any(
            |c| matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}'),
        )
    };
    if depth > MAX_DEPTH {
        return false;
    }
    match v {
        Value::String(s) => bad(s),
        Value::List(items) => items.iter().any(|i| has_control_chars(i, depth + 1)),
        Value::Map(map) => map
            .iter()
            .any(|(k, i)| bad(k) || has_control_chars(i, depth + 1)),
        Value::Object(o) => has_control_chars(&o.to_data(), depth + 1),
        _ => false,
    }
}
