//! helmfile's parts of a templated stack file: the source is split on lines that are
//! exactly `---`, each part is rendered on its own (seeing the environment values the
//! parts before it declared) and parsed, and the parsed parts merge into one stack.
//!
//! This solves the chicken-and-egg of `.Environment.Values` in the file that declares
//! the environments (helmfile `pkg/app/desired_state_file_loader.go`, `renderAndLoad`).

use crate::yaml::{Node, NodeKind};

/// One part of the source: its text and the line it starts on (1-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part<'a> {
    pub text: &'a str,
    pub first_line: usize,
}

/// Splits `src` on `---` lines (a `\r` before the newline is allowed). A `---` on the
/// first line is a YAML document start, not a separator, as in helmfile.
pub fn split_parts(src: &str) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut first_line = 1;
    let mut offset = 0;
    for (index, line) in src.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches('\n').trim_end_matches('\r');
        if bare == "---" && index > 0 {
            parts.push(Part {
                text: &src[start..offset],
                first_line,
            });
            start = offset + line.len();
            first_line = index + 2;
        }
        offset += line.len();
    }
    parts.push(Part {
        text: &src[start..],
        first_line,
    });
    parts
}

/// Lists that the parts append to; other keys deep-merge (`defaults`, `environments`)
/// or are replaced by the later part.
const APPENDED: &[&str] = &["releases", "repositories"];

/// Merges the mapping `part` into the mapping `into`: `releases` and `repositories`
/// append, mappings merge key by key, anything else is replaced.
pub fn merge_part(into: &mut Node, part: Node) {
    let (NodeKind::Map(dst), NodeKind::Map(src)) = (&mut into.kind, part.kind) else {
        return;
    };
    for (key, value) in src {
        let name = key.as_scalar().map(|s| s.text.clone());
        let existing = dst
            .iter_mut()
            .find(|(k, _)| k.as_scalar().map(|s| &s.text) == name.as_ref());
        match existing {
            None => dst.push((key, value)),
            Some((_, old)) => {
                let append = name.as_deref().is_some_and(|n| APPENDED.contains(&n));
                merge_node(old, value, append);
            }
        }
    }
}

fn merge_node(old: &mut Node, new: Node, append: bool) {
    match (&mut old.kind, new.kind) {
        (NodeKind::Seq(a), NodeKind::Seq(b)) if append => a.extend(b),
        (NodeKind::Map(_), kind @ NodeKind::Map(_)) => {
            merge_part(old, Node { kind, pos: new.pos });
        }
        (_, kind) => *old = Node { kind, pos: new.pos },
    }
}

/// Moves every position of `node` down by `lines` (a part's place in the rendered whole).
pub fn shift_lines(node: &mut Node, lines: u32) {
    node.pos.line = node.pos.line.saturating_add(lines);
    match &mut node.kind {
        NodeKind::Scalar(_) => {}
        NodeKind::Seq(items) => items.iter_mut().for_each(|n| shift_lines(n, lines)),
        NodeKind::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            shift_lines(k, lines);
            shift_lines(v, lines);
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_documents;

    #[test]
    fn splits_on_separator_lines() {
        let parts = split_parts("---\na: 1\n---\r\nb: 2\n--- x\n---\n");
        let got: Vec<(&str, usize)> = parts.iter().map(|p| (p.text, p.first_line)).collect();
        assert_eq!(got, vec![("---\na: 1\n", 1), ("b: 2\n--- x\n", 4), ("", 7)]);
    }

    #[test]
    fn merges_parts() {
        let doc = |s: &str| parse_documents(s).unwrap().remove(0);
        let mut root =
            doc("releases: [{name: a}]\ndefaults: {namespace: x, wait: true}\nname: one\n");
        merge_part(
            &mut root,
            doc("releases: [{name: b}]\ndefaults: {namespace: y}\nname: two\n"),
        );
        let names: Vec<&str> = root
            .get("releases")
            .and_then(Node::as_seq)
            .unwrap()
            .iter()
            .map(|r| r.get("name").unwrap().as_scalar().unwrap().text.as_str())
            .collect();
        assert_eq!(names, ["a", "b"]);
        let d = root.get("defaults").unwrap();
        assert_eq!(d.get("namespace").unwrap().as_scalar().unwrap().text, "y");
        assert_eq!(d.get("wait").unwrap().as_scalar().unwrap().text, "true");
        assert_eq!(root.get("name").unwrap().as_scalar().unwrap().text, "two");
    }
}
