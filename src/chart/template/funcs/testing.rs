//! Test helper: calls registered functions from a tiny template-like expression syntax
//! (`trunc 3 "abc"`, nested calls in parentheses, `nil`/`true`/`false`, Go number
//! literal typing: integer syntax is `int`, a `.` or exponent makes `float64`), so unit
//! tests read like the Helm snippets their expectations were recorded from.

use super::{FuncError, lookup};
use crate::chart::template::format::{self, format_value};
use crate::chart::values::Value;

/// Evaluates `expr` and prints the result with `%v` (panics on error: tests only).
pub fn call(expr: &str) -> String {
    match eval(expr) {
        Ok(v) => format_value(&v),
        Err(e) => panic!("{expr}: unexpected error: {e}"),
    }
}

/// Evaluates `expr`, expecting an error; returns its message.
pub fn call_err(expr: &str) -> String {
    match eval(expr) {
        Ok(v) => panic!("{expr}: expected an error, got {}", format_value(&v)),
        Err(e) => e.to_string(),
    }
}

/// Evaluates `expr` to a value.
pub fn eval(expr: &str) -> Result<Value, FuncError> {
    let tokens = tokenize(expr);
    let mut pos = 0;
    let v = eval_call(&tokens, &mut pos)?;
    assert_eq!(pos, tokens.len(), "{expr}: trailing tokens");
    Ok(v)
}

/// Evaluates `expr` with extra named values available as `$name` arguments.
pub fn eval_with(expr: &str, vars: &[(&str, Value)]) -> Result<Value, FuncError> {
    let tokens: Vec<Tok> = tokenize(expr)
        .into_iter()
        .map(|t| match t {
            Tok::Var(name) => Tok::Val(
                vars.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| panic!("unknown ${name}")),
            ),
            t => t,
        })
        .collect();
    let mut pos = 0;
    let v = eval_call(&tokens, &mut pos)?;
    assert_eq!(pos, tokens.len(), "{expr}: trailing tokens");
    Ok(v)
}

#[derive(Clone, Debug)]
enum Tok {
    Open,
    Close,
    Ident(String),
    Var(String),
    Val(Value),
}

fn eval_call(tokens: &[Tok], pos: &mut usize) -> Result<Value, FuncError> {
    let name = match &tokens[*pos] {
        Tok::Ident(n) => n.clone(),
        t => panic!("expected a function name, got {t:?}"),
    };
    *pos += 1;
    // Go's fmt builtins belong to the executor; the tests reach them through `format`.
    let f: super::Func = match name.as_str() {
        "print" => |a| Ok(Value::from(format::sprint(a))),
        "println" => |a| Ok(Value::from(format::sprintln(a))),
        "printf" => |a| match a.split_first() {
            Some((Value::String(f), rest)) => Ok(Value::from(format::sprintf(f, rest))),
            _ => Err(FuncError::Args("printf needs a format".into())),
        },
        _ => lookup(&name).unwrap_or_else(|| panic!("no function {name}")),
    };
    let mut args = Vec::new();
    while *pos < tokens.len() {
        match &tokens[*pos] {
            Tok::Close => break,
            Tok::Open => {
                *pos += 1;
                args.push(eval_call(tokens, pos)?);
                assert!(matches!(tokens[*pos], Tok::Close), "missing )");
                *pos += 1;
            }
            Tok::Val(v) => {
                args.push(v.clone());
                *pos += 1;
            }
            Tok::Ident(i) => match i.as_str() {
                "nil" => {
                    args.push(Value::Nil);
                    *pos += 1;
                }
                "true" | "false" => {
                    args.push(Value::Bool(i == "true"));
                    *pos += 1;
                }
                _ => panic!("bare identifier {i}: wrap calls in parentheses"),
            },
            Tok::Var(v) => panic!("unbound ${v}"),
        }
    }
    f(&args)
}

fn tokenize(s: &str) -> Vec<Tok> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\n' => i += 1,
            '(' => {
                out.push(Tok::Open);
                i += 1;
            }
            ')' => {
                out.push(Tok::Close);
                i += 1;
            }
            '"' => {
                let mut text = String::new();
                i += 1;
                while chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                        match chars[i] {
                            'n' => text.push('\n'),
                            't' => text.push('\t'),
                            'r' => text.push('\r'),
                            '\\' => text.push('\\'),
                            '"' => text.push('"'),
                            'x' => {
                                let h: String = chars[i + 1..i + 3].iter().collect();
                                text.push(char::from(u8::from_str_radix(&h, 16).unwrap_or(0)));
                                i += 2;
                            }
                            'a' => text.push('\x07'),
                            'b' => text.push('\x08'),
                            'f' => text.push('\x0c'),
                            'v' => text.push('\x0b'),
                            e @ ('u' | 'U') => {
                                let n = if e == 'u' { 4 } else { 8 };
                                let h: String = chars[i + 1..i + 1 + n].iter().collect();
                                let c = u32::from_str_radix(&h, 16).ok().and_then(char::from_u32);
                                text.push(c.expect("valid \\u escape"));
                                i += n;
                            }
                            other => panic!("unsupported escape \\{other}"),
                        }
                    } else {
                        text.push(chars[i]);
                    }
                    i += 1;
                }
                i += 1;
                out.push(Tok::Val(Value::from(text)));
            }
            '`' => {
                let start = i + 1;
                i = start;
                while chars[i] != '`' {
                    i += 1;
                }
                out.push(Tok::Val(Value::from(
                    chars[start..i].iter().collect::<String>(),
                )));
                i += 1;
            }
            '$' => {
                let start = i + 1;
                i = start;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push(Tok::Var(chars[start..i].iter().collect()));
            }
            c if c.is_ascii_digit() || c == '-' || c == '+' => {
                let start = i;
                i += 1;
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric()
                        || chars[i] == '.'
                        || ((chars[i] == '-' || chars[i] == '+')
                            && matches!(chars[i - 1], 'e' | 'E')))
                {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let is_hex = text.trim_start_matches(['-', '+']).starts_with("0x");
                if !is_hex && (text.contains('.') || text.contains('e') || text.contains('E')) {
                    out.push(Tok::Val(Value::Float(text.parse().expect("float literal"))));
                } else {
                    let n = crate::chart::template::funcs::args::parse_go_int(&text)
                        .expect("int literal");
                    out.push(Tok::Val(Value::Int(n)));
                }
            }
            _ => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                assert!(i > start, "unexpected character {c:?}");
                out.push(Tok::Ident(chars[start..i].iter().collect()));
            }
        }
    }
    out
}
