//! The positioned YAML tree built from saphyr-parser events.

use std::collections::HashMap;
use std::fmt;

use saphyr_parser::{Event, Parser, ScanError};

/// A 1-based line and column in a source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// How a scalar was written; only plain scalars are subject to type resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    Quoted,
    Block,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scalar {
    pub text: String,
    pub style: ScalarStyle,
    /// The resolved tag suffix (`str`, `int`, ...) when one was written (`!!str 1`).
    pub tag: Option<Box<str>>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Scalar(Scalar),
    Seq(Vec<Node>),
    /// Entries in source order; merge keys (`<<`) are already expanded.
    Map(Vec<(Node, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub pos: Pos,
}

impl Node {
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            NodeKind::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.kind {
            NodeKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The value node under a string key of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_scalar().is_some_and(|s| s.text == key))
            .map(|(_, v)| v)
    }

    /// True for an empty or `null`/`~` plain scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar(s) if s.style == ScalarStyle::Plain
            && s.tag.is_none() && matches!(s.text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// A short word for the node's shape, for "expected X, found Y" messages.
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar(_) if self.is_null() => "null",
            NodeKind::Scalar(_) => "a scalar",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

/// A YAML syntax error at a position.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{pos}: {message}")]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

impl From<ScanError> for YamlError {
    fn from(e: ScanError) -> YamlError {
        let m = e.marker();
        YamlError {
            pos: Pos {
                line: m.line() as u32,
                col: m.col() as u32 + 1,
            },
            message: e.info().to_string(),
        }
    }
}

/// Parses every document of `src`. An empty text yields no documents. A leading UTF-8 BOM
/// is ignored, as Helm does.
pub fn parse_documents(src: &str) -> Result<Vec<Node>, YamlError> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    if let Some(at) = control_char_at(src) {
        return Err(control_char_error(src, at));
    }
    if src.contains(NEL) {
        // libyaml (YAML 1.1) reads U+0085 as a line break, as `\n`, wherever it is.
        return parse_documents(&src.replace(NEL, "\n"));
    }
    if let Some(e) = super::tabs::tab_problem(src) {
        return Err(e);
    }
    if let Some(docs) = super::block::parse_block_documents(src) {
        return Ok(docs);
    }
    match parse_strict(src) {
        Ok(docs) => Ok(docs),
        // go-yaml (libyaml) reads some texts the spec rejects (under-indented flow and
        // quoted continuation lines, tabs after `:`); saphyr follows the spec. Retry with
        // those spots rewritten: line numbers stay the same.
        Err(e) => match super::lenient::relax(src) {
            Some(fixed) => parse_strict(&fixed).map_err(|_| e),
            None => Err(e),
        },
    }
}

/// [`parse_documents`] as `sink` builds them, for the texts the fast reader reads
/// (`None` for the others, and where the sink declines).
pub fn read_documents<S: super::block::Sink>(src: &str, sink: S) -> Option<Vec<S::Node>> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    if control_char_at(src).is_some()
        || src.contains(NEL)
        || super::tabs::tab_problem(src).is_some()
    {
        return None;
    }
    super::block::read_block_documents(src, sink)
}

/// NEXT LINE, a line break to libyaml (YAML 1.1), a character to saphyr (YAML 1.2).
const NEL: char = '\u{85}';

/// Where the first character libyaml refuses to read is: a C0 control other than tab,
/// line feed and carriage return, DEL, a C1 control other than U+0085, or U+FFFE/U+FFFF
/// (go-yaml: `control characters are not allowed`; saphyr reads them). A byte test
/// first, so that ordinary text costs one pass the compiler vectorises.
pub fn control_char_at(src: &str) -> Option<usize> {
    let b = src.as_bytes();
    let suspect = |c: u8| {
        (c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r')) || c == 0x7f || c == 0xc2 || c == 0xef
    };
    let mut start = 0;
    while start < b.len() {
        let end = (start + 256).min(b.len());
        if b[start..end].iter().fold(false, |any, &c| any | suspect(c)) {
            for i in start..end {
                let refused = match b[i] {
                    0xc2 => b
                        .get(i + 1)
                        .is_some_and(|&n| (0x80..=0x9f).contains(&n) && n != 0x85),
                    0xef => {
                        b.get(i + 1) == Some(&0xbf) && matches!(b.get(i + 2), Some(0xbe | 0xbf))
                    }
                    c => suspect(c),
                };
                if refused {
                    return Some(i);
                }
            }
        }
        start = end;
    }
    None
}

/// The error for a refused character at byte `at` of `src`.
fn control_char_error(src: &str, at: usize) -> YamlError {
    let before = &src[..at];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    YamlError {
        pos: Pos { line, col },
        message: "control characters are not allowed".into(),
    }
}

pub(super) fn parse_strict(src: &str) -> Result<Vec<Node>, YamlError> {
    let mut builder = Builder::default();
    for event in Parser::new_from_str(src) {
        let (event, span) = event?;
        let pos = Pos {
            line: span.start.line() as u32,
            col: span.start.col() as u32 + 1,
        };
        builder.on_event(event, pos)?;
    }
    Ok(builder.documents)
}

/// Maximum nesting depth: deeper input is rejected instead of risking the stack.
pub(super) const MAX_DEPTH: usize = 512;

#[derive(Default)]
struct Builder {
    documents: Vec<Node>,
    /// Open collections: the node being filled and its anchor id (0 = none).
    stack: Vec<(Node, usize)>,
    /// Per open mapping level: a key waiting for its value, and an index of the scalar
    /// keys once the mapping is large (finding a duplicate by scanning made big maps
    /// quadratic: CRD schemas hold hundreds of properties).
    pending_keys: Vec<(Option<Node>, KeyIndex)>,
    anchors: HashMap<usize, Node>,
}

impl Builder {
    fn on_event(&mut self, event: Event<'_>, pos: Pos) -> Result<(), YamlError> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let style = match style {
                    saphyr_parser::ScalarStyle::Plain => ScalarStyle::Plain,
                    saphyr_parser::ScalarStyle::SingleQuoted
                    | saphyr_parser::ScalarStyle::DoubleQuoted => ScalarStyle::Quoted,
                    _ => ScalarStyle::Block,
                };
                let tag = tag.map(|t| t.suffix.trim_start_matches("tag:yaml.org,2002:").into());
                let node = Node {
                    kind: NodeKind::Scalar(Scalar {
                        text: text.into_owned(),
                        style,
                        tag,
                    }),
                    pos,
                };
                self.finish(node, anchor)
            }
            Event::SequenceStart(anchor, _) => self.open(NodeKind::Seq(Vec::new()), pos, anchor),
            Event::MappingStart(anchor, _) => self.open(NodeKind::Map(Vec::new()), pos, anchor),
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = self.stack.pop().expect("parser balances collections");
                if matches!(node.kind, NodeKind::Map(_)) {
                    self.pending_keys.pop();
                }
                self.finish(node, anchor)
            }
            Event::Alias(id) => match self.anchors.get(&id) {
                Some(node) => {
                    let mut node = node.clone();
                    node.pos = pos;
                    self.finish(node, 0)
                }
                None => Err(YamlError {
                    pos,
                    message: "unknown anchor".into(),
                }),
            },
            _ => Ok(()),
        }
    }

    fn open(&mut self, kind: NodeKind, pos: Pos, anchor: usize) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(YamlError {
                pos,
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
            });
        }
        if matches!(kind, NodeKind::Map(_)) {
            self.pending_keys.push((None, KeyIndex::default()));
        }
        self.stack.push((Node { kind, pos }, anchor));
        Ok(())
    }

    /// Attaches a completed node to its parent (or ends a document).
    fn finish(&mut self, node: Node, anchor: usize) -> Result<(), YamlError> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let Some((parent, _)) = self.stack.last_mut() else {
            self.documents.push(node);
            return Ok(());
        };
        match &mut parent.kind {
            NodeKind::Seq(items) => items.push(node),
            NodeKind::Map(entries) => {
                let (slot, index) = self
                    .pending_keys
                    .last_mut()
                    .expect("one slot per open mapping");
                match slot.take() {
                    None => *slot = Some(node),
                    Some(key) => insert_entry(entries, index, key, node)?,
                }
            }
            NodeKind::Scalar(_) => unreachable!("scalars are never open"),
        }
        Ok(())
    }
}

/// Where each scalar key of a large mapping sits in its entries (built from
/// [`KeyIndex::FROM`] entries on; small mappings are scanned).
#[derive(Default)]
pub struct KeyIndex(Option<HashMap<String, usize>>);

impl KeyIndex {
    const FROM: usize = 16;

    /// The entry holding scalar key `text`.
    fn find(&mut self, entries: &[(Node, Node)], text: &str) -> Option<usize> {
        let is_key = |k: &Node| k.as_scalar().is_some_and(|s| s.text == text);
        if entries.len() < Self::FROM {
            return entries.iter().position(|(k, _)| is_key(k));
        }
        let index = self.0.get_or_insert_with(|| {
            let mut index = HashMap::with_capacity(entries.len() * 2);
            for (i, (k, _)) in entries.iter().enumerate() {
                if let Some(s) = k.as_scalar() {
                    index.entry(s.text.clone()).or_insert(i);
                }
            }
            index
        });
        index.get(text).copied()
    }

    /// Records that entry `i` (just pushed) has scalar key `text`.
    fn pushed(&mut self, text: &str, i: usize) {
        if let Some(index) = &mut self.0 {
            index.entry(text.to_string()).or_insert(i);
        }
    }
}

/// Adds `key: value` to a mapping, expanding a YAML merge key (`<<: *base` or
/// `<<: [*a, *b]`): merged entries never override keys written in the mapping itself.
pub(super) fn insert_entry(
    entries: &mut Vec<(Node, Node)>,
    index: &mut KeyIndex,
    key: Node,
    value: Node,
) -> Result<(), YamlError> {
    let is_merge =
        matches!(&key.kind, NodeKind::Scalar(s) if s.text == "<<" && s.style == ScalarStyle::Plain);
    if !is_merge {
        if let Some(text) = key.as_scalar().map(|s| s.text.as_str()) {
            if let Some(i) = index.find(entries, text) {
                // go-yaml keeps the last duplicate (after merged keys): later entries override.
                entries[i].1 = value;
                return Ok(());
            }
            index.pushed(text, entries.len());
        }
        entries.push((key, value));
        return Ok(());
    }
    // Merged entries are few; the index is rebuilt when next needed.
    index.0 = None;
    let sources: Vec<&Node> = match &value.kind {
        NodeKind::Map(_) => vec![&value],
        NodeKind::Seq(items) => items.iter().collect(),
        NodeKind::Scalar(_) => {
            return Err(YamlError {
                pos: value.pos,
                message: "merge key `<<` needs a mapping or a list of mappings".into(),
            });
        }
    };
    for source in sources {
        let Some(map) = source.as_map() else {
            return Err(YamlError {
                pos: source.pos,
                message: "merge key `<<` needs a mapping or a list of mappings".into(),
            });
        };
        for (k, v) in map {
            let present = entries.iter().any(|(e, _)| e.kind == k.kind);
            if !present {
                entries.push((k.clone(), v.clone()));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let docs = parse_documents("a:\n  b: 1\n").unwrap();
        let b = docs[0].get("a").unwrap().get("b").unwrap();
        assert_eq!(b.pos, Pos { line: 2, col: 6 });
    }

    #[test]
    fn duplicate_keys_keep_the_first_place_and_the_last_value_in_large_maps() {
        // Past KeyIndex::FROM entries duplicates are found through the index.
        let mut src: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        src.push_str("k3: last\nk39: end\nbase: &b {k5: merged, new: 1}\n");
        let docs = parse_documents(&format!(
            "m:\n{}",
            src.replace("k", "  k").replace("base", "  base")
        ))
        .unwrap();
        let m = docs[0].get("m").unwrap().as_map().unwrap();
        let keys: Vec<&str> = m
            .iter()
            .map(|(k, _)| k.as_scalar().unwrap().text.as_str())
            .collect();
        assert_eq!(keys.len(), 41);
        assert_eq!(keys[3], "k3");
        let value = |key: &str| {
            docs[0]
                .get("m")
                .unwrap()
                .get(key)
                .unwrap()
                .as_scalar()
                .unwrap()
                .text
                .clone()
        };
        assert_eq!(value("k3"), "last");
        assert_eq!(value("k39"), "end");
        let merged = parse_documents(&format!(
            "b: &b {{k5: merged, new: 1}}\nm:\n{}  <<: *b\n  k6: again\n",
            (0..20)
                .map(|i| format!("  k{i}: {i}\n"))
                .collect::<String>()
        ))
        .unwrap();
        let m = merged[0].get("m").unwrap();
        assert_eq!(m.get("k5").unwrap().as_scalar().unwrap().text, "5");
        assert_eq!(m.get("new").unwrap().as_scalar().unwrap().text, "1");
        assert_eq!(m.get("k6").unwrap().as_scalar().unwrap().text, "again");
        assert_eq!(m.as_map().unwrap().len(), 21);
    }

    #[test]
    fn merge_keys_do_not_override_explicit_keys() {
        let docs = parse_documents("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n").unwrap();
        let m = docs[0].get("m").unwrap();
        assert_eq!(m.get("x").unwrap().as_scalar().unwrap().text, "1");
        assert_eq!(m.get("y").unwrap().as_scalar().unwrap().text, "3");
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = parse_documents("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.pos.line >= 1, "{err}");
    }

    #[test]
    fn empty_text_has_no_documents() {
        assert!(parse_documents("").unwrap().is_empty());
        assert!(parse_documents("\u{feff}").unwrap().is_empty());
    }

    #[test]
    fn control_characters_as_libyaml_refuses_them() {
        for refused in ["\u{1}", "\u{7f}", "\u{9f}", "\u{fffe}"] {
            let text = format!("a: x{refused}");
            assert_eq!(control_char_at(&text), Some(4), "{text:?}");
        }
        assert_eq!(control_char_at("a: \u{85}\u{a0}\u{feff}\t\u{e9}\r\n"), None);
    }
}
