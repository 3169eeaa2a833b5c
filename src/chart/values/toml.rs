//! TOML for Helm's `toToml` (BurntSushi/toml v1.6 encoder behaviour) and `fromToml`
//! (parsed with the `toml` crate, typed like BurntSushi's decoder into `interface{}`).
//!
//! The encoder mirrors BurntSushi's `encode.go`: at each table, keys whose values are not
//! tables come first (sorted), then sub-tables and arrays of tables (sorted); a top-level
//! table header is preceded by a blank line; nested headers and their keys are indented
//! two spaces per level; floats always show a decimal point or exponent (`1.0`, `1e+06`);
//! `nil` map values are skipped and a `nil` array element is an error.

use crate::chart::values::gofloat::{FloatFormat, format_float};
use crate::chart::values::{Map, Value};

mod errors;

const MAX_DEPTH: usize = 500;
const INDENT: &str = "  ";

/// Why `toToml` failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TomlError {
    /// An encoder error; Helm's `toToml` returns its text as the result.
    #[error("{0}")]
    Encode(String),
    /// A Go runtime panic inside the encoder (e.g. `toToml nil`); a template error.
    #[error("{0}")]
    Panic(String),
}

fn encode_error(msg: &str) -> TomlError {
    TomlError::Encode(format!("toml: {msg}"))
}

/// BurntSushi's `NewEncoder(w).Encode(v)`.
pub fn to_toml(v: &Value) -> Result<String, TomlError> {
    let mut enc = Encoder::default();
    let v = resolve_objects(v, 0)?;
    match &v {
        Value::Nil => {
            return Err(TomlError::Panic(
                "reflect: call of reflect.Value.Type on zero Value".into(),
            ));
        }
        Value::Map(map) => enc.map_body(&[], map)?,
        Value::List(_) if kind_of(&v)? == Kind::TableArray => {
            return Err(encode_error("top-level values must be Go maps or structs"));
        }
        other => {
            kind_of(other)?;
            enc.element(other)?;
        }
    }
    Ok(enc.out)
}

/// Replaces `Object`s by the data they marshal to, so the encoder sees plain data.
fn resolve_objects(v: &Value, depth: usize) -> Result<Value, TomlError> {
    if depth > MAX_DEPTH {
        return Err(encode_error("value nested too deeply"));
    }
    Ok(match v {
        Value::Object(o) => resolve_objects(&o.to_data(), depth + 1)?,
        Value::List(items) => Value::list(
            items
                .iter()
                .map(|i| resolve_objects(i, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(map) => Value::map(
            map.iter()
                .map(|(k, i)| Ok((k.clone(), resolve_objects(i, depth + 1)?)))
                .collect::<Result<_, TomlError>>()?,
        ),
        other => other.clone(),
    })
}

/// BurntSushi's `tomlTypeOfGo`, reduced to what decides the layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Nil,
    Plain,
    Table,
    /// A non-empty array whose elements are all tables (`[[key]]`).
    TableArray,
}

fn kind_of(v: &Value) -> Result<Kind, TomlError> {
    Ok(match v {
        Value::Nil => Kind::Nil,
        Value::Map(_) => Kind::Table,
        Value::List(items) => {
            let mut all_tables = !items.is_empty();
            for item in items.iter() {
                match kind_of(item)? {
                    Kind::Nil => return Err(encode_error("cannot encode array with nil element")),
                    Kind::Table => {}
                    _ => all_tables = false,
                }
            }
            if all_tables {
                Kind::TableArray
            } else {
                Kind::Plain
            }
        }
        _ => Kind::Plain,
    })
}

#[derive(Default)]
struct Encoder {
    out: String,
}

impl Encoder {
    /// BurntSushi's `newline`: only once something has been written.
    fn newline(&mut self) {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
    }

    /// The entries of the table at `key`: plain keys first, then tables.
    fn map_body(&mut self, key: &[&str], map: &Map) -> Result<(), TomlError> {
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (k, v) in map {
            match kind_of(v)? {
                Kind::Table | Kind::TableArray => sub.push((k, v)),
                _ => direct.push((k, v)),
            }
        }
        for (k, v) in direct.into_iter().chain(sub) {
            let mut path = key.to_vec();
            path.push(k);
            match kind_of(v)? {
                Kind::Nil => {}
                Kind::Plain => {
                    self.out.push_str(&INDENT.repeat(path.len() - 1));
                    self.out.push_str(&quote_key_part(k));
                    self.out.push_str(" = ");
                    self.element(v)?;
                    self.newline();
                }
                Kind::Table => {
                    if path.len() == 1 {
                        self.newline();
                    }
                    self.out.push_str(&format!(
                        "{}[{}]",
                        INDENT.repeat(path.len() - 1),
                        key_string(&path)
                    ));
                    self.newline();
                    if let Value::Map(m) = v {
                        self.map_body(&path, m)?;
                    }
                }
                Kind::TableArray => {
                    for item in v.as_list().unwrap_or_default() {
                        self.newline();
                        self.out.push_str(&format!(
                            "{}[[{}]]",
                            INDENT.repeat(path.len() - 1),
                            key_string(&path)
                        ));
                        self.newline();
                        if let Value::Map(m) = item {
                            self.map_body(&path, m)?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// BurntSushi's `eElement`: a value on the right of `=` or inside an array.
    fn element(&mut self, v: &Value) -> Result<(), TomlError> {
        match v {
            Value::Nil | Value::Object(_) => {
                return Err(TomlError::Panic(
                    "reflect: call of reflect.Value.Interface on zero Value".into(),
                ));
            }
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) | Value::Int64(i) => self.out.push_str(&i.to_string()),
            Value::Uint8(u) => self.out.push_str(&u.to_string()),
            Value::Uint64(u) => self.out.push_str(&u.to_string()),
            Value::Float(f) => self.out.push_str(&toml_float(*f)),
            Value::String(s) => self.out.push_str(&quote(s)),
            Value::Bytes(b) => {
                let items: Vec<String> = b.iter().map(u8::to_string).collect();
                self.out.push_str(&format!("[{}]", items.join(", ")));
            }
            Value::List(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    self.element(item)?;
                    if i + 1 != items.len() {
                        self.out.push_str(", ");
                    }
                }
                self.out.push(']');
            }
            Value::Map(map) => self.inline_table(map)?,
        }
        Ok(())
    }

    /// An inline table `{k = v, t = {…}}`: plain keys, then tables, `nil`s skipped (a
    /// skipped entry still leaves the separator written by the one before it, as in Go).
    fn inline_table(&mut self, map: &Map) -> Result<(), TomlError> {
        let mut direct = Vec::new();
        let mut sub = Vec::new();
        for (k, v) in map {
            match kind_of(v)? {
                Kind::Table | Kind::TableArray => sub.push((k, v)),
                _ => direct.push((k, v)),
            }
        }
        self.out.push('{');
        let trailing_comma = !sub.is_empty();
        for (group, trail) in [(direct, trailing_comma), (sub, false)] {
            let n = group.len();
            for (i, (k, v)) in group.into_iter().enumerate() {
                if v.is_nil() {
                    continue;
                }
                self.out.push_str(&quote_key_part(k));
                self.out.push_str(" = ");
                self.element(v)?;
                if trail || i + 1 != n {
                    self.out.push_str(", ");
                }
            }
        }
        self.out.push('}');
        Ok(())
    }
}

/// `floatAddDecimal(strconv.FormatFloat(f, 'g', -1, 64))`, with `nan`/`inf`.
fn toml_float(f: f64) -> String {
    if f.is_nan() {
        return if f.is_sign_negative() {
            "-nan".into()
        } else {
            "nan".into()
        };
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf".into() } else { "inf".into() };
    }
    let s = format_float(f, FloatFormat::General);
    if s.contains(['e', '.']) { s } else { s + ".0" }
}

/// A TOML basic string with BurntSushi's escapes (`dblQuotedReplacer`).
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One key part: bare when it only has `A-Za-z0-9_-`, quoted otherwise.
fn quote_key_part(k: &str) -> String {
    if k.is_empty() {
        "\"\"".into()
    } else if k
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        quote(k)
    }
}

/// A dotted key path for a table header.
fn key_string(path: &[&str]) -> String {
    path.iter()
        .map(|k| quote_key_part(k))
        .collect::<Vec<_>>()
        .join(".")
}

/// Helm's `fromToml`: the document as a map (integers `int64`, floats `float64`), or the
/// parse error's message. Dates and times become the text Go prints for a `time.Time`.
pub fn from_toml(src: &str) -> Result<Map, String> {
    let table: toml::Table = src
        .parse()
        .map_err(|e: toml::de::Error| parse_message(src, &e))?;
    Ok(table
        .into_iter()
        .map(|(k, v)| (k, from_toml_value(v)))
        .collect())
}

/// BurntSushi's `toml: line N (last key "k"): message` for a `toml` crate error.
fn parse_message(src: &str, e: &toml::de::Error) -> String {
    let line = e.span().map_or(1, |span| {
        src.get(..span.start.min(src.len()))
            .map_or(0, |s| s.matches('\n').count())
            + 1
    });
    errors::go_message(src, line, e.message())
}

fn from_toml_value(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::from(s),
        toml::Value::Integer(i) => Value::Int64(i),
        toml::Value::Float(f) => Value::Float(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::from(go_time_text(&d)),
        toml::Value::Array(items) => Value::list(items.into_iter().map(from_toml_value).collect()),
        toml::Value::Table(t) => Value::map(
            t.into_iter()
                .map(|(k, v)| (k, from_toml_value(v)))
                .collect(),
        ),
    }
}

/// Go's `time.Time.String()` for a decoded TOML date/time: `1979-05-27 07:32:00 +0000
/// UTC`; local values carry BurntSushi's zone names (`date-local`...).
fn go_time_text(d: &toml::value::Datetime) -> String {
    let date = d.date.map_or("0000-01-01".to_string(), |x| {
        format!("{:04}-{:02}-{:02}", x.year, x.month, x.day)
    });
    let time = d.time.map_or("00:00:00".to_string(), |t| {
        let mut s = format!("{:02}:{:02}:{:02}", t.hour, t.minute, t.second.unwrap_or(0));
        if let Some(nanos) = t.nanosecond.filter(|n| *n > 0) {
            let frac = format!("{nanos:09}");
            s.push('.');
            s.push_str(frac.trim_end_matches('0'));
        }
        s
    });
    let zone = match (d.offset, d.date, d.time) {
        (Some(toml::value::Offset::Z), _, _) => "+0000 UTC".to_string(),
        // Go reuses the local zone (UTC for Helm's tests and rstack) for a zero offset.
        (Some(toml::value::Offset::Custom { minutes: 0 }), _, _) => "+0000 UTC".to_string(),
        (Some(toml::value::Offset::Custom { minutes }), _, _) => {
            let sign = if minutes < 0 { '-' } else { '+' };
            let m = minutes.unsigned_abs();
            let z = format!("{sign}{:02}{:02}", m / 60, m % 60);
            format!("{z} {z}")
        }
        (None, Some(_), Some(_)) => "+0000 datetime-local".into(),
        (None, Some(_), None) => "+0000 date-local".into(),
        (None, None, _) => "+0000 time-local".into(),
    };
    format!("{date} {time} {zone}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::values::parse_values;

    fn values(src: &str) -> Value {
        Value::map(parse_values(src).unwrap())
    }

    // Expected strings are helm v4.1.4's output for the same data.

    #[test]
    fn plain_keys_first_then_tables() {
        let v = values("m: {a: 1, b: 'x', c: {d: [1, 2]}, e: 1.5, f: true}\n");
        assert_eq!(
            to_toml(v.get_path(["m"]).unwrap()).unwrap(),
            "a = 1.0\nb = \"x\"\ne = 1.5\nf = true\n\n[c]\n  d = [1.0, 2.0]\n"
        );
    }

    #[test]
    fn nested_tables_arrays_of_tables_and_inline_tables() {
        let v = values(
            "b: {x: [{a: 1}, {b: {c: [{d: 1}]}}], y: {p: {q: 1}}, w: [1, [2, \"x\"], {m: 1, n: {o: 2}, nil: null}], v: 1000000, u: 1.0e-7, big: 12345678901234567890}\n",
        );
        assert_eq!(
            to_toml(v.get_path(["b"]).unwrap()).unwrap(),
            "big = 1.2345678901234567e+19\nu = 1e-07\nv = 1e+06\nw = [1.0, [2.0, \"x\"], {m = 1.0, false = {o = 2.0}}]\n\n[true]\n  [true.p]\n    q = 1.0\n\n[[x]]\n  a = 1.0\n\n[[x]]\n  [x.b]\n\n    [[x.b.c]]\n      d = 1.0\n"
        );
    }

    #[test]
    fn empty_tables_and_skipped_nils() {
        let v = values("m: {z: [], y: {}, x: [1, {a: null}], w: \"<\"}\n");
        assert_eq!(
            to_toml(v.get_path(["m"]).unwrap()).unwrap(),
            "w = \"<\"\nx = [1.0, {}]\nz = []\n\n[true]\n"
        );
    }

    #[test]
    fn errors_and_top_level_scalars() {
        let v = values("a: {x: 1, z: [1, null]}\nc: [{a: 1}]\n");
        assert_eq!(
            to_toml(v.get_path(["a"]).unwrap()),
            Err(TomlError::Encode(
                "toml: cannot encode array with nil element".into()
            ))
        );
        assert_eq!(
            to_toml(v.get_path(["c"]).unwrap()),
            Err(TomlError::Encode(
                "toml: top-level values must be Go maps or structs".into()
            ))
        );
        assert_eq!(
            to_toml(&Value::list(vec![Value::Int(1), Value::Int(2)])).unwrap(),
            "[1, 2]"
        );
        assert_eq!(to_toml(&Value::from("s")).unwrap(), "\"s\"");
        assert_eq!(to_toml(&Value::Float(f64::NAN)).unwrap(), "nan");
        assert!(matches!(to_toml(&Value::Nil), Err(TomlError::Panic(_))));
    }

    #[test]
    fn keys_and_strings_are_quoted_like_burntsushi() {
        let mut m = Map::new();
        m.insert("k.y".into(), Value::from("q\"\\\u{1}é\t"));
        m.insert(String::new(), Value::Int(3));
        m.insert("ok-_1".into(), Value::Int64(4));
        assert_eq!(
            to_toml(&Value::map(m)).unwrap(),
            "\"\" = 3\n\"k.y\" = \"q\\\"\\\\\\u0001é\\t\"\nok-_1 = 4\n"
        );
    }

    #[test]
    fn from_toml_types() {
        let m =
            from_toml("a = 1\nb = 'x'\nc = 1.5\n[t]\nd = 1979-05-27T07:32:00Z\ne = 1979-05-27\n")
                .unwrap();
        assert_eq!(m["a"], Value::Int64(1));
        assert_eq!(m["b"], Value::from("x"));
        assert_eq!(m["c"], Value::Float(1.5));
        let t = m["t"].as_map().unwrap();
        assert_eq!(t["d"], Value::from("1979-05-27 07:32:00 +0000 UTC"));
        assert_eq!(t["e"], Value::from("1979-05-27 00:00:00 +0000 date-local"));
        // helm 4: `map[a:1979-05-27 07:32:00 -0700 -0700 b:… +0000 UTC c:0000-01-01
        // 07:32:00 +0000 time-local d:1979-05-27 07:32:00.999 +0000 datetime-local …]`.
        let m = from_toml(
            "a = 1979-05-27T07:32:00-07:00\nb = 1979-05-27T07:32:00+00:00\nc = 07:32:00\nd = 1979-05-27T07:32:00.999\nf = 1979-05-27T07:32:00.5+05:30\ng = 07:32:00.25\n",
        )
        .unwrap();
        assert_eq!(m["a"], Value::from("1979-05-27 07:32:00 -0700 -0700"));
        assert_eq!(m["b"], Value::from("1979-05-27 07:32:00 +0000 UTC"));
        assert_eq!(m["c"], Value::from("0000-01-01 07:32:00 +0000 time-local"));
        assert_eq!(
            m["d"],
            Value::from("1979-05-27 07:32:00.999 +0000 datetime-local")
        );
        assert_eq!(m["f"], Value::from("1979-05-27 07:32:00.5 +0530 +0530"));
        assert_eq!(
            m["g"],
            Value::from("0000-01-01 07:32:00.25 +0000 time-local")
        );
        let err = from_toml("bad =").unwrap_err();
        assert!(
            err.starts_with("toml: line 1 (last key \"bad\"): "),
            "{err}"
        );
    }
}
