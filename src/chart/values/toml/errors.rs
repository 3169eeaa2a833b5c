//! `fromToml` error text in BurntSushi/toml's words.
//!
//! Helm parses with BurntSushi/toml, whose errors read `toml: line N (last key "k"):
//! message`; rstack parses with the `toml` crate, whose wording differs. Rather than a
//! second parser, the source is scanned line by line for the mistakes charts make most
//! (a key with no value, a bare word as a value, a key with no `=`) and those get Go's
//! message; anything else keeps the `toml` crate's message in Go's frame. The last key is
//! tracked as BurntSushi's parser does: the table header's key plus the last completed
//! `key =`, dotted; a key still being read (no `=` yet) leaves only the table's key.

/// The Go-worded message for a parse error the `toml` crate reported on `crate_line`
/// (1-based) with `crate_msg`.
pub(super) fn go_message(src: &str, crate_line: usize, crate_msg: &str) -> String {
    let lines: Vec<&str> = src.split('\n').collect();
    let crate_line = crate_line.max(1);
    let mut context: Vec<String> = Vec::new();
    let mut last_key: Vec<String> = Vec::new();
    // Open `[`s of a multi-line array value; its lines are values, not keys.
    let mut array_depth = 0usize;
    for (i, raw) in lines.iter().enumerate() {
        let line_no = i + 1;
        let is_last = i + 1 == lines.len();
        // Lines inside multi-line arrays or strings can look like keys: only the line the
        // `toml` crate objected to (or the one before, for a value missing at the end of
        // its line) gets a classified message.
        let near = line_no == crate_line || line_no + 1 == crate_line;
        let line = raw.trim_matches(|c| c == ' ' || c == '\t' || c == '\r');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if array_depth > 0 {
            array_depth = bracket_depth(line, array_depth);
            let value = line.trim_start_matches([' ', '\t', ',']);
            if let Some(msg) = value_error(value, is_last).filter(|_| near) {
                return frame(line_no, &current(&context, &last_key), &msg);
            }
        } else if line.starts_with('=') {
            if line_no == crate_line {
                let msg = "unexpected '=': key name appears blank";
                return frame(line_no, &current(&context, &[]), msg);
            }
        } else if line.starts_with('[') {
            if let Some(header) = table_header(line) {
                if line_no == crate_line && crate_msg.starts_with("duplicate key") {
                    let msg = format!("Key '{}' has already been defined.", header.join("."));
                    return frame(line_no, "", &msg);
                }
                context = header;
                last_key.clear();
            }
        } else if let Some((key, rest)) = split_key(line) {
            let Some(rest) = rest else {
                if line_no != crate_line {
                    continue;
                }
                // A key with no `=`: BurntSushi stops at the character after the key, and
                // a new key has reset the parser's current key.
                let after = line[key_text_len(line)..].trim_start_matches([' ', '\t']);
                let found = after.chars().next().map_or('\n', |c| c);
                let msg = format!("expected '.' or '=', but got {} instead", go_rune(found));
                return frame(line_no, &current(&context, &[]), &msg);
            };
            last_key = key;
            let value = rest.trim_start_matches([' ', '\t']);
            if line_no == crate_line && crate_msg.starts_with("duplicate key") {
                let key = current(&context, &last_key);
                let msg = format!("Key '{key}' has already been defined.");
                return frame(line_no, &key, &msg);
            }
            if let Some(msg) = value_error(value, is_last).filter(|_| near) {
                return frame(line_no, &current(&context, &last_key), &msg);
            }
            if value.starts_with('[') {
                array_depth = bracket_depth(value, 0);
            }
        }
        if line_no >= crate_line {
            break;
        }
    }
    frame(
        crate_line,
        &current(&context, &last_key),
        crate_msg.trim_end(),
    )
}

/// The array nesting after `text`, starting from `depth` (brackets in strings or
/// comments do not count).
fn bracket_depth(text: &str, mut depth: usize) -> usize {
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '#') => break,
            (None, '[') => depth += 1,
            (None, ']') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth
}

/// BurntSushi's `ParseError.Error()`.
fn frame(line: usize, last_key: &str, msg: &str) -> String {
    if last_key.is_empty() {
        format!("toml: line {line}: {msg}")
    } else {
        format!("toml: line {line} (last key {}): {msg}", go_quote(last_key))
    }
}

/// The parser's `current()`: table context and current key, dotted (parts as written,
/// without quotes: `t.x y`).
fn current(context: &[String], key: &[String]) -> String {
    context
        .iter()
        .chain(key)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(".")
}

/// The error BurntSushi's `lexValue` gives for what follows `=`, if any.
fn value_error(value: &str, is_last_line: bool) -> Option<String> {
    let Some(first) = value.chars().next() else {
        return Some(if is_last_line {
            "unexpected EOF; expected value".into()
        } else {
            format!("expected value but found {} instead", go_rune('\n'))
        });
    };
    if first.is_alphabetic() {
        let word: String = value.chars().take_while(|c| c.is_alphabetic()).collect();
        if !matches!(word.as_str(), "true" | "false" | "inf" | "nan") {
            return Some(format!(
                "expected value but found {} instead",
                go_quote(&word)
            ));
        }
        return None;
    }
    if first == '"' && !value.starts_with("\"\"\"") && !closed_basic_string(&value[1..]) {
        return Some(if is_last_line {
            "unexpected EOF; expected '\"'".into()
        } else {
            "strings cannot contain newlines".into()
        });
    }
    if first == '#' {
        return Some(format!("expected value but found {} instead", go_rune('#')));
    }
    None
}

/// Whether a basic string's text (after the opening `"`) closes on this line.
fn closed_basic_string(text: &str) -> bool {
    let mut escaped = false;
    for c in text.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return true,
            _ => {}
        }
    }
    false
}

/// A `[a.b]` or `[[a.b]]` header's key parts.
fn table_header(line: &str) -> Option<Vec<String>> {
    let inner = line.strip_prefix("[[").or_else(|| line.strip_prefix('['))?;
    let end = inner.find(']')?;
    Some(key_parts(&inner[..end]))
}

/// A key line: its key parts and the text after `=` (`None` when there is no `=`).
/// Lines that do not start like a key give `None`.
fn split_key(line: &str) -> Option<(Vec<String>, Option<&str>)> {
    let first = line.chars().next()?;
    if !(first.is_ascii_alphanumeric() || matches!(first, '_' | '-' | '"' | '\'')) {
        return None;
    }
    let len = key_text_len(line);
    let key = key_parts(&line[..len]);
    let rest = line[len..].trim_start_matches([' ', '\t']);
    Some((key, rest.strip_prefix('=')))
}

/// The byte length of the (possibly dotted, possibly quoted) key at the start of `line`.
fn key_text_len(line: &str) -> usize {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    i += if bytes[i] == b'\\' && q == b'"' { 2 } else { 1 };
                }
                i += 1;
            }
            b'=' => break,
            b' ' | b'\t' => {
                // Whitespace is allowed only around dots.
                let rest = line[i..].trim_start_matches([' ', '\t']);
                if rest.starts_with('.') {
                    i = line.len() - rest.len();
                } else if line[..i].trim_end().ends_with('.') {
                    i += 1;
                } else {
                    break;
                }
            }
            _ => i += 1,
        }
    }
    i.min(line.len())
}

/// Dotted key text split into its parts, quotes removed.
fn key_parts(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, '.') => parts.push(std::mem::take(&mut cur).trim().to_string()),
            (None, c) => cur.push(c),
        }
    }
    parts.push(cur.trim().to_string());
    parts
}

/// Go's `%q` of a string (ASCII-printable text only needs `"` and `\` escaped; control
/// characters use Go's short escapes).
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%q` of a rune.
fn go_rune(c: char) -> String {
    match c {
        '\'' => "'\\''".into(),
        '\\' => "'\\\\'".into(),
        '\n' => "'\\n'".into(),
        '\t' => "'\\t'".into(),
        '\r' => "'\\r'".into(),
        c if c.is_control() => format!("'\\x{:02x}'", c as u32),
        c => format!("'{c}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::go_message;

    #[test]
    fn burntsushi_wording() {
        let m = |src: &str| {
            let line = src.lines().count().max(1);
            go_message(src, line, "crate says")
        };
        assert_eq!(
            m("bad ="),
            "toml: line 1 (last key \"bad\"): unexpected EOF; expected value"
        );
        assert_eq!(
            m("a = 1\n[t]\nb =\nc = 1"),
            "toml: line 3 (last key \"t.b\"): expected value but found '\\n' instead"
        );
        assert_eq!(
            m("a = foo"),
            "toml: line 1 (last key \"a\"): expected value but found \"foo\" instead"
        );
        assert_eq!(
            m("a = 1\nb\n"),
            "toml: line 2: expected '.' or '=', but got '\\n' instead"
        );
        assert_eq!(
            m("a = [1,\n2,\nfoo]"),
            "toml: line 3 (last key \"a\"): expected value but found \"foo\" instead"
        );
        assert_eq!(m("a = 1.2.3"), "toml: line 1 (last key \"a\"): crate says");
    }
}
