//! go-yaml's leniency for flow collections spread over lines: libyaml accepts continuation
//! lines of a `[...]`/`{...}` that are not indented past the key that opened it, e.g.
//!
//! ```yaml
//! args: [
//!   "server",
//! "-dev"
//! ]
//! ```
//!
//! The YAML spec (and saphyr) reject them. Charts rely on it (Bitnami's chainloop), so
//! after a failed parse the loader retries with such lines indented one column past the
//! opening line; nothing else changes and line numbers stay put.

/// The text with under-indented flow continuation lines indented, or `None` when no line
/// needed it.
pub fn indent_flow_continuations(src: &str) -> Option<String> {
    let mut out = String::with_capacity(src.len() + 64);
    let mut depth = 0usize;
    // Indentation of the line where the outermost open flow collection started.
    let mut base = 0usize;
    // Inside a block scalar (`|`, `>`): lines indented more than this are its content.
    let mut block_scalar: Option<usize> = None;
    let mut changed = false;
    for line in src.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if let Some(owner) = block_scalar {
            if blank || indent > owner {
                out.push_str(line);
                continue;
            }
            block_scalar = None;
        }
        if depth > 0 && !blank && indent <= base {
            out.push_str(&" ".repeat(base + 1 - indent));
            changed = true;
        }
        if depth == 0 {
            base = indent;
        }
        let (new_depth, opens_block) = scan(line, depth);
        depth = new_depth;
        if depth == 0 && opens_block {
            block_scalar = Some(indent);
        }
        out.push_str(line);
    }
    changed.then_some(out)
}

/// Flow depth after `line`, and whether the line ends by opening a block scalar.
fn scan(line: &str, mut depth: usize) -> (usize, bool) {
    let b = line.trim_end().as_bytes();
    let mut i = 0;
    // In block context a bracket only opens a flow collection where a value or item
    // starts: at the line start, after `: ` or after `- `.
    let mut value_start = true;
    while i < b.len() {
        let c = b[i];
        match c {
            b'#' if i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\t' => break,
            b'"' | b'\'' if depth > 0 || value_start => {
                i = skip_quoted(b, i);
                value_start = false;
                continue;
            }
            b'[' | b'{' if depth > 0 || value_start => depth += 1,
            b']' | b'}' if depth > 0 => depth -= 1,
            b' ' | b'\t' => {}
            b':' | b'-' if depth == 0 && matches!(b.get(i + 1), None | Some(b' ')) => {
                value_start = true;
                i += 1;
                continue;
            }
            _ => value_start = depth > 0 && matches!(c, b',' | b'[' | b'{'),
        }
        i += 1;
    }
    let opens_block = depth == 0
        && b.iter()
            .rposition(|c| !matches!(c, b'-' | b'+' | b'0'..=b'9'))
            .is_some_and(|p| matches!(b[p], b'|' | b'>') && (p == 0 || b[p - 1] == b' '));
    (depth, opens_block)
}

/// The index after a quoted scalar starting at `start` (or the line end).
fn skip_quoted(b: &[u8], start: usize) -> usize {
    let quote = b[start];
    let mut i = start + 1;
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
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_only_under_indented_flow_lines() {
        let src = "server:\n  args: [\n    \"server\",\n  \"-dev\"\n  ]\n  env: {\n  a: 1\n  }\nx: [1, 2]\n";
        let fixed = indent_flow_continuations(src).unwrap();
        assert_eq!(
            fixed,
            "server:\n  args: [\n    \"server\",\n   \"-dev\"\n   ]\n  env: {\n   a: 1\n   }\nx: [1, 2]\n"
        );
    }

    #[test]
    fn leaves_block_scalars_comments_and_plain_brackets_alone() {
        assert_eq!(
            indent_flow_continuations("a: |\n  [x\nb: c[0]\n# [\nd: 1\n"),
            None
        );
    }
}
