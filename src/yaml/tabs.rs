//! Tabs where libyaml refuses them and saphyr does not. In block context libyaml skips
//! only spaces at the start of a line, so a line indented with a tab fails there
//! (`found character that cannot start any token`); while a plain scalar may still go on
//! from the line before, its scanner reads the tab as part of its indentation first and
//! fails with `found a tab character that violates indentation` when the tab stands left
//! of the scalar's indentation. Values files a person typed with a tab are the usual
//! case: helm refuses them, so rstack must too.

use super::YamlError;
use super::lenient::State;
use super::tree::Pos;

/// The first tab libyaml would refuse in `src`, as the error it reports.
pub fn tab_problem(src: &str) -> Option<YamlError> {
    if !tab_in_indentation(src) {
        return None;
    }
    let mut state = State::default();
    // While a plain scalar may go on: the column a tab must not stand left of.
    let mut plain: Option<usize> = None;
    let mut scratch = String::new();
    for (index, line) in src.split_inclusive('\n').enumerate() {
        let skip = state.block_scalar.is_some() || state.quote.is_some() || state.depth > 0;
        let lead = line.len() - line.trim_start_matches([' ', '\t']).len();
        if !skip && let Some(tab) = line[..lead].find('\t') {
            let message = match plain {
                Some(indent) if tab < indent => "found a tab character that violates indentation",
                Some(_) => "",
                None => "found character that cannot start any token",
            };
            if !message.is_empty() {
                return Some(YamlError {
                    pos: Pos {
                        line: index as u32 + 1,
                        col: tab as u32 + 1,
                    },
                    message: message.into(),
                });
            }
        }
        if !skip {
            plain = plain_after(line, plain);
        }
        scratch.clear();
        state.line(line, &mut scratch);
    }
    None
}

/// Whether some line starts with blanks holding a tab: only such a line can break the
/// rules, so the line-by-line reading is skipped for the others (tabs inside values).
fn tab_in_indentation(src: &str) -> bool {
    let b = src.as_bytes();
    memchr::memchr_iter(b'\t', b).any(|at| {
        let line_start = memchr::memrchr(b'\n', &b[..at]).map_or(0, |p| p + 1);
        b[line_start..at].iter().all(|&c| c == b' ' || c == b'\t')
    })
}

/// Whether a plain scalar may go on after `line` (and from which indentation), given
/// `open`, the same before it. A blank line changes nothing; a comment, a key without a
/// value, or a value that is quoted, a collection or a block scalar ends it.
fn plain_after(line: &str, open: Option<usize>) -> Option<usize> {
    let body = line.trim_end_matches(['\r', '\n']);
    let spaces = body.len() - body.trim_start_matches(' ').len();
    // A comment ends a plain scalar.
    if body.contains(" #") || body.contains("\t#") || body.trim_start().starts_with('#') {
        return None;
    }
    let content = body.trim();
    if content.is_empty() {
        return if body.trim().is_empty() { open } else { None };
    }
    // The value after the last `key: ` or `- ` on the line.
    let mut value = content;
    let mut starts_here = false;
    loop {
        if let Some(rest) = value
            .strip_prefix("- ")
            .or_else(|| value.strip_prefix("-\t"))
        {
            value = rest.trim_start();
            starts_here = true;
        } else if value == "-" {
            return None;
        } else if let Some(at) = value.find(": ").or_else(|| value.find(":\t")) {
            value = value[at + 2..].trim_start();
            starts_here = true;
        } else if value.ends_with(':') {
            return None;
        } else {
            break;
        }
    }
    if value.is_empty() || value.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!']) {
        return None;
    }
    match (starts_here, open) {
        (false, Some(indent)) => Some(indent),
        _ => Some(spaces + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(src: &str) -> Option<(u32, String)> {
        tab_problem(src).map(|e| (e.pos.line, e.message))
    }

    #[test]
    fn tabs_libyaml_refuses() {
        let start = "found character that cannot start any token".to_string();
        let violates = "found a tab character that violates indentation".to_string();
        assert_eq!(problem("\tkey: v\n"), Some((1, start.clone())));
        assert_eq!(problem("a: 1 # c\n\t\n"), Some((2, start.clone())));
        assert_eq!(problem("a: 1\n\tb: 2\n"), Some((2, violates.clone())));
        assert_eq!(problem("a: x\n\t# comment\n"), Some((2, violates.clone())));
        assert_eq!(problem("a:\n  - x\n  \t- y\n"), Some((3, violates)));
    }

    #[test]
    fn tabs_libyaml_reads() {
        for ok in [
            "a: \"x\ty\"\n",
            "a: |\n  \tindented content\n  x\n",
            "a: [1,\n\t2]\n",
            "a: x\n  \ty\n",
            "k:\tv\n",
            "a: 'p\n\tq'\n",
        ] {
            assert_eq!(problem(ok), None, "{ok:?}");
        }
    }
}
