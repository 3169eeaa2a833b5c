//! Go `text/template` lexer: template source → `(Token, Span)` items, borrowing the source.
//!
//! Mirrors `text/template/parse/lex.go` (Go 1.25) with `{{`/`}}` delimiters: trim markers
//! (`{{- ` and ` -}}`, the whitespace next to the dash is mandatory), comments that must sit
//! directly inside their delimiters, and Go's literal syntax for numbers, strings, raw
//! strings and character constants. An error is a token (`Kind::Error`) after which the
//! iterator stops, exactly like Go's lexer; Go's message is kept by the lexer
//! ([`Lexer::error_message`]) so that tokens stay small and `Copy` (a chart's templates
//! lex into hundreds of thousands of them). HELM-SEMANTICS.md §1.1.

use std::fmt;

/// A byte range in the template source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }
}

/// Keywords (`key` in Go's lexer). `break`/`continue` are always keywords in Helm because
/// no function of that name is defined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyword {
    Block,
    Break,
    Continue,
    Define,
    Else,
    End,
    If,
    Range,
    Nil,
    Template,
    With,
}

impl Keyword {
    fn from_word(w: &str) -> Option<Keyword> {
        Some(match w {
            "block" => Keyword::Block,
            "break" => Keyword::Break,
            "continue" => Keyword::Continue,
            "define" => Keyword::Define,
            "else" => Keyword::Else,
            "end" => Keyword::End,
            "if" => Keyword::If,
            "range" => Keyword::Range,
            "nil" => Keyword::Nil,
            "template" => Keyword::Template,
            "with" => Keyword::With,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Block => "block",
            Keyword::Break => "break",
            Keyword::Continue => "continue",
            Keyword::Define => "define",
            Keyword::Else => "else",
            Keyword::End => "end",
            Keyword::If => "if",
            Keyword::Range => "range",
            Keyword::Nil => "nil",
            Keyword::Template => "template",
            Keyword::With => "with",
        }
    }
}

/// What a token is; its text is the source under its span (for `Error`, the message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Plain text outside actions (already trimmed by adjacent trim markers).
    Text,
    LeftDelim,
    RightDelim,
    /// A `{{/* ... */}}` comment (the whole span including delimiters).
    Comment,
    Space,
    Pipe,
    /// `=`
    Assign,
    /// `:=`
    Declare,
    LeftParen,
    RightParen,
    /// Any other printable ASCII character inside an action (`,` is the only legal one).
    Char,
    /// `"..."` including quotes.
    String,
    /// `` `...` `` including backquotes.
    RawString,
    /// `'x'` including quotes.
    CharConstant,
    Number,
    Complex,
    Bool,
    /// `.` alone.
    Dot,
    /// `.Name`
    Field,
    /// `$` or `$name`
    Variable,
    Identifier,
    Keyword(Keyword),
    Eof,
    /// A lexing error (message in [`Lexer::error_message`]); the last token.
    Error,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub span: Span,
}

impl Token {
    /// The token's text in `src`.
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.span.start as usize..self.span.end as usize]
    }

    /// Go's `item.String()`, used in "unexpected X in Y" parse errors.
    pub fn describe(&self, src: &str) -> String {
        match &self.kind {
            Kind::Eof => "EOF".to_string(),
            Kind::Error => "error".to_string(),
            Kind::Keyword(k) => format!("<{}>", k.as_str()),
            _ => {
                let text = self.text(src);
                if text.chars().count() > 10 {
                    let head: String = text.chars().take(10).collect();
                    format!("{}...", go_quote(&head))
                } else {
                    go_quote(text)
                }
            }
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

const LEFT: &str = "{{";

/// The searcher for [`LEFT`] in template text, built once: building one per call cost
/// more than the search on the short text between actions.
fn left_delims() -> &'static crate::scan::Finder {
    static FINDER: std::sync::LazyLock<crate::scan::Finder> =
        std::sync::LazyLock::new(|| crate::scan::Finder::new(LEFT.as_bytes()));
    &FINDER
}
const RIGHT: &str = "}}";

/// Go's `isSpace`: the whitespace that trim markers and action spacing accept.
pub fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

/// The lexer; iterate it for tokens. It stops after `Eof` or the first `Error`.
pub struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    start: usize,
    in_action: bool,
    paren_depth: i32,
    done: bool,
    /// A delimiter or comment lexed together with the text before it, returned next.
    pending: Option<Token>,
    /// Go's message for the `Kind::Error` token, once one was returned.
    error: Option<String>,
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str) -> Lexer<'a> {
        Lexer {
            src,
            pos: 0,
            start: 0,
            in_action: false,
            paren_depth: 0,
            done: false,
            pending: None,
            error: None,
        }
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    /// [`Lexer::rest`] as bytes, without the char-boundary check of slicing a `str`.
    fn rest_bytes(&self) -> &'a [u8] {
        &self.src.as_bytes()[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        // Template source is mostly ASCII: no UTF-8 decoding for it.
        match self.src.as_bytes().get(self.pos) {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            Some(_) => self.rest().chars().next(),
            None => None,
        }
    }

    /// Steps over letters, digits and `_` (Go's `isAlphaNumeric`); returns the character
    /// that ended the run, if any.
    fn skip_alnum(&mut self) -> Option<char> {
        let bytes = self.src.as_bytes();
        loop {
            self.pos += crate::scan::ascii_word_len(&bytes[self.pos..]);
            match bytes.get(self.pos) {
                Some(&b) if b.is_ascii() => return Some(char::from(b)),
                None => return None,
                Some(_) => {
                    let c = self.peek()?;
                    if !is_alnum(c) {
                        return Some(c);
                    }
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn token(&mut self, kind: Kind) -> Token {
        let t = Token {
            kind,
            span: Span::new(self.start, self.pos),
        };
        self.start = self.pos;
        t
    }

    /// Go's message for the error token, once the lexer has returned it.
    pub fn error_message(&self) -> Option<&str> {
        self.error.as_deref()
    }

    fn error(&mut self, msg: String) -> Token {
        self.done = true;
        self.error = Some(msg);
        Token {
            kind: Kind::Error,
            span: Span::new(self.start, self.pos),
        }
    }

    /// `{{- ` follows at `at`?
    fn left_trim_at(&self, at: usize) -> bool {
        let b = self.src.as_bytes();
        b.len() >= at + 2 && b[at] == b'-' && is_space(b[at + 1])
    }

    /// At a right delimiter (`}}` or ` -}}`)? Returns (is_delim, trims).
    fn at_right_delim(&self) -> (bool, bool) {
        let r = self.rest_bytes();
        if r.len() >= 2 && is_space(r[0]) && r[1] == b'-' && r[2..].starts_with(RIGHT.as_bytes()) {
            return (true, true);
        }
        (r.starts_with(RIGHT.as_bytes()), false)
    }

    fn lex_text(&mut self) -> Option<Token> {
        match left_delims().find(self.rest().as_bytes()) {
            Some(x) => {
                let delim_at = self.pos + x;
                let mut end = delim_at;
                if self.left_trim_at(delim_at + LEFT.len()) {
                    let text = &self.src.as_bytes()[self.start..delim_at];
                    let kept = text
                        .iter()
                        .rposition(|c| !is_space(*c))
                        .map_or(0, |i| i + 1);
                    end = self.start + kept;
                }
                let text_span = Span::new(self.start, end);
                self.pos = delim_at;
                self.start = delim_at;
                let delim = self.lex_left_delim();
                if text_span.end > text_span.start {
                    // Emit the text now, the delimiter (already lexed) next.
                    self.pending = Some(delim);
                    return Some(Token {
                        kind: Kind::Text,
                        span: text_span,
                    });
                }
                Some(delim)
            }
            None => {
                self.pos = self.src.len();
                if self.pos > self.start {
                    return Some(self.token(Kind::Text));
                }
                self.done = true;
                Some(self.token(Kind::Eof))
            }
        }
    }

    /// At `{{`: a comment (returned whole) or a left delimiter.
    fn lex_left_delim(&mut self) -> Token {
        self.pos += LEFT.len();
        let trim = self.left_trim_at(self.pos);
        let after = if trim { 2 } else { 0 };
        if self.src[self.pos + after..].starts_with("/*") {
            return self.lex_comment(after);
        }
        let t = Token {
            kind: Kind::LeftDelim,
            span: Span::new(self.start, self.pos),
        };
        self.pos += after;
        self.start = self.pos;
        self.in_action = true;
        self.paren_depth = 0;
        t
    }

    fn lex_comment(&mut self, after_marker: usize) -> Token {
        let begin = self.start;
        self.pos += after_marker + 2;
        let Some(x) = self.rest().find("*/") else {
            return self.error("unclosed comment".into());
        };
        self.pos += x + 2;
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.error("comment ends before closing delimiter".into());
        }
        if trim {
            self.pos += 2;
        }
        self.pos += RIGHT.len();
        let t = Token {
            kind: Kind::Comment,
            span: Span::new(begin, self.pos),
        };
        if trim {
            self.skip_leading_space();
        }
        self.start = self.pos;
        t
    }

    fn skip_leading_space(&mut self) {
        while self.pos < self.src.len() && is_space(self.src.as_bytes()[self.pos]) {
            self.pos += 1;
        }
    }

    fn lex_right_delim(&mut self, trim: bool) -> Token {
        if trim {
            self.pos += 2;
            self.start = self.pos;
        }
        self.pos += RIGHT.len();
        let t = self.token(Kind::RightDelim);
        if trim {
            self.skip_leading_space();
            self.start = self.pos;
        }
        self.in_action = false;
        t
    }

    fn lex_inside_action(&mut self) -> Token {
        let (delim, trim) = self.at_right_delim();
        if delim {
            if self.paren_depth == 0 {
                return self.lex_right_delim(trim);
            }
            return self.error("unclosed left paren".into());
        }
        let Some(c) = self.bump() else {
            return self.error("unclosed action".into());
        };
        match c {
            ' ' | '\t' | '\r' | '\n' => self.lex_space(),
            '=' => self.token(Kind::Assign),
            ':' => {
                if self.bump() != Some('=') {
                    return self.error("expected :=".into());
                }
                self.token(Kind::Declare)
            }
            '|' => self.token(Kind::Pipe),
            '"' => self.lex_quote(),
            '`' => self.lex_raw_quote(),
            '$' => self.lex_field_or_variable(Kind::Variable),
            '\'' => self.lex_char(),
            '.' => match self.peek() {
                Some(d) if d.is_ascii_digit() => {
                    self.pos = self.start;
                    self.lex_number()
                }
                _ => self.lex_field_or_variable(Kind::Field),
            },
            '+' | '-' | '0'..='9' => {
                self.pos = self.start;
                self.lex_number()
            }
            c if is_alnum(c) => {
                self.pos = self.start;
                self.lex_identifier()
            }
            '(' => {
                self.paren_depth += 1;
                self.token(Kind::LeftParen)
            }
            ')' => {
                self.paren_depth -= 1;
                if self.paren_depth < 0 {
                    return self.error("unexpected right paren".into());
                }
                self.token(Kind::RightParen)
            }
            c if c.is_ascii() && !c.is_ascii_control() => self.token(Kind::Char),
            c => self.error(format!(
                "unrecognized character in action: {}",
                go_unicode(c)
            )),
        }
    }

    /// Spaces; a single space directly before `-}}` belongs to the delimiter.
    fn lex_space(&mut self) -> Token {
        let mut n = 1;
        while self.pos < self.src.len() && is_space(self.src.as_bytes()[self.pos]) {
            self.pos += 1;
            n += 1;
        }
        let before = self.pos - 1;
        let b = self.src.as_bytes();
        if b.len() >= before + 4
            && b[before + 1] == b'-'
            && b[before + 2..].starts_with(RIGHT.as_bytes())
        {
            self.pos = before;
            if n == 1 {
                return self.lex_inside_action();
            }
        }
        self.token(Kind::Space)
    }

    fn lex_quote(&mut self) -> Token {
        let bytes = self.src.as_bytes();
        loop {
            // Bytes other than these three stand for themselves; all three are ASCII, so
            // this stops on a character boundary.
            while bytes
                .get(self.pos)
                .is_some_and(|b| !matches!(b, b'\\' | b'\n' | b'"'))
            {
                self.pos += 1;
            }
            match self.bump() {
                Some('\\') => match self.bump() {
                    Some('\n') | None => return self.error("unterminated quoted string".into()),
                    Some(_) => {}
                },
                Some('\n') | None => return self.error("unterminated quoted string".into()),
                Some('"') => return self.token(Kind::String),
                Some(_) => {}
            }
        }
    }

    fn lex_raw_quote(&mut self) -> Token {
        match self.rest().find('`') {
            Some(x) => {
                self.pos += x + 1;
                self.token(Kind::RawString)
            }
            None => {
                self.pos = self.src.len();
                self.error("unterminated raw quoted string".into())
            }
        }
    }

    fn lex_char(&mut self) -> Token {
        loop {
            match self.bump() {
                Some('\\') => match self.bump() {
                    Some('\n') | None => {
                        return self.error("unterminated character constant".into());
                    }
                    Some(_) => {}
                },
                Some('\n') | None => return self.error("unterminated character constant".into()),
                Some('\'') => return self.token(Kind::CharConstant),
                Some(_) => {}
            }
        }
    }

    /// Go's `atTerminator`: what may follow a field, variable or identifier.
    fn at_terminator(&self) -> bool {
        // All of them ASCII: no character to decode.
        match self.src.as_bytes().get(self.pos) {
            None => true,
            Some(&b) if is_space(b) => true,
            Some(b'.' | b',' | b'|' | b':' | b')' | b'(') => true,
            _ => self.rest_bytes().starts_with(RIGHT.as_bytes()),
        }
    }

    fn lex_field_or_variable(&mut self, kind: Kind) -> Token {
        if self.at_terminator() {
            return self.token(if kind == Kind::Variable {
                Kind::Variable
            } else {
                Kind::Dot
            });
        }
        let last = self.skip_alnum();
        if !self.at_terminator() {
            return self.bad_character(last);
        }
        self.token(kind)
    }

    fn bad_character(&mut self, c: Option<char>) -> Token {
        let desc = c.map_or_else(|| "U+FFFFFFFF".to_string(), go_unicode);
        self.error(format!("bad character {desc}"))
    }

    fn lex_identifier(&mut self) -> Token {
        let last = self.skip_alnum();
        if !self.at_terminator() {
            return self.bad_character(last);
        }
        let word = &self.src[self.start..self.pos];
        let kind = if let Some(k) = Keyword::from_word(word) {
            Kind::Keyword(k)
        } else if word == "true" || word == "false" {
            Kind::Bool
        } else {
            Kind::Identifier
        };
        self.token(kind)
    }

    fn accept(&mut self, set: &str) -> bool {
        match self.peek() {
            Some(c) if set.contains(c) => {
                self.pos += c.len_utf8();
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, set: &str) {
        while self.accept(set) {}
    }

    /// Go's `scanNumber`: accepts a superset of number syntax; the parser validates.
    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if self.peek().is_some_and(is_alnum) {
            self.bump();
            return false;
        }
        true
    }

    fn lex_number(&mut self) -> Token {
        if !self.scan_number() {
            let text = go_quote(&self.src[self.start..self.pos]);
            return self.error(format!("bad number syntax: {text}"));
        }
        if matches!(self.peek(), Some('+' | '-')) {
            if !self.scan_number() || !self.src[..self.pos].ends_with('i') {
                let text = go_quote(&self.src[self.start..self.pos]);
                return self.error(format!("bad number syntax: {text}"));
            }
            return self.token(Kind::Complex);
        }
        self.token(Kind::Number)
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        if let Some(p) = self.pending.take() {
            return Some(p);
        }
        if self.done {
            return None;
        }
        if self.in_action {
            Some(self.lex_inside_action())
        } else {
            self.lex_text()
        }
    }
}

/// Go's `%#U` of a rune: `U+002D '-'`.
pub fn go_unicode(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}

/// Go's `strconv.Quote` (`%q`) for the short texts that appear in error messages.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (kind, text) of every token; an error token's text is its message.
    fn lex(src: &str) -> Vec<(String, String)> {
        let mut lexer = Lexer::new(src);
        let mut out = Vec::new();
        while let Some(t) = lexer.next() {
            let kind = match &t.kind {
                Kind::Keyword(k) => k.as_str().to_string(),
                k => format!("{k:?}"),
            };
            let text = match t.kind {
                Kind::Error => lexer.error_message().unwrap_or_default().to_string(),
                _ => t.text(src).to_string(),
            };
            out.push((kind, text));
        }
        out
    }

    fn kinds(src: &str) -> String {
        lex(src)
            .iter()
            .map(|(k, v)| format!("{k}:{v}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Names and strings are scanned a byte at a time while ASCII; other characters take
    /// the Unicode rules (letters and digits continue a name).
    #[test]
    fn names_and_strings_mixing_ascii_and_other_characters() {
        assert_eq!(
            kinds("{{ .Values.héllo_1.x }}"),
            "LeftDelim:{{ Space:  Field:.Values Field:.héllo_1 Field:.x Space:  RightDelim:}} Eof:"
        );
        assert_eq!(
            kinds("{{ $naïve2 | fünf }}"),
            "LeftDelim:{{ Space:  Variable:$naïve2 Space:  Pipe:| Space:  Identifier:fünf Space:  RightDelim:}} Eof:"
        );
        assert_eq!(
            kinds("{{ .a€ }}"),
            "LeftDelim:{{ Space:  Error:bad character U+20AC '€'"
        );
        assert_eq!(
            kinds("{{ \"a\\\"é\\ü\" }}"),
            "LeftDelim:{{ Space:  String:\"a\\\"é\\ü\" Space:  RightDelim:}} Eof:"
        );
        assert_eq!(
            kinds("{{ \"é\n\" }}"),
            "LeftDelim:{{ Space:  Error:unterminated quoted string"
        );
    }

    #[test]
    fn trims_whitespace_around_markers() {
        assert_eq!(
            kinds("a  \n  {{- \"x\" -}}  \n  b"),
            "Text:a LeftDelim:{{ String:\"x\" RightDelim:}} Text:b Eof:"
        );
        assert_eq!(kinds("{{-3}}"), "LeftDelim:{{ Number:-3 RightDelim:}} Eof:");
        assert_eq!(
            kinds("{{ 3 }}"),
            "LeftDelim:{{ Space:  Number:3 Space:  RightDelim:}} Eof:"
        );
    }

    #[test]
    fn comments_and_trim() {
        assert_eq!(
            kinds("a {{- /* c */ -}} b"),
            "Text:a Comment:{{- /* c */ -}} Text:b Eof:"
        );
        assert_eq!(
            kinds("{{/* x */ }}"),
            "Error:comment ends before closing delimiter"
        );
    }

    #[test]
    fn literals_and_names() {
        assert_eq!(
            kinds("{{$x := .A.b | f 'c' `r` 1.5e3 0x1F 1+2i nil true}}"),
            "LeftDelim:{{ Variable:$x Space:  Declare::= Space:  Field:.A Field:.b Space:  Pipe:| Space:  \
             Identifier:f Space:  CharConstant:'c' Space:  RawString:`r` Space:  Number:1.5e3 Space:  \
             Number:0x1F Space:  Complex:1+2i Space:  nil:nil Space:  Bool:true RightDelim:}} Eof:"
        );
        assert_eq!(
            kinds("{{ range $i, $v := . }}{{break}}"),
            "LeftDelim:{{ Space:  range:range Space:  Variable:$i Char:, Space:  Variable:$v Space:  Declare::= Space:  Dot:. Space:  RightDelim:}} LeftDelim:{{ break:break RightDelim:}} Eof:"
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            lex("{{ .a-b }}").last().unwrap().1,
            "bad character U+002D '-'"
        );
        assert_eq!(
            lex("{{ \"abc }}").last().unwrap().1,
            "unterminated quoted string"
        );
        assert_eq!(lex("{{ (1 }}").last().unwrap().1, "unclosed left paren");
        assert_eq!(lex("{{ 1 ").last().unwrap().1, "unclosed action");
    }
}
