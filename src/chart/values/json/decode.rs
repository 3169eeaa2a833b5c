//! Go's `json.Unmarshal` into `interface{}`, `map[string]interface{}` or
//! `[]interface{}`, with Go's exact error messages (`fromJson` returns them to templates).
//! Like Go, the whole text is checked before types are: a syntax error anywhere wins over
//! a type mismatch, and a number too large for a float64 leaves `nil` behind while the
//! rest of the document is still decoded. See Go's `encoding/json/scanner.go` and
//! `decode.go`.

use crate::chart::values::{Map, Value};

/// Go's scanner limit (`maxNestingDepth`).
const MAX_READ_DEPTH: usize = 10000;

/// The Go type a decoded document is stored into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// `interface{}` (Sprig's `mustFromJson`).
    Any,
    /// `map[string]interface{}` (Helm's `fromJson`).
    Map,
    /// `[]interface{}` (Helm's `fromJsonArray`).
    List,
}

impl Target {
    fn go_type(self) -> &'static str {
        match self {
            Target::Any => "interface {}",
            Target::Map => "map[string]interface {}",
            Target::List => "[]interface {}",
        }
    }
}

/// The result of `json.Unmarshal`: like Go, a number error still leaves the rest of the
/// document decoded (the failing number becomes `nil`), so both halves may be set.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// The decoded value; for `Map`/`List` targets always a map/list (empty on error).
    pub value: Value,
    /// Go's error message, if any.
    pub error: Option<String>,
}

/// `json.Unmarshal(src, &target)` with Go's error messages.
pub fn unmarshal(src: &str, target: Target) -> Decoded {
    let empty = || match target {
        Target::Any => Value::Nil,
        Target::Map => Value::empty_map(),
        Target::List => Value::list(Vec::new()),
    };
    let mut parser = Parser {
        src: src.as_bytes(),
        pos: 0,
        number_error: None,
    };
    let value = match parser.document() {
        Ok(v) => v,
        Err(message) => {
            return Decoded {
                value: empty(),
                error: Some(message),
            };
        }
    };
    // The JSON kind comes from the text: a number too large for a float64 decodes to
    // nil but is still a number to Go's type check.
    let kind = match src
        .trim_start_matches([' ', '\t', '\n', '\r'])
        .as_bytes()
        .first()
    {
        Some(b'{') => "object",
        Some(b'[') => "array",
        Some(b'"') => "string",
        Some(b't' | b'f') => "bool",
        Some(b'n') | None => {
            return Decoded {
                value: empty(),
                error: None,
            };
        }
        Some(_) => "number",
    };
    let fits = match target {
        Target::Any => true,
        Target::Map => kind == "object",
        Target::List => kind == "array",
    };
    if !fits {
        return Decoded {
            value: empty(),
            error: Some(format!(
                "json: cannot unmarshal {kind} into Go value of type {}",
                target.go_type()
            )),
        };
    }
    Decoded {
        value,
        error: parser.number_error,
    }
}

/// An open array or object while parsing (kept on an explicit stack so that deep
/// documents cannot overflow ours).
enum Frame {
    List(Vec<Value>),
    Map(Map, String),
}

struct Parser<'a> {
    src: &'a [u8],
    pos: usize,
    /// The first number that does not fit a float64 (reported after a clean parse).
    number_error: Option<String>,
}

const UNEXPECTED_END: &str = "unexpected end of JSON input";

/// Go's `quoteChar`: the offending byte as a single-quoted Go literal. A byte of a
/// multi-byte character is shown as the Latin-1 character of that value, as Go does.
fn quote_char(c: u8) -> String {
    match c {
        b'\'' => r"'\''".into(),
        b'"' => "'\"'".into(),
        0x07 => r"'\a'".into(),
        0x08 => r"'\b'".into(),
        0x0c => r"'\f'".into(),
        b'\n' => r"'\n'".into(),
        b'\r' => r"'\r'".into(),
        b'\t' => r"'\t'".into(),
        0x0b => r"'\v'".into(),
        b'\\' => r"'\\'".into(),
        c if c < 0x20 || c == 0x7f => format!("'\\x{c:02x}'"),
        c if (0x80..=0xa0).contains(&c) || c == 0xad => format!("'\\u{c:04x}'"),
        c => format!("'{}'", char::from(c)),
    }
}

fn invalid(c: u8, context: &str) -> String {
    format!("invalid character {} {context}", quote_char(c))
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    /// Inside a token, the end of input is judged as Go does: as if a space followed.
    fn next_in_token(&mut self) -> u8 {
        let c = self.peek().unwrap_or(b' ');
        self.pos += 1;
        c
    }

    fn document(&mut self) -> Result<Value, String> {
        let value = self.value()?;
        self.skip_space();
        match self.peek() {
            None => Ok(value),
            Some(c) => Err(invalid(c, "after top-level value")),
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        let mut stack: Vec<Frame> = Vec::new();
        'value: loop {
            self.skip_space();
            let c = self.peek().ok_or(UNEXPECTED_END)?;
            let mut done = match c {
                b'[' | b'{' => {
                    if stack.len() + 1 > MAX_READ_DEPTH {
                        return Err("exceeded max depth".into());
                    }
                    self.pos += 1;
                    self.skip_space();
                    if c == b'[' {
                        if self.peek() == Some(b']') {
                            self.pos += 1;
                            Value::list(Vec::new())
                        } else {
                            stack.push(Frame::List(Vec::new()));
                            continue 'value;
                        }
                    } else if self.peek() == Some(b'}') {
                        self.pos += 1;
                        Value::empty_map()
                    } else {
                        let key = self.key()?;
                        stack.push(Frame::Map(Map::new(), key));
                        continue 'value;
                    }
                }
                b'"' => {
                    self.pos += 1;
                    Value::from(self.string_body()?)
                }
                b'-' | b'0'..=b'9' => self.number()?,
                b't' => self.literal("true", Value::Bool(true))?,
                b'f' => self.literal("false", Value::Bool(false))?,
                b'n' => self.literal("null", Value::Nil)?,
                c => return Err(invalid(c, "looking for beginning of value")),
            };
            // A complete value: hand it to the enclosing array/object.
            loop {
                match stack.last_mut() {
                    None => return Ok(done),
                    Some(Frame::List(items)) => {
                        items.push(done);
                        self.skip_space();
                        match self.peek() {
                            None => return Err(UNEXPECTED_END.into()),
                            Some(b',') => {
                                self.pos += 1;
                                continue 'value;
                            }
                            Some(b']') => {
                                self.pos += 1;
                                let Some(Frame::List(items)) = stack.pop() else {
                                    unreachable!("top frame is a list")
                                };
                                done = Value::list(items);
                            }
                            Some(c) => return Err(invalid(c, "after array element")),
                        }
                    }
                    Some(Frame::Map(map, key)) => {
                        map.insert(std::mem::take(key), done);
                        self.skip_space();
                        match self.peek() {
                            None => return Err(UNEXPECTED_END.into()),
                            Some(b',') => {
                                self.pos += 1;
                                self.skip_space();
                                *key = self.key()?;
                                continue 'value;
                            }
                            Some(b'}') => {
                                self.pos += 1;
                                let Some(Frame::Map(map, _)) = stack.pop() else {
                                    unreachable!("top frame is a map")
                                };
                                done = Value::map(map);
                            }
                            Some(c) => return Err(invalid(c, "after object key:value pair")),
                        }
                    }
                }
            }
        }
    }

    /// An object key and its colon; the cursor is on the key's opening quote.
    fn key(&mut self) -> Result<String, String> {
        match self.peek() {
            None => return Err(UNEXPECTED_END.into()),
            Some(b'"') => self.pos += 1,
            Some(c) => return Err(invalid(c, "looking for beginning of object key string")),
        }
        let key = self.string_body()?;
        self.skip_space();
        match self.peek() {
            None => Err(UNEXPECTED_END.into()),
            Some(b':') => {
                self.pos += 1;
                Ok(key)
            }
            Some(c) => Err(invalid(c, "after object key")),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, String> {
        self.pos += 1;
        for expected in word.bytes().skip(1) {
            let c = self.next_in_token();
            if c != expected {
                return Err(invalid(
                    c,
                    &format!("in literal {word} (expecting '{}')", char::from(expected)),
                ));
            }
        }
        Ok(value)
    }

    fn number(&mut self) -> Result<Value, String> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
            let c = self.peek().unwrap_or(b' ');
            if !c.is_ascii_digit() {
                return Err(invalid(c, "in numeric literal"));
            }
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
        } else {
            self.digits();
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            let c = self.peek().unwrap_or(b' ');
            if !c.is_ascii_digit() {
                return Err(invalid(c, "after decimal point in numeric literal"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            let c = self.peek().unwrap_or(b' ');
            if !c.is_ascii_digit() {
                return Err(invalid(c, "in exponent of numeric literal"));
            }
            self.digits();
        }
        let text = std::str::from_utf8(&self.src[start..self.pos]).unwrap_or("0");
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => {
                self.number_error.get_or_insert_with(|| {
                    format!("json: cannot unmarshal number {text} into Go value of type float64")
                });
                Ok(Value::Nil)
            }
        }
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    /// The rest of a string after its opening quote, unescaped. Lone or broken
    /// surrogate escapes become U+FFFD, as in Go.
    fn string_body(&mut self) -> Result<String, String> {
        let mut out: Vec<u8> = Vec::new();
        loop {
            let c = self.peek().ok_or(UNEXPECTED_END)?;
            self.pos += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let e = self.next_in_token();
                    let simple = match e {
                        b'b' => Some(b'\x08'),
                        b'f' => Some(b'\x0c'),
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        b'\\' | b'/' | b'"' => Some(e),
                        b'u' => None,
                        e => return Err(invalid(e, "in string escape code")),
                    };
                    match simple {
                        Some(b) => out.push(b),
                        None => {
                            let mut r = self.hex4()?;
                            if (0xd800..0xe000).contains(&r) {
                                r = self.low_surrogate(r)?;
                            }
                            let ch = char::from_u32(r).unwrap_or('\u{fffd}');
                            out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                        }
                    }
                }
                c if c < 0x20 => return Err(invalid(c, "in string literal")),
                c => out.push(c),
            }
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut r = 0;
        for _ in 0..4 {
            let c = self.next_in_token();
            let d = char::from(c)
                .to_digit(16)
                .ok_or_else(|| invalid(c, "in \\u hexadecimal character escape"))?;
            r = r * 16 + d;
        }
        Ok(r)
    }

    /// After a high surrogate: combines it with a following `\uDC00-\uDFFF` escape, or
    /// yields U+FFFD and leaves the following text alone.
    fn low_surrogate(&mut self, high: u32) -> Result<u32, String> {
        if (0xd800..0xdc00).contains(&high) && self.src[self.pos..].starts_with(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            let low = self.hex4()?;
            if (0xdc00..0xe000).contains(&low) {
                return Ok(0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00));
            }
            self.pos = save;
        }
        Ok(0xfffd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected messages are helm v4.1.4's (`fromJson`, `fromJsonArray`).

    fn err(src: &str, target: Target) -> String {
        unmarshal(src, target).error.unwrap_or_default()
    }

    #[test]
    fn syntax_errors_match_go() {
        let cases = [
            ("", "unexpected end of JSON input"),
            (
                "bad",
                "invalid character 'b' looking for beginning of value",
            ),
            (
                "1.",
                "invalid character ' ' after decimal point in numeric literal",
            ),
            (
                "tr",
                "invalid character ' ' in literal true (expecting 'u')",
            ),
            (
                "nul",
                "invalid character ' ' in literal null (expecting 'l')",
            ),
            ("[1", "unexpected end of JSON input"),
            ("{\"a\" 1}", "invalid character '1' after object key"),
            (
                "{\"a\":1 x}",
                "invalid character 'x' after object key:value pair",
            ),
            ("[1 x]", "invalid character 'x' after array element"),
            (
                "[1,]",
                "invalid character ']' looking for beginning of value",
            ),
            (
                "{,}",
                "invalid character ',' looking for beginning of object key string",
            ),
            ("01", "invalid character '1' after top-level value"),
            ("\"\\x\"", "invalid character 'x' in string escape code"),
            (
                "\"\\u12g\"",
                "invalid character 'g' in \\u hexadecimal character escape",
            ),
            ("1e", "invalid character ' ' in exponent of numeric literal"),
            (
                "\"str\\u",
                "invalid character ' ' in \\u hexadecimal character escape",
            ),
            ("\"str\\", "invalid character ' ' in string escape code"),
            ("\"str", "unexpected end of JSON input"),
            ("-", "invalid character ' ' in numeric literal"),
            ("é", "invalid character 'Ã' looking for beginning of value"),
            (
                "\u{1}",
                "invalid character '\\x01' looking for beginning of value",
            ),
            ("\"a\tb\"", "invalid character '\\t' in string literal"),
            (
                "'",
                "invalid character '\\'' looking for beginning of value",
            ),
            ("{} x", "invalid character 'x' after top-level value"),
        ];
        for (src, want) in cases {
            assert_eq!(err(src, Target::Map), want, "{src:?}");
        }
    }

    #[test]
    fn type_errors_match_go() {
        let m = "map[string]interface {}";
        assert_eq!(
            err("1e400001\n", Target::Map),
            format!("json: cannot unmarshal number into Go value of type {m}")
        );
        assert_eq!(
            err("1", Target::Map),
            format!("json: cannot unmarshal number into Go value of type {m}")
        );
        assert_eq!(
            err("\"s\"", Target::Map),
            format!("json: cannot unmarshal string into Go value of type {m}")
        );
        assert_eq!(
            err("true", Target::Map),
            format!("json: cannot unmarshal bool into Go value of type {m}")
        );
        assert_eq!(
            err("[1e400]", Target::Map),
            format!("json: cannot unmarshal array into Go value of type {m}")
        );
        assert_eq!(
            err("{}", Target::List),
            "json: cannot unmarshal object into Go value of type []interface {}"
        );
        assert_eq!(
            unmarshal("null", Target::Map),
            Decoded {
                value: Value::empty_map(),
                error: None
            }
        );
        assert_eq!(unmarshal("null", Target::List).value, Value::list(vec![]));
    }

    #[test]
    fn big_numbers_keep_the_rest() {
        let d = unmarshal("{\"a\":1,\"b\":1e400}", Target::Map);
        assert_eq!(
            d.error.as_deref(),
            Some("json: cannot unmarshal number 1e400 into Go value of type float64")
        );
        let m = d.value.as_map().unwrap();
        assert_eq!(m["a"], Value::Float(1.0));
        assert_eq!(m["b"], Value::Nil);
    }

    #[test]
    fn decodes_like_go() {
        let d = unmarshal(
            r#" {"a": [1, "x\u00e9\ud83d\ude00\ud800", true, null, {}], "a": 2} "#,
            Target::Any,
        );
        assert_eq!(d.error, None);
        assert_eq!(d.value.as_map().unwrap()["a"], Value::Float(2.0));
        let d = unmarshal(r#"["x\u00e9\ud83d\ude00\ud800z", -0.5e1]"#, Target::List);
        let l = d.value.as_list().unwrap();
        assert_eq!(l[0], Value::from("xé😀\u{fffd}z"));
        assert_eq!(l[1], Value::Float(-5.0));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = "[".repeat(20000);
        assert_eq!(err(&src, Target::Any), "exceeded max depth");
        let src = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        assert_eq!(err(&src, Target::Any), "");
    }
}
