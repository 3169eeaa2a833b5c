//! go-yaml's leniencies: texts libyaml (which go-yaml v2 ports) reads although the YAML
//! spec, and so saphyr, rejects them. After a failed parse the loader rewrites these spots
//! and tries once more:
//!
//! - flow collections spread over lines whose continuation lines are not indented past
//!   the line that opened them (Bitnami's chainloop):
//!   ```yaml
//!   args: [
//!     "server",
//!   "-dev"
//!   ]
//!   ```
//! - quoted scalars whose continuation lines are indented less than their key, or with
//!   tabs: libyaml never checks the indentation inside a quoted scalar (keda renders
//!   `"--k8s-cluster-name={{ .Values.clusterName }}"`, and a `--set-file` value that
//!   ends in a newline puts the closing quote at column 0);
//! - a tab as the blank after a `:` value indicator (`key:<TAB>value`).
//!
//! Every rewrite changes only white space that no value contains (a quoted scalar folds
//! the leading white space of its continuation lines away; the blank after `:` is a
//! separator), and line numbers stay put.

/// The text with go-yaml's leniencies rewritten into standard YAML, or `None` when
/// nothing needed it.
pub fn relax(src: &str) -> Option<String> {
    let mut out = String::with_capacity(src.len() + 64);
    let mut state = State::default();
    let mut changed = false;
    for line in src.split_inclusive('\n') {
        changed |= state.line(line, &mut out);
    }
    changed.then_some(out)
}

/// What the lines read so far leave open.
#[derive(Default)]
pub(super) struct State {
    /// Open flow collections.
    pub(super) depth: usize,
    /// Indentation of the line where the outermost open flow collection started.
    base: usize,
    /// Inside a block scalar (`|`, `>`): lines indented more than this are its content.
    pub(super) block_scalar: Option<usize>,
    /// Inside a quoted scalar: its quote character, and the indentation its
    /// continuation lines are given at least (one past the opening quote's column).
    pub(super) quote: Option<(u8, usize)>,
}

impl State {
    /// Copies `line` to `out`, rewritten where needed; whether it was.
    pub(super) fn line(&mut self, line: &str, out: &mut String) -> bool {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(owner) = self.block_scalar {
            if blank || indent > owner {
                out.push_str(line);
                return false;
            }
            self.block_scalar = None;
        }
        let mut bytes = line.as_bytes().to_vec();
        let mut changed = false;
        let mut shift = 0;
        let scan_from = if let Some((quote, need)) = self.quote {
            if is_document_marker(&bytes) {
                // libyaml ends the scalar here with an error; leave it to the parser.
                self.quote = None;
                out.push_str(line);
                return false;
            }
            changed = indent_continuation(&mut bytes, need);
            match close_quote(&bytes, need.min(bytes.len()), quote) {
                Some(end) => {
                    self.quote = None;
                    end
                }
                None => {
                    push_bytes(out, bytes);
                    return changed;
                }
            }
        } else {
            if self.depth > 0 && !blank && indent <= self.base {
                shift = self.base + 1 - indent;
                changed = true;
            }
            if self.depth == 0 {
                self.base = indent;
            }
            0
        };
        let (opens_block, tabs) = self.scan(&mut bytes, scan_from, shift);
        changed |= tabs;
        if self.depth == 0 && self.quote.is_none() && opens_block {
            self.block_scalar = Some(indent);
        }
        out.extend(std::iter::repeat_n(' ', shift));
        push_bytes(out, bytes);
        changed
    }

    /// Reads the line from `from` (the line start, or just after a quoted scalar that
    /// began on an earlier line), following flow depth and quotes; turns tabs after a
    /// `:` indicator into spaces. Returns whether the line opens a block scalar and
    /// whether a tab was turned. `shift`: spaces the line will be given in front.
    fn scan(&mut self, b: &mut [u8], from: usize, shift: usize) -> (bool, bool) {
        let end = b
            .iter()
            .rposition(|c| !matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
            .map_or(0, |p| p + 1);
        let mut tabs = false;
        let mut i = from;
        // In block context a quote or bracket only opens a scalar or flow collection
        // where a node starts: at the line start, after `: `, `- ` or `? `.
        let mut node_start = from == 0;
        while i < end {
            let c = b[i];
            match c {
                b'#' if i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\t' => break,
                b'"' | b'\'' if self.depth > 0 || node_start => match close_quote(b, i + 1, c) {
                    Some(after) => {
                        i = after;
                        node_start = false;
                        continue;
                    }
                    None => {
                        self.quote = Some((c, shift + i + 1));
                        return (false, tabs);
                    }
                },
                b'[' | b'{' if self.depth > 0 || node_start => self.depth += 1,
                b']' | b'}' if self.depth > 0 => self.depth -= 1,
                b' ' | b'\t' => {}
                b':' if b.get(i + 1) == Some(&b'\t') => {
                    let mut j = i + 1;
                    while j < end && b[j] == b'\t' {
                        b[j] = b' ';
                        j += 1;
                    }
                    tabs = true;
                    node_start = true;
                    i = j;
                    continue;
                }
                b':' | b'-' | b'?'
                    if self.depth == 0 && (i + 1 >= end || matches!(b[i + 1], b' ' | b'\t')) =>
                {
                    node_start = true;
                    i += 1;
                    continue;
                }
                _ => node_start = self.depth > 0 && matches!(c, b',' | b'[' | b'{' | b':'),
            }
            i += 1;
        }
        let opens_block = self.depth == 0
            && b[..end]
                .iter()
                .rposition(|c| !matches!(c, b'-' | b'+' | b'0'..=b'9'))
                .is_some_and(|p| {
                    p >= from && matches!(b[p], b'|' | b'>') && (p == 0 || b[p - 1] == b' ')
                });
        (opens_block, tabs)
    }
}

/// A quoted scalar's continuation line given at least `need` columns of spaces in front
/// (tabs there become spaces; an empty line loses its white space); whether it changed.
/// The value is the same: a quoted scalar folds this white space away.
fn indent_continuation(bytes: &mut Vec<u8>, need: usize) -> bool {
    let white = bytes
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t'))
        .count();
    let tabbed = bytes[..white].contains(&b'\t');
    let empty = bytes[white..].iter().all(|c| matches!(c, b'\r' | b'\n'));
    let width = if empty { 0 } else { need.max(white) };
    if !tabbed && (empty || width == white) {
        return false;
    }
    bytes.splice(..white, std::iter::repeat_n(b' ', width));
    true
}

/// The index just after the quote that closes a scalar opened by `quote`, searching
/// from `from`; `None` when the scalar goes on past this line.
fn close_quote(b: &[u8], from: usize, quote: u8) -> Option<usize> {
    let mut i = from;
    while i < b.len() {
        if quote == b'"' && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == quote {
            if quote == b'\'' && b.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// `---` or `...` at the start of a line, alone or followed by a blank.
fn is_document_marker(line: &[u8]) -> bool {
    (line.starts_with(b"---") || line.starts_with(b"..."))
        && line
            .get(3)
            .is_none_or(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
}

/// Appends a line that was valid UTF-8 and had only ASCII white space changed.
fn push_bytes(out: &mut String, bytes: Vec<u8>) {
    out.push_str(&String::from_utf8(bytes).expect("only ASCII white space was changed"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_only_under_indented_flow_lines() {
        let src = "server:\n  args: [\n    \"server\",\n  \"-dev\"\n  ]\n  env: {\n  a: 1\n  }\nx: [1, 2]\n";
        let fixed = relax(src).unwrap();
        assert_eq!(
            fixed,
            "server:\n  args: [\n    \"server\",\n   \"-dev\"\n   ]\n  env: {\n   a: 1\n   }\nx: [1, 2]\n"
        );
    }

    #[test]
    fn leaves_block_scalars_comments_and_plain_brackets_alone() {
        assert_eq!(relax("a: |\n  [x\nb: c[0]\n# [\nd: 1\n"), None);
        assert_eq!(relax("a: |\n  \"x\n  k:\ty\nb: 'it''s'\n"), None);
    }

    #[test]
    fn indents_quoted_continuation_lines_past_the_quote() {
        assert_eq!(
            relax("data:\n  k: \"x=foo\n\"\n  j: 'a\n\tb\n\n  c'\n").unwrap(),
            "data:\n  k: \"x=foo\n      \"\n  j: 'a\n      b\n\n      c'\n"
        );
        // An escaped line break keeps the scalar open; a deeper line keeps its indentation.
        assert_eq!(
            relax("- \"a\\\nb\n        c\"\n- d\n").unwrap(),
            "- \"a\\\n   b\n        c\"\n- d\n"
        );
        // A document marker ends it (libyaml fails there too).
        assert_eq!(relax("a: \"x\n---\nb: 1\n"), None);
    }

    #[test]
    fn turns_tabs_after_value_indicators_into_spaces() {
        assert_eq!(
            relax("a:\tb\nc: {d:\te}\n\"k\":\t\t1\n").unwrap(),
            "a: b\nc: {d: e}\n\"k\":  1\n"
        );
        // Not inside quotes or comments.
        assert_eq!(relax("a: \"x:\ty\" # z:\tw\n"), None);
    }
}
