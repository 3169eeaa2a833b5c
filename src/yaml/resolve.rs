//! go-yaml v2's resolution of plain scalars (YAML 1.1), which is what Helm's values use
//! (HELM-SEMANTICS.md §1.10): `yes`/`on`/`y` are booleans, `017` is octal, `1_000` is an
//! integer, timestamps and `1:20` stay strings.

/// The type a plain scalar resolves to.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer beyond `i64` (go-yaml's `uint64`), or a float.
    Float(f64),
    Str,
}

/// Resolves the text of a plain (unquoted) scalar the way go-yaml v2 does.
pub fn resolve_plain(text: &str) -> Resolved {
    if may_be_word(text)
        && let Some(word) = word(text)
    {
        return word;
    }
    let first = text.as_bytes()[0];
    if first == b'.' {
        // go-yaml's '.' branch: Go's ParseFloat on the text as written, which takes `_`
        // only between digits.
        if !go_underscore_ok(text) || text.contains(['i', 'I', 'n', 'N']) {
            return Resolved::Str;
        }
        return match text.replace('_', "").parse::<f64>() {
            Ok(f) if f.is_finite() => Resolved::Float(f),
            _ => Resolved::Str,
        };
    }
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-')) {
        return Resolved::Str;
    }
    let plain = text.replace('_', "");
    if let Some(i) = parse_go_int(&plain) {
        return Resolved::Int(i);
    }
    if let Some(u) = parse_go_uint(&plain) {
        return Resolved::Float(u as f64);
    }
    // Out-of-range floats (`3e343`) fail Go's ParseFloat and stay strings.
    if is_yaml_float(&plain)
        && let Ok(f) = plain.parse::<f64>()
        && f.is_finite()
    {
        return Resolved::Float(f);
    }
    // go-yaml's own binary forms, which let a sign follow the prefix (`0b-1`).
    if let Some(bits) = plain.strip_prefix("0b")
        && let Ok(i) = i64::from_str_radix(bits, 2)
    {
        return Resolved::Int(i);
    }
    // `-0b…` keeps its sign in front of the digits (`-0b-1` is no number).
    if let Some(bits) = plain.strip_prefix("-0b")
        && let Ok(i) = i64::from_str_radix(&format!("-{bits}"), 2)
    {
        return Resolved::Int(i);
    }
    Resolved::Str
}

/// go-yaml's null, boolean, infinity and NaN words.
const WORDS: &[(&str, Resolved)] = {
    use Resolved::{Bool, Float, Null};
    const INF: Resolved = Float(f64::INFINITY);
    const NEG_INF: Resolved = Float(f64::NEG_INFINITY);
    const NAN: Resolved = Float(f64::NAN);
    &[
        ("", Null),
        ("~", Null),
        ("null", Null),
        ("Null", Null),
        ("NULL", Null),
        ("y", Bool(true)),
        ("Y", Bool(true)),
        ("yes", Bool(true)),
        ("Yes", Bool(true)),
        ("YES", Bool(true)),
        ("on", Bool(true)),
        ("On", Bool(true)),
        ("ON", Bool(true)),
        ("true", Bool(true)),
        ("True", Bool(true)),
        ("TRUE", Bool(true)),
        ("n", Bool(false)),
        ("N", Bool(false)),
        ("no", Bool(false)),
        ("No", Bool(false)),
        ("NO", Bool(false)),
        ("off", Bool(false)),
        ("Off", Bool(false)),
        ("OFF", Bool(false)),
        ("false", Bool(false)),
        ("False", Bool(false)),
        ("FALSE", Bool(false)),
        (".inf", INF),
        (".Inf", INF),
        (".INF", INF),
        ("+.inf", INF),
        ("+.Inf", INF),
        ("+.INF", INF),
        ("-.inf", NEG_INF),
        ("-.Inf", NEG_INF),
        ("-.INF", NEG_INF),
        (".nan", NAN),
        (".NaN", NAN),
        (".NAN", NAN),
    ]
};

/// Whether `text` can be one of [`WORDS`]: at most five bytes, starting with one of their
/// first characters. Most scalars are not, and comparing them with every word was a call
/// per word of the same length.
fn may_be_word(text: &str) -> bool {
    text.len() <= 5
        && text
            .bytes()
            .next()
            .is_none_or(|b| b"~nNyYoOtTfF.+-".contains(&b))
}

fn word(text: &str) -> Option<Resolved> {
    WORDS
        .iter()
        .find(|(w, _)| *w == text)
        .map(|(_, resolved)| resolved.clone())
}

/// Go's `strconv.underscoreOK`: `_` only between digits (a base prefix counts as a
/// digit; a leading sign is skipped). Shared by YAML resolution, template number
/// literals and Sprig's conversions.
pub fn go_underscore_ok(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if s.len() >= 2 && s[0] == b'0' && matches!(s[1].to_ascii_lowercase(), b'b' | b'o' | b'x') {
        i = 2;
        saw = b'0';
        hex = s[1].eq_ignore_ascii_case(&b'x');
    }
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c.is_ascii_digit() || hex && c.is_ascii_hexdigit() {
            saw = b'0';
            continue;
        }
        if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
            continue;
        }
        if saw == b'_' {
            return false;
        }
        saw = b'!';
    }
    saw != b'_'
}

/// Go's `strconv.ParseInt(s, 0, 64)`: optional sign, then `0x`, `0o`, `0b`, a leading `0`
/// (octal) or decimal digits.
pub fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let magnitude = parse_go_uint(body)?;
    if neg {
        if magnitude <= i64::MAX as u64 + 1 {
            Some((magnitude as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)` (no sign).
fn parse_go_uint(s: &str) -> Option<u64> {
    let lower = s.get(..2).map(str::to_ascii_lowercase);
    let (digits, radix) = match lower.as_deref() {
        Some("0x") => (&s[2..], 16),
        Some("0o") => (&s[2..], 8),
        Some("0b") => (&s[2..], 2),
        _ if s.len() > 1 && s.starts_with('0') => (&s[1..], 8),
        _ => (s, 10),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// go-yaml's float pattern `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word check lets every word through.
    #[test]
    fn the_word_check_skips_no_word() {
        for (w, _) in WORDS {
            assert!(may_be_word(w), "{w:?}");
        }
        assert_eq!(resolve_plain("off"), Resolved::Bool(false));
        assert_eq!(resolve_plain("+.Inf"), Resolved::Float(f64::INFINITY));
        assert_eq!(resolve_plain("offx"), Resolved::Str);
    }

    #[test]
    fn yaml_1_1_words() {
        for t in ["y", "Yes", "ON", "true"] {
            assert_eq!(resolve_plain(t), Resolved::Bool(true), "{t}");
        }
        for t in ["N", "no", "Off", "FALSE"] {
            assert_eq!(resolve_plain(t), Resolved::Bool(false), "{t}");
        }
        for t in ["", "~", "null", "NULL"] {
            assert_eq!(resolve_plain(t), Resolved::Null, "{t}");
        }
    }

    #[test]
    fn go_integer_bases() {
        assert_eq!(resolve_plain("0x1F"), Resolved::Int(31));
        assert_eq!(resolve_plain("0o17"), Resolved::Int(15));
        assert_eq!(resolve_plain("017"), Resolved::Int(15));
        assert_eq!(resolve_plain("0b101"), Resolved::Int(5));
        assert_eq!(resolve_plain("1_000"), Resolved::Int(1000));
        assert_eq!(resolve_plain("+12"), Resolved::Int(12));
        assert_eq!(resolve_plain("-0x10"), Resolved::Int(-16));
        // Not valid octal: falls back to the float pattern.
        assert_eq!(resolve_plain("08"), Resolved::Float(8.0));
    }

    #[test]
    fn go_yaml_edge_forms() {
        assert_eq!(resolve_plain("3e343"), Resolved::Str);
        assert_eq!(resolve_plain("._5"), Resolved::Str);
        assert_eq!(resolve_plain(".5_0"), Resolved::Float(0.5));
        assert_eq!(resolve_plain("-0b-1"), Resolved::Str);
        assert_eq!(resolve_plain("-0b11"), Resolved::Int(-3));
        assert_eq!(resolve_plain(".5e1"), Resolved::Float(5.0));
        assert_eq!(resolve_plain("0b-1"), Resolved::Int(-1));
    }

    #[test]
    fn floats_and_strings() {
        assert_eq!(resolve_plain("1.5"), Resolved::Float(1.5));
        assert_eq!(resolve_plain(".5"), Resolved::Float(0.5));
        assert_eq!(resolve_plain("1e3"), Resolved::Float(1000.0));
        assert_eq!(resolve_plain("2001-12-14"), Resolved::Str);
        assert_eq!(resolve_plain("1:20"), Resolved::Str);
        assert_eq!(resolve_plain("1.2.3"), Resolved::Str);
        assert_eq!(resolve_plain("-"), Resolved::Str);
        assert_eq!(resolve_plain("v1"), Resolved::Str);
    }
}
