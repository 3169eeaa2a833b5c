//! Sprig's conversions (HELM-SEMANTICS.md §3.7): spf13/cast for `int`, `int64` and
//! `float64`, Go's `Atoi` for `atoi`, octal parsing for `toDecimal`.

use super::args::{self, arity, to_float64, to_int64};
use super::{Func, FuncError};
use crate::chart::template::format;
use crate::chart::values::Value;

pub const FUNCS: &[(&str, Func)] = &[
    ("atoi", atoi),
    ("int", int),
    ("int64", int64),
    ("float64", float64),
    ("toDecimal", to_decimal),
];

/// Go's `strconv.Atoi`: optional sign and decimal digits only; failures give 0.
fn atoi(a: &[Value]) -> Result<Value, FuncError> {
    arity("atoi", a, 1)?;
    let s = args::string(&a[0])?;
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let n = if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        // Out of range: Go returns the clamped value with the error Sprig ignores.
        s.parse::<i64>().unwrap_or(if s.starts_with('-') {
            i64::MIN
        } else {
            i64::MAX
        })
    } else {
        0
    };
    Ok(Value::Int(n))
}

fn int(a: &[Value]) -> Result<Value, FuncError> {
    arity("int", a, 1)?;
    Ok(Value::Int(to_int64(&a[0])))
}

fn int64(a: &[Value]) -> Result<Value, FuncError> {
    arity("int64", a, 1)?;
    Ok(Value::Int64(to_int64(&a[0])))
}

fn float64(a: &[Value]) -> Result<Value, FuncError> {
    arity("float64", a, 1)?;
    Ok(Value::Float(to_float64(&a[0])))
}

/// `toDecimal v`: `fmt.Sprint(v)` parsed as an octal number (`"0777"` → 511); 0 on error.
fn to_decimal(a: &[Value]) -> Result<Value, FuncError> {
    arity("toDecimal", a, 1)?;
    let text = format::sprint(&a[..1]);
    let digits = text.strip_prefix(['+', '-']).unwrap_or(&text);
    let n = if !digits.is_empty() && digits.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        i64::from_str_radix(&text, 8).unwrap_or(0)
    } else {
        0
    };
    Ok(Value::Int64(n))
}

#[cfg(test)]
mod tests {
    use super::super::testing::call;

    #[test]
    fn conversions_match_helm() {
        let got: Vec<String> = [
            "int \"010\"",
            "int 3.9",
            "int64 \"0x1F\"",
            "float64 \"1.25\"",
            "atoi \" 7\"",
            "atoi \"-7\"",
            "toDecimal \"0777\"",
            "toDecimal 777",
            "int \"1.0\"",
            "int \"1.5\"",
            "typeOf (int 1)",
            "typeOf (int64 1)",
            "int true",
            "float64 \"1e3\"",
            "float64 \"inf\"",
            "int \"1_000\"",
            "int \"0b11\"",
            "toDecimal \"9\"",
        ]
        .iter()
        .map(|e| call(e))
        .collect();
        assert_eq!(
            got.join(" "),
            "8 3 31 1.25 0 -7 511 511 1 0 int int64 1 1000 +Inf 1000 3 0"
        );
    }
}
