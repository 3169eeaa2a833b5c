//! Sprig's dict functions (HELM-SEMANTICS.md §3.5), including mergo's merge rules.
//!
//! Go's `set`, `unset`, `merge` and `mergeOverwrite` mutate their first argument and
//! return it. Values here are immutable (copy on write), so these functions return the
//! updated map; making the change visible through the original reference (`$_ := set $d
//! ...` idiom) is the executor's job.

use super::args::{self, arity, arity_min, strval};
use super::defaults::empty;
use super::{Func, FuncError};
use crate::chart::values::{Map, Value};

pub const FUNCS: &[(&str, Func)] = &[
    ("dict", dict),
    ("get", get),
    ("set", set),
    ("unset", unset),
    ("hasKey", has_key),
    ("pluck", pluck),
    ("keys", keys),
    ("pick", pick),
    ("omit", omit),
    ("merge", call_merge),
    ("mustMerge", call_must_merge),
    ("mergeOverwrite", call_merge_overwrite),
    ("mustMergeOverwrite", call_must_merge_overwrite),
    ("values", values),
    ("dig", dig),
    ("deepCopy", call_deep_copy),
    ("mustDeepCopy", call_must_deep_copy),
];

super::named! {
    call_merge = merge("merge");
    call_must_merge = merge("mustMerge");
    call_merge_overwrite = merge_overwrite("mergeOverwrite");
    call_must_merge_overwrite = merge_overwrite("mustMergeOverwrite");
    call_deep_copy = deep_copy("deepCopy");
    call_must_deep_copy = deep_copy("mustDeepCopy");
}

/// Functions whose first argument Go mutates in place (see the module docs).
pub const MUTATING: &[&str] = &[
    "set",
    "unset",
    "merge",
    "mustMerge",
    "mergeOverwrite",
    "mustMergeOverwrite",
];

/// `dict k1 v1 ...`: keys `strval`-ed, a trailing key without value maps to `""`.
fn dict(a: &[Value]) -> Result<Value, FuncError> {
    let mut map = Map::new();
    for pair in a.chunks(2) {
        let value = pair.get(1).cloned().unwrap_or_else(|| Value::from(""));
        map.insert(strval(&pair[0]), value);
    }
    Ok(Value::map(map))
}

fn get(a: &[Value]) -> Result<Value, FuncError> {
    arity("get", a, 2)?;
    let d = args::map(&a[0])?;
    let key = args::string(&a[1])?;
    Ok(d.and_then(|d| d.get(key))
        .cloned()
        .unwrap_or_else(|| Value::from("")))
}

fn set(a: &[Value]) -> Result<Value, FuncError> {
    arity("set", a, 3)?;
    let d = args::map(&a[0])?
        .ok_or_else(|| FuncError::Call("assignment to entry in nil map".into()))?;
    let key = args::string(&a[1])?;
    let mut d = d.clone();
    d.insert(key.to_string(), a[2].clone());
    Ok(Value::map(d))
}

fn unset(a: &[Value]) -> Result<Value, FuncError> {
    arity("unset", a, 2)?;
    let d = args::map(&a[0])?;
    let key = args::string(&a[1])?;
    let mut d = d.cloned().unwrap_or_default();
    d.remove(key);
    Ok(Value::map(d))
}

fn has_key(a: &[Value]) -> Result<Value, FuncError> {
    arity("hasKey", a, 2)?;
    let d = args::map(&a[0])?;
    let key = args::string(&a[1])?;
    Ok(Value::Bool(d.is_some_and(|d| d.contains_key(key))))
}

fn pluck(a: &[Value]) -> Result<Value, FuncError> {
    arity_min("pluck", a, 1)?;
    let key = args::string(&a[0])?;
    let mut out = Vec::new();
    for d in &a[1..] {
        if let Some(v) = args::map(d)?.and_then(|d| d.get(key)) {
            out.push(v.clone());
        }
    }
    Ok(Value::list(out))
}

/// `keys d ...`: Go returns them in random map order; sorted here (charts that care pipe
/// through `sortAlpha` anyway).
fn keys(a: &[Value]) -> Result<Value, FuncError> {
    let mut out = Vec::new();
    for d in a {
        if let Some(d) = args::map(d)? {
            out.extend(d.keys().map(String::as_str));
        }
    }
    Ok(Value::strings(out))
}

/// `values d`: Go's order is random; key order here.
fn values(a: &[Value]) -> Result<Value, FuncError> {
    arity("values", a, 1)?;
    let d = args::map(&a[0])?;
    Ok(Value::list(
        d.map(|d| d.values().cloned().collect()).unwrap_or_default(),
    ))
}

fn pick(a: &[Value]) -> Result<Value, FuncError> {
    arity_min("pick", a, 1)?;
    let d = args::map(&a[0])?;
    let mut out = Map::new();
    for k in &a[1..] {
        let k = args::string(k)?;
        if let Some(v) = d.and_then(|d| d.get(k)) {
            out.insert(k.to_string(), v.clone());
        }
    }
    Ok(Value::map(out))
}

fn omit(a: &[Value]) -> Result<Value, FuncError> {
    arity_min("omit", a, 1)?;
    let d = args::map(&a[0])?;
    let drop: Vec<&str> = a[1..].iter().map(args::string).collect::<Result<_, _>>()?;
    let out: Map = d
        .into_iter()
        .flatten()
        .filter(|(k, _)| !drop.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(Value::map(out))
}

fn merge(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    merge_all(name, a, false)
}

fn merge_overwrite(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    merge_all(name, a, true)
}

fn merge_all(name: &str, a: &[Value], overwrite: bool) -> Result<Value, FuncError> {
    arity_min(name, a, 1)?;
    let mut dst = args::map(&a[0])?.cloned().unwrap_or_default();
    for src in &a[1..] {
        if let Some(src) = args::map(src)? {
            merge_into(&mut dst, src, overwrite);
        }
    }
    Ok(Value::map(dst))
}

/// mergo's `deepMerge` for `map[string]interface{}` (dario.cat/mergo v1.0):
/// * a nil source value is skipped, or copied with `overwrite`;
/// * nested maps on both sides merge recursively;
/// * lists are never merged: the source list wins only with `overwrite` or when the
///   whole destination map was empty;
/// * otherwise the source value is taken when overwriting, or when the destination
///   key is missing or holds an empty value.
pub fn merge_into(dst: &mut Map, src: &Map, overwrite: bool) {
    let dst_was_empty = dst.is_empty();
    for (key, s) in src {
        if s.is_nil() {
            if overwrite {
                dst.insert(key.clone(), Value::Nil);
            }
            continue;
        }
        if let (Value::Map(sm), Some(Value::Map(dm))) = (s, dst.get_mut(key)) {
            let dm = std::sync::Arc::make_mut(dm);
            merge_into(dm, sm, overwrite);
            if !dm.is_empty() {
                continue;
            }
        }
        let d = dst.get(key);
        if let Value::List(_) = s {
            if overwrite || dst_was_empty || d.is_none_or(empty) {
                dst.insert(key.clone(), s.clone());
            }
            continue;
        }
        if overwrite || d.is_none_or(empty) {
            dst.insert(key.clone(), s.clone());
        }
    }
}

/// `dig k1 k2 ... default map`: nested lookup; Go type-asserts every step.
fn dig(a: &[Value]) -> Result<Value, FuncError> {
    dig_with(a, Value::clone)
}

/// Sprig's `dig`, seeing each map on the way through `current` (as `index_with`: the
/// executor passes the current version of maps that `set`/`merge` replaced).
pub fn dig_with(a: &[Value], current: impl Fn(&Value) -> Value) -> Result<Value, FuncError> {
    if a.len() < 3 {
        return Err(FuncError::Call("dig needs at least three arguments".into()));
    }
    let conversion = |v: &Value, want: &str| {
        let got = if v.is_nil() { "nil" } else { v.type_name() };
        FuncError::Call(format!(
            "interface conversion: interface {{}} is {got}, not {want}"
        ))
    };
    let mut cur = match &current(&a[a.len() - 1]) {
        Value::Map(m) => m.clone(),
        other => return Err(conversion(other, "map[string]interface {}")),
    };
    let default = &a[a.len() - 2];
    let keys = &a[..a.len() - 2];
    for k in keys {
        if k.as_str().is_none() {
            return Err(conversion(k, "string"));
        }
    }
    for (i, k) in keys.iter().enumerate() {
        let Some(step) = cur.get(k.as_str().unwrap_or_default()) else {
            return Ok(default.clone());
        };
        if i == keys.len() - 1 {
            return Ok(step.clone());
        }
        cur = match &current(step) {
            Value::Map(m) => m.clone(),
            other => return Err(conversion(other, "map[string]interface {}")),
        };
    }
    Ok(default.clone())
}

/// `deepCopy v`: values are immutable here, so a copy is the value itself.
fn deep_copy(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity(name, a, 1)?;
    if a[0].is_nil() {
        return Err(FuncError::Call(
            "reflect: call of reflect.Value.Type on zero Value".into(),
        ));
    }
    Ok(a[0].clone())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call, call_err, eval_with};
    use crate::chart::template::format::format_value;
    use crate::chart::values::Value;

    #[test]
    fn dict_basics() {
        assert_eq!(call("dict 1 2 true \"x\""), "map[1:2 true:x]");
        assert_eq!(call("dict \"a\""), "map[a:]");
        assert_eq!(call("get (dict \"a\" 1) \"a\""), "1");
        assert_eq!(call("get (dict \"a\" 1) \"b\""), "");
        assert_eq!(call("set (dict \"a\" 1) \"b\" 2"), "map[a:1 b:2]");
        assert_eq!(call("unset (dict \"a\" 1) \"a\""), "map[]");
        assert_eq!(call("hasKey (dict \"a\" 1) \"a\""), "true");
        assert_eq!(
            call("pluck \"a\" (dict \"a\" 1) (dict \"b\" 2) (dict \"a\" 3)"),
            "[1 3]"
        );
        assert_eq!(call("keys (dict \"b\" 1 \"a\" 2)"), "[a b]");
        assert_eq!(call("values (dict \"b\" 1 \"a\" 2)"), "[2 1]");
        assert_eq!(call("pick (dict \"a\" 1 \"b\" 2) \"a\" \"c\""), "map[a:1]");
        assert_eq!(call("omit (dict \"a\" 1 \"b\" 2) \"a\""), "map[b:2]");
        assert_eq!(
            call("dig \"a\" \"b\" \"d\" (dict \"a\" (dict \"b\" 1))"),
            "1"
        );
        assert_eq!(
            call("dig \"a\" \"x\" \"d\" (dict \"a\" (dict \"b\" 1))"),
            "d"
        );
        assert_eq!(call("dig \"a\" \"b\" (dict \"a\" 1)"), "1");
        assert_eq!(
            call_err("dig \"a\" 1 \"d\" (dict)"),
            "interface conversion: interface {} is int, not string"
        );
        assert_eq!(
            call_err("set nil \"a\" 1"),
            "assignment to entry in nil map"
        );
        assert_eq!(
            call_err("deepCopy nil"),
            "reflect: call of reflect.Value.Type on zero Value"
        );
    }

    #[test]
    fn merge_rules_match_helm() {
        assert_eq!(
            call(
                r#"merge (dict "a" 1 "l" (list 1) "e" "" "m" (dict "x" 1) "s" "str") (dict "a" 2 "b" 3 "l" (list 2) "e" "new" "m" (dict "x" 2 "y" 3) "s" (dict "q" 1) "n" nil)"#
            ),
            "map[a:1 b:3 e:new l:[1] m:map[x:1 y:3] s:str]"
        );
        assert_eq!(
            call(
                r#"mergeOverwrite (dict "a" 1 "l" (list 1) "e" "x" "m" (dict "x" 1) "s" "str" "k" 5) (dict "a" 2 "b" 3 "l" (list 2) "e" "" "m" (dict "x" 2 "y" 3) "s" (dict "q" 1) "n" nil "k" false)"#
            ),
            "map[a:2 b:3 e: k:false l:[2] m:map[x:2 y:3] n:<nil> s:map[q:1]]"
        );
        assert_eq!(call(r#"merge (dict) (dict "l" (list 1))"#), "map[l:[1]]");
        assert_eq!(
            call(r#"merge (dict "m" (dict)) (dict "m" (dict))"#),
            "map[m:map[]]"
        );
        assert_eq!(
            call(r#"merge (dict "m" "x") (dict "m" (dict "a" 1))"#),
            "map[m:x]"
        );
        assert_eq!(
            call(r#"mergeOverwrite (dict "m" (dict "a" 1)) (dict "m" "x")"#),
            "map[m:x]"
        );
        assert_eq!(
            call(r#"merge (dict "z" 0 "f" false) (dict "z" 5 "f" true)"#),
            "map[f:true z:5]"
        );
    }

    #[test]
    fn merge_returns_new_map_and_keeps_input() {
        let d = eval_with("dict \"a\" 1", &[]).expect("dict");
        let merged = eval_with("merge $d (dict \"b\" 2)", &[("d", d.clone())]).expect("merge");
        assert_eq!(format_value(&merged), "map[a:1 b:2]");
        assert_eq!(format_value(&d), "map[a:1]");
        assert!(matches!(merged, Value::Map(_)));
    }
}
