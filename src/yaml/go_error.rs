//! A YAML syntax error worded as go-yaml v2 words it (`parser.fail` in its `decode.go`),
//! for the messages helm prints (a rendered manifest that does not parse, `fromYaml`'s
//! `Error`): only libyaml's "problem", never its "while scanning …" context, in
//! libyaml's words where saphyr says it differently, and the line go-yaml prints:
//! 0-based for errors of libyaml's parser, 1-based for its scanner's, none when the
//! 0-based line is 0.

use super::YamlError;

/// saphyr's problem, libyaml's words for it, and whether libyaml's parser (not its
/// scanner) raises it.
const WORDING: &[(&str, &str, bool)] = &[
    (
        "simple key expect ':'",
        "could not find expected ':'",
        false,
    ),
    ("simple key expected", "could not find expected ':'", false),
    (
        "expected ',' or ']'",
        "did not find expected ',' or ']'",
        false,
    ),
    (
        "expected ',' or '}'",
        "did not find expected ',' or '}'",
        false,
    ),
    (
        "tabs disallowed within this context (block indentation)",
        "found character that cannot start any token",
        false,
    ),
    (
        "unexpected character: `@'",
        "found character that cannot start any token",
        false,
    ),
    (
        "unexpected character: ``'",
        "found character that cannot start any token",
        false,
    ),
    (
        "comment intercepting the multiline text",
        "did not find expected key",
        true,
    ),
    (
        "did not find expected <document start>",
        "did not find expected <document start>",
        true,
    ),
    (
        "invalid trailing content after double-quoted scalar",
        "did not find expected key",
        true,
    ),
    (
        "invalid trailing content after single-quoted scalar",
        "did not find expected key",
        true,
    ),
    ("misplaced bracket", "did not find expected key", true),
    (
        "a block scalar content cannot start with a tab",
        "found a tab character where an indentation space is expected",
        false,
    ),
];

/// `yaml: [line N: ]problem`, as go-yaml reports `e` in `src` (the text that was parsed).
pub fn go_yaml_message(src: &str, e: &YamlError) -> String {
    let (context, problem) = match e.message.split_once(", ") {
        Some((context, problem)) if context.starts_with("while ") => (context, problem),
        _ => ("", e.message.as_str()),
    };
    // go-yaml's decoder, not libyaml, rejects an alias to an unknown anchor, by name and
    // without a line.
    if matches!(problem, "found unknown anchor" | "unknown anchor") {
        return format!("yaml: unknown anchor '{}' referenced", alias_at(src, e));
    }
    let (problem, parser_error) = WORDING.iter().find(|(ours, ..)| *ours == problem).map_or(
        (problem, context.starts_with("while parsing")),
        |(_, go, parser)| (*go, *parser || context.starts_with("while parsing")),
    );
    let zero_based = match problem {
        // libyaml's reader, which keeps no line.
        "control characters are not allowed" => 0,
        // libyaml marks where it stopped, which saphyr does not report: the end of the
        // text, or the first line indented with a tab.
        "found unexpected end of stream" => src.matches('\n').count() as u32,
        "found a tab character where an indentation space is expected" => src
            .lines()
            .enumerate()
            .skip(e.pos.line.saturating_sub(1) as usize)
            .find(|(_, l)| l.trim_start_matches(' ').starts_with('\t'))
            .map_or(e.pos.line.saturating_sub(1), |(i, _)| i as u32),
        _ => e.pos.line.saturating_sub(1),
    };
    match (zero_based, parser_error) {
        (0, _) => format!("yaml: {problem}"),
        (line, true) => format!("yaml: line {line}: {problem}"),
        (line, false) => format!("yaml: line {}: {problem}", line + 1),
    }
}

/// The anchor name of the alias (`*name`) at or after the error's position.
fn alias_at(src: &str, e: &YamlError) -> String {
    let line = src
        .lines()
        .nth(e.pos.line.saturating_sub(1) as usize)
        .unwrap_or("");
    let from = line
        .char_indices()
        .nth(e.pos.col.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[from..];
    let rest = match rest.find('*') {
        Some(star) => &rest[star + 1..],
        None => rest,
    };
    rest.chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_documents;

    fn go(src: &str) -> String {
        go_yaml_message(src, &parse_documents(src).unwrap_err())
    }

    #[test]
    fn words_and_lines_as_go_yaml() {
        assert_eq!(go("a: *x\n"), "yaml: unknown anchor 'x' referenced");
        assert_eq!(
            go("a: 1\nb: \"x\u{1}\"\n"),
            "yaml: control characters are not allowed"
        );
        assert_eq!(
            go("a: &x 1\nb: *y\n"),
            "yaml: unknown anchor 'y' referenced"
        );
        assert_eq!(go("a: \"b"), "yaml: found unexpected end of stream");
        assert_eq!(
            go("a: \"b\n"),
            "yaml: line 2: found unexpected end of stream"
        );
        assert_eq!(
            go("a: |\n\tx\n"),
            "yaml: line 2: found a tab character where an indentation space is expected"
        );
        assert_eq!(go("a: \"b\" c\n"), "yaml: did not find expected key");
        assert_eq!(
            go("a: [1, 2\n"),
            "yaml: line 1: did not find expected ',' or ']'"
        );
    }
}
