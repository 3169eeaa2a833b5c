//! Go `text/template`'s builtin functions (`text/template/funcs.go`), lowest in Helm's
//! lookup order. HELM-SEMANTICS.md §1.8.
//!
//! `and`/`or` are listed so that templates using them parse, but the executor evaluates
//! them itself because they short-circuit (their arguments must not all be evaluated).

use std::fmt::Write as _;

use super::args::{arity, arity_min};
use super::{Func, FuncError};
use crate::chart::template::format;
use crate::chart::values::{Slice, Value};
use std::sync::Arc;

pub const FUNCS: &[(&str, Func)] = &[
    ("and", and),
    ("or", or),
    ("not", not),
    ("len", len),
    ("index", index),
    ("slice", slice),
    ("eq", eq),
    ("ne", ne),
    ("lt", lt),
    ("le", le),
    ("gt", gt),
    ("ge", ge),
    ("print", print),
    ("printf", printf),
    ("println", println),
    ("html", html),
    ("js", js),
    ("urlquery", urlquery),
    ("call", call),
];

/// Only reached when called without the executor's short-circuit (kept for completeness).
fn and(args: &[Value]) -> Result<Value, FuncError> {
    arity_min("and", args, 1)?;
    Ok(args
        .iter()
        .find(|a| !a.is_truthy())
        .unwrap_or(&args[args.len() - 1])
        .clone())
}

fn or(args: &[Value]) -> Result<Value, FuncError> {
    arity_min("or", args, 1)?;
    Ok(args
        .iter()
        .find(|a| a.is_truthy())
        .unwrap_or(&args[args.len() - 1])
        .clone())
}

fn not(args: &[Value]) -> Result<Value, FuncError> {
    arity("not", args, 1)?;
    Ok(Value::Bool(!args[0].is_truthy()))
}

/// The data an `Object` stands for when a builtin needs a slice or map (`len`, `index`).
fn data(v: &Value) -> Value {
    match v {
        // A nil Go map (Helm's absent `.Chart.Annotations`) has length 0.
        Value::Object(o) if o.type_name().starts_with("map[") => match o.to_data() {
            Value::Nil => Value::empty_map(),
            d => d,
        },
        Value::Object(o) => o.to_data(),
        v => v.clone(),
    }
}

fn len(args: &[Value]) -> Result<Value, FuncError> {
    arity("len", args, 1)?;
    let n = match data(&args[0]) {
        Value::Nil => return Err(FuncError::Call("len of nil pointer".into())),
        Value::String(s) => s.len(),
        Value::Bytes(b) => b.len(),
        Value::List(l) => l.len(),
        Value::Map(m) => m.len(),
        _ => {
            return Err(FuncError::Call(format!(
                "len of type {}",
                args[0].type_name()
            )));
        }
    };
    Ok(Value::Int(n as i64))
}

/// An index argument for a slice, array or string (`indexArg`).
fn index_arg(index: &Value, cap: usize) -> Result<usize, FuncError> {
    let x = match index {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Uint8(u) => i64::from(*u),
        Value::Uint64(u) => i64::try_from(*u).unwrap_or(i64::MAX),
        Value::Nil => return Err(FuncError::Call("cannot index slice/array with nil".into())),
        v => {
            return Err(FuncError::Call(format!(
                "cannot index slice/array with type {}",
                v.type_name()
            )));
        }
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(FuncError::Call(format!("index out of range: {x}")));
    }
    Ok(x as usize)
}

fn index(args: &[Value]) -> Result<Value, FuncError> {
    index_with(args, Value::clone)
}

/// Go's `index`, seeing each container on the way through `current` (the executor passes
/// the current version of a map that `set`/`merge` replaced, so it need not rebuild the
/// whole argument first: helm-toolkit indexes deep into `.Values` constantly).
pub fn index_with(args: &[Value], current: impl Fn(&Value) -> Value) -> Result<Value, FuncError> {
    arity_min("index", args, 1)?;
    let mut item = data(&current(&args[0]));
    if item.is_nil() {
        return Err(FuncError::Call("index of untyped nil".into()));
    }
    for (n, key) in args[1..].iter().enumerate() {
        if n > 0 && item.is_nil() {
            return Err(FuncError::Call("index of nil pointer".into()));
        }
        item = match data(&current(&item)) {
            Value::List(l) => {
                let i = index_arg(key, l.len())?;
                l.get(i)
                    .cloned()
                    .ok_or_else(|| FuncError::Call("reflect: slice index out of range".into()))?
            }
            Value::Bytes(b) => {
                let i = index_arg(key, b.len())?;
                let byte = b
                    .get(i)
                    .ok_or_else(|| FuncError::Call("reflect: slice index out of range".into()))?;
                Value::Uint8(*byte)
            }
            Value::String(s) => {
                let i = index_arg(key, s.len())?;
                let byte = s
                    .as_bytes()
                    .get(i)
                    .ok_or_else(|| FuncError::Call("reflect: string index out of range".into()))?;
                Value::Uint8(*byte)
            }
            Value::Map(m) => match key {
                Value::String(k) => m.get(&**k).cloned().unwrap_or(Value::Nil),
                Value::Nil => {
                    return Err(FuncError::Call(
                        "value is nil; should be of type string".into(),
                    ));
                }
                k => {
                    return Err(FuncError::Call(format!(
                        "value has type {}; should be string",
                        k.type_name()
                    )));
                }
            },
            other => {
                return Err(FuncError::Call(format!(
                    "can't index item of type {}",
                    other.type_name()
                )));
            }
        };
    }
    Ok(item)
}

/// Go's `slice` builtin (Helm normally reaches Sprig's, which overrides it).
fn slice(args: &[Value]) -> Result<Value, FuncError> {
    arity_min("slice", args, 1)?;
    let item = data(&args[0]);
    if item.is_nil() {
        return Err(FuncError::Call("slice of untyped nil".into()));
    }
    if args.len() > 4 {
        return Err(FuncError::Call(format!(
            "too many slice indexes: {}",
            args.len() - 1
        )));
    }
    let len = match &item {
        Value::String(s) => s.len(),
        Value::List(l) => l.len(),
        Value::Bytes(b) => b.len(),
        v => {
            return Err(FuncError::Call(format!(
                "can't slice item of type {}",
                v.type_name()
            )));
        }
    };
    let mut idx = [0usize, len, len];
    for (i, a) in args[1..].iter().enumerate() {
        idx[i] = index_arg(a, len)?;
    }
    if idx[0] > idx[1] {
        return Err(FuncError::Call(format!(
            "invalid slice index: {} > {}",
            idx[0], idx[1]
        )));
    }
    Ok(match item {
        Value::String(s) => Value::from(s.get(idx[0]..idx[1]).unwrap_or_default()),
        Value::List(l) => Value::List(Arc::new(Slice::new(l[idx[0]..idx[1]].to_vec(), l.elem))),
        Value::Bytes(b) => Value::Bytes(b[idx[0]..idx[1]].into()),
        _ => Value::Nil,
    })
}

/// Go's `basicKind` classes; `None` for composite values and nil.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BasicKind {
    Bool,
    Int,
    Uint,
    Float,
    String,
}

/// Whether both kinds are integers; Go compares signed with unsigned integers by value.
fn both_integers(a: Option<BasicKind>, b: Option<BasicKind>) -> bool {
    let int = |k| matches!(k, Some(BasicKind::Int | BasicKind::Uint));
    int(a) && int(b)
}

fn basic_kind(v: &Value) -> Option<BasicKind> {
    match v {
        Value::Bool(_) => Some(BasicKind::Bool),
        Value::Int(_) | Value::Int64(_) => Some(BasicKind::Int),
        Value::Uint8(_) | Value::Uint64(_) => Some(BasicKind::Uint),
        Value::Float(_) => Some(BasicKind::Float),
        Value::String(_) => Some(BasicKind::String),
        _ => None,
    }
}

/// An integer of either signedness, widened so signed and unsigned compare by value.
fn int_of(v: &Value) -> i128 {
    match v {
        Value::Int(i) | Value::Int64(i) => i128::from(*i),
        Value::Uint8(u) => i128::from(*u),
        Value::Uint64(u) => i128::from(*u),
        _ => 0,
    }
}

fn bad_comparison(a: &Value, b: &Value) -> FuncError {
    FuncError::Call(format!(
        "incompatible types for comparison: {} and {}",
        a.type_name(),
        b.type_name()
    ))
}

/// Go's `eq` for one pair.
fn equal(a: &Value, b: &Value) -> Result<bool, FuncError> {
    let (ka, kb) = (basic_kind(a), basic_kind(b));
    if both_integers(ka, kb) {
        return Ok(int_of(a) == int_of(b));
    }
    if ka != kb {
        if !a.is_nil() && !b.is_nil() {
            return Err(bad_comparison(a, b));
        }
        return Ok(false);
    }
    Ok(match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        _ => {
            if a.is_nil() || b.is_nil() {
                return Ok(a.is_nil() == b.is_nil());
            }
            match (a, b) {
                (Value::Map(_) | Value::List(_) | Value::Bytes(_), _)
                | (_, Value::Map(_) | Value::List(_) | Value::Bytes(_)) => {
                    if std::mem::discriminant(a) != std::mem::discriminant(b) {
                        return Err(FuncError::Call(format!(
                            "non-comparable types {}: {}, {}: {}",
                            format::sprintf("%s", std::slice::from_ref(a)),
                            a.type_name(),
                            b.type_name(),
                            format::sprintf("%s", std::slice::from_ref(b)),
                        )));
                    }
                    return Err(FuncError::Call(format!(
                        "non-comparable type {}: {}",
                        format::sprintf("%s", std::slice::from_ref(b)),
                        b.type_name()
                    )));
                }
                _ => a == b,
            }
        }
    })
}

fn eq(args: &[Value]) -> Result<Value, FuncError> {
    arity_min("eq", args, 1)?;
    if args.len() == 1 {
        return Err(FuncError::Call("missing argument for comparison".into()));
    }
    for b in &args[1..] {
        if equal(&args[0], b)? {
            return Ok(Value::Bool(true));
        }
    }
    Ok(Value::Bool(false))
}

fn ne(args: &[Value]) -> Result<Value, FuncError> {
    arity("ne", args, 2)?;
    Ok(Value::Bool(!equal(&args[0], &args[1])?))
}

/// Go's `lt` for one pair.
fn less(a: &Value, b: &Value) -> Result<bool, FuncError> {
    let invalid = || FuncError::Call("invalid type for comparison".into());
    let ka = basic_kind(a).ok_or_else(invalid)?;
    let kb = basic_kind(b).ok_or_else(invalid)?;
    if both_integers(Some(ka), Some(kb)) {
        return Ok(int_of(a) < int_of(b));
    }
    if ka != kb {
        return Err(bad_comparison(a, b));
    }
    Ok(match (a, b) {
        (Value::Float(x), Value::Float(y)) => x < y,
        (Value::String(x), Value::String(y)) => x.as_bytes() < y.as_bytes(),
        _ => return Err(invalid()),
    })
}

fn lt(args: &[Value]) -> Result<Value, FuncError> {
    arity("lt", args, 2)?;
    Ok(Value::Bool(less(&args[0], &args[1])?))
}

fn le(args: &[Value]) -> Result<Value, FuncError> {
    arity("le", args, 2)?;
    let lt = less(&args[0], &args[1])?;
    Ok(Value::Bool(lt || equal(&args[0], &args[1])?))
}

fn gt(args: &[Value]) -> Result<Value, FuncError> {
    arity("gt", args, 2)?;
    let lt = less(&args[0], &args[1])?;
    Ok(Value::Bool(!(lt || equal(&args[0], &args[1])?)))
}

fn ge(args: &[Value]) -> Result<Value, FuncError> {
    arity("ge", args, 2)?;
    Ok(Value::Bool(!less(&args[0], &args[1])?))
}

fn print(args: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::from(format::sprint(args)))
}

fn println(args: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::from(format::sprintln(args)))
}

fn printf(args: &[Value]) -> Result<Value, FuncError> {
    arity_min("printf", args, 1)?;
    let fmt = super::args::string(&args[0])?;
    Ok(Value::from(format::sprintf(fmt, &args[1..])))
}

/// Go's `evalArgs`: a single string argument as is, otherwise `fmt.Sprint` of the
/// printable values, where nil has become the string `<no value>`.
fn text_of(args: &[Value]) -> String {
    match args {
        [Value::String(s)] => s.to_string(),
        _ => {
            let printable: Vec<Value> = args
                .iter()
                .map(|a| {
                    if a.is_nil() {
                        Value::from("<no value>")
                    } else {
                        a.clone()
                    }
                })
                .collect();
            format::sprint(&printable)
        }
    }
}

fn html(args: &[Value]) -> Result<Value, FuncError> {
    let s = text_of(args);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Ok(Value::from(out))
}

fn js(args: &[Value]) -> Result<Value, FuncError> {
    let s = text_of(args);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c if !format::is_print(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    Ok(Value::from(out))
}

fn urlquery(args: &[Value]) -> Result<Value, FuncError> {
    let s = text_of(args);
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    Ok(Value::from(out))
}

/// Helm's data holds no function values, so `call` can only fail.
fn call(args: &[Value]) -> Result<Value, FuncError> {
    arity_min("call", args, 1)?;
    match &args[0] {
        Value::Nil => Err(FuncError::Call("call of nil".into())),
        v => Err(FuncError::Call(format!(
            "non-function of type {}",
            v.type_name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: Result<Value, FuncError>) -> String {
        match v {
            Ok(v) => format::format_value(&v),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn comparisons_follow_go_kinds() {
        assert_eq!(
            s(eq(&[Value::Int(1), Value::Int(2), Value::Int64(1)])),
            "true"
        );
        assert_eq!(s(eq(&[Value::Nil, Value::Nil])), "true");
        assert_eq!(s(eq(&[Value::from("a"), Value::Nil])), "false");
        assert_eq!(
            s(eq(&[Value::Float(1.0), Value::Int(1)])),
            "ERR incompatible types for comparison: float64 and int"
        );
        assert_eq!(
            s(lt(&[Value::Bool(true), Value::Bool(false)])),
            "ERR invalid type for comparison"
        );
        assert_eq!(s(ge(&[Value::from("b"), Value::from("a")])), "true");
        assert_eq!(s(le(&[Value::Int(2), Value::Int(2)])), "true");
    }

    #[test]
    fn index_and_len() {
        let l = Value::list(vec![Value::Int(1), Value::from("x")]);
        assert_eq!(s(index(&[l.clone(), Value::Int(1)])), "x");
        assert_eq!(
            s(index(&[l.clone(), Value::Int(5)])),
            "ERR index out of range: 5"
        );
        assert_eq!(
            s(index(&[l.clone(), Value::Float(1.0)])),
            "ERR cannot index slice/array with type float64"
        );
        assert_eq!(s(index(&[Value::from("hello"), Value::Int(0)])), "104");
        assert_eq!(
            s(index(&[Value::Nil, Value::from("a")])),
            "ERR index of untyped nil"
        );
        assert_eq!(s(len(&[Value::from("héllo")])), "6");
        assert_eq!(s(len(&[Value::Nil])), "ERR len of nil pointer");
        assert_eq!(s(len(&[Value::Int(3)])), "ERR len of type int");
    }

    #[test]
    fn escapers() {
        assert_eq!(
            s(html(&[Value::from("<a&\"'>")])),
            "&lt;a&amp;&#34;&#39;&gt;"
        );
        assert_eq!(
            s(js(&[Value::from("a\\'\"<>&=\n")])),
            "a\\\\\\'\\\"\\u003C\\u003E\\u0026\\u003D\\u000A"
        );
        assert_eq!(
            s(urlquery(&[Value::from("a b&c=d/é")])),
            "a+b%26c%3Dd%2F%C3%A9"
        );
    }
}
