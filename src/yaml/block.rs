//! A fast reader for the plain block YAML that charts are mostly made of: mappings and
//! sequences by indentation, plain and quoted scalars (one line or folded over several),
//! literal and folded block scalars (`|`, `>`, with `-`/`+` chomping), one-line flow lists
//! of scalars, comments, `---` between documents and `...` ending one.
//!
//! Why: saphyr's event stream reads ~160 MB/s here, and YAML is decoded everywhere in a
//! render (values files, every output document's head, `fromYaml` over whole CRDs).
//! This reader builds the same [`Node`] tree, positions included, several times faster.
//! It accepts nothing saphyr would not: whenever it meets anything else (nested or
//! multi-line flow collections, anchors, tags, tabs, odd indentation, errors) it answers
//! `None` and the caller parses the text with saphyr, which also words every error. The
//! tests below compare both readers on tricky texts and on every YAML text of the
//! conformance corpus (values, chart files, CRDs, helm's outputs).

use std::borrow::Cow;

use super::tree::{KeyIndex, Node, NodeKind, Pos, Scalar, ScalarStyle, insert_entry};
use crate::scan::has_prefix;

/// What the reader makes of what it reads: the positioned [`Node`] tree ([`Nodes`]), or
/// another shape directly (Helm's values, skipping the tree in between: building the
/// tree and then converting it was two thirds of reading a values file or a `fromYaml`).
/// Every method may decline (`None`): the caller then takes its slow path over the tree.
pub trait Sink {
    type Node;
    /// A mapping being filled.
    type Map;
    /// An untagged scalar written in `style`, placed at `pos`, inside `depth` collections.
    fn scalar(
        &self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        pos: Pos,
        depth: usize,
    ) -> Option<Self::Node>;
    fn seq(&self, items: Vec<Self::Node>, pos: Pos) -> Self::Node;
    /// A new mapping, inside `depth` collections (itself included).
    fn map(&self, depth: usize) -> Self::Map;
    /// Adds `key: value`; the key is an untagged scalar (never a merge key `<<`).
    fn entry(&self, map: &mut Self::Map, key: Key<'_>, value: Self::Node) -> Option<()>;
    fn end_map(&self, map: Self::Map, pos: Pos) -> Self::Node;
}

/// A mapping key as written.
pub struct Key<'t> {
    pub text: Cow<'t, str>,
    pub style: ScalarStyle,
    pub pos: Pos,
}

/// The [`Node`] tree, as saphyr's events build it.
struct Nodes;

impl Sink for Nodes {
    type Node = Node;
    type Map = (Vec<(Node, Node)>, KeyIndex);

    fn scalar(&self, text: Cow<'_, str>, style: ScalarStyle, pos: Pos, _: usize) -> Option<Node> {
        Some(Node {
            kind: NodeKind::Scalar(Scalar {
                text: text.into_owned(),
                style,
                tag: None,
            }),
            pos,
        })
    }

    fn seq(&self, items: Vec<Node>, pos: Pos) -> Node {
        Node {
            kind: NodeKind::Seq(items),
            pos,
        }
    }

    fn map(&self, _: usize) -> Self::Map {
        (Vec::new(), KeyIndex::default())
    }

    fn entry(&self, (entries, index): &mut Self::Map, key: Key<'_>, value: Node) -> Option<()> {
        let key = self.scalar(key.text, key.style, key.pos, 0)?;
        insert_entry(entries, index, key, value).ok()
    }

    fn end_map(&self, (entries, _): Self::Map, pos: Pos) -> Node {
        Node {
            kind: NodeKind::Map(entries),
            pos,
        }
    }
}

/// The [`Node`] tree down to a depth (collections inside collections): deeper mappings come
/// out empty and deeper scalars as empty text (a deeper sequence keeps its emptied items). For readers of a document's
/// head (a manifest's `kind` and `metadata`), which need neither the rest nor the time and
/// memory building it takes (a CRD is megabytes of schema below its head).
pub struct ShallowNodes(pub usize);

impl Sink for ShallowNodes {
    type Node = Node;
    /// `None` for a mapping deeper than kept.
    type Map = Option<(Vec<(Node, Node)>, KeyIndex)>;

    fn scalar(
        &self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        pos: Pos,
        depth: usize,
    ) -> Option<Node> {
        // An infinite or NaN number has no JSON form: the tree's check reports it.
        if style == ScalarStyle::Plain && may_be_non_finite(&text) {
            return None;
        }
        let text = if depth > self.0 {
            Cow::Borrowed("")
        } else {
            text
        };
        Nodes.scalar(text, style, pos, depth)
    }

    fn seq(&self, items: Vec<Node>, pos: Pos) -> Node {
        Nodes.seq(items, pos)
    }

    fn map(&self, depth: usize) -> Self::Map {
        (depth <= self.0).then(|| Nodes.map(depth))
    }

    fn entry(&self, map: &mut Self::Map, key: Key<'_>, value: Node) -> Option<()> {
        // A null key has no JSON form either.
        if key.style == ScalarStyle::Plain
            && matches!(&*key.text, "" | "~" | "null" | "Null" | "NULL")
        {
            return None;
        }
        match map {
            Some(map) => Nodes.entry(map, key, value),
            None => Some(()),
        }
    }

    fn end_map(&self, map: Self::Map, pos: Pos) -> Node {
        Nodes.end_map(map.unwrap_or_default(), pos)
    }
}

/// Whether a plain scalar may read as `.inf`/`.nan` (a cheap test of its first bytes;
/// the resolver decides).
fn may_be_non_finite(text: &str) -> bool {
    let b = text.as_bytes();
    let dot = match b.first() {
        Some(b'.') => true,
        Some(b'+' | b'-') => b.get(1) == Some(&b'.'),
        _ => false,
    };
    dot && matches!(super::resolve_plain(text), super::Resolved::Float(f) if !f.is_finite())
}

/// The documents of `src`, or `None` when the text is not in the subset read here.
pub fn parse_block_documents(src: &str) -> Option<Vec<Node>> {
    read_block_documents(src, Nodes)
}

/// The documents of `src` as `sink` builds them, or `None` when the text is not in the
/// subset read here or the sink declined it.
pub fn read_block_documents<S: Sink>(src: &str, sink: S) -> Option<Vec<S::Node>> {
    let bytes = src.as_bytes();
    if crate::scan::find_either(b'\t', b'\r', bytes).is_some() {
        return None;
    }
    // Sized up front: a CRD is tens of thousands of lines, and growing the list by
    // doubling would touch about twice the memory it needs.
    let mut lines: Vec<&str> = Vec::with_capacity(crate::scan::count_byte(b'\n', bytes) + 1);
    let mut start = 0;
    for end in crate::scan::byte_positions(b'\n', bytes) {
        lines.push(&src[start..end]);
        start = end + 1;
    }
    lines.push(&src[start..]);
    // Each line's indentation and the next content line, computed once: the reader asks
    // both several times per line.
    let indents: Vec<usize> = lines.iter().map(|l| indent_of(l)).collect();
    let mut next_content = vec![lines.len(); lines.len() + 1];
    for i in (0..lines.len()).rev() {
        let content = &lines[i].as_bytes()[indents[i]..];
        next_content[i] = if content.is_empty() || content[0] == b'#' {
            next_content[i + 1]
        } else {
            i
        };
    }
    let mut reader = Reader {
        sink,
        lines,
        indents,
        next_content,
        docs: Vec::new(),
        depth: std::cell::Cell::new(0),
    };
    reader.documents()?;
    Some(reader.docs)
}

struct Reader<'a, S: Sink> {
    sink: S,
    lines: Vec<&'a str>,
    /// Leading spaces of each line.
    indents: Vec<usize>,
    /// For each line, the first line from it on that is neither blank nor a comment.
    next_content: Vec<usize>,
    docs: Vec<S::Node>,
    /// Open collections; deeper than saphyr's limit is left to saphyr (which rejects it).
    depth: std::cell::Cell<usize>,
}

/// Where a node starts: a line and the byte column of its first character.
#[derive(Clone, Copy)]
struct At {
    line: usize,
    col: usize,
}

// The reader's text tests work on bytes: the generic `str` pattern searches (`trim_matches`,
// `contains(": ")`) build a searcher per call and were a fifth of reading a CRD.

/// Leading spaces of `line`, counted eight at a time (a CRD's lines are indented by tens
/// of spaces, and every line's indentation is counted once per read).
fn indent_of(line: &str) -> usize {
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    let bytes = line.as_bytes();
    let mut chunks = bytes.chunks_exact(8);
    let mut n = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let other = word ^ SPACES;
        if other != 0 {
            // The lowest non-zero byte is the first that is not a space.
            return n + (other.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + chunks
        .remainder()
        .iter()
        .take_while(|&&b| b == b' ')
        .count()
}

/// `s` without leading spaces.
fn trim_start_spaces(s: &str) -> &str {
    &s[indent_of(s)..]
}

/// `s` without trailing spaces.
fn trim_end_spaces(s: &str) -> &str {
    let trailing = s.bytes().rev().take_while(|&b| b == b' ').count();
    &s[..s.len() - trailing]
}

/// Whether `s` holds byte `a` directly followed by byte `b` (`": "`, `" #"`).
fn has_pair(s: &str, a: u8, b: u8) -> bool {
    find_pair(s, a, b).is_some()
}

/// Where the two bytes `a b` first occur in `s`. For a two-byte needle in short text,
/// a search for the first byte beats building a two-byte searcher per call.
fn find_pair(s: &str, a: u8, b: u8) -> Option<usize> {
    let bytes = s.as_bytes();
    crate::scan::byte_positions(a, bytes).find(|&i| bytes.get(i + 1) == Some(&b))
}

/// Whether `s` starts with a document marker's three characters (`---` or `...`).
pub fn starts_like_marker(s: &str) -> bool {
    has_prefix(s, b"---") || has_prefix(s, b"...")
}

/// A document end marker line (`...`).
fn is_document_end(line: &str) -> bool {
    has_prefix(line, b"...") && {
        let rest = &line[3..];
        trim_start_spaces(rest).is_empty() || rest.starts_with(" #")
    }
}

/// `- item` or a lone `-`: a sequence entry.
fn is_seq_entry(t: &str) -> bool {
    t == "-" || has_prefix(t, b"- ")
}

/// Joins the next line of a folded (multi-line plain or quoted) scalar: a space, or one
/// line break per blank line in between.
fn fold_break(text: &mut String, blanks: usize) {
    if blanks == 0 {
        text.push(' ');
    }
    push_newlines(text, blanks);
}

fn push_newlines(text: &mut String, n: usize) {
    text.extend(std::iter::repeat_n('\n', n));
}

fn pos(at: At) -> Pos {
    Pos {
        line: at.line as u32 + 1,
        col: at.col as u32 + 1,
    }
}

impl<'a, S: Sink> Reader<'a, S> {
    fn documents(&mut self) -> Option<()> {
        let mut i = 0;
        let mut first = true;
        loop {
            // A document: an optional `---` line, then content up to the next `---`.
            i = self.skip_blank(i);
            if i >= self.lines.len() {
                // An empty stream has no documents; a trailing `---` would be a null one.
                return if first { Some(()) } else { None };
            }
            let line = self.lines[i];
            if has_prefix(line, b"---") {
                if line != "---" {
                    return None;
                }
                i = self.skip_blank(i + 1);
                if i >= self.lines.len() || has_prefix(self.lines[i], b"---") {
                    return None;
                }
            } else if !first {
                return None;
            }
            let line = self.lines[i];
            if has_prefix(line, b"...") || line.starts_with('%') {
                return None;
            }
            let at = At {
                line: i,
                col: self.indents[i],
            };
            let (node, next) = self.block_node(at, None)?;
            self.docs.push(node);
            i = self.skip_blank(next);
            if i < self.lines.len() && is_document_end(self.lines[i]) {
                // `...` ends the document; only another `---` (or nothing) may follow.
                i = self.skip_blank(i + 1);
            }
            if i < self.lines.len() && !has_prefix(self.lines[i], b"---") {
                return None;
            }
            first = false;
            if i >= self.lines.len() {
                return Some(());
            }
        }
    }

    /// A scalar handed to the sink, placed at `at`.
    fn scalar(&self, text: Cow<'_, str>, style: ScalarStyle, at: At) -> Option<S::Node> {
        self.sink.scalar(text, style, pos(at), self.depth.get())
    }

    /// The first line from `i` on that is neither blank nor a comment.
    fn skip_blank(&self, i: usize) -> usize {
        self.next_content[i.min(self.lines.len())]
    }

    /// The text of line `at.line` from column `at.col`.
    fn rest(&self, at: At) -> &'a str {
        &self.lines[at.line][at.col..]
    }

    /// A mapping or sequence starting at `at` (its first key or dash). `parent` is the
    /// indentation its content must exceed. Returns the node and the next line to read.
    fn block_node(&self, at: At, parent: Option<usize>) -> Option<(S::Node, usize)> {
        if parent.is_some_and(|p| at.col <= p) || self.depth.get() >= super::tree::MAX_DEPTH {
            return None;
        }
        self.depth.set(self.depth.get() + 1);
        let node = self.block_node_inner(at, parent);
        self.depth.set(self.depth.get() - 1);
        node
    }

    fn block_node_inner(&self, at: At, parent: Option<usize>) -> Option<(S::Node, usize)> {
        let rest = self.rest(at);
        if is_seq_entry(rest) {
            let (items, _, next) = self.sequence(at)?;
            Some((self.sink.seq(items, pos(at)), next))
        } else if key_end(rest).is_some() {
            self.mapping(at)
        } else {
            // A scalar or flow collection on its own line below its key: not a collection
            // of its own, so as deep as one written after the key.
            let parent = parent?;
            let depth = self.depth.get();
            self.depth.set(depth - 1);
            let value = self.inline_value(at, parent);
            self.depth.set(depth);
            value
        }
    }

    /// The items of the block sequence whose first dash is at `at`, where its first item
    /// is placed if that is on the dash's line (and not a block scalar, placed at its
    /// text), and the next line to read.
    fn sequence(&self, at: At) -> Option<(Vec<S::Node>, Option<At>, usize)> {
        let indent = at.col;
        let mut items = Vec::new();
        let mut first = None;
        let mut cur = at;
        loop {
            let rest = self.rest(cur);
            let after = trim_start_spaces(&rest[1..]);
            let item_col = cur.col + (rest.len() - after.len());
            let next;
            if after.is_empty() || after.starts_with('#') {
                // `-` alone: the item is the block below, or null.
                let j = self.skip_blank(cur.line + 1);
                if j < self.lines.len() && self.indents[j] > indent {
                    let at = At {
                        line: j,
                        col: self.indents[j],
                    };
                    let (node, n) = self.block_node(at, Some(indent))?;
                    items.push(node);
                    next = n;
                } else {
                    return None;
                }
            } else if is_seq_entry(after) {
                return None;
            } else {
                let item_at = At {
                    line: cur.line,
                    col: item_col,
                };
                if items.is_empty() && !after.starts_with(['|', '>']) {
                    first = Some(item_at);
                }
                if key_end(after).is_some() {
                    let (node, n) = self.block_node(item_at, Some(indent))?;
                    items.push(node);
                    next = n;
                } else {
                    let (node, n) = self.inline_value(item_at, indent)?;
                    items.push(node);
                    next = n;
                }
            }
            match self.following(next, indent)? {
                Following::Sibling(j) if is_seq_entry(&self.lines[j][indent..]) => {
                    cur = At {
                        line: j,
                        col: indent,
                    };
                }
                Following::Sibling(j) | Following::End(j) => {
                    return Some((items, first, j));
                }
            }
        }
    }

    fn mapping(&self, at: At) -> Option<(S::Node, usize)> {
        let indent = at.col;
        let mut map = self.sink.map(self.depth.get());
        let mut cur = at;
        loop {
            let rest = self.rest(cur);
            let (key, value_from) = self.key(cur)?;
            let after = trim_start_spaces(&rest[value_from..]);
            let value_col = cur.col + (rest.len() - after.len());
            let next;
            let value;
            if after.is_empty() || after.starts_with('#') {
                let j = self.skip_blank(cur.line + 1);
                let below = (j < self.lines.len()).then(|| (self.indents[j], j));
                match below {
                    Some((ind, j)) if ind > indent => {
                        let (node, n) = self.block_node(At { line: j, col: ind }, Some(indent))?;
                        value = node;
                        next = n;
                    }
                    Some((ind, j)) if ind == indent && is_seq_entry(&self.lines[j][ind..]) => {
                        // A sequence at the key's own indentation belongs to the key;
                        // saphyr places it at its first item, not at the dash.
                        self.depth.set(self.depth.get() + 1);
                        let items = self.sequence(At { line: j, col: ind });
                        self.depth.set(self.depth.get() - 1);
                        let (items, first, n) = items?;
                        value = self.sink.seq(items, pos(first?));
                        next = n;
                    }
                    // Nothing below: null, positioned (as saphyr does) at the colon.
                    _ => {
                        let colon = At {
                            line: cur.line,
                            col: cur.col + value_from - 1,
                        };
                        value = self.scalar("".into(), ScalarStyle::Plain, colon)?;
                        next = cur.line + 1;
                    }
                }
            } else {
                let (node, n) = self.inline_value(
                    At {
                        line: cur.line,
                        col: value_col,
                    },
                    indent,
                )?;
                value = node;
                next = n;
            }
            self.sink.entry(&mut map, key, value)?;
            match self.following(next, indent)? {
                // A sequence entry where a key belongs ends this mapping only if an
                // enclosing sequence sits at this indentation; otherwise it is an error.
                Following::Sibling(j)
                    if !has_prefix(self.lines[j], b"---")
                        && !is_document_end(self.lines[j])
                        && !is_seq_entry(&self.lines[j][indent..]) =>
                {
                    cur = At {
                        line: j,
                        col: indent,
                    };
                }
                Following::Sibling(j) | Following::End(j) => {
                    return Some((self.sink.end_map(map, pos(at)), j));
                }
            }
        }
    }

    /// The first non-blank line from `next`, after an entry of a collection indented
    /// `indent`: past the end, or less indented, ends the collection; equally indented may
    /// hold its next entry; more indented is not block YAML we read (`None`).
    fn following(&self, next: usize, indent: usize) -> Option<Following> {
        let j = self.skip_blank(next);
        match self.indents.get(j) {
            None => Some(Following::End(j)),
            Some(&ind) if ind < indent => Some(Following::End(j)),
            Some(&ind) if ind == indent => Some(Following::Sibling(j)),
            Some(_) => None,
        }
    }

    /// The key at `at` and the byte offset (in the line's rest) just past its `:`.
    fn key(&self, at: At) -> Option<(Key<'a>, usize)> {
        let rest = self.rest(at);
        let (text, style, end) = match rest.as_bytes()[0] {
            b'"' | b'\'' => {
                let (text, len) = quoted(rest)?;
                if !rest[len..].starts_with(':') {
                    return None;
                }
                (Cow::Owned(text), ScalarStyle::Quoted, len + 1)
            }
            _ => {
                let colon = key_end(rest)?;
                let text = trim_end_spaces(&rest[..colon]);
                if !plain_start_ok(text) || has_pair(text, b' ', b'#') || text == "<<" {
                    return None;
                }
                (Cow::Borrowed(text), ScalarStyle::Plain, colon + 1)
            }
        };
        if !(rest.len() == end || rest.as_bytes()[end] == b' ') {
            return None;
        }
        let pos = pos(at);
        Some((Key { text, style, pos }, end))
    }

    /// A value written after `key: ` or `- ` at `at`; `indent` is the enclosing
    /// collection's. Returns the node and the next line to read.
    fn inline_value(&self, at: At, indent: usize) -> Option<(S::Node, usize)> {
        let text = self.rest(at);
        let (node, next) = match text.as_bytes()[0] {
            b'"' | b'\'' => match quoted(text) {
                Some((value, len)) => {
                    if !comment_or_end(&text[len..]) {
                        return None;
                    }
                    let node = self.scalar(value.into(), ScalarStyle::Quoted, at)?;
                    (node, at.line + 1)
                }
                None => {
                    let (value, next) = self.quoted_lines(at, indent)?;
                    let node = self.scalar(value.into(), ScalarStyle::Quoted, at)?;
                    (node, next)
                }
            },
            // A literal block ends where its indentation does: nothing can follow it.
            b'|' => return self.block_scalar(at, indent, false),
            b'>' => return self.block_scalar(at, indent, true),
            b'[' | b'{' => {
                let (node, len) = flow(&self.sink, text, at, self.depth.get())?;
                if !comment_or_end(&text[len..]) {
                    return None;
                }
                (node, at.line + 1)
            }
            _ => {
                let value = match find_pair(text, b' ', b'#') {
                    Some(i) => &text[..i],
                    None => text,
                };
                let value = trim_end_spaces(value);
                if !plain_start_ok(value) || has_pair(value, b':', b' ') || value.ends_with(':') {
                    return None;
                }
                let commented = value.len() < trim_end_spaces(text).len();
                let (value, next) = self.plain_lines(value, at.line + 1, indent, commented)?;
                (self.scalar(value, ScalarStyle::Plain, at)?, next)
            }
        };
        // A more indented line after the scalar would continue it: not for this reader.
        let j = self.skip_blank(next);
        if j < self.lines.len() && self.indents[j] > indent {
            return None;
        }
        Some((node, next))
    }

    /// A plain scalar's continuation lines from line `from` (more indented than
    /// `indent`), folded as YAML folds them: one space between lines, a line break per
    /// blank line. `commented`: the first line ended in a comment (nothing may follow).
    fn plain_lines(
        &self,
        first: &'a str,
        from: usize,
        indent: usize,
        commented: bool,
    ) -> Option<(Cow<'a, str>, usize)> {
        let mut text = Cow::Borrowed(first);
        let mut blanks = 0;
        let mut i = from;
        let mut next = from;
        while i < self.lines.len() {
            let line = self.lines[i];
            let t = trim_end_spaces(&line[self.indents[i]..]);
            if t.is_empty() {
                blanks += 1;
                i += 1;
                continue;
            }
            if self.indents[i] <= indent || t.starts_with('#') {
                break;
            }
            if commented
                || has_prefix(t, b"- ")
                || has_prefix(t, b"? ")
                || has_prefix(t, b": ")
                || has_pair(t, b':', b' ')
                || t.ends_with(':')
                || has_pair(t, b' ', b'#')
            {
                return None;
            }
            let text = text.to_mut();
            fold_break(text, blanks);
            blanks = 0;
            text.push_str(t);
            i += 1;
            next = i;
        }
        Some((text, next))
    }

    /// A quoted scalar opened at `at` and closed on a later line (more indented than
    /// `indent`), folded as YAML folds it. Returns its value and the next line.
    fn quoted_lines(&self, at: At, indent: usize) -> Option<(String, usize)> {
        let first = self.rest(at);
        let q = first.as_bytes()[0];
        // An escaped line break or trailing space (`\` at a line's end) is saphyr's.
        let escaped_end = |line: &str| q == b'"' && trim_end_spaces(line).ends_with('\\');
        if escaped_end(first) {
            return None;
        }
        let mut text = String::new();
        if quoted_segment(trim_end_spaces(first), 1, q, &mut text)?.is_some() {
            return None;
        }
        let mut blanks = 0;
        let mut i = at.line + 1;
        while i < self.lines.len() {
            let t = &self.lines[i][self.indents[i]..];
            if t.is_empty() {
                blanks += 1;
                i += 1;
                continue;
            }
            if self.indents[i] <= indent || escaped_end(t) {
                return None;
            }
            fold_break(&mut text, blanks);
            blanks = 0;
            let mut segment = String::new();
            match quoted_segment(t, 0, q, &mut segment)? {
                Some(end) => {
                    if !comment_or_end(&t[end..]) {
                        return None;
                    }
                    text.push_str(&segment);
                    return Some((text, i + 1));
                }
                None => {
                    text.push_str(trim_end_spaces(&segment));
                }
            }
            i += 1;
        }
        None
    }

    /// A literal (`|`, `|-`, `|+`) or folded (`>`, `>-`, `>+`) block scalar whose
    /// indicator is at `at`.
    fn block_scalar(&self, at: At, indent: usize, folded: bool) -> Option<(S::Node, usize)> {
        let header = self.rest(at);
        let (keep, strip, after) = match header.as_bytes().get(1) {
            Some(b'-') => (false, true, &header[2..]),
            Some(b'+') => (true, false, &header[2..]),
            _ => (false, false, &header[1..]),
        };
        if !comment_or_end(after) || !(after.is_empty() || after.starts_with(' ')) {
            return None;
        }
        // Content indentation: that of the first line holding text (saphyr places the
        // scalar there). Leading blank lines are line breaks of the text; one with more
        // spaces than that indentation is an error, left to saphyr to word.
        let mut j = at.line + 1;
        while trim_start_spaces(self.lines.get(j)?).is_empty() {
            j += 1;
        }
        let block = self.indents[j];
        if block <= indent {
            // No content: an empty text, placed (as saphyr does) where the next line's
            // content starts. Kept blank lines (`|+`) and spaces are left to saphyr.
            if keep || self.lines[at.line + 1..j].iter().any(|l| !l.is_empty()) {
                return None;
            }
            let next = At {
                line: j,
                col: block,
            };
            let node = self.scalar("".into(), ScalarStyle::Block, next)?;
            return Some((node, j));
        }
        if self.lines[at.line + 1..j].iter().any(|l| l.len() > block) {
            return None;
        }
        let first_line = At {
            line: j,
            col: block,
        };
        let mut text = String::new();
        let mut pending_newlines = 0usize;
        let mut i = at.line + 1;
        let mut seen_content = false;
        // Folding: whether the last content line was more indented than the block.
        let mut last_more_indented = false;
        while i < self.lines.len() {
            let line = self.lines[i];
            let blank = self.indents[i] == line.len();
            if blank && line.len() <= block {
                pending_newlines += 1;
                i += 1;
                continue;
            }
            if !blank && self.indents[i] < block {
                break;
            }
            if starts_like_marker(line) {
                return None;
            }
            let content = &line[block..];
            let more_indented = content.starts_with(' ');
            if !seen_content {
                push_newlines(&mut text, pending_newlines);
            } else if !folded || more_indented || last_more_indented {
                // A literal keeps every line break, and folding never joins a line to
                // a more indented one.
                push_newlines(&mut text, 1 + pending_newlines);
            } else if pending_newlines == 0 {
                text.push(' ');
            } else {
                // Between folded lines, blank lines are the line breaks.
                push_newlines(&mut text, pending_newlines);
            }
            pending_newlines = 0;
            text.push_str(content);
            seen_content = true;
            last_more_indented = more_indented;
            i += 1;
        }
        // The end of the text counts as one more line break when the last line has one.
        if i >= self.lines.len() && pending_newlines > 0 {
            pending_newlines -= 1;
        }
        if i >= self.lines.len() && self.lines.last().is_some_and(|l| !l.is_empty()) {
            // The scalar's last line is the text's last line, without a line break:
            // saphyr reads a content line there as if it had one; a trailing blank line
            // is left to it.
            if pending_newlines > 0 || self.indents[i - 1] == self.lines[i - 1].len() {
                return None;
            }
            if !strip {
                text.push('\n');
            }
        } else if keep {
            push_newlines(&mut text, 1 + pending_newlines);
        } else if !strip {
            text.push('\n');
        }
        let node = self.scalar(text.into(), ScalarStyle::Block, first_line)?;
        Some((node, i))
    }
}

/// Where a block collection goes after one of its entries (see [`Reader::following`]).
enum Following {
    /// The collection ends before this line.
    End(usize),
    /// This line is at the collection's indentation.
    Sibling(usize),
}

/// A one-line flow collection at the start of `text` (placed at `at`): `{}`, `[]`, or
/// a sequence of scalars (`["ALL"]`, `[a, 'b']`). Returns it and its length.
fn flow<S: Sink>(sink: &S, text: &str, at: At, depth: usize) -> Option<(S::Node, usize)> {
    let b = text.as_bytes();
    match b {
        [b'{', b'}', ..] => return Some((sink.end_map(sink.map(depth + 1), pos(at)), 2)),
        [b'[', b']', ..] => return Some((sink.seq(Vec::new(), pos(at)), 2)),
        [b'[', ..] => {}
        _ => return None,
    }
    let mut items = Vec::new();
    let mut i = 1;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    if b.get(i) == Some(&b']') {
        // `[ ]`
        return Some((sink.seq(items, pos(at)), i + 1));
    }
    loop {
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        let item_at = At {
            line: at.line,
            col: at.col + i,
        };
        let (value, style, len) = match b.get(i)? {
            b'"' | b'\'' => {
                let (value, len) = quoted(&text[i..])?;
                (Cow::Owned(value), ScalarStyle::Quoted, len)
            }
            _ => {
                let len = text[i..].find([',', ']'])?;
                let value = trim_end_spaces(&text[i..i + len]);
                if !plain_start_ok(value)
                    || value.contains([':', '#', '[', ']', '{', '}', '"', '\''])
                {
                    return None;
                }
                (Cow::Borrowed(value), ScalarStyle::Plain, len)
            }
        };
        items.push(sink.scalar(value, style, pos(item_at), depth + 1)?);
        i += len;
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        match b.get(i)? {
            b',' => i += 1,
            b']' => return Some((sink.seq(items, pos(at)), i + 1)),
            _ => return None,
        }
    }
}

/// Nothing, or only spaces and a comment.
fn comment_or_end(s: &str) -> bool {
    let t = trim_start_spaces(s);
    t.is_empty() || (t.starts_with('#') && t.len() < s.len())
}

/// The byte offset of the `:` ending a plain key on this line (`: ` or `:` at the end).
fn key_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if matches!(b.first(), Some(b'"' | b'\'')) {
        let (_, len) = quoted(s)?;
        return (b.get(len) == Some(&b':')).then_some(len);
    }
    // From one `:` or `#` to the next (a line of a long description has none).
    let mut from = 0;
    while let Some(at) = crate::scan::find_either(b':', b'#', &b[from..]) {
        let i = from + at;
        if b[i] == b':' {
            if i + 1 == b.len() || b[i + 1] == b' ' {
                return Some(i);
            }
        } else if i > 0 && b[i - 1] == b' ' {
            return None;
        }
        from = i + 1;
    }
    None
}

/// Whether a plain scalar may start this way (no indicator, nothing that needs saphyr).
fn plain_start_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&first) = b.first() else {
        return false;
    };
    if matches!(
        first,
        b'[' | b']'
            | b'{'
            | b'}'
            | b','
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    ) {
        return false;
    }
    if matches!(first, b'-' | b'?' | b':') && (b.len() == 1 || b[1] == b' ') {
        return false;
    }
    // Document markers and anything else unusual go to saphyr.
    !starts_like_marker(s)
}

/// A one-line quoted scalar at the start of `s`: its value and its length with quotes.
fn quoted(s: &str) -> Option<(String, usize)> {
    let mut out = String::new();
    let end = quoted_segment(s, 1, s.as_bytes()[0], &mut out)??;
    Some((out, end))
}

/// Decodes quoted text (quote `q`) from `start` into `out`: `Some(Some(end))` when the
/// closing quote ends at `end`, `Some(None)` when `s` ends first, `None` for escapes
/// left to saphyr.
fn quoted_segment(s: &str, start: usize, q: u8, out: &mut String) -> Option<Option<usize>> {
    let b = s.as_bytes();
    let mut i = start;
    let mut run = start;
    while i < b.len() {
        let c = b[i];
        if q == b'\'' && c == b'\'' {
            if b.get(i + 1) == Some(&b'\'') {
                out.push_str(&s[run..i + 1]);
                i += 2;
                run = i;
                continue;
            }
            out.push_str(&s[run..i]);
            return Some(Some(i + 1));
        }
        if q == b'"' && c == b'"' {
            out.push_str(&s[run..i]);
            return Some(Some(i + 1));
        }
        if q == b'"' && c == b'\\' {
            out.push_str(&s[run..i]);
            let esc = *b.get(i + 1)?;
            let simple = match esc {
                b'\\' => Some('\\'),
                b'"' => Some('"'),
                b'/' => Some('/'),
                b'n' => Some('\n'),
                b't' => Some('\t'),
                b'r' => Some('\r'),
                b'0' => Some('\0'),
                b' ' => Some(' '),
                _ => None,
            };
            if let Some(c) = simple {
                out.push(c);
                i += 2;
            } else if esc == b'u' {
                let hex = s.get(i + 2..i + 6)?;
                if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
                i += 6;
            } else {
                return None;
            }
            run = i;
            continue;
        }
        i += 1;
    }
    out.push_str(&s[run..]);
    Some(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::tree::parse_strict;

    /// Both readers agree wherever the fast one answers; returns whether it did.
    fn agree(src: &str) -> bool {
        let Some(fast) = parse_block_documents(src) else {
            return false;
        };
        match parse_strict(src) {
            Ok(slow) => assert_eq!(fast, slow, "readers differ on {src:?}"),
            Err(e) => panic!("fast reader accepted what saphyr rejects ({e}): {src:?}"),
        }
        true
    }

    #[test]
    fn indentation_is_counted_at_any_length() {
        for n in 0..40 {
            for tail in ["", "x", "x y", " "] {
                let line = format!("{}{tail}", " ".repeat(n));
                let expected = line.bytes().take_while(|&b| b == b' ').count();
                assert_eq!(indent_of(&line), expected, "{line:?}");
            }
        }
    }

    #[test]
    fn reads_the_common_shapes_like_saphyr() {
        for src in [
            "a: 1\nb: two\n",
            "a:\nb: 1\n",
            "a:\n# c\nb: 1\n",
            "a:\n  b:\n    c: x # note\n  d: [] \n  e: {}\n",
            "a:\n- x\n- y: 1\n  z: 2\nb: 3\n",
            "a:\n  - x\n  -\n    k: v\n",
            "- a\n- 'b''c'\n- \"d\\n\\u00e9\"\n",
            "k: |\n  one\n\n  two\n\n\nn: 1\n",
            "k: |-\n  one\n   two\nn: 1\n",
            "k: |+\n  one\n\nn: 1\n",
            "k: |+\n  one\n\n",
            "k: |\n  one\n     \n  two\n",
            "\"q k\": 1\n'r': 2\nurl: http://x:80/y\n",
            "a: 1\n---\nb: 2\n",
            "---\na: 1\n",
            "a: 1\na: 2\n",
            "a: [1, \"two\", 'x' ]\nb: long\n  text\n\n  more\nc:\n  {}\nd:\n  plain\n",
            "- one\n  two\n- three\n",
            "a: 'x\n  y'\n",
            "a: \"x  \n\n   y z\"\nb: 'it''s\n  here' # c\n",
            "a: \"x\\n\\t- \\\"q\\\"\n  more\\ty\\n\"\n",
            "a: text\n  `Tasks`, or\n  [x] {y}\n",
            "  a: 1\n  b: 2\n",
            "",
            "# only a comment\n",
            "a: |\n  x",
            "a: |+\n  x",
            "a: |-\n  x\n  y",
            "a: |\n\n  x\n",
            "a: |\n  \n\n  x\nb: 1\n",
            "- |\n\n  x\n",
            "a: >\n  x\n  y\n\n  z\n   w\n  v\n",
            "a: >-\n  one\n  two\n\n\n  three\nb: 1\n",
            "a: >+\n  x\n\n",
            "- >\n\n  x\n   more\n\n  y\n- z\n",
            "a: 1\n...\n",
            "a: 1\n... # end\n# c\n",
            "a: 1\n...\n---\nb: 2\n",
            "- x\n...\n",
            "a: |\n\nb: 1\n",
            "a: |\nb: 1\n",
            "a:\n  x: >-\n\n  y: 1\n",
            "- |\n- b\n",
            "a: [ ]\nb: [  x , y ]\n",
        ] {
            assert!(agree(src), "fast reader declined {src:?}");
        }
    }

    #[test]
    fn leaves_everything_else_to_saphyr() {
        for src in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: [1, [2]]\n",
            "a: {b: 1}\n",
            "a: [1,\n  2]\n",
            "a: b # c\n  d\n",
            "a: b\n  c: d\n",
            "a: b: c\n",
            "a: 1\n b: 2\n",
            "a:\n\tb: 1\n",
            "a: 'x\ny'\n",
            "a: \"x\\\n  y\"\n",
            "? a\n: b\n",
            "<<: {a: 1}\n",
            "a: 1\n- b\n",
            "plain\n",
            "a: 1\n---\n",
            "a: \"\\x41\"\n",
            "k: |2\n  x\n",
            &(0..600)
                .map(|i| format!("{}k:\n", " ".repeat(i)))
                .collect::<String>(),
            "a: |\n   \n  x\n",
            "a: |\n  x\n  ",
            "a: 1\n...\nb: 2\n",
            "a: |+\n\nb: 1\n",
            "a: |\n",
        ] {
            assert_eq!(
                parse_block_documents(src),
                None,
                "fast reader accepted {src:?}"
            );
        }
    }

    /// Every one-character edit of some typical texts: where the fast reader answers,
    /// saphyr agrees.
    #[test]
    fn agrees_with_saphyr_on_every_small_edit() {
        let edits = samples::edits();
        assert!(edits.len() > 1000);
        for text in &edits {
            agree(text);
        }
    }

    /// Every YAML text of the conformance corpus that the fast reader accepts reads the
    /// same as with saphyr, and most of the corpus is accepted.
    #[test]
    fn agrees_with_saphyr_on_the_corpus() {
        let texts = samples::corpus();
        let (mut accepted, mut total) = (0usize, 0usize);
        for doc in &texts {
            total += doc.len();
            if agree(doc) {
                accepted += doc.len();
            }
        }
        eprintln!(
            "fast YAML reader: {} documents, {accepted} of {total} bytes read without saphyr",
            texts.len()
        );
        assert!(
            texts.is_empty() || accepted * 2 > total,
            "the fast reader declines most of the corpus"
        );
    }

    /// The tree `ShallowNodes(limit)` should build from `node`, found `outside`
    /// collections deep.
    fn cut(node: &Node, outside: usize, limit: usize) -> Node {
        let kind = match &node.kind {
            NodeKind::Scalar(s) if outside > limit => NodeKind::Scalar(Scalar {
                text: String::new(),
                ..s.clone()
            }),
            NodeKind::Scalar(s) => NodeKind::Scalar(s.clone()),
            NodeKind::Map(_) if outside + 1 > limit => NodeKind::Map(Vec::new()),
            NodeKind::Map(entries) => NodeKind::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), cut(v, outside + 1, limit)))
                    .collect(),
            ),
            NodeKind::Seq(items) => NodeKind::Seq(
                items
                    .iter()
                    .map(|item| cut(item, outside + 1, limit))
                    .collect(),
            ),
        };
        Node {
            kind,
            pos: node.pos,
        }
    }

    /// A shallow read is the full tree cut at its depth, on every sample text.
    #[test]
    fn shallow_reads_are_the_full_tree_cut() {
        let mut texts = samples::edits();
        texts.extend(samples::corpus());
        let mut compared = 0;
        for text in &texts {
            let Some(full) = parse_block_documents(text) else {
                continue;
            };
            for limit in [1, 3] {
                let shallow = read_block_documents(text, ShallowNodes(limit))
                    .expect("the shallow reader reads what the full one does");
                let cut: Vec<Node> = full.iter().map(|d| cut(d, 0, limit)).collect();
                assert_eq!(shallow, cut, "limit {limit}: {text:?}");
            }
            compared += 1;
        }
        assert!(compared > 1000);
    }
}

/// Texts to compare YAML readers on (here, and where values are read by the fast reader).
#[cfg(test)]
pub mod samples {
    /// Every one-character edit (a deletion, or one of YAML's significant characters
    /// inserted) of some typical texts.
    pub fn edits() -> Vec<String> {
        let seeds = [
            "a: 1\nb:\n  c: 'x'\n  d:\n  - e\n  - f: \"g\"\n    h: |\n      i\n",
            "- a: [b, \"c\"]\n  d: long\n    text\n- {}\nk: 'q\n  r'\n",
            "x: |-\n  one\n\n  two\ny:\n  z # c\n---\nw: 1\n",
            "a: >\n  one\n   two\n\n  three\nb:\n- >-\n\n  x\n...\n",
            "m:\n  n:\n    o:\n    - p: yes\n      q: ~\n    r:\n      1\ns: 0x1f\n",
        ];
        let mut out = Vec::new();
        for seed in seeds {
            let chars: Vec<char> = seed.chars().collect();
            for i in 0..=chars.len() {
                if i < chars.len() {
                    let mut v = chars.clone();
                    v.remove(i);
                    out.push(v.into_iter().collect());
                }
                for c in [
                    ' ', ':', '-', '#', '"', '\'', '|', '\n', '[', '{', ',', '\\',
                ] {
                    let mut v = chars.clone();
                    v.insert(i, c);
                    out.push(v.into_iter().collect());
                }
            }
        }
        out
    }

    /// Every YAML file of the conformance corpus (values, chart files, CRDs, helm's
    /// outputs), split at `---` lines as the manifest head reader sees outputs; empty (and
    /// said loudly) when the corpus is absent.
    pub fn corpus() -> Vec<String> {
        let dir = std::env::var("RSTACK_CONFORMANCE_DIR")
            .unwrap_or_else(|_| "../shared/conformance".to_string());
        let dir = std::path::Path::new(&dir);
        if !dir.is_dir() {
            eprintln!(
                "!!! conformance corpus not found at {}: YAML readers compared on unit cases only",
                dir.display()
            );
            return Vec::new();
        }
        let mut texts = Vec::new();
        collect(dir, &mut texts);
        texts
            .iter()
            .flat_map(|text| text.split("\n---\n").map(str::to_string))
            .collect()
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                // Templates are not YAML until rendered.
                if path.file_name().is_some_and(|n| n != "templates") {
                    collect(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml")
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                out.push(text);
            }
        }
    }
}
