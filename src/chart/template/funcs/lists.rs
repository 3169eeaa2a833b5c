//! Sprig's list functions (HELM-SEMANTICS.md §3.4). They accept any Go slice and return a
//! new `[]interface{}`; the plain variants panic on non-slices (an error either way, only
//! the function name in Helm's message differs, which the executor adds).

use super::args::{self, arity, arity_min};
use super::defaults::empty;
use super::reflection::kind_name;
use super::{Func, FuncError};
use crate::chart::values::Value;

pub const FUNCS: &[(&str, Func)] = &[
    ("list", list),
    ("tuple", list),
    ("append", push),
    ("push", push),
    ("mustAppend", push),
    ("mustPush", push),
    ("prepend", prepend),
    ("mustPrepend", prepend),
    ("first", first),
    ("mustFirst", first),
    ("rest", rest),
    ("mustRest", rest),
    ("last", last),
    ("mustLast", last),
    ("initial", initial),
    ("mustInitial", initial),
    ("reverse", reverse),
    ("mustReverse", reverse),
    ("uniq", uniq),
    ("mustUniq", uniq),
    ("without", without),
    ("mustWithout", without),
    ("has", has),
    ("mustHas", has),
    ("slice", slice),
    ("mustSlice", slice),
    ("concat", concat),
    ("chunk", chunk),
    ("mustChunk", chunk),
    ("compact", compact),
    ("mustCompact", compact),
];

/// Go's panic for `reflect.TypeOf(nil).Kind()`.
fn nil_deref() -> FuncError {
    FuncError::Call("runtime error: invalid memory address or nil pointer dereference".into())
}

/// The elements of a slice argument, or Sprig's `Cannot <what> type <kind>` error.
fn elements(v: &Value, what: &str) -> Result<Vec<Value>, FuncError> {
    match args::slice(v) {
        Some(items) => Ok(items),
        None if v.is_nil() => Err(nil_deref()),
        None => Err(FuncError::Call(format!("{what} {}", kind_name(v)))),
    }
}

fn list(a: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::list(a.to_vec()))
}

fn push(a: &[Value]) -> Result<Value, FuncError> {
    arity("push", a, 2)?;
    let mut items = elements(&a[0], "Cannot push on type")?;
    items.push(a[1].clone());
    Ok(Value::list(items))
}

fn prepend(a: &[Value]) -> Result<Value, FuncError> {
    arity("prepend", a, 2)?;
    let mut items = elements(&a[0], "Cannot prepend on type")?;
    items.insert(0, a[1].clone());
    Ok(Value::list(items))
}

fn first(a: &[Value]) -> Result<Value, FuncError> {
    arity("first", a, 1)?;
    let items = elements(&a[0], "Cannot find first on type")?;
    Ok(items.into_iter().next().unwrap_or(Value::Nil))
}

fn last(a: &[Value]) -> Result<Value, FuncError> {
    arity("last", a, 1)?;
    let items = elements(&a[0], "Cannot find last on type")?;
    Ok(items.into_iter().last().unwrap_or(Value::Nil))
}

fn rest(a: &[Value]) -> Result<Value, FuncError> {
    arity("rest", a, 1)?;
    let items = elements(&a[0], "Cannot find rest on type")?;
    Ok(Value::list(items.into_iter().skip(1).collect()))
}

fn initial(a: &[Value]) -> Result<Value, FuncError> {
    arity("initial", a, 1)?;
    let mut items = elements(&a[0], "Cannot find initial on type")?;
    items.pop();
    Ok(Value::list(items))
}

fn reverse(a: &[Value]) -> Result<Value, FuncError> {
    arity("reverse", a, 1)?;
    let mut items = elements(&a[0], "Cannot find reverse on type")?;
    items.reverse();
    Ok(Value::list(items))
}

/// `uniq`: first occurrences kept, compared with Go's `reflect.DeepEqual`.
fn uniq(a: &[Value]) -> Result<Value, FuncError> {
    arity("uniq", a, 1)?;
    let items = elements(&a[0], "Cannot find uniq on type")?;
    let mut out: Vec<Value> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    Ok(Value::list(out))
}

fn without(a: &[Value]) -> Result<Value, FuncError> {
    arity_min("without", a, 1)?;
    let items = elements(&a[0], "Cannot find without on type")?;
    let omit = &a[1..];
    Ok(Value::list(
        items.into_iter().filter(|x| !omit.contains(x)).collect(),
    ))
}

/// `has needle list`: deep equality, so `has 1 (list 1.0)` is false.
fn has(a: &[Value]) -> Result<Value, FuncError> {
    arity("has", a, 2)?;
    if a[1].is_nil() {
        return Ok(Value::Bool(false));
    }
    let items = elements(&a[1], "Cannot find has on type")?;
    Ok(Value::Bool(items.contains(&a[0])))
}

fn compact(a: &[Value]) -> Result<Value, FuncError> {
    arity("compact", a, 1)?;
    let items = elements(&a[0], "Cannot compact on type")?;
    Ok(Value::list(
        items.into_iter().filter(|x| !empty(x)).collect(),
    ))
}

/// `slice l [start [end]]`: Go's `l[start:end]` with cast-converted indexes; an empty
/// input gives nil.
fn slice(a: &[Value]) -> Result<Value, FuncError> {
    arity_min("slice", a, 1)?;
    let items = match args::slice(&a[0]) {
        Some(items) => items,
        None if a[0].is_nil() => return Err(nil_deref()),
        None => {
            return Err(FuncError::Call(format!(
                "list should be type of slice or array but {}",
                kind_name(&a[0])
            )));
        }
    };
    if items.is_empty() {
        return Ok(Value::Nil);
    }
    let start = a.get(1).map_or(0, args::to_int64);
    let end = a.get(2).map_or(items.len() as i64, args::to_int64);
    if start < 0 || end < start || end > items.len() as i64 {
        return Err(FuncError::Call(
            "reflect.Value.Slice: slice index out of bounds".into(),
        ));
    }
    let part = &items[start as usize..end as usize];
    Ok(match &a[0] {
        Value::Bytes(b) => Value::Bytes(b[start as usize..end as usize].into()),
        _ => Value::list(part.to_vec()),
    })
}

/// `concat l1 l2 ...`: every argument must be a slice.
fn concat(a: &[Value]) -> Result<Value, FuncError> {
    let mut out = Vec::new();
    for v in a {
        match args::slice(v) {
            Some(items) => out.extend(items),
            None if v.is_nil() => return Err(nil_deref()),
            None => {
                return Err(FuncError::Call(format!(
                    "Cannot concat type {} as list",
                    kind_name(v)
                )));
            }
        }
    }
    Ok(Value::list(out))
}

/// `chunk n l`: lists of n elements, the last one shorter; n ≤ 0 makes Go's `make` panic.
fn chunk(a: &[Value]) -> Result<Value, FuncError> {
    arity("chunk", a, 2)?;
    let size = args::int(&a[0])?;
    let items = elements(&a[1], "Cannot chunk type")?;
    if size <= 0 {
        return Err(FuncError::Call(
            "runtime error: makeslice: len out of range".into(),
        ));
    }
    Ok(Value::list(
        items
            .chunks(size as usize)
            .map(|c| Value::list(c.to_vec()))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call, call_err};

    #[test]
    fn list_functions() {
        assert_eq!(call("list 1 \"a\" nil"), "[1 a <nil>]");
        assert_eq!(call("append (list 1) 2"), "[1 2]");
        assert_eq!(call("prepend (list 1) 2"), "[2 1]");
        assert_eq!(call("first (list 1 2)"), "1");
        assert_eq!(call("first (list)"), "<nil>");
        assert_eq!(call("last (list 1 2)"), "2");
        assert_eq!(call("rest (list 1 2 3)"), "[2 3]");
        assert_eq!(call("initial (list 1 2 3)"), "[1 2]");
        assert_eq!(call("reverse (list 1 2 3)"), "[3 2 1]");
        assert_eq!(call("uniq (list 1 2 1 1.0 \"1\")"), "[1 2 1 1]");
        assert_eq!(call("without (list 1 2 1 3) 1 3"), "[2]");
        assert_eq!(call("has 1 (list 1.0)"), "false");
        assert_eq!(call("has 1.0 (list 1.0)"), "true");
        assert_eq!(call("has 1 nil"), "false");
        assert_eq!(call("compact (list 0 \"\" nil false 1 \"a\")"), "[1 a]");
        assert_eq!(call("slice (list 1 2 3 4) 1 3"), "[2 3]");
        assert_eq!(call("slice (list 1 2 3 4) 2"), "[3 4]");
        assert_eq!(call("slice (list)"), "<nil>");
        assert_eq!(call("concat (list 1) (list 2 3)"), "[1 2 3]");
        assert_eq!(call("chunk 2 (list 1 2 3 4 5)"), "[[1 2] [3 4] [5]]");
    }

    #[test]
    fn list_errors() {
        assert_eq!(
            call_err("first \"abc\""),
            "Cannot find first on type string"
        );
        assert_eq!(
            call_err("first nil"),
            "runtime error: invalid memory address or nil pointer dereference"
        );
        assert_eq!(
            call_err("concat (list 1) \"x\""),
            "Cannot concat type string as list"
        );
        assert_eq!(
            call_err("slice (list 1 2 3) 2 1"),
            "reflect.Value.Slice: slice index out of bounds"
        );
        assert_eq!(
            call_err("slice \"abc\" 1"),
            "list should be type of slice or array but string"
        );
        assert_eq!(
            call_err("chunk 0 (list 1)"),
            "runtime error: makeslice: len out of range"
        );
    }
}
