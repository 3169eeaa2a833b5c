//! Sprig's string functions (HELM-SEMANTICS.md §3.6). Argument order follows Sprig
//! (the subject string last, so it can be piped). Byte-based Go behaviours (`trunc`,
//! `substr`) are kept, including their panics on out-of-range indexes.

use rand::RngExt;

use super::args::{self, arity, strval};
use super::wordcase;
use super::{Func, FuncError};
use crate::chart::template::format;
use crate::chart::values::{Map, Value};

pub const FUNCS: &[(&str, Func)] = &[
    ("abbrev", abbrev),
    ("abbrevboth", abbrevboth),
    ("trunc", trunc),
    ("trim", trim),
    ("upper", upper),
    ("lower", lower),
    ("title", title),
    ("untitle", untitle),
    ("substr", substr),
    ("repeat", repeat),
    ("trimall", call_trimall),
    ("trimAll", call_trim_all),
    ("trimSuffix", trim_suffix),
    ("trimPrefix", trim_prefix),
    ("nospace", nospace),
    ("initials", initials),
    ("randAlphaNum", rand_alpha_num),
    ("randAlpha", rand_alpha),
    ("randAscii", rand_ascii),
    ("randNumeric", rand_numeric),
    ("swapcase", swapcase),
    ("shuffle", shuffle),
    ("snakecase", snakecase),
    ("camelcase", camelcase),
    ("kebabcase", kebabcase),
    ("wrap", wrap),
    ("wrapWith", wrap_with),
    ("contains", contains),
    ("hasPrefix", has_prefix),
    ("hasSuffix", has_suffix),
    ("quote", quote),
    ("squote", squote),
    ("cat", cat),
    ("indent", indent),
    ("nindent", nindent),
    ("replace", replace),
    ("plural", plural),
    ("toString", to_string),
    ("hello", hello),
    ("split", split),
    ("splitList", split_list),
    ("splitn", splitn),
    ("join", join),
    ("sortAlpha", sort_alpha),
    ("toStrings", to_strings),
];

super::named! {
    call_trimall = trim_all("trimall");
    call_trim_all = trim_all("trimAll");
}

/// A `func(string) string`.
fn unary(name: &str, a: &[Value], f: impl Fn(&str) -> String) -> Result<Value, FuncError> {
    arity(name, a, 1)?;
    Ok(Value::from(f(args::string(&a[0])?)))
}

/// A `func(a, b string) T` where Sprig swapped the operands for piping.
fn binary<T: Into<Value>>(
    name: &str,
    a: &[Value],
    f: impl Fn(&str, &str) -> T,
) -> Result<Value, FuncError> {
    arity(name, a, 2)?;
    Ok(f(args::string(&a[0])?, args::string(&a[1])?).into())
}

/// A Go runtime panic inside a function, as text/template reports it.
fn runtime_panic(msg: String) -> FuncError {
    FuncError::Call(format!("runtime error: {msg}"))
}

fn abbrev(a: &[Value]) -> Result<Value, FuncError> {
    arity("abbrev", a, 2)?;
    let width = args::int(&a[0])?;
    let s = args::string(&a[1])?;
    if width < 4 {
        return Ok(Value::from(s));
    }
    Ok(Value::from(
        wordcase::abbreviate(s, 0, width).unwrap_or_default(),
    ))
}

fn abbrevboth(a: &[Value]) -> Result<Value, FuncError> {
    arity("abbrevboth", a, 3)?;
    let left = args::int(&a[0])?;
    let right = args::int(&a[1])?;
    let s = args::string(&a[2])?;
    if right < 4 || left > 0 && right < 7 {
        return Ok(Value::from(s));
    }
    Ok(Value::from(
        wordcase::abbreviate(s, left, right).unwrap_or_default(),
    ))
}

/// `trunc n s`: first n bytes, or the last |n| bytes for negative n.
fn trunc(a: &[Value]) -> Result<Value, FuncError> {
    arity("trunc", a, 2)?;
    let c = args::int(&a[0])?;
    let s = args::string(&a[1])?;
    let len = s.len() as i64;
    let out = if c < 0 && len + c > 0 {
        wordcase::byte_slice(s, (len + c) as usize, s.len())
    } else if c >= 0 && len > c {
        wordcase::byte_slice(s, 0, c as usize)
    } else {
        s.to_string()
    };
    Ok(Value::from(out))
}

fn trim(a: &[Value]) -> Result<Value, FuncError> {
    unary("trim", a, |s| s.trim().to_string())
}

fn upper(a: &[Value]) -> Result<Value, FuncError> {
    unary("upper", a, wordcase::upper)
}

fn lower(a: &[Value]) -> Result<Value, FuncError> {
    unary("lower", a, wordcase::lower)
}

fn title(a: &[Value]) -> Result<Value, FuncError> {
    unary("title", a, wordcase::title)
}

fn untitle(a: &[Value]) -> Result<Value, FuncError> {
    unary("untitle", a, wordcase::untitle)
}

fn swapcase(a: &[Value]) -> Result<Value, FuncError> {
    unary("swapcase", a, wordcase::swapcase)
}

fn nospace(a: &[Value]) -> Result<Value, FuncError> {
    unary("nospace", a, wordcase::nospace)
}

fn initials(a: &[Value]) -> Result<Value, FuncError> {
    unary("initials", a, wordcase::initials)
}

fn snakecase(a: &[Value]) -> Result<Value, FuncError> {
    unary("snakecase", a, |s| wordcase::lower_case_words(s, '_'))
}

fn kebabcase(a: &[Value]) -> Result<Value, FuncError> {
    unary("kebabcase", a, |s| wordcase::lower_case_words(s, '-'))
}

fn camelcase(a: &[Value]) -> Result<Value, FuncError> {
    unary("camelcase", a, wordcase::pascal_case)
}

/// `substr start end s` with Go's slice rules; out-of-range indexes panic in Go.
fn substr(a: &[Value]) -> Result<Value, FuncError> {
    arity("substr", a, 3)?;
    let start = args::int(&a[0])?;
    let end = args::int(&a[1])?;
    let s = args::string(&a[2])?;
    let len = s.len() as i64;
    let (from, to) = if start < 0 {
        if end < 0 {
            return Err(runtime_panic(format!("slice bounds out of range [:{end}]")));
        }
        if end > len {
            return Err(runtime_panic(format!(
                "slice bounds out of range [:{end}] with length {len}"
            )));
        }
        (0, end)
    } else if end < 0 || end > len {
        if start > len {
            return Err(runtime_panic(format!(
                "slice bounds out of range [{start}:{len}]"
            )));
        }
        (start, len)
    } else {
        if start > end {
            return Err(runtime_panic(format!(
                "slice bounds out of range [{start}:{end}]"
            )));
        }
        (start, end)
    };
    Ok(Value::from(wordcase::byte_slice(
        s,
        from as usize,
        to as usize,
    )))
}

fn repeat(a: &[Value]) -> Result<Value, FuncError> {
    arity("repeat", a, 2)?;
    let n = args::int(&a[0])?;
    let s = args::string(&a[1])?;
    if n < 0 {
        return Err(FuncError::Call("strings: negative Repeat count".into()));
    }
    if (n as u128) * (s.len() as u128) > super::MAX_STRING_BYTES as u128 {
        return Err(FuncError::Call(
            "strings: Repeat output length overflow".into(),
        ));
    }
    Ok(Value::from(s.repeat(n as usize)))
}

/// Go's `strings.Trim(s, cutset)`.
fn trim_all(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    binary(name, a, |cutset, s| {
        s.trim_matches(|c| cutset.contains(c)).to_string()
    })
}

fn trim_suffix(a: &[Value]) -> Result<Value, FuncError> {
    binary("trimSuffix", a, |suf, s| {
        s.strip_suffix(suf).unwrap_or(s).to_string()
    })
}

fn trim_prefix(a: &[Value]) -> Result<Value, FuncError> {
    binary("trimPrefix", a, |pre, s| {
        s.strip_prefix(pre).unwrap_or(s).to_string()
    })
}

fn contains(a: &[Value]) -> Result<Value, FuncError> {
    binary("contains", a, |sub, s| s.contains(sub))
}

fn has_prefix(a: &[Value]) -> Result<Value, FuncError> {
    binary("hasPrefix", a, |pre, s| s.starts_with(pre))
}

fn has_suffix(a: &[Value]) -> Result<Value, FuncError> {
    binary("hasSuffix", a, |suf, s| s.ends_with(suf))
}

/// goutils' random strings: a negative count is an error that Sprig swallows ("").
fn random_string(name: &str, a: &[Value], charset: &[u8]) -> Result<Value, FuncError> {
    arity(name, a, 1)?;
    let n = args::int(&a[0])?;
    if n <= 0 {
        return Ok(Value::from(""));
    }
    if n as u64 > super::MAX_STRING_BYTES as u64 {
        return Err(FuncError::Call(format!("{name}: count {n} too large")));
    }
    let mut rng = rand::rng();
    let s: String = (0..n)
        .map(|_| charset[rng.random_range(0..charset.len())] as char)
        .collect();
    Ok(Value::from(s))
}

const DIGITS: &[u8] = b"0123456789";
const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const PRINTABLE: &[u8] = b" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

fn rand_alpha_num(a: &[Value]) -> Result<Value, FuncError> {
    random_string("randAlphaNum", a, ALNUM)
}

fn rand_alpha(a: &[Value]) -> Result<Value, FuncError> {
    random_string("randAlpha", a, LETTERS)
}

fn rand_ascii(a: &[Value]) -> Result<Value, FuncError> {
    random_string("randAscii", a, PRINTABLE)
}

fn rand_numeric(a: &[Value]) -> Result<Value, FuncError> {
    random_string("randNumeric", a, DIGITS)
}

/// xstrings `Shuffle`: a random permutation of the runes.
fn shuffle(a: &[Value]) -> Result<Value, FuncError> {
    arity("shuffle", a, 1)?;
    let mut chars: Vec<char> = args::string(&a[0])?.chars().collect();
    let mut rng = rand::rng();
    for i in (1..chars.len()).rev() {
        let j = rng.random_range(0..=i);
        chars.swap(i, j);
    }
    Ok(Value::from(chars.into_iter().collect::<String>()))
}

fn wrap(a: &[Value]) -> Result<Value, FuncError> {
    arity("wrap", a, 2)?;
    let n = args::int(&a[0])?;
    let s = args::string(&a[1])?;
    Ok(Value::from(wordcase::wrap(s, n, "", false)))
}

fn wrap_with(a: &[Value]) -> Result<Value, FuncError> {
    arity("wrapWith", a, 3)?;
    let n = args::int(&a[0])?;
    let sep = args::string(&a[1])?;
    let s = args::string(&a[2])?;
    Ok(Value::from(wordcase::wrap(s, n, sep, true)))
}

/// `quote`: each non-nil argument `strval`-ed and Go-quoted, joined by spaces.
fn quote(a: &[Value]) -> Result<Value, FuncError> {
    let parts: Vec<String> = a
        .iter()
        .filter(|v| !v.is_nil())
        .map(|v| match v {
            Value::Bytes(b) => format::quote_bytes(b),
            other => format::quote(&strval(other)),
        })
        .collect();
    Ok(Value::from(parts.join(" ")))
}

/// `squote`: each non-nil argument as `'%v'`, no escaping.
fn squote(a: &[Value]) -> Result<Value, FuncError> {
    let parts: Vec<String> = a
        .iter()
        .filter(|v| !v.is_nil())
        .map(|v| format!("'{}'", format::format_value(v)))
        .collect();
    Ok(Value::from(parts.join(" ")))
}

/// `cat`: non-nil arguments with `%v`, space separated.
fn cat(a: &[Value]) -> Result<Value, FuncError> {
    let parts: Vec<String> = a
        .iter()
        .filter(|v| !v.is_nil())
        .map(format::format_value)
        .collect();
    Ok(Value::from(parts.join(" ")))
}

fn indent_text(spaces: i64, s: &str) -> Result<String, FuncError> {
    if spaces < 0 {
        return Err(FuncError::Call("strings: negative Repeat count".into()));
    }
    let lines = s.bytes().filter(|&b| b == b'\n').count() as u128 + 1;
    if spaces as u128 * lines > super::MAX_STRING_BYTES as u128 {
        return Err(FuncError::Call(
            "strings: Repeat output length overflow".into(),
        ));
    }
    let pad = " ".repeat(spaces as usize);
    Ok(format!("{pad}{}", s.replace('\n', &format!("\n{pad}"))))
}

fn indent(a: &[Value]) -> Result<Value, FuncError> {
    arity("indent", a, 2)?;
    let n = args::int(&a[0])?;
    Ok(Value::from(indent_text(n, args::string(&a[1])?)?))
}

fn nindent(a: &[Value]) -> Result<Value, FuncError> {
    arity("nindent", a, 2)?;
    let n = args::int(&a[0])?;
    Ok(Value::from(format!(
        "\n{}",
        indent_text(n, args::string(&a[1])?)?
    )))
}

fn replace(a: &[Value]) -> Result<Value, FuncError> {
    arity("replace", a, 3)?;
    let old = args::string(&a[0])?;
    let new = args::string(&a[1])?;
    let s = args::string(&a[2])?;
    Ok(Value::from(go_replace_all(s, old, new)))
}

/// Go's `strings.Replace(s, old, new, -1)`: an empty `old` inserts `new` around every rune.
fn go_replace_all(s: &str, old: &str, new: &str) -> String {
    if !old.is_empty() {
        return s.replace(old, new);
    }
    let mut out = String::from(new);
    for c in s.chars() {
        out.push(c);
        out.push_str(new);
    }
    out
}

fn plural(a: &[Value]) -> Result<Value, FuncError> {
    arity("plural", a, 3)?;
    let one = args::string(&a[0])?;
    let many = args::string(&a[1])?;
    let n = args::int(&a[2])?;
    Ok(Value::from(if n == 1 { one } else { many }))
}

fn to_string(a: &[Value]) -> Result<Value, FuncError> {
    arity("toString", a, 1)?;
    Ok(Value::from(strval(&a[0])))
}

fn hello(a: &[Value]) -> Result<Value, FuncError> {
    arity("hello", a, 0)?;
    Ok(Value::from("Hello!"))
}

/// Go's `strings.SplitN(s, sep, n)`; `n < 0` = all. An empty separator splits runes.
pub fn go_split(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    let limit = if n < 0 { usize::MAX } else { n as usize };
    if sep.is_empty() {
        let chars: Vec<char> = s.chars().collect();
        let mut out: Vec<String> = Vec::new();
        for (i, c) in chars.iter().enumerate() {
            if out.len() + 1 == limit {
                out.push(chars[i..].iter().collect());
                return out;
            }
            out.push(c.to_string());
        }
        return out;
    }
    s.splitn(limit, sep).map(str::to_string).collect()
}

/// Sprig's `split`/`splitn` result: `map[string]string` with keys `_0`, `_1`, ...
fn parts_map(parts: Vec<String>) -> Value {
    let map: Map = parts
        .into_iter()
        .enumerate()
        .map(|(i, p)| (format!("_{i}"), Value::from(p)))
        .collect();
    Value::map(map)
}

fn split(a: &[Value]) -> Result<Value, FuncError> {
    arity("split", a, 2)?;
    let sep = args::string(&a[0])?;
    let s = args::string(&a[1])?;
    Ok(parts_map(go_split(s, sep, -1)))
}

fn splitn(a: &[Value]) -> Result<Value, FuncError> {
    arity("splitn", a, 3)?;
    let sep = args::string(&a[0])?;
    let n = args::int(&a[1])?;
    let s = args::string(&a[2])?;
    Ok(parts_map(go_split(s, sep, n)))
}

fn split_list(a: &[Value]) -> Result<Value, FuncError> {
    arity("splitList", a, 2)?;
    let sep = args::string(&a[0])?;
    let s = args::string(&a[1])?;
    Ok(strings_value(go_split(s, sep, -1)))
}

/// A Go `[]string` result.
pub fn strings_value(items: Vec<String>) -> Value {
    Value::strings(items)
}

/// Sprig's `strslice`: slices become their non-nil elements `strval`-ed; nil becomes an
/// empty list; anything else a one-element list.
pub fn strslice(v: &Value) -> Vec<String> {
    match args::slice(v) {
        Some(items) => items.iter().filter(|x| !x.is_nil()).map(strval).collect(),
        None if v.is_nil() => Vec::new(),
        None => vec![strval(v)],
    }
}

fn join(a: &[Value]) -> Result<Value, FuncError> {
    arity("join", a, 2)?;
    let sep = args::string(&a[0])?;
    Ok(Value::from(strslice(&a[1]).join(sep)))
}

/// `sortAlpha`: lists are `strslice`-d and sorted byte-wise; anything else becomes a
/// one-element list of its `strval` (nil included: `[<nil>]`).
fn sort_alpha(a: &[Value]) -> Result<Value, FuncError> {
    arity("sortAlpha", a, 1)?;
    let mut items = match &a[0] {
        Value::List(_) | Value::Bytes(_) => strslice(&a[0]),
        other => vec![strval(other)],
    };
    items.sort();
    Ok(strings_value(items))
}

fn to_strings(a: &[Value]) -> Result<Value, FuncError> {
    arity("toStrings", a, 1)?;
    Ok(strings_value(strslice(&a[0])))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call, call_err};

    #[test]
    fn trunc_and_substr() {
        assert_eq!(call("trunc 3 \"abcdef\""), "abc");
        assert_eq!(call("trunc -2 \"abcdef\""), "ef");
        assert_eq!(call("trunc -10 \"ab\""), "ab");
        assert_eq!(call("trunc 10 \"ab\""), "ab");
        assert_eq!(call("substr 1 3 \"abcdef\""), "bc");
        assert_eq!(call("substr -1 2 \"abcdef\""), "ab");
        assert_eq!(call("substr 2 -1 \"abcdef\""), "cdef");
        assert_eq!(call("substr 2 99 \"abcdef\""), "cdef");
        assert_eq!(
            call_err("substr -1 10 \"abc\""),
            "runtime error: slice bounds out of range [:10] with length 3"
        );
        assert_eq!(
            call_err("substr 5 3 \"abcdef\""),
            "runtime error: slice bounds out of range [5:3]"
        );
        assert_eq!(
            call_err("substr 7 8 \"abcdef\""),
            "runtime error: slice bounds out of range [7:6]"
        );
        assert_eq!(
            call_err("trunc 2"),
            "wrong number of args for trunc: want 2 got 1"
        );
        assert_eq!(
            call_err("trunc 2.0 \"x\""),
            "wrong type for value; expected int; got float64"
        );
    }

    #[test]
    fn words() {
        assert_eq!(
            call("title \"hello wORLD-foo bar_baz x.y 3abc éa ǆx\""),
            "Hello WORLD-Foo Bar_baz X.Y 3abc Éa ǅx"
        );
        assert_eq!(call("abbrev 5 \"hello world\""), "he...");
        assert_eq!(call("abbrev 3 \"hello\""), "hello");
        assert_eq!(
            call("abbrevboth 5 10 \"1234567890abcdefghij\""),
            "...6789..."
        );
        assert_eq!(call("abbrevboth 0 5 \"hello world\""), "he...");
        assert_eq!(call("abbrev 20 \"short\""), "short");
        assert_eq!(call("replace \"a\" \"b\" \"aaa\""), "bbb");
        assert_eq!(call("plural \"one\" \"many\" 1"), "one");
        assert_eq!(call("plural \"one\" \"many\" 2"), "many");
        assert_eq!(call("repeat 3 \"ab\""), "ababab");
        assert_eq!(call("hello"), "Hello!");
        assert_eq!(call("trimAll \"$\" \"$$a$$\""), "a");
        assert_eq!(call("trimall \"ab\" \"abxba\""), "x");
        assert_eq!(call("trimSuffix \"-\" \"a--\""), "a-");
        assert_eq!(call("trimPrefix \"-\" \"--a\""), "-a");
        assert_eq!(call("trim \"  a  \""), "a");
        assert_eq!(call("upper \"aé\""), "AÉ");
        assert_eq!(call("lower \"AÉ\""), "aé");
        assert_eq!(call("contains \"b\" \"abc\""), "true");
        assert_eq!(call("hasPrefix \"a\" \"abc\""), "true");
        assert_eq!(call("hasSuffix \"c\" \"abc\""), "true");
    }

    #[test]
    fn quoting_and_joining() {
        assert_eq!(
            call("quote 1 2.5 true nil \"a\\\"b\""),
            r#""1" "2.5" "true" "a\"b""#
        );
        assert_eq!(call("squote \"it's\" 1 nil"), "'it's' '1'");
        assert_eq!(call("cat \"a\" 1 nil \"b\""), "a 1 b");
        assert_eq!(call("quote (indent 2 \"a\\nb\\n\")"), r#""  a\n  b\n  ""#);
        assert_eq!(call("quote (nindent 2 \"x\")"), r#""\n  x""#);
        assert_eq!(call("toString 1000000.0"), "1e+06");
        assert_eq!(call("toString nil"), "<nil>");
        assert_eq!(call("toString (list 1 \"a\")"), "[1 a]");
        assert_eq!(call("splitList \",\" \"a,,b\""), "[a  b]");
        assert_eq!(call("split \"/\" \"a/b/c\""), "map[_0:a _1:b _2:c]");
        assert_eq!(call("splitn \"/\" 2 \"a/b/c\""), "map[_0:a _1:b/c]");
        assert_eq!(
            call("join \"-\" (list 1 \"a\" 2.5 nil true)"),
            "1-a-2.5-true"
        );
        assert_eq!(call("join \",\" \"str\""), "str");
        assert_eq!(
            call("sortAlpha (list 10 9 \"B\" \"a\" \"b\")"),
            "[10 9 B a b]"
        );
        assert_eq!(call("sortAlpha \"x\""), "[x]");
        assert_eq!(call("toStrings (list 1 nil \"a\")"), "[1 a]");
    }

    #[test]
    fn random_shapes() {
        assert_eq!(call("randAlphaNum 12").len(), 12);
        assert!(call("randNumeric 20").bytes().all(|b| b.is_ascii_digit()));
        assert!(
            call("randAlpha 20")
                .bytes()
                .all(|b| b.is_ascii_alphabetic())
        );
        assert!(call("randAscii 20").bytes().all(|b| (32..127).contains(&b)));
        assert_eq!(call("randAlpha -1"), "");
        let mut s: Vec<char> = call("shuffle \"abcdef\"").chars().collect();
        s.sort();
        assert_eq!(s.into_iter().collect::<String>(), "abcdef");
    }
}
