//! Sprig's path functions (HELM-SEMANTICS.md §3.8): Go's slash-separated `path` package;
//! the `os*` variants use `path/filepath`, which is the same on Unix.

use super::args::{self, arity};
use super::{Func, FuncError};
use crate::chart::values::Value;

pub const FUNCS: &[(&str, Func)] = &[
    ("base", call_base),
    ("dir", call_dir),
    ("clean", call_clean),
    ("ext", call_ext),
    ("isAbs", call_is_abs),
    ("osBase", call_os_base),
    ("osClean", call_os_clean),
    ("osDir", call_os_dir),
    ("osExt", call_os_ext),
    ("osIsAbs", call_os_is_abs),
];

super::named! {
    call_base = base("base");
    call_os_base = base("osBase");
    call_dir = dir("dir");
    call_os_dir = dir("osDir");
    call_clean = clean("clean");
    call_os_clean = clean("osClean");
    call_ext = ext("ext");
    call_os_ext = ext("osExt");
    call_is_abs = is_abs("isAbs");
    call_os_is_abs = is_abs("osIsAbs");
}

/// Go's `path.Clean`: lexical shortening of `.`, `..` and repeated slashes.
pub fn go_clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// Go's `path.Base`: the last element, trailing slashes removed.
pub fn go_base(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    match trimmed.rfind('/') {
        Some(i) => trimmed[i + 1..].to_string(),
        None => trimmed.to_string(),
    }
}

/// Go's `path.Dir`: everything up to the last slash, cleaned.
pub fn go_dir(path: &str) -> String {
    let cut = path.rfind('/').map_or(0, |i| i + 1);
    go_clean(&path[..cut])
}

/// Go's `path.Ext`: from the last dot of the last element.
pub fn go_ext(path: &str) -> String {
    for (i, b) in path.bytes().enumerate().rev() {
        match b {
            b'/' => break,
            b'.' => return path[i..].to_string(),
            _ => {}
        }
    }
    String::new()
}

fn unary(name: &str, a: &[Value], f: fn(&str) -> String) -> Result<Value, FuncError> {
    arity(name, a, 1)?;
    Ok(Value::from(f(args::string(&a[0])?)))
}

fn base(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    unary(name, a, go_base)
}

fn dir(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    unary(name, a, go_dir)
}

fn clean(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    unary(name, a, go_clean)
}

fn ext(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    unary(name, a, go_ext)
}

fn is_abs(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity(name, a, 1)?;
    Ok(Value::Bool(args::string(&a[0])?.starts_with('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_helm() {
        // (input, base, dir, clean, ext) recorded from helm4.
        let cases = [
            ("", ".", ".", ".", ""),
            ("/", "/", "/", "/", ""),
            ("a//b/../c", "c", "a", "a/c", ""),
            ("/a/b/", "b", "/a/b", "/a/b", ""),
            ("x.tar.gz", "x.tar.gz", ".", "x.tar.gz", ".gz"),
            ("../../a", "a", "../..", "../../a", ""),
            ("a/b/..", "..", "a/b", "a", "."),
            ("/../a", "a", "/", "/a", ""),
            ("a/", "a", "a", "a", ""),
            ("//", "/", "/", "/", ""),
            (".", ".", ".", ".", "."),
            ("./a/./b/", "b", "a/b", "a/b", ""),
            ("/a.b/c", "c", "/a.b", "/a.b/c", ""),
            (".bashrc", ".bashrc", ".", ".bashrc", ".bashrc"),
            ("a.", "a.", ".", "a.", "."),
        ];
        for (p, b, d, c, e) in cases {
            assert_eq!(go_base(p), b, "base {p:?}");
            assert_eq!(go_dir(p), d, "dir {p:?}");
            assert_eq!(go_clean(p), c, "clean {p:?}");
            assert_eq!(go_ext(p), e, "ext {p:?}");
        }
    }
}
