//! Sprig's regex functions with Go RE2 semantics (HELM-SEMANTICS.md §3.6).
//!
//! The `regex` crate implements the same RE2 language and the same leftmost-first match
//! and replacement (`$1`, `${name}`, `$$`) rules; what differs is translated here:
//! Go's `\d \w \s \b` are ASCII-only, `\Q...\E` quotes, a `{` that does not start a
//! repeat is a literal, stacked repetitions (`a**`) and counts over 1000 are errors. Go's
//! compile error messages are reproduced for the common cases, since the non-`must`
//! functions panic with them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use regex_automata::{meta, util::syntax};

use super::args::{self, arity};
use super::strings::strings_value;
use super::{Func, FuncError};
use crate::chart::values::{Elem, Value};

pub const FUNCS: &[(&str, Func)] = &[
    ("regexMatch", regex_match),
    ("mustRegexMatch", must_regex_match),
    ("regexFindAll", regex_find_all),
    ("mustRegexFindAll", must_regex_find_all),
    ("regexFind", regex_find),
    ("mustRegexFind", must_regex_find),
    ("regexReplaceAll", regex_replace_all),
    ("mustRegexReplaceAll", must_regex_replace_all),
    ("regexReplaceAllLiteral", regex_replace_all_literal),
    ("mustRegexReplaceAllLiteral", must_regex_replace_all_literal),
    ("regexSplit", regex_split),
    ("mustRegexSplit", must_regex_split),
    ("regexQuoteMeta", regex_quote_meta),
];

/// A compiled Go regular expression: the `regex` crate's engine (its `Regex` is a thin
/// layer over this one, with the same syntax and match rules), built without a literal
/// prefilter and without the lazy DFA. Both pay off on long texts; templates match short
/// strings. Building a prefilter (Teddy, memmem) cost more than the matches and ran the
/// CPU feature detection `crate::scan` avoids; the lazy DFA needs a reverse NFA.
///
/// An ASCII pattern is also built for ASCII texts only (bytes, no Unicode classes), and
/// the Unicode engine only once a text is not ASCII. Why: compiling any Unicode class
/// (`.`, `[^/]`, Go's `\W`) fills a 320 KiB table, fresh memory that pushed half of the
/// real charts past their first 2 MiB page, while on an ASCII text both engines match
/// the same: every class and case fold differs only on characters such a text lacks.
pub struct Regex {
    /// The byte engine, when the pattern is ASCII and needs no Unicode class.
    ascii: Option<meta::Regex>,
    /// The pattern in `regex` syntax, for the Unicode engine.
    translated: String,
    /// Built on first use when `ascii` is there (`None`: it failed to build).
    unicode: OnceLock<Option<meta::Regex>>,
}

/// Our engines' settings: no literal prefilter, no lazy DFA (see [`Regex`]).
fn config() -> meta::Config {
    meta::Config::new().auto_prefilter(false).hybrid(false)
}

/// The engine for any text (Unicode classes), `None` when it does not build.
fn unicode_engine(translated: &str) -> Option<meta::Regex> {
    meta::Regex::builder()
        .configure(config())
        .build(translated)
        .ok()
}

impl Regex {
    /// `None` when the pattern does not compile (the caller words Go's error).
    fn new(translated: String) -> Option<Regex> {
        let ascii = translated.is_ascii().then(|| {
            meta::Regex::builder()
                .configure(config())
                .syntax(syntax::Config::new().unicode(false).utf8(false))
                .build(&translated)
                .ok()
        });
        let unicode = OnceLock::new();
        match ascii.flatten() {
            // The Unicode engine accepts the syntax its byte form does; only its size can
            // fail it, later (see `engine`).
            Some(ascii) => {
                syntax::parse(&translated).ok()?;
                Some(Regex {
                    ascii: Some(ascii),
                    translated,
                    unicode,
                })
            }
            None => {
                let _ = unicode.set(Some(unicode_engine(&translated)?));
                Some(Regex {
                    ascii: None,
                    translated,
                    unicode,
                })
            }
        }
    }

    /// The engine for `text`. The Unicode engine of a pattern whose byte engine built
    /// can still fail on its size alone (Unicode classes are bigger): Go's error then.
    fn engine(&self, text: &str) -> Result<&meta::Regex, FuncError> {
        let engine = match &self.ascii {
            Some(ascii) if text.is_ascii() => Some(ascii),
            _ => self
                .unicode
                .get_or_init(|| unicode_engine(&self.translated))
                .as_ref(),
        };
        engine.ok_or_else(|| FuncError::Call("error parsing regexp: expression too large".into()))
    }

    pub fn is_match(&self, s: &str) -> Result<bool, FuncError> {
        Ok(self.engine(s)?.is_match(s))
    }

    /// The matched texts, leftmost first, not overlapping.
    fn find_iter<'r, 'h>(
        &'r self,
        s: &'h str,
    ) -> Result<impl Iterator<Item = (usize, usize)> + use<'r, 'h>, FuncError> {
        Ok(self.engine(s)?.find_iter(s).map(|m| (m.start(), m.end())))
    }

    fn find<'h>(&self, s: &'h str) -> Result<Option<&'h str>, FuncError> {
        Ok(self.engine(s)?.find(s).map(|m| &s[m.range()]))
    }

    /// Go's `ReplaceAllString` (`$1`, `${name}` expanded) or `ReplaceAllLiteralString`.
    fn replace_all(&self, s: &str, repl: &str, literal: bool) -> Result<String, FuncError> {
        let engine = self.engine(s)?;
        let mut out = String::with_capacity(s.len());
        let mut last = 0;
        if literal {
            for m in engine.find_iter(s) {
                out.push_str(&s[last..m.start()]);
                out.push_str(repl);
                last = m.end();
            }
        } else {
            for caps in engine.captures_iter(s) {
                let m = caps.get_match().expect("a match has a whole-match group");
                out.push_str(&s[last..m.start()]);
                caps.interpolate_string_into(s, repl, &mut out);
                last = m.end();
            }
        }
        out.push_str(&s[last..]);
        Ok(out)
    }
}

/// Compiles a Go regular expression; the error is Go's `error parsing regexp: ...` text.
pub fn compile(pattern: &str) -> Result<Arc<Regex>, String> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(re) = cache.lock().ok().and_then(|c| c.get(pattern).cloned()) {
        return Ok(re);
    }
    let translated = translate(pattern).map_err(|e| format!("error parsing regexp: {e}"))?;
    let re = Regex::new(translated.clone())
        .ok_or_else(|| format!("error parsing regexp: {}", explain(pattern, &translated)))?;
    let re = Arc::new(re);
    if let Ok(mut c) = cache.lock() {
        if c.len() > 1000 {
            c.clear();
        }
        c.insert(pattern.to_string(), re.clone());
    }
    Ok(re)
}

/// Go's `error parsing regexp: ...` text for a pattern Go's `regexp` rejects, or `None`
/// (`values.schema.json` patterns are Go regular expressions in helm).
pub fn go_regex_error(pattern: &str) -> Option<String> {
    compile(pattern).err()
}

/// Whether Go's `regexp.MatchString(pattern, text)` holds; `None` when Go rejects the
/// pattern.
pub fn go_regex_is_match(pattern: &str, text: &str) -> Option<bool> {
    compile(pattern).ok()?.is_match(text).ok()
}

/// The non-`must` functions call Go's `regexp.MustCompile`, which panics like this.
fn must_compile(pattern: &str) -> Result<Arc<Regex>, FuncError> {
    compile(pattern).map_err(|e| FuncError::Call(format!("regexp: Compile(`{pattern}`): {e}")))
}

fn checked_compile(pattern: &str) -> Result<Arc<Regex>, FuncError> {
    compile(pattern).map_err(FuncError::Call)
}

/// Rewrites Go syntax into equivalent `regex` crate syntax, or returns Go's error text
/// for constructs only Go rejects.
fn translate(p: &str) -> Result<String, String> {
    let chars: Vec<(usize, char)> = p.char_indices().collect();
    let mut out = String::with_capacity(p.len() + 16);
    let mut i = 0;
    let mut class_depth = 0usize;
    // Byte offset where the previous repetition operator started (Go's `lastRepeat`).
    let mut last_repeat: Option<usize> = None;
    let mut nesting = RepeatNesting::default();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let offset = |i: usize| chars.get(i).map_or(p.len(), |&(o, _)| o);
    while i < chars.len() {
        let c = chars[i].1;
        let start = offset(i);
        if class_depth > 0 {
            match c {
                '\\' => {
                    let next = at(i + 1);
                    match next.and_then(ascii_class) {
                        Some(cls) => out.push_str(cls),
                        None => {
                            out.push('\\');
                            if let Some(n) = next {
                                out.push(n);
                            }
                        }
                    }
                    i += 2;
                }
                '[' if at(i + 1) == Some(':') => {
                    // A POSIX class `[:alpha:]` inside a bracket expression.
                    let rest = &p[start..];
                    let end = rest.find(":]").map_or(rest.len(), |e| e + 2);
                    out.push_str(&rest[..end]);
                    i += rest[..end].chars().count();
                }
                '[' => {
                    out.push_str("\\[");
                    i += 1;
                }
                ']' => {
                    class_depth -= 1;
                    out.push(']');
                    i += 1;
                }
                _ => {
                    out.push(c);
                    i += 1;
                }
            }
            continue;
        }
        let mut is_repeat = false;
        match c {
            '(' => nesting.open(),
            ')' => nesting.close(),
            '*' | '+' | '?' | '{' => {}
            // A literal, class, escape or `|`.
            _ => nesting.atom(),
        }
        match c {
            '\\' => match at(i + 1) {
                Some('Q') => {
                    let rest = &p[offset(i + 2)..];
                    let (lit, consumed) = match rest.find("\\E") {
                        Some(e) => (&rest[..e], e + 2),
                        None => (rest, rest.len()),
                    };
                    out.push_str(&regex::escape(lit));
                    i += 2 + rest[..consumed].chars().count();
                }
                Some('b') => {
                    out.push_str("(?-u:\\b)");
                    i += 2;
                }
                Some('B') => {
                    out.push_str("(?-u:\\B)");
                    i += 2;
                }
                Some('p' | 'P' | 'x') if at(i + 2) == Some('{') => {
                    // `\p{Greek}`, `\x{10FFFF}`: copied through to the closing brace.
                    let rest = &p[start..];
                    let len = rest.find('}').map_or(rest.len(), |e| e + 1);
                    out.push_str(&rest[..len]);
                    i += rest[..len].chars().count();
                }
                Some(n) => {
                    match ascii_class(n) {
                        Some(cls) => out.push_str(cls),
                        None => {
                            out.push('\\');
                            out.push(n);
                        }
                    }
                    i += 2;
                }
                None => {
                    out.push('\\');
                    i += 1;
                }
            },
            '[' => {
                class_depth += 1;
                out.push('[');
                i += 1;
                // A leading `^` and a leading `]` are part of the class syntax.
                if at(i) == Some('^') {
                    out.push('^');
                    i += 1;
                }
                if at(i) == Some(']') {
                    out.push_str("\\]");
                    i += 1;
                }
            }
            '*' | '+' | '?' => {
                is_repeat = true;
                out.push(c);
                i += 1;
            }
            '{' => match parse_repeat(&p[start..]) {
                Some((len, min, max)) => {
                    if min > 1000 || max.is_some_and(|m| m > 1000 || m < min) {
                        return Err(format!(
                            "invalid repeat count: `{}`",
                            &p[start..start + len]
                        ));
                    }
                    if !nesting.repeat(min, max) {
                        // Go: nested counted repetitions multiply to more than 1000.
                        return Err(format!(
                            "invalid repeat count: `{}`",
                            &p[start..start + len]
                        ));
                    }
                    is_repeat = true;
                    out.push_str(&p[start..start + len]);
                    i += p[start..start + len].chars().count();
                }
                None => {
                    nesting.atom();
                    out.push_str("\\{");
                    i += 1;
                }
            },
            _ => {
                out.push(c);
                i += 1;
            }
        }
        if is_repeat {
            // A lazy `?` belongs to the operator.
            if at(i) == Some('?') {
                out.push('?');
                i += 1;
            }
            if let Some(prev) = last_repeat {
                return Err(format!(
                    "invalid nested repetition operator: `{}`",
                    &p[prev..offset(i)]
                ));
            }
            last_repeat = Some(start);
        } else {
            last_repeat = None;
        }
    }
    Ok(out)
}

/// Go's limit on counted repetitions inside one another (`repeatIsValid`): along any
/// chain of `{n,m}` nested in each other, the product of their bounds (`m`, or `n` when
/// unbounded) is at most 1000, else the outermost is an invalid repeat count. It also
/// bounds the Unicode engine a pattern builds ([`Regex::engine`]).
///
/// Tracked per open group as the pattern is read: the largest product inside it so far,
/// and that of its last atom (what a repetition applies to).
struct RepeatNesting(Vec<(u64, u64)>);

impl Default for RepeatNesting {
    fn default() -> Self {
        RepeatNesting(vec![(0, 0)])
    }
}

impl RepeatNesting {
    fn top(&mut self) -> &mut (u64, u64) {
        if self.0.is_empty() {
            // An unbalanced `)`: the parser reports it.
            self.0.push((0, 0));
        }
        self.0.last_mut().expect("never empty")
    }

    /// What a repetition would apply to next has none inside (a literal, class or
    /// escape), or there is nothing yet (after `|`).
    fn atom(&mut self) {
        self.top().1 = 0;
    }

    fn open(&mut self) {
        self.0.push((0, 0));
    }

    fn close(&mut self) {
        let inner = self.0.pop().map_or(0, |(largest, _)| largest);
        let top = self.top();
        top.1 = inner;
        top.0 = top.0.max(inner);
    }

    /// `{min,max}` applied to the last atom; false when Go rejects it.
    fn repeat(&mut self, min: u64, max: Option<u64>) -> bool {
        let top = self.top();
        let bound = max.unwrap_or(min);
        let product = match max {
            // `x{0}` is never checked inside.
            Some(0) => 0,
            _ if bound == 0 => top.1,
            _ => bound.saturating_mul(top.1.max(1)),
        };
        top.1 = product;
        top.0 = top.0.max(product);
        !((min >= 2 || max.is_some_and(|m| m >= 2)) && product > 1000)
    }
}

/// Go's ASCII-only Perl classes.
fn ascii_class(c: char) -> Option<&'static str> {
    Some(match c {
        'd' => "[0-9]",
        'D' => "[^0-9]",
        's' => "[\\t\\n\\f\\r ]",
        'S' => "[^\\t\\n\\f\\r ]",
        'w' => "[0-9A-Za-z_]",
        'W' => "[^0-9A-Za-z_]",
        _ => return None,
    })
}

/// `{n}`, `{n,}` or `{n,m}` at the start of `s`: (length, min, max).
fn parse_repeat(s: &str) -> Option<(usize, u64, Option<u64>)> {
    let close = s.find('}')?;
    let body = &s[1..close];
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let big = |t: &str| t.parse::<u64>().unwrap_or(u64::MAX);
    match body.split_once(',') {
        None if digits(body) => Some((close + 1, big(body), Some(big(body)))),
        Some((a, "")) if digits(a) => Some((close + 1, big(a), None)),
        Some((a, b)) if digits(a) && digits(b) => Some((close + 1, big(a), Some(big(b)))),
        _ => None,
    }
}

/// Go's message for a pattern the `regex` crate rejected, from the parser's error kind.
fn explain(original: &str, translated: &str) -> String {
    use regex_syntax::ast::ErrorKind as A;
    let span_text = |s: &regex_syntax::ast::Span| {
        translated
            .get(s.start.offset..s.end.offset)
            .unwrap_or("")
            .to_string()
    };
    let from_group = |end: usize| {
        let begin = translated[..end.min(translated.len())]
            .rfind("(?")
            .unwrap_or(0);
        translated.get(begin..end).unwrap_or("").to_string()
    };
    match regex_syntax::ast::parse::Parser::new().parse(translated) {
        Err(e) => {
            let span = e.span();
            match e.kind() {
                A::GroupUnclosed => format!("missing closing ): `{original}`"),
                A::GroupUnopened => format!("unexpected ): `{original}`"),
                A::ClassUnclosed => format!(
                    "missing closing ]: `{}`",
                    translated.get(span.start.offset..).unwrap_or("")
                ),
                A::RepetitionMissing => {
                    let rest = translated.get(span.start.offset..).unwrap_or("");
                    let op: String = rest.chars().take_while(|c| "*+?".contains(*c)).collect();
                    format!(
                        "missing argument to repetition operator: `{}`",
                        if op.is_empty() { "*".into() } else { op }
                    )
                }
                A::EscapeUnrecognized | A::UnsupportedBackreference => {
                    format!("invalid escape sequence: `{}`", span_text(span))
                }
                A::UnicodeClassInvalid => {
                    format!("invalid character class range: `{}`", span_text(span))
                }
                A::ClassRangeInvalid => {
                    format!("invalid character class range: `{}`", span_text(span))
                }
                A::UnsupportedLookAround => {
                    format!("invalid or unsupported Perl syntax: `{}`", span_text(span))
                }
                A::FlagUnrecognized
                | A::FlagDanglingNegation
                | A::FlagRepeatedNegation { .. }
                | A::FlagDuplicate { .. } => {
                    format!(
                        "invalid or unsupported Perl syntax: `{}`",
                        from_group(span.end.offset)
                    )
                }
                A::GroupNameEmpty
                | A::GroupNameInvalid
                | A::GroupNameUnexpectedEof
                | A::GroupNameDuplicate { .. } => {
                    let end = translated[span.end.offset.min(translated.len())..]
                        .find('>')
                        .map_or(translated.len(), |e| span.end.offset + e + 1);
                    format!("invalid named capture: `{}`", from_group(end))
                }
                A::RepetitionCountInvalid
                | A::RepetitionCountUnclosed
                | A::RepetitionCountDecimalEmpty => {
                    format!("invalid repeat count: `{}`", span_text(span))
                }
                _ => format!("{}", e.kind()),
            }
        }
        Ok(_) => match regex_syntax::Parser::new().parse(translated) {
            Err(regex_syntax::Error::Translate(e)) => {
                format!(
                    "invalid character class range: `{}`",
                    translated
                        .get(e.span().start.offset..e.span().end.offset)
                        .unwrap_or("")
                )
            }
            Err(e) => e.to_string(),
            Ok(_) => "expression too large".to_string(),
        },
    }
}

fn regex_match(a: &[Value]) -> Result<Value, FuncError> {
    arity("regexMatch", a, 2)?;
    let (re, s) = (args::string(&a[0])?, args::string(&a[1])?);
    // Sprig's `regexMatch` is false for a pattern that does not compile.
    Ok(Value::Bool(
        compile(re).is_ok_and(|r| r.is_match(s).unwrap_or(false)),
    ))
}

fn must_regex_match(a: &[Value]) -> Result<Value, FuncError> {
    arity("mustRegexMatch", a, 2)?;
    let re = checked_compile(args::string(&a[0])?)?;
    Ok(Value::Bool(re.is_match(args::string(&a[1])?)?))
}

/// Go's `FindAllString(s, n)`: at most n matches (all when n < 0, none when 0).
fn find_all(re: &Regex, s: &str, n: i64) -> Result<Vec<String>, FuncError> {
    let limit = if n < 0 { usize::MAX } else { n as usize };
    Ok(re
        .find_iter(s)?
        .take(limit)
        .map(|(start, end)| s[start..end].to_string())
        .collect())
}

fn regex_find_all(a: &[Value]) -> Result<Value, FuncError> {
    arity("regexFindAll", a, 3)?;
    let re = must_compile(args::string(&a[0])?)?;
    let (s, n) = (args::string(&a[1])?, args::int(&a[2])?);
    Ok(found_strings(find_all(&re, s, n)?))
}

fn must_regex_find_all(a: &[Value]) -> Result<Value, FuncError> {
    arity("mustRegexFindAll", a, 3)?;
    let re = checked_compile(args::string(&a[0])?)?;
    let (s, n) = (args::string(&a[1])?, args::int(&a[2])?);
    Ok(found_strings(find_all(&re, s, n)?))
}

/// Go's `FindAllString` result: a nil `[]string` when nothing matched (`toJson`: `null`).
fn found_strings(items: Vec<String>) -> Value {
    if items.is_empty() {
        Value::nil_slice(Elem::String)
    } else {
        strings_value(items)
    }
}

/// Go's `Regexp.Split` result: nil for `n == 0`, else a (possibly empty) `[]string`.
fn split_value(items: Vec<String>, n: i64) -> Value {
    if n == 0 {
        Value::nil_slice(Elem::String)
    } else {
        strings_value(items)
    }
}

fn find(re: &Regex, s: &str) -> Result<Value, FuncError> {
    Ok(Value::from(re.find(s)?.unwrap_or("")))
}

fn regex_find(a: &[Value]) -> Result<Value, FuncError> {
    arity("regexFind", a, 2)?;
    let re = must_compile(args::string(&a[0])?)?;
    find(&re, args::string(&a[1])?)
}

fn must_regex_find(a: &[Value]) -> Result<Value, FuncError> {
    arity("mustRegexFind", a, 2)?;
    let re = checked_compile(args::string(&a[0])?)?;
    find(&re, args::string(&a[1])?)
}

fn replace(re: &Regex, s: &str, repl: &str, literal: bool) -> Result<Value, FuncError> {
    // A replacement without `$` expands to itself.
    let literal = literal || crate::scan::find_byte(b'$', repl.as_bytes()).is_none();
    Ok(Value::from(re.replace_all(s, repl, literal)?))
}

fn regex_replace_all(a: &[Value]) -> Result<Value, FuncError> {
    arity("regexReplaceAll", a, 3)?;
    let re = must_compile(args::string(&a[0])?)?;
    replace(&re, args::string(&a[1])?, args::string(&a[2])?, false)
}

fn must_regex_replace_all(a: &[Value]) -> Result<Value, FuncError> {
    arity("mustRegexReplaceAll", a, 3)?;
    let re = checked_compile(args::string(&a[0])?)?;
    replace(&re, args::string(&a[1])?, args::string(&a[2])?, false)
}

fn regex_replace_all_literal(a: &[Value]) -> Result<Value, FuncError> {
    arity("regexReplaceAllLiteral", a, 3)?;
    let re = must_compile(args::string(&a[0])?)?;
    replace(&re, args::string(&a[1])?, args::string(&a[2])?, true)
}

fn must_regex_replace_all_literal(a: &[Value]) -> Result<Value, FuncError> {
    arity("mustRegexReplaceAllLiteral", a, 3)?;
    let re = checked_compile(args::string(&a[0])?)?;
    replace(&re, args::string(&a[1])?, args::string(&a[2])?, true)
}

/// Go's `Regexp.Split(s, n)`.
fn split(re: &Regex, pattern: &str, s: &str, n: i64) -> Result<Vec<String>, FuncError> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if !pattern.is_empty() && s.is_empty() {
        return Ok(vec![String::new()]);
    }
    let limit = if n < 0 { usize::MAX } else { n as usize };
    let mut out = Vec::new();
    let (mut beg, mut end) = (0usize, 0usize);
    for (start, stop) in re.find_iter(s)?.take(limit) {
        if n > 0 && out.len() == limit - 1 {
            break;
        }
        end = start;
        if stop != 0 {
            out.push(s[beg..end].to_string());
        }
        beg = stop;
    }
    if end != s.len() {
        out.push(s[beg..].to_string());
    }
    Ok(out)
}

fn regex_split(a: &[Value]) -> Result<Value, FuncError> {
    arity("regexSplit", a, 3)?;
    let pattern = args::string(&a[0])?;
    let re = must_compile(pattern)?;
    let (s, n) = (args::string(&a[1])?, args::int(&a[2])?);
    Ok(split_value(split(&re, pattern, s, n)?, n))
}

fn must_regex_split(a: &[Value]) -> Result<Value, FuncError> {
    arity("mustRegexSplit", a, 3)?;
    let pattern = args::string(&a[0])?;
    let re = checked_compile(pattern)?;
    let (s, n) = (args::string(&a[1])?, args::int(&a[2])?);
    Ok(split_value(split(&re, pattern, s, n)?, n))
}

/// Go's `regexp.QuoteMeta`: backslash before each of `\.+*?()|[]{}^$`.
fn regex_quote_meta(a: &[Value]) -> Result<Value, FuncError> {
    arity("regexQuoteMeta", a, 1)?;
    let s = args::string(&a[0])?;
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(Value::from(out))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call, call_err};

    #[test]
    fn matching_and_replacing_match_helm() {
        assert_eq!(call(r#"regexFindAll "a*" "baaac" -1"#), "[ aaa ]");
        assert_eq!(call(r#"regexReplaceAll "a*" "baaac" "X""#), "XbXcX");
        assert_eq!(call(r#"regexSplit "a*" "baaac" -1"#), "[b c]");
        assert_eq!(call(r#"regexSplit "," "a,b,c" 2"#), "[a b,c]");
        assert_eq!(call(r#"regexSplit "," "" -1"#), "[]");
        assert_eq!(call(r#"regexSplit "" "abc" -1"#), "[a b c]");
        assert_eq!(call(r#"regexFindAll "a" "aaa" 2"#), "[a a]");
        assert_eq!(call(r#"regexFindAll "a" "aaa" 0"#), "[]");
        assert_eq!(
            call(r#"regexReplaceAll "(a)(b)?" "ab-a" "[$1|$2|${1}W|$1W|$$|$x|$]""#),
            "[a|b|aW||$||$]-[a||aW||$||$]"
        );
        assert_eq!(call(r#"regexReplaceAllLiteral "a" "aa" "$1""#), "$1$1");
        assert_eq!(call(r#"regexQuoteMeta "a.b*c#-~&""#), r"a\.b\*c#-~&");
        assert_eq!(call(r#"regexMatch `^\d+$` "١٢""#), "false");
        assert_eq!(call(r#"regexMatch `^\w+$` "é""#), "false");
        assert_eq!(call(r#"regexMatch `\bé` "é""#), "false");
        assert_eq!(call(r#"regexMatch "(?i)ABC" "abc""#), "true");
        assert_eq!(call(r#"regexFind "[[:alpha:]]+" "12abc""#), "abc");
        assert_eq!(call(r#"regexMatch `^\s$` "\xa0""#), "false");
        assert_eq!(call(r#"regexMatch "a{,3}" "a{,3}""#), "true");
        assert_eq!(call(r#"regexMatch `^\Qa.b\E$` "a.b""#), "true");
        assert_eq!(call(r#"regexMatch "(" "a""#), "false");
    }

    /// An ASCII text is matched by the byte engine, any other by the Unicode one; both
    /// find the same on ASCII texts.
    #[test]
    fn ascii_texts_match_as_the_unicode_engine_does() {
        let patterns = [
            r"[^a-z]+",
            r".",
            r"(?i)k",
            r"\W+",
            r"(-?[^a-z\d\-])+-?",
            r"^[\w-\.]+$",
            r"/.*$",
            r"(?i)[^s]",
            r"\bx\B",
            r"(?s).+",
            r"[[:^alpha:]]",
            r"a|\x{e9}",
        ];
        let texts = [
            "",
            "abc",
            "K-k_s.S",
            "x/y/z",
            "Hello, World! 123",
            "a\nb",
            "-x--y-",
        ];
        for pattern in patterns {
            let re = super::compile(pattern).unwrap();
            assert!(re.ascii.is_some(), "{pattern} has a byte engine");
            let unicode = super::Regex::new(re.translated.clone()).unwrap();
            let unicode = unicode.engine("é").unwrap();
            for text in texts {
                let ours: Vec<_> = re.find_iter(text).unwrap().collect();
                let theirs: Vec<_> = unicode
                    .find_iter(text)
                    .map(|m| (m.start(), m.end()))
                    .collect();
                assert_eq!(ours, theirs, "{pattern} on {text:?}");
            }
        }
        // Not ASCII: one match per character, not per byte.
        assert_eq!(call(r#"regexReplaceAll "[^a-z]" "é-a" "x""#), "xxa");
        assert_eq!(call(r#"regexFindAll "." "aé" -1"#), "[a é]");
        assert_eq!(call(r#"regexMatch "(?i)k" "\u212a""#), "true");
        // Patterns that need Unicode have no byte engine.
        assert!(super::compile(r"\pL").unwrap().ascii.is_none());
        assert!(super::compile("é").unwrap().ascii.is_none());
    }

    #[test]
    fn compile_errors_match_go() {
        let cases = [
            ("a**", "invalid nested repetition operator: `**`"),
            (r"\q", r"invalid escape sequence: `\q`"),
            ("[a", "missing closing ]: `[a`"),
            ("a)", "unexpected ): `a)`"),
            ("(", "missing closing ): `(`"),
            ("*", "missing argument to repetition operator: `*`"),
            ("a{2,1}", "invalid repeat count: `{2,1}`"),
            ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
            (r"\1", r"invalid escape sequence: `\1`"),
            ("[z-a]", "invalid character class range: `z-a`"),
            ("a{1001}", "invalid repeat count: `{1001}`"),
            ("(?P<>a)", "invalid named capture: `(?P<>`"),
            (r"\p{Foo}", r"invalid character class range: `\p{Foo}`"),
            ("(?z)", "invalid or unsupported Perl syntax: `(?z`"),
            // Nested counted repetitions multiply (Go's `repeatIsValid`).
            ("(?:a{501}){2}", "invalid repeat count: `{2}`"),
            ("(a{10}|b{201}){5}", "invalid repeat count: `{5}`"),
            ("((a{2})*){600}", "invalid repeat count: `{600}`"),
            ("((a{0}){1000}){2}", "invalid repeat count: `{2}`"),
        ];
        for (pattern, want) in cases {
            assert_eq!(
                call_err(&format!("regexFind `{pattern}` \"x\"")),
                format!("regexp: Compile(`{pattern}`): error parsing regexp: {want}"),
            );
            assert_eq!(
                call_err(&format!("mustRegexFind `{pattern}` \"x\"")),
                format!("error parsing regexp: {want}"),
            );
        }
        // At the limit, or cut by `{0}` or an unbounded `{0,}`: accepted.
        for pattern in [
            "(?:a{500}){2}",
            "(a{10}|b{200}){5}",
            "(a{0,}){1000}",
            "(a{1}){1000}",
        ] {
            // `call` fails the test on an error, so the pattern compiled.
            let matched = call(&format!("mustRegexMatch `{pattern}` \"b\""));
            assert!(
                matched == "true" || matched == "false",
                "{pattern}: {matched}"
            );
        }
        assert_eq!(
            call_err(r#"mustRegexMatch "(" "a""#),
            "error parsing regexp: missing closing ): `(`"
        );
    }
}
