//! Go's `encoding/json` over [`Value`]: the writer behind `toJson`/`toRawJson`/
//! `toPrettyJson` (and the first half of `toYaml`), and the reader behind `fromJson`
//! (`decode`).
//!
//! Both sides mirror Go byte for byte because templates print them: map keys sorted
//! byte-wise, `<`/`>`/`&` escaped unless asked not to, U+2028/U+2029 always escaped,
//! floats without a needless `.0` (`1e+21`, `1e-7`), `[]byte` as base64; and the
//! reader reports Go's exact syntax messages (`invalid character 'x' after array
//! element`), since `fromJson` puts them into the map it returns. See Go's
//! `encoding/json/encode.go`, `scanner.go` and `decode.go`.

mod decode;

pub use decode::{Decoded, Target, unmarshal};

use base64::Engine as _;

use crate::chart::values::Value;
use crate::chart::values::gofloat::{FloatFormat, format_float};

/// Nesting beyond this is refused when writing (Go detects cycles instead; ours
/// cannot have cycles, so this only protects the stack).
const MAX_WRITE_DEPTH: usize = 1000;

/// Why a value cannot be written as JSON (Go's `json.Marshal` errors).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MarshalError {
    /// NaN and infinities: `json: unsupported value: NaN`.
    #[error("json: unsupported value: {0}")]
    UnsupportedValue(String),
    #[error("json: value nested deeper than {MAX_WRITE_DEPTH} levels")]
    TooDeep,
}

/// How to write: Go's `json.Marshal` escapes HTML characters; an `Encoder` with
/// `SetEscapeHTML(false)` does not; `MarshalIndent(v, "", "  ")` indents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JsonStyle {
    pub escape_html: bool,
    pub pretty: bool,
}

/// `json.Marshal(v)`: what `toJson` prints.
pub fn to_json(v: &Value) -> Result<String, MarshalError> {
    marshal(
        v,
        JsonStyle {
            escape_html: true,
            pretty: false,
        },
    )
}

/// An `Encoder` with `SetEscapeHTML(false)`, trailing newline removed: `toRawJson`.
pub fn to_raw_json(v: &Value) -> Result<String, MarshalError> {
    marshal(
        v,
        JsonStyle {
            escape_html: false,
            pretty: false,
        },
    )
}

/// `json.MarshalIndent(v, "", "  ")`: `toPrettyJson`.
pub fn to_pretty_json(v: &Value) -> Result<String, MarshalError> {
    marshal(
        v,
        JsonStyle {
            escape_html: true,
            pretty: true,
        },
    )
}

/// Writes `v` as JSON in the given style.
pub fn marshal(v: &Value, style: JsonStyle) -> Result<String, MarshalError> {
    let mut w = Writer {
        out: String::new(),
        style,
    };
    w.value(v, 0)?;
    Ok(w.out)
}

struct Writer {
    out: String,
    style: JsonStyle,
}

impl Writer {
    fn value(&mut self, v: &Value, depth: usize) -> Result<(), MarshalError> {
        if depth > MAX_WRITE_DEPTH {
            return Err(MarshalError::TooDeep);
        }
        match v {
            Value::Nil => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) | Value::Int64(i) => self.out.push_str(&i.to_string()),
            Value::Uint8(u) => self.out.push_str(&u.to_string()),
            Value::Uint64(u) => self.out.push_str(&u.to_string()),
            Value::List(items) if items.is_nil() => self.out.push_str("null"),
            Value::Float(f) => self.out.push_str(&format_json_float(*f)?),
            Value::String(s) => self.string(s),
            Value::Bytes(b) => self.string(&base64::engine::general_purpose::STANDARD.encode(b)),
            Value::List(items) => {
                if items.is_empty() {
                    self.out.push_str("[]");
                    return Ok(());
                }
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.newline(depth + 1);
                    self.value(item, depth + 1)?;
                }
                self.newline(depth);
                self.out.push(']');
            }
            Value::Map(map) => self.object(map.iter(), depth)?,
            Value::Object(o) => match o.to_json_fields() {
                Some(fields) => self.object(fields.iter().map(|(k, v)| (k, v)), depth)?,
                None => self.value(&o.to_data(), depth + 1)?,
            },
        }
        Ok(())
    }

    /// A JSON object with the fields in the order given.
    fn object<'a>(
        &mut self,
        fields: impl ExactSizeIterator<Item = (&'a String, &'a Value)>,
        depth: usize,
    ) -> Result<(), MarshalError> {
        if fields.len() == 0 {
            self.out.push_str("{}");
            return Ok(());
        }
        self.out.push('{');
        for (i, (k, item)) in fields.enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.newline(depth + 1);
            self.string(k);
            self.out
                .push_str(if self.style.pretty { ": " } else { ":" });
            self.value(item, depth + 1)?;
        }
        self.newline(depth);
        self.out.push('}');
        Ok(())
    }

    fn newline(&mut self, depth: usize) {
        if self.style.pretty {
            self.out.push('\n');
            for _ in 0..depth {
                self.out.push_str("  ");
            }
        }
    }

    /// Go's `appendString`: short escapes for `\b \f \n \r \t " \`, `\u00XX` for other
    /// control characters, HTML characters when asked, and U+2028/U+2029 always.
    fn string(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\u{8}' => self.out.push_str("\\b"),
                '\u{c}' => self.out.push_str("\\f"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                '<' | '>' | '&' if self.style.escape_html => {
                    self.out.push_str(&format!("\\u{:04x}", c as u32));
                }
                c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                    self.out.push_str(&format!("\\u{:04x}", c as u32));
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }
}

/// Go's JSON float layout: shortest digits, fixed notation unless the magnitude is below
/// 1e-6 or at least 1e21, and `e-07` shortened to `e-7`.
pub fn format_json_float(f: f64) -> Result<String, MarshalError> {
    if !f.is_finite() {
        return Err(MarshalError::UnsupportedValue(format_float(
            f,
            FloatFormat::General,
        )));
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let mut s = format_float(f, FloatFormat::Exp);
        let n = s.len();
        if n >= 4
            && s.as_bytes()[n - 4] == b'e'
            && s.as_bytes()[n - 3] == b'-'
            && s.as_bytes()[n - 2] == b'0'
        {
            s.remove(n - 2);
        }
        Ok(s)
    } else {
        Ok(format_float(f, FloatFormat::Fixed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::values::parse_values;

    fn values(src: &str) -> Value {
        Value::map(parse_values(src).unwrap())
    }

    // Expected strings below are helm v4.1.4's output for the same data.

    #[test]
    fn to_json_matches_helm() {
        let v = values("m: {b: [1, 2.5, 'x'], a: 'v<&>', c: null, big: 1000000, t: true, e: {}}\n");
        let m = v.get_path(["m"]).unwrap();
        assert_eq!(
            to_json(m).unwrap(),
            r#"{"a":"v\u003c\u0026\u003e","b":[1,2.5,"x"],"big":1000000,"c":null,"e":{},"t":true}"#
        );
        assert_eq!(
            to_raw_json(m).unwrap(),
            r#"{"a":"v<&>","b":[1,2.5,"x"],"big":1000000,"c":null,"e":{},"t":true}"#
        );
        assert_eq!(
            to_pretty_json(m).unwrap(),
            "{\n  \"a\": \"v\\u003c\\u0026\\u003e\",\n  \"b\": [\n    1,\n    2.5,\n    \"x\"\n  ],\n  \"big\": 1000000,\n  \"c\": null,\n  \"e\": {},\n  \"t\": true\n}"
        );
    }

    #[test]
    fn nested_pretty_json_matches_helm() {
        let v = values("m: {z: [], y: {}, x: [1, {a: null}], w: \"<\"}\n");
        let m = v.get_path(["m"]).unwrap();
        assert_eq!(
            to_pretty_json(m).unwrap(),
            "{\n  \"true\": {},\n  \"w\": \"\\u003c\",\n  \"x\": [\n    1,\n    {\n      \"a\": null\n    }\n  ],\n  \"z\": []\n}"
        );
        assert_eq!(
            to_raw_json(m).unwrap(),
            r#"{"true":{},"w":"<","x":[1,{"a":null}],"z":[]}"#
        );
    }

    /// A struct-like object, as Helm's `.Capabilities.KubeVersion`.
    #[derive(Debug)]
    struct KubeVersion;

    impl crate::chart::values::Object for KubeVersion {
        fn type_name(&self) -> &str {
            "common.KubeVersion"
        }
        fn field(&self, _: &str) -> Option<Value> {
            None
        }
        fn format(&self) -> String {
            "v1.35.0".into()
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
        fn to_json_fields(&self) -> Option<Vec<(String, Value)>> {
            Some(vec![
                ("Version".into(), Value::from("v1.35.0")),
                ("Major".into(), Value::from("1")),
                ("Minor".into(), Value::from("35")),
            ])
        }
    }

    #[test]
    fn struct_fields_keep_their_order() {
        // helm 4: `toJson .Capabilities.KubeVersion`.
        let v = Value::Object(std::sync::Arc::new(KubeVersion));
        assert_eq!(
            to_json(&v).unwrap(),
            r#"{"Version":"v1.35.0","Major":"1","Minor":"35"}"#
        );
    }

    #[test]
    fn string_escapes_match_go() {
        let s = Value::from("a\u{8}b\u{c}c\u{7f}d\u{2028}e\u{2029}<>&\u{1}é😀\"\\/");
        assert_eq!(
            to_json(&s).unwrap(),
            "\"a\\bb\\fc\u{7f}d\\u2028e\\u2029\\u003c\\u003e\\u0026\\u0001é😀\\\"\\\\/\""
        );
        assert_eq!(
            to_raw_json(&s).unwrap(),
            "\"a\\bb\\fc\u{7f}d\\u2028e\\u2029<>&\\u0001é😀\\\"\\\\/\""
        );
    }

    #[test]
    fn numbers_match_go() {
        let j = |v: Value| to_json(&v).unwrap();
        assert_eq!(j(Value::Float(1.0)), "1");
        assert_eq!(j(Value::Float(1e20)), "100000000000000000000");
        assert_eq!(j(Value::Float(1e21)), "1e+21");
        assert_eq!(j(Value::Float(1e-7)), "1e-7");
        assert_eq!(j(Value::Float(0.000001)), "0.000001");
        assert_eq!(j(Value::Float(123456789.123)), "123456789.123");
        assert_eq!(j(Value::Float(-0.0)), "-0");
        assert_eq!(j(Value::Float(1e100)), "1e+100");
        assert_eq!(j(Value::Int64(7)), "7");
        assert_eq!(j(Value::Nil), "null");
        assert_eq!(j(Value::list(vec![])), "[]");
        assert_eq!(to_pretty_json(&Value::list(vec![])).unwrap(), "[]");
        assert_eq!(j(Value::Bytes(b"hi".as_slice().into())), "\"aGk=\"");
        assert_eq!(
            to_json(&Value::Float(f64::NAN)).unwrap_err().to_string(),
            "json: unsupported value: NaN"
        );
        assert_eq!(
            to_json(&Value::Float(f64::NEG_INFINITY))
                .unwrap_err()
                .to_string(),
            "json: unsupported value: -Inf"
        );
    }
}
