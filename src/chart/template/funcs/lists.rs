//! Sprig's list functions (HELM-SEMANTICS.md §3.4). They accept any Go slice and return a
//! new `[]interface{}`; the plain variants panic on non-slices (an error either way, only
//! the function name in Helm's message differs, which the executor adds).

use super::args::{self, arity, arity_min};
use super::defaults::empty;
use super::reflection::kind_name;
use super::{Func, FuncError};
use crate::chart::values::{Elem, Slice, Value};
use std::sync::Arc;

pub const FUNCS: &[(&str, Func)] = &[
    ("list", list),
    ("tuple", list),
    ("append", call_append),
    ("push", call_push),
    ("mustAppend", call_must_append),
    ("mustPush", call_must_push),
    ("prepend", call_prepend),
    ("mustPrepend", call_must_prepend),
    ("first", call_first),
    ("mustFirst", call_must_first),
    ("rest", call_rest),
    ("mustRest", call_must_rest),
    ("last", call_last),
    ("mustLast", call_must_last),
    ("initial", call_initial),
    ("mustInitial", call_must_initial),
    ("reverse", call_reverse),
    ("mustReverse", call_must_reverse),
    ("uniq", call_uniq),
    ("mustUniq", call_must_uniq),
    ("without", call_without),
    ("mustWithout", call_must_without),
    ("has", call_has),
    ("mustHas", call_must_has),
    ("slice", call_slice),
    ("mustSlice", call_must_slice),
    ("concat", concat),
    ("chunk", call_chunk),
    ("mustChunk", call_must_chunk),
    ("compact", call_compact),
    ("mustCompact", call_must_compact),
];

super::named! {
    call_append = push("append");
    call_push = push("push");
    call_must_append = push("mustAppend");
    call_must_push = push("mustPush");
    call_prepend = prepend("prepend");
    call_must_prepend = prepend("mustPrepend");
    call_first = first("first");
    call_must_first = first("mustFirst");
    call_rest = rest("rest");
    call_must_rest = rest("mustRest");
    call_last = last("last");
    call_must_last = last("mustLast");
    call_initial = initial("initial");
    call_must_initial = initial("mustInitial");
    call_reverse = reverse("reverse");
    call_must_reverse = reverse("mustReverse");
    call_uniq = uniq("uniq");
    call_must_uniq = uniq("mustUniq");
    call_without = without("without");
    call_must_without = without("mustWithout");
    call_has = has("has");
    call_must_has = has("mustHas");
    call_slice = slice("slice");
    call_must_slice = slice("mustSlice");
    call_chunk = chunk("chunk");
    call_must_chunk = chunk("mustChunk");
    call_compact = compact("compact");
    call_must_compact = compact("mustCompact");
}

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

fn push(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity(name, a, 2)?;
    let mut items = elements(&a[0], "Cannot push on type")?;
    items.push(a[1].clone());
    Ok(Value::list(items))
}

fn prepend(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity(name, a, 2)?;
    let mut items = elements(&a[0], "Cannot prepend on type")?;
    items.insert(0, a[1].clone());
    Ok(Value::list(items))
}

fn first(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity(name, a, 1)?;
    let items = elements(&a[0], "Cannot find first on type")?;
    Ok(items.into_iter().next().unwrap_or(Value::Nil))
}

fn last(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity(name, a, 1)?;
    let items = elements(&a[0], "Cannot find last on type")?;
    Ok(items.into_iter().last().unwrap_or(Value::Nil))
}

fn rest(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity(name, a, 1)?;
    let items = elements(&a[0], "Cannot find rest on type")?;
    // Sprig returns a nil `[]interface{}` for an empty input: prints `[]`, `toJson` `null`.
    if items.is_empty() {
        return Ok(Value::nil_slice(Elem::Interface));
    }
    Ok(Value::list(items.into_iter().skip(1).collect()))
}

fn initial(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity(name, a, 1)?;
    let mut items = elements(&a[0], "Cannot find initial on type")?;
    if items.is_empty() {
        return Ok(Value::nil_slice(Elem::Interface));
    }
    items.pop();
    Ok(Value::list(items))
}

fn reverse(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity(name, a, 1)?;
    let mut items = elements(&a[0], "Cannot find reverse on type")?;
    items.reverse();
    Ok(Value::list(items))
}

/// `uniq`: first occurrences kept, compared with Go's `reflect.DeepEqual`.
fn uniq(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity(name, a, 1)?;
    let items = elements(&a[0], "Cannot find uniq on type")?;
    let mut out: Vec<Value> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    Ok(Value::list(out))
}

fn without(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity_min(name, a, 1)?;
    let items = elements(&a[0], "Cannot find without on type")?;
    let omit = &a[1..];
    Ok(Value::list(
        items.into_iter().filter(|x| !omit.contains(x)).collect(),
    ))
}

/// `has needle list`: deep equality, so `has 1 (list 1.0)` is false.
fn has(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity(name, a, 2)?;
    if a[1].is_nil() {
        return Ok(Value::Bool(false));
    }
    let items = elements(&a[1], "Cannot find has on type")?;
    Ok(Value::Bool(items.contains(&a[0])))
}

fn compact(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity(name, a, 1)?;
    let items = elements(&a[0], "Cannot compact on type")?;
    Ok(Value::list(
        items.into_iter().filter(|x| !empty(x)).collect(),
    ))
}

/// `slice l [start [end]]`: Go's `l[start:end]` with cast-converted indexes; an empty
/// input gives nil.
fn slice(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity_min(name, a, 1)?;
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
    // A reflect slice keeps the slice's type (`[]string` stays `[]string`).
    Ok(match &a[0] {
        Value::Bytes(b) => Value::Bytes(b[start as usize..end as usize].into()),
        Value::List(l) => Value::List(Arc::new(Slice::new(part.to_vec(), l.elem))),
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
    // Sprig appends to a `var res []interface{}`: nothing appended is a nil slice.
    Ok(Value::appended(out))
}

/// `chunk n l`: lists of n elements, the last one shorter; n ≤ 0 makes Go's `make` panic.
fn chunk(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity(name, a, 2)?;
    let size = args::int(&a[0])?;
    let items = elements(&a[1], "Cannot chunk type")?;
    if size <= 0 {
        return Err(FuncError::Call(
            "runtime error: makeslice: len out of range".into(),
        ));
    }
    let chunks = items
        .chunks(size as usize)
        .map(|c| Value::list(c.to_vec()))
        .collect();
    Ok(Value::List(Arc::new(Slice::new(
        chunks,
        Elem::InterfaceSlice,
    ))))
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
    fn arity_errors_name_the_alias_called() {
        assert_eq!(
            call_err("mustFirst"),
            "wrong number of args for mustFirst: want 1 got 0"
        );
        assert_eq!(
            call_err("append (list)"),
            "wrong number of args for append: want 2 got 1"
        );
        assert_eq!(
            call_err("osBase"),
            "wrong number of args for osBase: want 1 got 0"
        );
        assert_eq!(
            call_err("date_in_zone \"x\""),
            "wrong number of args for date_in_zone: want 3 got 1"
        );
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
