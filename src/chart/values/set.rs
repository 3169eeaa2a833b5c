//! Helm's `--set` family (`--set`, `--set-string`, `--set-file`, `--set-json`,
//! `--set-literal`), parsed and applied the way Helm's `strvals` package does
//! (HELM-SEMANTICS.md §4.4), including its error messages and quirks:
//! `{}` is a list holding one empty string, list indexes pad with nulls, a path through a
//! non-map value fails with Go's `interface conversion` text.

use crate::chart::values::{Map, Value, merge_values};

/// Which flag a `path=value` list came from; it decides how values are typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetKind {
    /// `--set`: `true`/`false`/`null`/integers are typed, the rest are strings.
    Typed,
    /// `--set-string`: every value is a string.
    String,
    /// `--set-file`: every value is the content of the file it names.
    File,
    /// `--set-json`: values are JSON; or the whole argument is one JSON object.
    Json,
    /// `--set-literal`: one `path=value`, the value taken verbatim.
    Literal,
}

impl SetKind {
    /// The flag name, as Helm's messages print it.
    pub fn flag(self) -> &'static str {
        match self {
            SetKind::Typed => "--set",
            SetKind::String => "--set-string",
            SetKind::File => "--set-file",
            SetKind::Json => "--set-json",
            SetKind::Literal => "--set-literal",
        }
    }

    /// Helm applies the flag kinds in this order, each kind's flags left to right.
    pub const APPLY_ORDER: [SetKind; 5] = [
        SetKind::Json,
        SetKind::Typed,
        SetKind::String,
        SetKind::File,
        SetKind::Literal,
    ];
}

/// A failed `--set*` argument; `message` is helm's whole text
/// (`failed parsing --set data: ...`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SetError {
    pub kind: SetKind,
    pub message: String,
}

/// Maximum list index and key nesting, as in Helm.
const MAX_INDEX: usize = 65536;
const MAX_NESTING: usize = 30;

/// Applies one `--set*` argument to `dst`. `read_file` loads `--set-file` paths.
pub fn apply_set(
    dst: &mut Map,
    kind: SetKind,
    arg: &str,
    read_file: &dyn Fn(&str) -> Result<String, String>,
) -> Result<(), SetError> {
    let fail = |message: String| SetError {
        kind,
        message: format!("failed parsing {} data: {message}", kind.flag()),
    };
    // Helm reports a bad JSON value with the argument alone, without a reason.
    let json_fail = || SetError {
        kind,
        message: format!("failed parsing --set-json data {arg}"),
    };
    if kind == SetKind::Json && arg.trim_start().starts_with('{') {
        let json: serde_json::Value = serde_json::from_str(arg).map_err(|_| json_fail())?;
        let Value::Map(m) = Value::from(&json) else {
            return Err(json_fail());
        };
        merge_values(dst, &m);
        return Ok(());
    }
    let mut parser = Parser {
        chars: arg.chars().collect(),
        pos: 0,
        kind,
        read_file,
    };
    loop {
        match parser.key(dst, 0) {
            Ok(()) => {}
            Err(Stop::Eof) => return Ok(()),
            Err(Stop::Fail(_)) if kind == SetKind::Json => return Err(json_fail()),
            Err(Stop::Fail(m)) => return Err(fail(m)),
        }
    }
}

/// Applies `--set*` arguments in Helm's order: all `--set-json`, then `--set`,
/// `--set-string`, `--set-file`, `--set-literal`, each kind left to right.
pub fn apply_sets(
    dst: &mut Map,
    sets: &[(SetKind, String)],
    read_file: &dyn Fn(&str) -> Result<String, String>,
) -> Result<(), SetError> {
    for kind in SetKind::APPLY_ORDER {
        for (_, arg) in sets.iter().filter(|(k, _)| *k == kind) {
            apply_set(dst, kind, arg, read_file)?;
        }
    }
    Ok(())
}

/// Reads a `--set-file` file, with Go's wording on failure
/// (`open PATH: no such file or directory`) so messages match helm's. `shown` is the path
/// as the user wrote it, `path` where it is opened.
pub fn read_set_file(shown: &str, path: &std::path::Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|e| format!("open {shown}: {}", crate::chart::go_os::go_os_reason(&e)))
}

enum Stop {
    /// Input exhausted: the normal end of an argument.
    Eof,
    Fail(String),
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    kind: SetKind,
    read_file: &'a dyn Fn(&str) -> Result<String, String>,
}

/// Go's `%q` of a key, enough for the messages here.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// Go's message when a type assertion on an `interface{}` fails.
fn conversion_error(found: &Value, wanted: &str) -> Stop {
    let found = if found.is_nil() {
        "nil"
    } else {
        found.type_name()
    };
    Stop::Fail(format!(
        "unable to parse key: interface conversion: interface {{}} is {found}, not {wanted}"
    ))
}

impl Parser<'_> {
    /// Reads up to (and consumes) the first unescaped stop character; `None` at the end.
    fn until(&mut self, stops: &[char]) -> (String, Option<char>) {
        let mut out = String::new();
        while let Some(&c) = self.chars.get(self.pos) {
            self.pos += 1;
            if stops.contains(&c) {
                return (out, Some(c));
            }
            if c == '\\' && self.kind != SetKind::Literal {
                match self.chars.get(self.pos) {
                    Some(&next) => {
                        self.pos += 1;
                        out.push(next);
                    }
                    None => return (out, None),
                }
            } else {
                out.push(c);
            }
        }
        (out, None)
    }

    fn rest(&mut self) -> String {
        let s: String = self.chars[self.pos..].iter().collect();
        self.pos = self.chars.len();
        s
    }

    fn key(&mut self, data: &mut Map, level: usize) -> Result<(), Stop> {
        let (key, last) = self.until(&['=', '[', ',', '.']);
        match last {
            None if key.is_empty() => Err(Stop::Eof),
            None => Err(Stop::Fail(format!("key {} has no value", quoted(&key)))),
            Some('[') => {
                let index = self.index()?;
                let list = match data.get(&key) {
                    None => Vec::new(),
                    Some(Value::List(l)) => l.to_vec(),
                    Some(other) => return Err(conversion_error(other, "[]interface {}")),
                };
                let (list, result) = self.list_item(list, index, level);
                set(data, &key, Value::list(list));
                result
            }
            Some('=') => {
                let value = self.value()?;
                set(data, &key, value);
                Ok(())
            }
            Some(',') => {
                set(data, &key, Value::from(""));
                Err(Stop::Fail(format!(
                    "key {} has no value (cannot end with ,)",
                    quoted(&key)
                )))
            }
            Some(_) => {
                let level = level + 1;
                if level > MAX_NESTING {
                    return Err(Stop::Fail(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTING}"
                    )));
                }
                let mut inner = match data.get(&key) {
                    None => Map::new(),
                    Some(Value::Map(m)) => (**m).clone(),
                    Some(other) => return Err(conversion_error(other, "map[string]interface {}")),
                };
                let result = self.key(&mut inner, level);
                if result.is_ok() && inner.is_empty() {
                    return Err(Stop::Fail(format!("key map {} has no value", quoted(&key))));
                }
                if !inner.is_empty() || data.contains_key(&key) {
                    set(data, &key, Value::map(inner));
                }
                result
            }
        }
    }

    /// The value after `=`: a `{a,b}` list, JSON, a file's content or a typed scalar.
    fn value(&mut self) -> Result<Value, Stop> {
        match self.kind {
            SetKind::Literal => return Ok(Value::from(self.rest())),
            SetKind::Json => return self.json_value(),
            _ => {}
        }
        match self.chars.get(self.pos) {
            None => Ok(Value::from("")),
            Some('{') => {
                self.pos += 1;
                self.list_literal()
            }
            Some(_) => {
                let (text, _) = self.until(&[',']);
                self.scalar(text)
            }
        }
    }

    fn scalar(&self, text: String) -> Result<Value, Stop> {
        Ok(match self.kind {
            SetKind::File => Value::from((self.read_file)(&text).map_err(Stop::Fail)?),
            SetKind::String | SetKind::Literal => Value::from(text),
            _ => typed_value(text),
        })
    }

    /// `{a,b,c}` after the `{`.
    fn list_literal(&mut self) -> Result<Value, Stop> {
        let mut items = Vec::new();
        loop {
            let (text, last) = self.until(&[',', '}']);
            match last {
                None => return Err(Stop::Fail("list must terminate with '}'".into())),
                Some('}') => {
                    if self.chars.get(self.pos) == Some(&',') {
                        self.pos += 1;
                    }
                    items.push(self.scalar(text)?);
                    return Ok(Value::list(items));
                }
                Some(_) => items.push(self.scalar(text)?),
            }
        }
    }

    /// A JSON value (empty → null), then optional blanks and one comma.
    fn json_value(&mut self) -> Result<Value, Stop> {
        if self.skip_blank_and_comma() {
            return Ok(Value::Nil);
        }
        let rest: String = self.chars[self.pos..].iter().collect();
        let mut stream = serde_json::Deserializer::from_str(&rest).into_iter::<serde_json::Value>();
        let json = match stream.next() {
            Some(Ok(j)) => j,
            _ => return Err(Stop::Fail(String::new())),
        };
        let consumed = rest[..stream.byte_offset()].chars().count();
        self.pos += consumed;
        self.skip_blank_and_comma();
        Ok(Value::from(&json))
    }

    /// Skips whitespace; true when the value is empty (a comma or the end follows).
    fn skip_blank_and_comma(&mut self) -> bool {
        while let Some(&c) = self.chars.get(self.pos) {
            if c == ',' {
                self.pos += 1;
                return true;
            }
            if !c.is_whitespace() {
                return false;
            }
            self.pos += 1;
        }
        true
    }

    fn index(&mut self) -> Result<usize, Stop> {
        let (text, last) = self.until(&[']']);
        if last.is_none() {
            return Err(Stop::Eof);
        }
        match text.parse::<i64>() {
            Ok(i) if i < 0 => Err(Stop::Fail(format!("negative {i} index not allowed"))),
            Ok(i) if i as usize > MAX_INDEX => Err(Stop::Fail(format!(
                "index of {i} is greater than maximum supported index of {MAX_INDEX}"
            ))),
            Ok(i) => Ok(i as usize),
            Err(_) => Err(Stop::Fail(format!(
                "error parsing index: strconv.Atoi: parsing {}: invalid syntax",
                quoted(&text)
            ))),
        }
    }

    /// What follows `name[i]`: `=value`, `.more.keys` or another `[j]`.
    fn list_item(
        &mut self,
        mut list: Vec<Value>,
        i: usize,
        level: usize,
    ) -> (Vec<Value>, Result<(), Stop>) {
        let (extra, last) = self.until(&['[', '.', '=']);
        if !extra.is_empty() {
            return (
                list,
                Err(Stop::Fail(format!(
                    "unexpected data at end of array index: {}",
                    quoted(&extra)
                ))),
            );
        }
        match last {
            None => (list, Err(Stop::Eof)),
            Some('=') => match self.value() {
                Ok(v) => {
                    set_index(&mut list, i, v);
                    (list, Ok(()))
                }
                Err(e) => (list, Err(e)),
            },
            Some('[') => {
                let next = match self.index() {
                    Ok(n) => n,
                    Err(e) => return (list, Err(e)),
                };
                let inner = match list.get(i) {
                    None | Some(Value::Nil) => Vec::new(),
                    Some(Value::List(l)) => l.to_vec(),
                    Some(other) => {
                        let err = conversion_error(other, "[]interface {}");
                        return (list, Err(err));
                    }
                };
                let (inner, result) = self.list_item(inner, next, level);
                if result.is_ok() {
                    set_index(&mut list, i, Value::list(inner));
                }
                (list, result)
            }
            Some(_) => {
                let mut inner = match list.get(i) {
                    Some(Value::Map(m)) => (**m).clone(),
                    _ => Map::new(),
                };
                let result = self.key(&mut inner, level);
                if result.is_ok() {
                    set_index(&mut list, i, Value::map(inner));
                }
                (list, result)
            }
        }
    }
}

fn set(data: &mut Map, key: &str, value: Value) {
    if !key.is_empty() {
        data.insert(key.to_string(), value);
    }
}

fn set_index(list: &mut Vec<Value>, i: usize, value: Value) {
    if list.len() <= i {
        list.resize(i + 1, Value::Nil);
    }
    list[i] = value;
}

/// `--set` typing: `true`/`false`/`null` in any case, `0`, and base-10 int64s that do not
/// start with `0` are typed; everything else stays a string.
fn typed_value(text: String) -> Value {
    if text.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if text.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if text.eq_ignore_ascii_case("null") {
        return Value::Nil;
    }
    if text == "0" {
        return Value::Int64(0);
    }
    if !text.starts_with('0')
        && let Ok(i) = go_parse_int10(&text)
    {
        return Value::Int64(i);
    }
    Value::from(text)
}

/// Go's `strconv.ParseInt(s, 10, 64)`: optional sign, ASCII digits only.
fn go_parse_int10(s: &str) -> Result<i64, ()> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(());
    }
    s.parse::<i64>().map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_all(args: &[(SetKind, &str)]) -> Result<Map, SetError> {
        let mut m = Map::new();
        for (k, a) in args {
            apply_set(&mut m, *k, a, &|p| Ok(format!("<{p}>")))?;
        }
        Ok(m)
    }

    #[test]
    fn nested_keys_lists_and_typing() {
        let m = set_all(&[(SetKind::Typed, "a.b=1,l[2]=x,t=TRUE,s=007,e=")]).unwrap();
        assert_eq!(m["a"].as_map().unwrap()["b"], Value::Int64(1));
        assert_eq!(
            m["l"],
            Value::list(vec![Value::Nil, Value::Nil, Value::from("x")])
        );
        assert_eq!(m["t"], Value::Bool(true));
        assert_eq!(m["s"], Value::from("007"));
        assert_eq!(m["e"], Value::from(""));
    }

    #[test]
    fn escapes_and_list_literals() {
        let m = set_all(&[(SetKind::Typed, r"a\.b=c\,d,l={x,1},z={}")]).unwrap();
        assert_eq!(m["a.b"], Value::from("c,d"));
        assert_eq!(m["l"], Value::list(vec![Value::from("x"), Value::Int64(1)]));
        assert_eq!(m["z"], Value::list(vec![Value::from("")]));
    }

    #[test]
    fn path_through_a_scalar_fails_like_go() {
        let err = set_all(&[(SetKind::Typed, "a=1"), (SetKind::Typed, "a.b=2")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "failed parsing --set data: unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}"
        );
    }

    #[test]
    fn json_literal_and_file() {
        let m = set_all(&[
            (SetKind::Json, r#"j=[1,{"a":null}],n="#),
            (SetKind::Literal, r"lit=a,b=c\d"),
            (SetKind::File, "f=path.txt"),
        ])
        .unwrap();
        assert_eq!(m["j"].as_list().unwrap()[0], Value::Float(1.0));
        assert_eq!(m["n"], Value::Nil);
        assert_eq!(m["lit"], Value::from(r"a,b=c\d"));
        assert_eq!(m["f"], Value::from("<path.txt>"));
    }

    #[test]
    fn missing_value_errors() {
        assert_eq!(
            set_all(&[(SetKind::Typed, "a")]).unwrap_err().message,
            "failed parsing --set data: key \"a\" has no value"
        );
        assert!(set_all(&[(SetKind::Typed, "a[-1]=x")]).is_err());
    }
}
