//! Functions the workspace's templates have beyond Helm's: what a helmfile user writes in
//! `helmfile.yaml.gotmpl` (helmfile `pkg/tmpl/context_funcs.go`, `get_or_nil.go`).
//!
//! `env` and `expandenv` are Sprig's, which Helm removes from chart templates; they come
//! back here only. `exec`/`envExec` are left out on purpose: loading a stack must not run
//! programs. Errors never quote values (environment values often hold secrets).

use std::path::{Path, PathBuf};

use crate::chart::template::funcs::{ExtraFuncs, FuncError, args};
use crate::chart::values::{Value, read_set_file};

/// The extra functions; relative paths in `readFile`/`isFile` resolve against `dir`
/// (the stack file's folder, as helmfile resolves them against the helmfile's).
pub fn workspace_functions(dir: &Path) -> ExtraFuncs {
    let mut f = ExtraFuncs::new();
    f.insert("env", |a| {
        args::arity("env", a, 1)?;
        Ok(Value::from(
            std::env::var(args::string(&a[0])?).unwrap_or_default(),
        ))
    });
    f.insert("expandenv", |a| {
        args::arity("expandenv", a, 1)?;
        Ok(Value::from(expand_env(args::string(&a[0])?)))
    });
    f.insert("requiredEnv", |a| {
        args::arity("requiredEnv", a, 1)?;
        let name = args::string(&a[0])?;
        match std::env::var(name) {
            Ok(v) if !v.is_empty() => Ok(Value::from(v)),
            _ => Err(FuncError::Call(format!(
                "required env var `{name}` is not set"
            ))),
        }
    });
    let base = dir.to_path_buf();
    f.insert("readFile", move |a| {
        args::arity("readFile", a, 1)?;
        let shown = args::string(&a[0])?;
        read_set_file(shown, &resolve(&base, shown))
            .map(Value::from)
            .map_err(FuncError::Call)
    });
    let base = dir.to_path_buf();
    f.insert("isFile", move |a| {
        args::arity("isFile", a, 1)?;
        Ok(Value::Bool(resolve(&base, args::string(&a[0])?).is_file()))
    });
    f.insert("get", |a| get(a).map_err(GetError::into_func_error));
    f.insert("getOrNil", |a| {
        args::arity("getOrNil", a, 2)?;
        match get(a) {
            Ok(v) => Ok(v),
            Err(GetError::NoValue(_)) => Ok(Value::Nil),
            Err(e) => Err(e.into_func_error()),
        }
    });
    f
}

fn resolve(dir: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        dir.join(p)
    }
}

/// `get` failed: no value at the path (which `getOrNil` turns into nil), or a bad call.
enum GetError {
    NoValue(String),
    Call(FuncError),
}

impl GetError {
    fn into_func_error(self) -> FuncError {
        match self {
            GetError::NoValue(m) => FuncError::Call(m),
            GetError::Call(e) => e,
        }
    }
}

/// helmfile's `get PATH [DEFAULT] OBJ`: the value at a dotted path of nested maps, the
/// default when a key is missing, an error without one. Unlike helmfile the message does
/// not print the map it searched (it may hold secrets).
fn get(a: &[Value]) -> Result<Value, GetError> {
    args::arity_min("get", a, 2).map_err(GetError::Call)?;
    let path = args::string(&a[0]).map_err(GetError::Call)?;
    let (default, obj) = match &a[1..] {
        [obj] => (None, obj),
        [default, obj] => (Some(default), obj),
        rest => {
            return Err(GetError::Call(FuncError::Call(format!(
                "unexpected number of args passed to the template function get(path, [def, ]obj): expected 1 or 2, got {}",
                rest.len()
            ))));
        }
    };
    if path.is_empty() {
        return Ok(obj.clone());
    }
    let mut cur = obj;
    for key in path.split('.') {
        let Some(map) = cur.as_map() else {
            return Err(GetError::NoValue(format!(
                "unexpected type({}) of value for key \"{key}\": it must be either map[string]interface {{}} or any struct",
                cur.type_name()
            )));
        };
        match map.get(key) {
            Some(v) => cur = v,
            None => {
                return match default {
                    Some(d) => Ok(d.clone()),
                    None => Err(GetError::NoValue(format!(
                        "no value exist for key \"{key}\" in path \"{path}\""
                    ))),
                };
            }
        }
    }
    Ok(cur.clone())
}

/// Go's `os.ExpandEnv`: `$NAME` and `${NAME}` replaced by the variable (empty when
/// unset), shell special names (`$1`, `$@`…) taken as one character, bad syntax dropped.
pub fn expand_env(s: &str) -> String {
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'$' || i + 1 == b.len() {
            out.push(b[i]);
            i += 1;
            continue;
        }
        let (name, width) = shell_name(&b[i + 1..]);
        match name {
            // `${}` and unterminated `${`: Go eats the characters.
            None if width > 0 => {}
            None => out.push(b'$'),
            Some(name) => {
                let name = String::from_utf8_lossy(name);
                out.extend_from_slice(std::env::var(&*name).unwrap_or_default().as_bytes());
            }
        }
        i += 1 + width;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Go's `getShellName`: the name after a `$` and how many bytes it spans.
fn shell_name(s: &[u8]) -> (Option<&[u8]>, usize) {
    let special = |c: u8| b"*#$@!?-".contains(&c) || c.is_ascii_digit();
    if s[0] == b'{' {
        if s.len() > 2 && special(s[1]) && s[2] == b'}' {
            return (Some(&s[1..2]), 3);
        }
        return match s.iter().skip(1).position(|c| *c == b'}') {
            Some(0) => (None, 2),
            Some(n) => (Some(&s[1..=n]), n + 2),
            None => (None, 1),
        };
    }
    if special(s[0]) {
        return (Some(&s[..1]), 1);
    }
    let n = s
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
        .count();
    if n == 0 {
        (None, 0)
    } else {
        (Some(&s[..n]), n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::values::Map;

    #[test]
    fn expand_env_follows_go() {
        // Reads HOME only; nothing here sets variables (tests run in parallel).
        let home = std::env::var("HOME").unwrap_or_default();
        assert_eq!(expand_env("a $HOME b"), format!("a {home} b"));
        assert_eq!(expand_env("${HOME}x"), format!("{home}x"));
        assert_eq!(expand_env("cost $"), "cost $");
        assert_eq!(expand_env("a$ b"), "a$ b");
        assert_eq!(expand_env("a${}b"), "ab");
        assert_eq!(expand_env("a${HOME"), "aHOME");
        assert_eq!(expand_env("$RSTACK_SURELY_UNSET_VAR."), ".");
    }

    #[test]
    fn get_walks_maps_with_defaults() {
        let mut inner = Map::new();
        inner.insert("b".into(), Value::from("s3cret"));
        let mut m = Map::new();
        m.insert("a".into(), Value::map(inner));
        let obj = Value::map(m);
        let call = |a: &[Value]| get(a).map_err(GetError::into_func_error);
        assert_eq!(
            call(&["a.b".into(), obj.clone()]),
            Ok(Value::from("s3cret"))
        );
        assert_eq!(
            call(&["a.c".into(), "d".into(), obj.clone()]),
            Ok(Value::from("d"))
        );
        assert!(matches!(
            get(&["a.c".into(), obj.clone()]),
            Err(GetError::NoValue(m)) if !m.contains("s3cret")
        ));
        assert!(matches!(
            get(&["a.b.c".into(), obj]),
            Err(GetError::NoValue(_))
        ));
    }
}
