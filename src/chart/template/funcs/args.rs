//! The one place where function arguments are checked and converted.
//!
//! Two different Go behaviours meet here (HELM-SEMANTICS.md §1.7, §3.7):
//! * parameters with a concrete Go type (`int`, `string`, `bool`...) accept only values of
//!   exactly that type; `text/template` rejects the call with `wrong type for value; expected
//!   int; got float64` before the function runs ([`int`], [`string`], ...);
//! * `interface{}` parameters accept anything, and Sprig then converts with spf13/cast
//!   (`int "010"` is 8, `int 3.9` is 3, garbage is 0) ([`to_int64`], [`to_float64`]) or
//!   with its `strval` ([`strval`]).

use super::FuncError;
use crate::chart::template::format;
use crate::chart::values::{Map, Value};

/// Checks a fixed arity: `wrong number of args for NAME: want N got M`.
pub fn arity(name: &str, args: &[Value], want: usize) -> Result<(), FuncError> {
    if args.len() == want {
        Ok(())
    } else {
        Err(FuncError::Args(format!(
            "wrong number of args for {name}: want {want} got {}",
            args.len()
        )))
    }
}

/// Checks a variadic arity: `wrong number of args for NAME: want at least N got M`.
pub fn arity_min(name: &str, args: &[Value], min: usize) -> Result<(), FuncError> {
    if args.len() >= min {
        Ok(())
    } else {
        Err(FuncError::Args(format!(
            "wrong number of args for {name}: want at least {min} got {}",
            args.len()
        )))
    }
}

fn wrong_type(expected: &str, v: &Value) -> FuncError {
    if v.is_nil() {
        // Go: a nil argument for a parameter that cannot be nil.
        FuncError::Args(format!("invalid value; expected {expected}"))
    } else {
        FuncError::Args(format!(
            "wrong type for value; expected {expected}; got {}",
            v.type_name()
        ))
    }
}

/// A Go `int` parameter: only a Go `int` is assignable.
pub fn int(v: &Value) -> Result<i64, FuncError> {
    match v {
        Value::Int(n) => Ok(*n),
        _ => Err(wrong_type("int", v)),
    }
}

/// A Go `int64` parameter.
pub fn int64(v: &Value) -> Result<i64, FuncError> {
    match v {
        Value::Int64(n) => Ok(*n),
        _ => Err(wrong_type("int64", v)),
    }
}

/// A Go `uint32` parameter (`derivePassword`'s counter). No Value carries that type, so
/// Go's constant conversion is mirrored: a non-negative integer that fits is accepted.
pub fn uint32(v: &Value) -> Result<u32, FuncError> {
    match v {
        Value::Int(n) => u32::try_from(*n).map_err(|_| wrong_type("uint32", v)),
        _ => Err(wrong_type("uint32", v)),
    }
}

/// A Go `float64` parameter.
pub fn float64(v: &Value) -> Result<f64, FuncError> {
    match v {
        Value::Float(f) => Ok(*f),
        _ => Err(wrong_type("float64", v)),
    }
}

/// A Go `string` parameter.
pub fn string(v: &Value) -> Result<&str, FuncError> {
    match v {
        Value::String(s) => Ok(s),
        _ => Err(wrong_type("string", v)),
    }
}

/// A Go `string` parameter whose bytes matter (encoders, hashes). Besides strings it
/// takes `[]byte` values, which stand for Go strings that are not valid UTF-8: `.Files.Get`
/// of a binary file and `b64dec` of binary data produce them, and Helm charts pipe those
/// into `b64enc` (kube-prometheus-stack's `crds.bz2`).
pub fn string_bytes(v: &Value) -> Result<&[u8], FuncError> {
    match v {
        Value::String(s) => Ok(s.as_bytes()),
        Value::Bytes(b) => Ok(b),
        _ => Err(wrong_type("string", v)),
    }
}

/// A Go string result from raw bytes: a `String` when valid UTF-8, else `[]byte` (see
/// [`string_bytes`]).
pub fn text_value(bytes: Vec<u8>) -> Value {
    match String::from_utf8(bytes) {
        Ok(s) => Value::from(s),
        Err(e) => Value::Bytes(e.into_bytes().into()),
    }
}

/// A Go `bool` parameter.
pub fn bool(v: &Value) -> Result<bool, FuncError> {
    match v {
        Value::Bool(b) => Ok(*b),
        _ => Err(wrong_type("bool", v)),
    }
}

/// A Go `map[string]interface{}` parameter; nil is a nil (empty) map.
pub fn map(v: &Value) -> Result<Option<&Map>, FuncError> {
    match v {
        Value::Map(m) => Ok(Some(m)),
        Value::Nil => Ok(None),
        _ => Err(wrong_type("map[string]interface {}", v)),
    }
}

/// A Go `[]interface{}` parameter; nil is a nil (empty) slice.
pub fn list(v: &Value) -> Result<&[Value], FuncError> {
    match v {
        Value::List(l) => Ok(l),
        Value::Nil => Ok(&[]),
        _ => Err(wrong_type("[]interface {}", v)),
    }
}

/// Sprig's `strval`: strings as is, `[]byte` as text, Stringers via their method,
/// everything else with `%v` (`<nil>` for nil).
pub fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        Value::Object(o) => o.format(),
        _ => format::format_value(v),
    }
}

/// The elements of any Go slice value (`[]interface{}` or `[]byte`) as Sprig's
/// reflection-based list functions see them; `None` for non-slices.
pub fn slice(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::List(l) => Some(l.to_vec()),
        Value::Bytes(b) => Some(b.iter().map(|x| Value::Uint8(*x)).collect()),
        _ => None,
    }
}

/// spf13/cast `ToInt64`: numbers truncate toward zero, bools are 1/0, strings go through
/// Go's base-prefix `ParseInt` after dropping a `.000` suffix; anything else is 0.
pub fn to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(n) | Value::Int64(n) => *n,
        Value::Uint8(n) => i64::from(*n),
        Value::Uint64(n) => *n as i64,
        Value::Float(f) => float_to_i64(*f),
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => parse_go_int(trim_zero_decimal(s)).unwrap_or(0),
        _ => 0,
    }
}

/// Go's float64 → int64 conversion: truncation; out-of-range values give Go's amd64
/// result (`0x8000000000000000`).
pub fn float_to_i64(f: f64) -> i64 {
    if f.is_nan() || !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// spf13/cast `ToFloat64`: numbers widen, bools are 1/0, strings use Go's `ParseFloat`;
/// anything else (or a parse failure) is 0.
pub fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(n) | Value::Int64(n) => *n as f64,
        Value::Uint8(n) => f64::from(*n),
        Value::Uint64(n) => *n as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::String(s) => parse_go_float(s).unwrap_or(0.0),
        _ => 0.0,
    }
}

/// cast's `trimZeroDecimal`: `"12.00"` → `"12"`; `"12.5"`, `"12."` unchanged.
fn trim_zero_decimal(s: &str) -> &str {
    let mut found_zero = false;
    for (i, b) in s.bytes().enumerate().rev() {
        match b {
            b'.' if found_zero => return &s[..i],
            b'.' => return s,
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// Go's `strconv.ParseInt(s, 0, 64)`: sign, `0x`/`0o`/`0b`/leading-`0` octal prefixes,
/// `_` separators only after a prefix-style literal; `None` on syntax or range errors.
pub fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let magnitude = parse_go_uint(body)?;
    if neg {
        if magnitude > 1u64 << 63 {
            return None;
        }
        Some((magnitude as i64).wrapping_neg())
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)`.
pub fn parse_go_uint(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    let (base, digits) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.contains('_') && !crate::yaml::go_underscore_ok(&lower) {
        return None;
    }
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    u64::from_str_radix(&digits, base).ok()
}

/// Go's `strconv.ParseFloat(s, 64)` for decimal input (plus `inf`/`nan`); `_` may
/// separate digits; out-of-range values are errors as in Go.
pub fn parse_go_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let t = body.to_ascii_lowercase();
    let special = matches!(t.as_str(), "inf" | "infinity" | "nan");
    if !special
        && !t
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-' | b'_'))
    {
        return None;
    }
    let cleaned: String = if t.contains('_') {
        if !crate::yaml::go_underscore_ok(&t) {
            return None;
        }
        s.chars().filter(|&c| c != '_').collect()
    } else {
        s.to_string()
    };
    let f: f64 = cleaned.parse().ok()?;
    if f.is_infinite() && !special {
        return None;
    }
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::from(x)
    }

    #[test]
    fn cast_to_int64() {
        assert_eq!(to_int64(&Value::Float(3.9)), 3);
        assert_eq!(to_int64(&Value::Float(-3.9)), -3);
        assert_eq!(to_int64(&Value::Bool(true)), 1);
        assert_eq!(to_int64(&Value::Nil), 0);
        assert_eq!(to_int64(&s("010")), 8);
        assert_eq!(to_int64(&s("0x1F")), 31);
        assert_eq!(to_int64(&s("1.0")), 1);
        assert_eq!(to_int64(&s("1.5")), 0);
        assert_eq!(to_int64(&s("abc")), 0);
        assert_eq!(to_int64(&s("-12")), -12);
        assert_eq!(to_int64(&s("1_000")), 1000);
        assert_eq!(to_int64(&s("1__0")), 0);
        assert_eq!(to_int64(&s("0b11")), 3);
        assert_eq!(to_int64(&s("0x_1F")), 31);
    }

    #[test]
    fn cast_to_float() {
        assert_eq!(to_float64(&s("1.25")), 1.25);
        assert_eq!(to_float64(&s("x")), 0.0);
        assert_eq!(to_float64(&Value::Int(3)), 3.0);
    }

    #[test]
    fn strict_types() {
        assert_eq!(
            int(&Value::Float(1.0)).unwrap_err().to_string(),
            "wrong type for value; expected int; got float64"
        );
        assert_eq!(
            arity("trunc", &[Value::Nil], 2).unwrap_err().to_string(),
            "wrong number of args for trunc: want 2 got 1"
        );
        assert_eq!(
            string(&Value::Nil).unwrap_err().to_string(),
            "invalid value; expected string"
        );
    }
}
