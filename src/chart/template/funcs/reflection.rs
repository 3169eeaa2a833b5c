//! Sprig's reflection functions (HELM-SEMANTICS.md §3.8): Go type and kind names.

use super::args::{self, arity};
use super::{Func, FuncError};
use crate::chart::values::Value;

pub const FUNCS: &[(&str, Func)] = &[
    ("typeOf", type_of),
    ("typeIs", type_is),
    ("typeIsLike", type_is_like),
    ("kindOf", kind_of),
    ("kindIs", kind_is),
    ("deepEqual", deep_equal),
];

/// Go's `reflect.Kind` name of a value (`invalid` for nil); objects say their own.
pub fn kind_name(v: &Value) -> &str {
    match v {
        Value::Nil => "invalid",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Int64(_) => "int64",
        Value::Uint8(_) => "uint8",
        Value::Uint64(_) => "uint64",
        Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::Bytes(_) | Value::List(_) => "slice",
        Value::Map(_) => "map",
        Value::Object(o) => o.kind(),
    }
}

fn type_of(a: &[Value]) -> Result<Value, FuncError> {
    arity("typeOf", a, 1)?;
    Ok(Value::from(a[0].type_name()))
}

fn type_is(a: &[Value]) -> Result<Value, FuncError> {
    arity("typeIs", a, 2)?;
    let target = args::string(&a[0])?;
    Ok(Value::Bool(target == a[1].type_name()))
}

fn type_is_like(a: &[Value]) -> Result<Value, FuncError> {
    arity("typeIsLike", a, 2)?;
    let target = args::string(&a[0])?;
    let t = a[1].type_name();
    Ok(Value::Bool(
        target == t || t.strip_prefix('*') == Some(target),
    ))
}

fn kind_of(a: &[Value]) -> Result<Value, FuncError> {
    arity("kindOf", a, 1)?;
    Ok(Value::from(kind_name(&a[0])))
}

fn kind_is(a: &[Value]) -> Result<Value, FuncError> {
    arity("kindIs", a, 2)?;
    let target = args::string(&a[0])?;
    Ok(Value::Bool(target == kind_name(&a[1])))
}

fn deep_equal(a: &[Value]) -> Result<Value, FuncError> {
    arity("deepEqual", a, 2)?;
    Ok(Value::Bool(a[0] == a[1]))
}

#[cfg(test)]
mod tests {
    use super::super::testing::call;

    #[test]
    fn types_and_kinds() {
        assert_eq!(call("typeOf 1.0"), "float64");
        assert_eq!(call("typeOf 1"), "int");
        assert_eq!(call("typeOf (int64 1)"), "int64");
        assert_eq!(call("typeOf nil"), "<nil>");
        assert_eq!(call("typeOf (list)"), "[]interface {}");
        assert_eq!(call("typeOf (dict)"), "map[string]interface {}");
        assert_eq!(call("kindOf (dict)"), "map");
        assert_eq!(call("kindOf (list)"), "slice");
        assert_eq!(call("kindOf nil"), "invalid");
        assert_eq!(call("kindIs \"float64\" 1.5"), "true");
        assert_eq!(call("typeIs \"string\" \"x\""), "true");
        assert_eq!(call("typeIsLike \"string\" \"x\""), "true");
        assert_eq!(call("deepEqual 1.0 1"), "false");
        assert_eq!(
            call("deepEqual (list 1 (dict \"a\" 1)) (list 1 (dict \"a\" 1))"),
            "true"
        );
    }
}
