//! Sprig's defaults and logic functions (HELM-SEMANTICS.md §3.3), built on Sprig's
//! notion of "empty" (the same as template truthiness, except that structs are never
//! empty and nil pointers are).

use super::args::{self, arity, arity_min};
use super::{Func, FuncError};
use crate::chart::values::Value;

pub const FUNCS: &[(&str, Func)] = &[
    ("default", default),
    ("empty", empty_fn),
    ("coalesce", coalesce),
    ("all", all),
    ("any", any),
    ("ternary", ternary),
];

/// Sprig's `empty`: nil, false, zero numbers, empty strings/collections.
pub fn empty(v: &Value) -> bool {
    match v {
        Value::Object(o) if !matches!(o.type_name(), "engine.files" | "common.VersionSet") => false,
        other => !other.is_truthy(),
    }
}

/// `default d v`: `v` unless it is missing or empty. Extra arguments are ignored.
fn default(a: &[Value]) -> Result<Value, FuncError> {
    arity_min("default", a, 1)?;
    match a.get(1) {
        Some(given) if !empty(given) => Ok(given.clone()),
        _ => Ok(a[0].clone()),
    }
}

fn empty_fn(a: &[Value]) -> Result<Value, FuncError> {
    arity("empty", a, 1)?;
    Ok(Value::Bool(empty(&a[0])))
}

fn coalesce(a: &[Value]) -> Result<Value, FuncError> {
    Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil))
}

fn all(a: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::Bool(a.iter().all(|v| !empty(v))))
}

fn any(a: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::Bool(a.iter().any(|v| !empty(v))))
}

/// `ternary vTrue vFalse cond`: the condition must be a real bool.
fn ternary(a: &[Value]) -> Result<Value, FuncError> {
    arity("ternary", a, 3)?;
    let cond = args::bool(&a[2])?;
    Ok(if cond { a[0].clone() } else { a[1].clone() })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call, call_err};

    #[test]
    fn defaults_and_logic() {
        assert_eq!(call("default \"d\" 0.0"), "d");
        assert_eq!(call("default \"d\" \"\""), "d");
        assert_eq!(call("default \"d\" (list)"), "d");
        assert_eq!(call("default \"d\" (dict)"), "d");
        assert_eq!(call("default \"d\" false"), "d");
        assert_eq!(call("default \"d\" nil"), "d");
        assert_eq!(call("default \"d\""), "d");
        assert_eq!(call("default 5 0"), "5");
        assert_eq!(call("default \"d\" \"0\""), "0");
        assert_eq!(call("empty 0.0"), "true");
        assert_eq!(call("empty (dict)"), "true");
        assert_eq!(call("empty \" \""), "false");
        assert_eq!(call("coalesce 0 \"\" \"z\""), "z");
        assert_eq!(call("coalesce 0 \"\""), "<nil>");
        assert_eq!(call("all"), "true");
        assert_eq!(call("all 1 \"\""), "false");
        assert_eq!(call("any"), "false");
        assert_eq!(call("any 0 \"x\""), "true");
        assert_eq!(call("ternary \"a\" \"b\" true"), "a");
        assert_eq!(call("ternary \"a\" \"b\" false"), "b");
        assert_eq!(
            call_err("ternary 1 2 \"x\""),
            "wrong type for value; expected bool; got string"
        );
    }
}
