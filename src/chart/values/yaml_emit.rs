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

use base64::Engine as _;

use crate::chart::values::gofloat::{FloatFormat, format_float};
use crate::chart::values::json::{self, MarshalError};
use crate::chart::values::{Map, Value};
use crate::yaml::{Resolved, resolve_plain};

/// Nesting beyond this is refused instead of risking the stack.
const MAX_DEPTH: usize = 2000;

/// Why `toYaml`/`mustToYaml` fail: the JSON step rejects NaN and infinities.
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
    fn string(s: &str) -> Node {
        let style = if s.contains('\n') {
            Style::Literal
        } else if plain_reads_as_string(s) {
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
            Value::Float(f) => Node::plain(yaml_float(*f)),
            Value::String(s) => Node::string(s),
            // A Go []byte is a slice of integers to go-yaml v3.
            Value::Bytes(b) => Node::Seq(b.iter().map(|x| Node::plain(x.to_string())).collect()),
            Value::List(items) => Node::Seq(
                items
                    .iter()
                    .map(|item| Node::from_data(item, depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Map(map) => Node::Map(sorted_entries(map, key_less_v3, |item| {
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
    less: fn(&[char], &[char]) -> bool,
    mut value: impl FnMut(&Value) -> Result<Node, MarshalError>,
) -> Result<Vec<(Node, Node)>, MarshalError> {
    let entries = map
        .iter()
        .map(|(k, v)| Ok((k.clone(), value(v)?)))
        .collect::<Result<Vec<_>, MarshalError>>()?;
    Ok(sort_entries(entries, less))
}

/// Orders `(key, node)` pairs with go-yaml's comparator and makes the keys nodes.
fn sort_entries(
    entries: Vec<(String, Node)>,
    less: fn(&[char], &[char]) -> bool,
) -> Vec<(Node, Node)> {
    let mut keyed: Vec<(Vec<char>, String, Node)> = entries
        .into_iter()
        .map(|(k, v)| (k.chars().collect(), k, v))
        .collect();
    merge_sort(&mut keyed, &|a, b| less(&a.0, &b.0));
    keyed
        .into_iter()
        .map(|(_, k, v)| (Node::string(&k), v))
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
            Value::Float(f) => Node::plain(json_number_as_yaml(&json::format_json_float(*f)?)),
            Value::String(s) => Node::string(&self.reread(s)?),
            Value::Bytes(b) => Node::string(&base64::engine::general_purpose::STANDARD.encode(b)),
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
                Node::Map(sort_entries(entries, key_less_v2))
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

/// A stable merge sort that tolerates a comparator that is not a total order (go-yaml's
/// is not transitive for keys like `10`, `1a`, `9`; the standard library's sort may
/// panic on such comparators). For such key sets Helm's own order varies between runs,
/// so any result is acceptable; for ordinary keys the order is the unique sorted one.
fn merge_sort<T>(items: &mut Vec<T>, less: &dyn Fn(&T, &T) -> bool) {
    if items.len() < 2 {
        return;
    }
    let mut right = items.split_off(items.len() / 2);
    merge_sort(items, less);
    merge_sort(&mut right, less);
    let left = std::mem::take(items);
    items.reserve(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    while let (Some(l), Some(r)) = (left.peek(), right.peek()) {
        let take_right = less(r, l);
        let next = if take_right {
            right.next()
        } else {
            left.next()
        };
        items.extend(next);
    }
    items.extend(left);
    items.extend(right);
}

/// Go's `unicode.IsLetter` (approximated by Rust's alphabetic property minus numerals).
fn is_letter(c: char) -> bool {
    c.is_alphabetic() && !c.is_numeric()
}

/// Go's `unicode.IsDigit` (decimal digits; approximated for non-ASCII).
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

/// go-yaml v2's `keyList.Less` for two string keys.
fn key_less_v2(a: &[char], b: &[char]) -> bool {
    key_less(a, b, false)
}

/// go-yaml v3's variant: after a run of equal digits, a letter sorts before a non-letter.
fn key_less_v3(a: &[char], b: &[char]) -> bool {
    key_less(a, b, true)
}

fn key_less(a: &[char], b: &[char], v3: bool) -> bool {
    let mut digits = false;
    for i in 0..a.len().min(b.len()) {
        if a[i] == b[i] {
            digits = is_digit(a[i]);
            continue;
        }
        let (al, bl) = (is_letter(a[i]), is_letter(b[i]));
        if al && bl {
            return a[i] < b[i];
        }
        if al || bl {
            return if v3 && digits { al } else { bl };
        }
        // Neither is a letter: compare the digit runs starting here as numbers. A zero
        // after a non-zero digit run continues that number, so `an`/`bn` start at 1.
        let (mut an, mut bn): (i64, i64) = (0, 0);
        if a[i] == '0' || b[i] == '0' {
            let mut j = i;
            while j > 0 && is_digit(a[j - 1]) {
                j -= 1;
                if a[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let run = |s: &[char], mut n: i64| {
            let mut k = i;
            while k < s.len() && is_digit(s[k]) {
                n = n.wrapping_mul(10).wrapping_add(s[k] as i64 - '0' as i64);
                k += 1;
            }
            (n, k)
        };
        let (an, ai) = run(a, an);
        let (bn, bi) = run(b, bn);
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return a[i] < b[i];
    }
    a.len() < b.len()
}

/// Whether go-yaml writes `s` unquoted: it must read back as a string (not null, bool,
/// number or timestamp under YAML 1.1) and not look like a base-60 float (`1:20`).
fn plain_reads_as_string(s: &str) -> bool {
    if s.is_empty() {
        return false;
    }
    let resolved_str = match resolve_plain(s) {
        Resolved::Str => true,
        // go-yaml hands text starting with `.` to Go's ParseFloat as is, which only
        // accepts `_` between two digits (resolve_plain strips every `_` first, as
        // go-yaml does for text starting with a digit or sign).
        Resolved::Float(_) => s.starts_with('.') && !go_underscores_ok(s),
        _ => false,
    };
    resolved_str && !is_timestamp(s) && !is_base60_float(s)
}

/// Go's `underscoreOK` for a decimal number: every `_` sits between two digits.
fn go_underscores_ok(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len()).all(|i| {
        b[i] != b'_'
            || (i > 0 && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit))
    })
}

/// go-yaml's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        // `[0-5]?[0-9]`: one digit, or two when the first is 0-5.
        match (b.get(i), b.get(i + 1)) {
            (Some(c @ b'0'..=b'5'), Some(d)) if d.is_ascii_digit() => {
                let _ = c;
                i += 2;
            }
            (Some(c), _) if c.is_ascii_digit() => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// go-yaml's `parseTimestamp`: `YYYY-M-D`, optionally followed by `T`/`t`/space and
/// `h:m:s[.frac]`, with a `Z`/`±hh:mm` zone after `T`/`t` (Go `time.Parse` layouts
/// `2006-1-2T15:4:5.999999999Z07:00`, `2006-1-2 15:4:5.999999999`, `2006-1-2`).
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let year: u32 = s[..4].parse().unwrap_or(0);
    let mut i = 5;
    // Go's `getnum(s, false)`: one or two digits.
    let num = |i: &mut usize| -> Option<u32> {
        let d0 = *b.get(*i).filter(|c| c.is_ascii_digit())?;
        *i += 1;
        let mut n = u32::from(d0 - b'0');
        if let Some(d1) = b.get(*i).filter(|c| c.is_ascii_digit()) {
            n = n * 10 + u32::from(d1 - b'0');
            *i += 1;
        }
        Some(n)
    };
    let Some(month) = num(&mut i) else {
        return false;
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(day) = num(&mut i) else { return false };
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(month, year) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let zoned = match b[i] {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    i += 1;
    let Some(hour) = num(&mut i) else {
        return false;
    };
    if b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    let Some(minute) = num(&mut i) else {
        return false;
    };
    if b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    let Some(second) = num(&mut i) else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    if matches!(b.get(i), Some(b'.' | b',')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if !zoned {
        return i == b.len();
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            let zone = &b[i + 1..];
            zone.len() == 5
                && zone[2] == b':'
                && [0, 1, 3, 4].iter().all(|&k| zone[k].is_ascii_digit())
                && (zone[0] - b'0') * 10 + (zone[1] - b'0') <= 24
                && (zone[3] - b'0') * 10 + (zone[4] - b'0') <= 60
        }
        _ => false,
    }
}

fn days_in_month(month: u32, year: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// libyaml's `is_printable` for a whole character (the emitter runs in unicode mode).
/// Characters outside the BMP count as non-printable: a go-yaml quirk that forces
/// emoji into double quotes as `\U0001F600`.
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        && c != '\u{feff}'
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// What `yaml_emitter_analyze_scalar` learns about a scalar's text.
#[derive(Clone, Copy, Debug)]
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn analyze(text: &str, dialect: Dialect) -> Analysis {
    if text.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let chars: Vec<char> = text.chars().collect();
    let mut block_indicators = text.starts_with("---") || text.starts_with("...");
    let (mut line_breaks, mut special, mut tabs) = (false, false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let last = chars.len() - 1;
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = chars.get(i + 1).is_none_or(|&n| is_blank(n) || is_break(n));
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    block_indicators = true;
                }
                '?' | ':' if followed_by_whitespace => block_indicators = true,
                '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if dialect == Dialect::V3 && c == '\t' {
            tabs = true;
        } else if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= i == last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= i == last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank(c) || is_break(c) || c == '\0';
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || tabs || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// Where a node sits (libyaml's `*_context` flags).
#[derive(Clone, Copy, Debug, Default)]
struct Context {
    /// An item of a block sequence.
    sequence: bool,
    /// A key or value of a block mapping.
    mapping: bool,
    /// A key written in the simple `key: value` form.
    simple_key: bool,
}

const BEST_INDENT: i32 = 2;

/// The emitter state: libyaml's variables with the same meaning.
struct Emitter {
    out: String,
    dialect: Dialect,
    /// Lines are folded at a space once the column is past this.
    best_width: usize,
    /// Characters (not bytes) written on the current line.
    column: usize,
    indent: i32,
    indents: Vec<i32>,
    /// The last character written was whitespace (or nothing was written yet).
    whitespace: bool,
    /// Only indentation (and `-`/`?`/`:` indicators) on the current line so far.
    indention: bool,
}

impl Emitter {
    fn new(dialect: Dialect) -> Emitter {
        Emitter {
            out: String::new(),
            dialect,
            best_width: if dialect == Dialect::V2 {
                80
            } else {
                usize::MAX
            },
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
        }
    }

    /// One implicit document: the root node, then a line break unless at a line start.
    fn document(mut self, root: &Node) -> String {
        self.node(root, Context::default());
        self.write_indent();
        self.out
    }

    fn node(&mut self, node: &Node, ctx: Context) {
        match node {
            Node::Scalar(text, style) => self.scalar(text, *style, ctx),
            Node::Seq(items) if items.is_empty() => self.empty_flow("[", "]"),
            Node::Map(entries) if entries.is_empty() => self.empty_flow("{", "}"),
            Node::Seq(items) => {
                let indentless = self.dialect == Dialect::V2 && ctx.mapping && !self.indention;
                self.increase_indent(false, indentless, ctx.sequence);
                for item in items {
                    self.write_indent();
                    self.write_indicator("-", true, false, true);
                    self.node(
                        item,
                        Context {
                            sequence: true,
                            ..Context::default()
                        },
                    );
                }
                self.pop_indent();
            }
            Node::Map(entries) => {
                self.increase_indent(false, false, ctx.sequence);
                for (key, value) in entries {
                    self.write_indent();
                    let value_ctx = Context {
                        mapping: true,
                        ..Context::default()
                    };
                    if self.is_simple_key(key) {
                        self.node(
                            key,
                            Context {
                                mapping: true,
                                simple_key: true,
                                ..Context::default()
                            },
                        );
                        self.write_indicator(":", false, false, false);
                    } else {
                        self.write_indicator("?", true, false, true);
                        self.node(key, value_ctx);
                        self.write_indent();
                        self.write_indicator(":", true, false, true);
                    }
                    self.node(value, value_ctx);
                }
                self.pop_indent();
            }
        }
    }

    /// `[]` / `{}`: an empty collection is always written in flow style.
    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    /// libyaml's `check_simple_key`: a single-line scalar of at most 128 bytes.
    fn is_simple_key(&self, key: &Node) -> bool {
        match key {
            Node::Scalar(text, _) => !analyze(text, self.dialect).multiline && text.len() <= 128,
            Node::Seq(items) => items.is_empty(),
            Node::Map(entries) => entries.is_empty(),
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool, sequence_item: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent = match self.dialect {
                Dialect::V2 => self.indent + BEST_INDENT,
                // v3 aligns to multiples of the indent, except right after a `- `.
                Dialect::V3 if sequence_item => self.indent + 2,
                Dialect::V3 => BEST_INDENT * ((self.indent + BEST_INDENT) / BEST_INDENT),
            };
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn scalar(&mut self, text: &str, requested: Style, ctx: Context) {
        let analysis = analyze(text, self.dialect);
        let style = select_style(text, requested, analysis, ctx.simple_key);
        self.increase_indent(true, false, ctx.sequence);
        let allow_breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(text, allow_breaks),
            Style::SingleQuoted => self.write_single_quoted(text, allow_breaks),
            Style::DoubleQuoted => self.write_double_quoted(text, allow_breaks),
            Style::Literal => self.write_literal(text),
        }
        self.pop_indent();
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    /// A newline. Every caller in libyaml marks the new line as indentation-only
    /// afterwards (go-yaml v3 does it here), so it is done here for both dialects.
    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
        self.indention = true;
    }

    /// Copies a line break from the text: `\n` as a newline, others as themselves.
    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
            self.indention = true;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// Whether a space at this point may become a line break (80-column folding).
    fn may_fold(&self, allow_breaks: bool, spaces: bool) -> bool {
        allow_breaks && !spaces && self.column > self.best_width
    }

    fn write_plain(&mut self, text: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = text.chars().collect();
        let (mut spaces, mut breaks) = (false, false);
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if self.may_fold(allow_breaks, spaces) && chars.get(i + 1) != Some(&' ') {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, text: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let (mut spaces, mut breaks) = (false, false);
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == ' ' {
                let next_is_space = chars.peek().is_some_and(|&(_, n)| n == ' ');
                if self.may_fold(allow_breaks, spaces)
                    && i > 0
                    && i + 1 < text.len()
                    && !next_is_space
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, text: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        // libyaml's `is_bom` looks at the start of the text, not the current character:
        // text that starts with a BOM has every character escaped.
        let starts_with_bom = text.starts_with('\u{feff}');
        let mut spaces = false;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if !is_printable(c) || starts_with_bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match double_quoted_escape(c) {
                    Some(e) => self.put(e),
                    None => {
                        let code = c as u32;
                        let (letter, width) = match code {
                            0..=0xff => ('x', 2),
                            0x100..=0xffff => ('u', 4),
                            _ => ('U', 8),
                        };
                        self.put(letter);
                        for ch in format!("{code:0width$X}").chars() {
                            self.put(ch);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if self.may_fold(allow_breaks, spaces) && i > 0 && i + 1 < text.len() {
                    self.write_indent();
                    if chars.peek().is_some_and(|&(_, n)| n == ' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, text: &str) {
        self.write_indicator("|", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        if chars.first().is_some_and(|&c| c == ' ' || is_break(c)) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        let chomp = match chars.as_slice() {
            [] => Some("-"),
            [.., last] if !is_break(*last) => Some("-"),
            [_] => Some("+"),
            [.., before, _] if is_break(*before) => Some("+"),
            _ => None,
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
        self.put_break();
        self.whitespace = true;
        let mut breaks = true;
        for c in chars {
            if is_break(c) {
                self.write_break(c);
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// libyaml's `yaml_emitter_select_scalar_style` for an untagged block-context scalar.
fn select_style(text: &str, requested: Style, a: Analysis, simple_key: bool) -> Style {
    let mut style = requested;
    if simple_key && a.multiline {
        style = Style::DoubleQuoted;
    }
    if style == Style::Plain && (!a.block_plain_allowed || (text.is_empty() && simple_key)) {
        style = Style::SingleQuoted;
    }
    if style == Style::SingleQuoted && !a.single_quoted_allowed {
        style = Style::DoubleQuoted;
    }
    if style == Style::Literal && (!a.block_allowed || simple_key) {
        style = Style::DoubleQuoted;
    }
    style
}

/// The short escapes of YAML double-quoted scalars.
fn double_quoted_escape(c: char) -> Option<char> {
    Some(match c {
        '\0' => '0',
        '\u{7}' => 'a',
        '\u{8}' => 'b',
        '\t' => 't',
        '\n' => 'n',
        '\u{b}' => 'v',
        '\u{c}' => 'f',
        '\r' => 'r',
        '\u{1b}' => 'e',
        '"' => '"',
        '\\' => '\\',
        '\u{85}' => 'N',
        '\u{a0}' => '_',
        '\u{2028}' => 'L',
        '\u{2029}' => 'P',
        _ => return None,
    })
}

#[cfg(test)]
mod tests;
