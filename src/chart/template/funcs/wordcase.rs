//! Word and case transformations with the exact rules of the Go libraries Sprig wraps:
//! Go's deprecated `strings.Title`, Masterminds/goutils (`untitle`, `swapcase`, `initials`,
//! `nospace`, `abbrev`, `wrap`) and huandu/xstrings v1.5 (`snakecase`, `kebabcase`,
//! `camelcase` = `ToPascalCase`). Several of them work on bytes, not runes, and so mangle
//! non-ASCII text exactly as Helm does; that is kept on purpose.

/// Go's `unicode.ToTitle` for one rune: the four digraph letters have a distinct title
/// case; others map like a simple upper-case mapping.
pub fn to_title(c: char) -> char {
    match c as u32 {
        0x1C4..=0x1C6 => '\u{1C5}',
        0x1C7..=0x1C9 => '\u{1C8}',
        0x1CA..=0x1CC => '\u{1CB}',
        0x1F1..=0x1F3 => '\u{1F2}',
        _ => to_upper(c),
    }
}

/// Go's `unicode.ToUpper` (simple case mapping: one rune in, one rune out).
pub fn to_upper(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `unicode.ToLower` (simple case mapping).
pub fn to_lower(c: char) -> char {
    // The one character whose full lower-case mapping differs from the simple one.
    if c == '\u{130}' {
        return 'i';
    }
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Go's `strings.ToUpper`.
pub fn upper(s: &str) -> String {
    s.chars().map(to_upper).collect()
}

/// Go's `strings.ToLower`.
pub fn lower(s: &str) -> String {
    s.chars().map(to_lower).collect()
}

use unicode_general_category::{GeneralCategory as G, get_general_category};

/// Go's `unicode.IsUpper` (category Lu).
fn is_upper(c: char) -> bool {
    get_general_category(c) == G::UppercaseLetter
}

/// Go's `unicode.IsLower` (category Ll).
fn is_lower(c: char) -> bool {
    get_general_category(c) == G::LowercaseLetter
}

/// Go's `unicode.IsTitle` (category Lt).
fn is_title_case(c: char) -> bool {
    get_general_category(c) == G::TitlecaseLetter
}

/// Go's `unicode.IsLetter` (categories L*).
fn is_letter(c: char) -> bool {
    matches!(
        get_general_category(c),
        G::UppercaseLetter
            | G::LowercaseLetter
            | G::TitlecaseLetter
            | G::ModifierLetter
            | G::OtherLetter
    )
}

/// Go's `unicode.IsNumber` (categories N*).
fn is_number(c: char) -> bool {
    matches!(
        get_general_category(c),
        G::DecimalNumber | G::LetterNumber | G::OtherNumber
    )
}

/// Go's `strings.Title`: upper-cases (title-cases) a letter that follows a separator.
pub fn title(s: &str) -> String {
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let out = if is_title_separator(prev) {
                to_title(c)
            } else {
                c
            };
            prev = c;
            out
        })
        .collect()
}

/// `strings.Title`'s separator test: ASCII alphanumerics and `_` are not separators,
/// other ASCII is; non-ASCII letters/digits are not, non-ASCII spaces are.
fn is_title_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if is_letter(c) || get_general_category(c) == G::DecimalNumber {
        return false;
    }
    c.is_whitespace()
}

/// goutils `Uncapitalize`: lower-cases the first rune of each whitespace-separated word.
pub fn untitle(s: &str) -> String {
    let mut next = true;
    s.chars()
        .map(|c| {
            if c.is_whitespace() {
                next = true;
                c
            } else if next {
                next = false;
                to_lower(c)
            } else {
                c
            }
        })
        .collect()
}

/// goutils `SwapCase`: upper/title → lower; a lower-case rune at the start of a word →
/// title case, elsewhere → upper case.
pub fn swapcase(s: &str) -> String {
    let mut whitespace = true;
    s.chars()
        .map(|c| {
            if is_upper(c) || is_title_case(c) {
                whitespace = false;
                to_lower(c)
            } else if is_lower(c) {
                if whitespace {
                    whitespace = false;
                    to_title(c)
                } else {
                    to_upper(c)
                }
            } else {
                whitespace = c.is_whitespace();
                c
            }
        })
        .collect()
}

/// Go's `unicode.IsSpace` applied to a single byte taken as a rune (goutils iterates
/// bytes): `\t \n \v \f \r`, space, U+0085 and U+00A0.
fn byte_is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | 0x85 | 0xA0)
}

/// goutils `DeleteWhiteSpace`: works byte by byte, re-encoding each kept byte as the rune
/// of the same number, so non-ASCII text is mangled when any whitespace is removed.
pub fn nospace(s: &str) -> String {
    if !s.bytes().any(byte_is_space) {
        return s.to_string();
    }
    s.bytes()
        .filter(|&b| !byte_is_space(b))
        .map(char::from)
        .collect()
}

/// goutils `Initials`: the first byte of every whitespace-separated word (as a rune).
pub fn initials(s: &str) -> String {
    let mut gap = true;
    let mut out = String::new();
    for b in s.bytes() {
        if byte_is_space(b) {
            gap = true;
        } else if gap {
            out.push(char::from(b));
            gap = false;
        }
    }
    out
}

/// Byte slicing that never panics: Go slices strings by bytes and may split a rune;
/// the broken bytes become U+FFFD here (a Rust `String` must stay valid UTF-8).
pub fn byte_slice(s: &str, start: usize, end: usize) -> String {
    String::from_utf8_lossy(&s.as_bytes()[start..end]).into_owned()
}

/// goutils `AbbreviateFull` (offset `left`, width `right`); `None` = goutils error,
/// which Sprig turns into an empty string.
pub fn abbreviate(s: &str, left: i64, width: i64) -> Option<String> {
    if s.is_empty() {
        return Some(String::new());
    }
    if width < 4 {
        return None;
    }
    let len = s.len() as i64;
    if len <= width {
        return Some(s.to_string());
    }
    let mut offset = left.min(len);
    if len - offset < width - 3 {
        offset = len - (width - 3);
    }
    if offset <= 4 {
        return Some(byte_slice(s, 0, (width - 3) as usize) + "...");
    }
    if width < 7 {
        return None;
    }
    if offset + width - 3 < len {
        let rest = byte_slice(s, offset as usize, s.len());
        return abbreviate(&rest, 0, width - 3).map(|r| format!("...{r}"));
    }
    Some(format!(
        "...{}",
        byte_slice(s, (len - (width - 3)) as usize, s.len())
    ))
}

/// goutils `WrapCustom`: byte-based word wrap at `width` columns; `long_words` breaks
/// words longer than the width (Sprig's `wrapWith` does, `wrap` does not).
pub fn wrap(s: &str, width: i64, newline: &str, long_words: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let newline = if newline.is_empty() { "\n" } else { newline };
    let width = width.max(1) as usize;
    let b = s.as_bytes();
    let len = b.len();
    let mut offset = 0usize;
    let mut out: Vec<u8> = Vec::new();
    while len - offset > width {
        if b[offset] == b' ' {
            offset += 1;
            continue;
        }
        let end = width + offset + 1;
        let space = b[offset..end.min(len)].iter().rposition(|&c| c == b' ');
        if let Some(rel) = space {
            out.extend_from_slice(&b[offset..offset + rel]);
            out.extend_from_slice(newline.as_bytes());
            offset += rel + 1;
        } else if long_words {
            out.extend_from_slice(&b[offset..offset + width]);
            out.extend_from_slice(newline.as_bytes());
            offset += width;
        } else {
            let end = width + offset;
            match b[end..].iter().position(|&c| c == b' ') {
                None => {
                    out.extend_from_slice(&b[offset..]);
                    offset = len;
                }
                Some(idx) => {
                    let at = idx + end;
                    out.extend_from_slice(&b[offset..at]);
                    out.extend_from_slice(newline.as_bytes());
                    offset = at + 1;
                }
            }
        }
    }
    out.extend_from_slice(&b[offset..]);
    String::from_utf8_lossy(&out).into_owned()
}

/// xstrings' connector: `-`, `_` or any Unicode space.
fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || c.is_whitespace()
}

/// xstrings `ToPascalCase` (Sprig's `camelcase`): words split at connectors, each word's
/// first rune upper-cased; an all-caps run starting a word is lower-cased after its first
/// rune (`HTTP_SERVER` → `HttpServer`), runs of connectors keep all but the last.
pub fn pascal_case(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    let mut r0 = None;
    let mut first_upper = false;
    for c in chars.by_ref() {
        if !is_connector(c) {
            first_upper = is_upper(c);
            r0 = Some(to_upper(c));
            break;
        }
        out.push(c);
    }
    let Some(mut r0) = r0 else {
        // Only connectors: xstrings writes the last one a second time.
        if let Some(last) = s.chars().last() {
            out.push(last);
        }
        return out;
    };
    for c in chars {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            out.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = is_upper(r0);
            r0 = to_upper(r0);
        } else {
            if first_upper {
                if is_upper(r0) {
                    r0 = to_lower(r0);
                } else {
                    first_upper = false;
                }
            }
            out.push(r1);
        }
    }
    out.push(r0);
    out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Word {
    Invalid,
    Number,
    Upper,
    Alphabet,
    Connector,
    Punct,
    Other,
}

fn is_alphabet(c: char) -> bool {
    c.is_ascii_alphabetic() || (!c.is_ascii() && is_letter(c))
}

/// Go's `unicode.IsPunct`: the Unicode punctuation categories.
fn is_punct(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    matches!(
        get_general_category(c),
        G::ConnectorPunctuation
            | G::DashPunctuation
            | G::OpenPunctuation
            | G::ClosePunctuation
            | G::InitialPunctuation
            | G::FinalPunctuation
            | G::OtherPunctuation
    )
}

/// xstrings `nextWord`: classifies and splits off the next word of `s`.
fn next_word(s: &str) -> (Word, &str, &str) {
    let mut chars = s.char_indices().peekable();
    let Some((_, r)) = chars.next() else {
        return (Word::Invalid, "", "");
    };
    let mut end = r.len_utf8();
    let take_while = |end: &mut usize, pred: &dyn Fn(char) -> bool| {
        for c in s[*end..].chars() {
            if !pred(c) {
                break;
            }
            *end += c.len_utf8();
        }
    };
    let kind = if is_connector(r) {
        take_while(&mut end, &is_connector);
        Word::Connector
    } else if is_punct(r) {
        take_while(&mut end, &is_punct);
        Word::Punct
    } else if is_upper(r) {
        match s[end..].chars().next() {
            Some(n) if is_upper(n) => {
                // An upper-case run; its last letter starts the next word when a
                // lower-case letter follows ("HTTPServer" → "HTTP" + "Server").
                let mut prev_size = 0;
                for c in s[end..].chars() {
                    if !is_upper(c) {
                        if is_alphabet(c) {
                            end -= prev_size;
                        }
                        break;
                    }
                    prev_size = c.len_utf8();
                    end += prev_size;
                }
            }
            Some(n) if is_alphabet(n) => {
                take_while(&mut end, &|c| is_alphabet(c) && !is_upper(c));
            }
            _ => {}
        }
        Word::Upper
    } else if is_alphabet(r) {
        take_while(&mut end, &|c| is_alphabet(c) && !is_upper(c));
        Word::Alphabet
    } else if is_number(r) {
        take_while(&mut end, &|c: char| is_number(c));
        Word::Number
    } else {
        take_while(&mut end, &|c| {
            !(is_connector(c) || is_alphabet(c) || is_number(c) || is_punct(c))
        });
        Word::Other
    };
    (kind, &s[..end], &s[end..])
}

/// xstrings `toLower`: upper-case words and connectors are rewritten, others copied.
fn push_lower(out: &mut String, kind: Word, word: &str, connector: char) {
    if kind != Word::Upper && kind != Word::Connector {
        out.push_str(word);
        return;
    }
    for c in word.chars() {
        if is_connector(c) {
            out.push(connector);
        } else if is_upper(c) {
            out.push(to_lower(c));
        } else {
            out.push(c);
        }
    }
}

/// xstrings `camelCaseToLowerCase`: `snakecase` (`_`) and `kebabcase` (`-`).
pub fn lower_case_words(s: &str, connector: char) -> String {
    if s.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    let (mut wt, mut word, mut remaining) = next_word(s);
    while !remaining.is_empty() {
        if wt != Word::Connector {
            push_lower(&mut out, wt, word, connector);
        }
        let prev = wt;
        let last = word;
        (wt, word, remaining) = next_word(remaining);
        match prev {
            Word::Number => {
                while wt == Word::Alphabet || wt == Word::Number {
                    push_lower(&mut out, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if !matches!(wt, Word::Invalid | Word::Punct | Word::Connector) {
                    out.push(connector);
                }
            }
            Word::Connector => push_lower(&mut out, prev, last, connector),
            Word::Punct => {}
            _ => {
                if wt != Word::Number {
                    if wt != Word::Connector && wt != Word::Punct {
                        out.push(connector);
                    }
                    continue;
                }
                if remaining.is_empty() {
                    continue;
                }
                let last = word;
                (wt, word, remaining) = next_word(remaining);
                if wt != Word::Alphabet {
                    push_lower(&mut out, Word::Number, last, connector);
                    if wt != Word::Connector && wt != Word::Punct {
                        out.push(connector);
                    }
                    continue;
                }
                out.push(connector);
                push_lower(&mut out, Word::Number, last, connector);
                while wt == Word::Alphabet || wt == Word::Number {
                    push_lower(&mut out, wt, word, connector);
                    (wt, word, remaining) = next_word(remaining);
                }
                if !matches!(wt, Word::Invalid | Word::Connector | Word::Punct) {
                    out.push(connector);
                }
            }
        }
    }
    push_lower(&mut out, wt, word, connector);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversions_match_helm() {
        // (input, camelcase, snakecase, kebabcase) recorded from helm4.
        let cases = [
            ("http_server", "HttpServer", "http_server", "http-server"),
            ("foo-bar baz", "FooBarBaz", "foo_bar_baz", "foo-bar-baz"),
            ("HTTP_SERVER", "HttpServer", "http_server", "http-server"),
            ("FooBar", "FooBar", "foo_bar", "foo-bar"),
            ("fooBAR_baz", "FooBARBaz", "foo_bar_baz", "foo-bar-baz"),
            (
                "_complex__case_",
                "_Complex_Case_",
                "_complex__case_",
                "-complex--case-",
            ),
            ("a", "A", "a", "a"),
            ("", "", "", ""),
            ("AbcDEF ghi", "AbcDEFGhi", "abc_def_ghi", "abc-def-ghi"),
            ("x__y", "X_Y", "x__y", "x--y"),
            ("ÉCOLE_été", "ÉcoleÉté", "école_été", "école-été"),
        ];
        for (input, camel, snake, kebab) in cases {
            assert_eq!(pascal_case(input), camel, "camel {input}");
            assert_eq!(lower_case_words(input, '_'), snake, "snake {input}");
            assert_eq!(lower_case_words(input, '-'), kebab, "kebab {input}");
        }
        let snakes = [
            ("FirstName", "first_name"),
            ("HTTPServer", "http_server"),
            ("NoHTTPS", "no_https"),
            ("GO_PATH", "go_path"),
            ("GO PATH", "go_path"),
            ("http2xx", "http_2xx"),
            ("HTTP20xOK", "http_20x_ok"),
            ("Duration2m3s", "duration_2m3s"),
            ("Bld4Floor3rd", "bld4_floor_3rd"),
            ("a.b-c", "a.b_c"),
            ("Hello, World!", "hello,_world!"),
            ("already_snake_1", "already_snake_1"),
            ("v1.2.3", "v1.2.3"),
            ("ÀBc", "à_bc"),
        ];
        for (input, snake) in snakes {
            assert_eq!(lower_case_words(input, '_'), snake, "snake {input}");
        }
    }

    #[test]
    fn goutils_words() {
        assert_eq!(
            title("hello wORLD-foo bar_baz x.y 3abc éa ǆx"),
            "Hello WORLD-Foo Bar_baz X.Y 3abc Éa ǅx"
        );
        assert_eq!(untitle("Hello WORLD Foo"), "hello wORLD foo");
        assert_eq!(swapcase("Hello wORLD ǅx ab"), "hELLO World ǆX AB");
        assert_eq!(initials("hello big world"), "hbw");
        assert_eq!(nospace(" a b\tc\n "), "abc");
        assert_eq!(nospace("é x"), "Ã©x");
        assert_eq!(
            wrap("hello world foo bar", 5, "", false),
            "hello\nworld\nfoo\nbar"
        );
        assert_eq!(
            wrap("helloworld foo", 5, "<br>", true),
            "hello<br>world<br>foo"
        );
        assert_eq!(abbreviate("hello world", 0, 5).as_deref(), Some("he..."));
        assert_eq!(
            abbreviate("1234567890abcdefghij", 5, 10).as_deref(),
            Some("...6789...")
        );
    }
}
