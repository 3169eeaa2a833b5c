//! `.helmignore` rules, exactly as Helm applies them (HELM-SEMANTICS.md §5.3), and Go's
//! `filepath.Match`, which those rules and `--show-only` both use.
//!
//! Mirrors helm `pkg/ignore/rules.go`, including its negation quirk: a `!pattern` rule never
//! "un-ignores"; reaching it ignores every path that does *not* match it.

/// The file Helm reads its rules from, at the chart root.
pub const HELM_IGNORE: &str = ".helmignore";

/// A malformed glob (Go's `filepath.ErrBadPattern`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("syntax error in pattern")]
pub struct BadPattern;

/// Why a `.helmignore` could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IgnoreError {
    #[error("line {line}: double-star (**) syntax is not supported")]
    DoubleStar { line: usize },
    #[error("line {line}: {source}: {rule}")]
    BadPattern {
        line: usize,
        rule: String,
        #[source]
        source: BadPattern,
    },
}

/// How a rule's pattern is compared with a chart-relative path.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Scope {
    /// Leading `/`: the whole path, anchored at the chart root.
    Rooted,
    /// A `/` elsewhere: the whole path.
    Path,
    /// No `/`: the base name only, anywhere in the tree.
    BaseName,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Rule {
    /// The pattern, parsed once: every file of a chart is checked against every rule.
    glob: Vec<Tok>,
    negate: bool,
    must_dir: bool,
    scope: Scope,
}

impl Rule {
    fn matches<T: Copy + Into<char>>(&self, path: &[T], base: &[T]) -> bool {
        match self.scope {
            Scope::Rooted | Scope::Path => match_toks(&self.glob, path),
            Scope::BaseName => match_toks(&self.glob, base),
        }
    }
}

/// The rules of one `.helmignore` plus Helm's built-in default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IgnoreRules {
    rules: Vec<Rule>,
}

impl IgnoreRules {
    /// Rules with only Helm's default (`templates/.?*`: dotfiles directly in templates/).
    pub fn with_defaults() -> IgnoreRules {
        let mut rules = IgnoreRules::default();
        rules.add_defaults();
        rules
    }

    /// Parses a `.helmignore` and appends Helm's default rule after the file's rules.
    pub fn parse(text: &[u8]) -> Result<IgnoreRules, IgnoreError> {
        let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
        let text = String::from_utf8_lossy(text);
        let mut rules = IgnoreRules::default();
        // bufio.Scanner's lines: split on \n, drop one trailing \r (TrimSpace covers it).
        for (i, line) in text.split('\n').enumerate() {
            rules.add_rule(line, i + 1)?;
        }
        rules.add_defaults();
        Ok(rules)
    }

    fn add_defaults(&mut self) {
        // A fixed, valid pattern: parsing cannot fail.
        let _ = self.add_rule("templates/.?*", 0);
    }

    fn add_rule(&mut self, raw: &str, line: usize) -> Result<(), IgnoreError> {
        let rule = raw.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err(IgnoreError::DoubleStar { line });
        }
        // Helm validates the raw rule (with its `!` and slashes) against a non-empty name.
        if let Err(source) = go_match(rule, "abc") {
            return Err(IgnoreError::BadPattern {
                line,
                rule: rule.to_string(),
                source,
            });
        }
        let (negate, rule) = match rule.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, rule),
        };
        let (must_dir, rule) = match rule.strip_suffix('/') {
            Some(rest) => (true, rest),
            None => (false, rule),
        };
        let (scope, pattern) = if let Some(rest) = rule.strip_prefix('/') {
            (Scope::Rooted, rest)
        } else if rule.contains('/') {
            (Scope::Path, rule)
        } else {
            (Scope::BaseName, rule)
        };
        // The whole rule parsed above, so its pattern part parses too.
        let glob = parse_glob(pattern).map_err(|source| IgnoreError::BadPattern {
            line,
            rule: rule.to_string(),
            source,
        })?;
        self.rules.push(Rule {
            glob,
            negate,
            must_dir,
            scope,
        });
        Ok(())
    }

    /// Whether the chart-relative, `/`-separated `path` is ignored. A directory that is
    /// ignored is skipped with all its content.
    pub fn is_ignored(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        // Every file of a chart is checked against every rule: an ASCII path (nearly all
        // of them) is matched as bytes, without collecting its characters first.
        let base = go_base(path);
        if path.is_ascii() {
            self.first_match(path.as_bytes(), base.as_bytes(), is_dir)
        } else {
            let path: Vec<char> = path.chars().collect();
            let base: Vec<char> = base.chars().collect();
            self.first_match(&path, &base, is_dir)
        }
    }

    fn first_match<T: Copy + Into<char>>(&self, path: &[T], base: &[T], is_dir: bool) -> bool {
        for rule in &self.rules {
            if rule.negate {
                if rule.must_dir && !is_dir {
                    return true;
                }
                if !rule.matches(path, base) {
                    return true;
                }
                continue;
            }
            if rule.must_dir && !is_dir {
                continue;
            }
            if rule.matches(path, base) {
                return true;
            }
        }
        false
    }
}

/// Go's `filepath.Base` for `/`-separated paths.
fn go_base(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.is_empty() { "." } else { "/" };
    }
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// One element of a parsed glob.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Star,
    Any,
    Lit(char),
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// Parses a Go `filepath.Match` pattern (Unix: `\` escapes), rejecting what Go rejects.
fn parse_glob(pattern: &str) -> Result<Vec<Tok>, BadPattern> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' => {
                toks.push(Tok::Star);
                i += 1;
            }
            '?' => {
                toks.push(Tok::Any);
                i += 1;
            }
            '\\' => {
                let c = *chars.get(i + 1).ok_or(BadPattern)?;
                toks.push(Tok::Lit(c));
                i += 2;
            }
            '[' => {
                i += 1;
                let mut negated = false;
                if chars.get(i) == Some(&'^') {
                    negated = true;
                    i += 1;
                }
                let mut ranges = Vec::new();
                loop {
                    if chars.get(i) == Some(&']') && !ranges.is_empty() {
                        i += 1;
                        break;
                    }
                    let (lo, next) = class_char(&chars, i)?;
                    i = next;
                    let mut hi = lo;
                    if chars.get(i) == Some(&'-') {
                        let (h, next) = class_char(&chars, i + 1)?;
                        hi = h;
                        i = next;
                    }
                    ranges.push((lo, hi));
                }
                toks.push(Tok::Class { negated, ranges });
            }
            c => {
                toks.push(Tok::Lit(c));
                i += 1;
            }
        }
    }
    Ok(toks)
}

/// One (possibly escaped) character inside `[...]`, Go's `getEsc`.
fn class_char(chars: &[char], mut i: usize) -> Result<(char, usize), BadPattern> {
    let c = *chars.get(i).ok_or(BadPattern)?;
    if c == '-' || c == ']' {
        return Err(BadPattern);
    }
    let c = if c == '\\' {
        i += 1;
        *chars.get(i).ok_or(BadPattern)?
    } else {
        c
    };
    i += 1;
    // Go requires something (at least the closing `]`) after a class character.
    if i >= chars.len() {
        return Err(BadPattern);
    }
    Ok((c, i))
}

/// Go's `filepath.Match` on Unix: `*` and `?` never match `/`; a malformed pattern is an
/// error even when the name would not match.
pub fn go_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let toks = parse_glob(pattern)?;
    let name: Vec<char> = name.chars().collect();
    Ok(match_toks(&toks, &name))
}

/// Whether `name` (characters, or bytes of an ASCII name) matches the whole glob.
fn match_toks<T: Copy + Into<char>>(toks: &[Tok], name: &[T]) -> bool {
    let Some((first, rest)) = toks.split_first() else {
        return name.is_empty();
    };
    let head = name.first().map(|c| (*c).into());
    match first {
        Tok::Star => {
            // Try every split that does not cross a separator.
            let mut i = 0;
            loop {
                if match_toks(rest, &name[i..]) {
                    return true;
                }
                if i >= name.len() || name[i].into() == '/' {
                    return false;
                }
                i += 1;
            }
        }
        Tok::Any => matches!(head, Some(c) if c != '/') && match_toks(rest, &name[1..]),
        Tok::Lit(c) => head == Some(*c) && match_toks(rest, &name[1..]),
        Tok::Class { negated, ranges } => {
            let Some(c) = head else {
                return false;
            };
            let inside = ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi);
            inside != *negated && match_toks(rest, &name[1..])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_match_basics() {
        assert_eq!(go_match("*.yaml", "a.yaml"), Ok(true));
        assert_eq!(go_match("*.yaml", "x/a.yaml"), Ok(false));
        assert_eq!(go_match("templates/*", "templates/a.yaml"), Ok(true));
        assert_eq!(go_match("a?c", "abc"), Ok(true));
        assert_eq!(go_match("a?c", "a/c"), Ok(false));
        assert_eq!(go_match("[a-c]x", "bx"), Ok(true));
        assert_eq!(go_match("[^a-c]x", "bx"), Ok(false));
        assert_eq!(go_match("\\*", "*"), Ok(true));
        assert_eq!(go_match("[", "a"), Err(BadPattern));
        assert_eq!(go_match("[]", "a"), Err(BadPattern));
        assert_eq!(go_match("a\\", "a"), Err(BadPattern));
        assert_eq!(go_match("templates/.?*", "templates/.hidden"), Ok(true));
        assert_eq!(go_match("templates/.?*", "templates/."), Ok(false));
    }

    #[test]
    fn base_name_rules_match_anywhere() {
        let r = IgnoreRules::parse(b"*.bak\n").unwrap();
        assert!(r.is_ignored("sub/a.bak", false));
        assert!(r.is_ignored("a.bak", false));
        assert!(!r.is_ignored("a.yaml", false));
    }

    #[test]
    fn rooted_and_directory_rules() {
        let r = IgnoreRules::parse(b"# c\n\n/rootonly.txt\nsecret/\n").unwrap();
        assert!(r.is_ignored("rootonly.txt", false));
        assert!(!r.is_ignored("x/rootonly.txt", false));
        assert!(r.is_ignored("secret", true));
        assert!(!r.is_ignored("secret", false));
        assert!(r.is_ignored("a/secret", true));
    }

    #[test]
    fn path_rules_do_not_cross_slashes() {
        let r = IgnoreRules::parse(b"templates/*.txt\n").unwrap();
        assert!(r.is_ignored("templates/a.txt", false));
        assert!(!r.is_ignored("templates/x/a.txt", false));
    }

    #[test]
    fn negation_hides_non_matching_paths() {
        let r = IgnoreRules::parse(b"!keep.txt\n").unwrap();
        assert!(r.is_ignored("Chart.yaml", false));
        assert!(!r.is_ignored("keep.txt", false));
    }

    #[test]
    fn default_rule_hides_template_dotfiles() {
        let r = IgnoreRules::with_defaults();
        assert!(r.is_ignored("templates/.swp", false));
        assert!(!r.is_ignored("templates/x/.swp", false));
        assert!(!r.is_ignored(".helmignore", false));
    }

    #[test]
    fn bad_rules_are_errors() {
        assert!(matches!(
            IgnoreRules::parse(b"a/**/b\n"),
            Err(IgnoreError::DoubleStar { line: 1 })
        ));
        assert!(matches!(
            IgnoreRules::parse(b"ok\n[\n"),
            Err(IgnoreError::BadPattern { line: 2, .. })
        ));
    }

    #[test]
    fn bom_and_crlf_are_stripped() {
        let r = IgnoreRules::parse(b"\xEF\xBB\xBF*.bak\r\nfoo\r\n").unwrap();
        assert!(r.is_ignored("x.bak", false));
        assert!(r.is_ignored("foo", false));
    }
}
