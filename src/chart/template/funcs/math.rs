//! Sprig's integer and float math and number sequences (HELM-SEMANTICS.md §3.4, §3.7).
//! Integer math converts every operand with cast's `ToInt64` and wraps like Go's int64;
//! float math goes through decimals (see `decimal.rs`).

use rand::RngExt;

use super::args::{self, arity, arity_min, to_float64, to_int64};
use super::decimal::Decimal;
use super::{Func, FuncError};
use crate::chart::values::Value;

pub const FUNCS: &[(&str, Func)] = &[
    ("add1", add1),
    ("add", add),
    ("sub", sub),
    ("div", div),
    ("mod", modulo),
    ("mul", mul),
    ("randInt", rand_int),
    ("add1f", add1f),
    ("addf", addf),
    ("subf", subf),
    ("divf", divf),
    ("mulf", mulf),
    ("biggest", call_biggest),
    ("max", call_max),
    ("min", min),
    ("maxf", maxf),
    ("minf", minf),
    ("ceil", ceil),
    ("floor", floor),
    ("round", round),
    ("until", until),
    ("untilStep", until_step),
    ("seq", seq),
];

super::named! {
    call_biggest = max("biggest");
    call_max = max("max");
}

/// Longest sequence `until`/`untilStep`/`seq` will build (Go would exhaust memory).
const MAX_SEQUENCE: usize = 10_000_000;

fn divide_by_zero() -> FuncError {
    FuncError::Call("runtime error: integer divide by zero".into())
}

fn add1(a: &[Value]) -> Result<Value, FuncError> {
    arity("add1", a, 1)?;
    Ok(Value::Int64(to_int64(&a[0]).wrapping_add(1)))
}

fn add(a: &[Value]) -> Result<Value, FuncError> {
    Ok(Value::Int64(
        a.iter().fold(0i64, |acc, v| acc.wrapping_add(to_int64(v))),
    ))
}

fn sub(a: &[Value]) -> Result<Value, FuncError> {
    arity("sub", a, 2)?;
    Ok(Value::Int64(to_int64(&a[0]).wrapping_sub(to_int64(&a[1]))))
}

fn div(a: &[Value]) -> Result<Value, FuncError> {
    arity("div", a, 2)?;
    let d = to_int64(&a[1]);
    if d == 0 {
        return Err(divide_by_zero());
    }
    Ok(Value::Int64(to_int64(&a[0]).wrapping_div(d)))
}

fn modulo(a: &[Value]) -> Result<Value, FuncError> {
    arity("mod", a, 2)?;
    let d = to_int64(&a[1]);
    if d == 0 {
        return Err(divide_by_zero());
    }
    Ok(Value::Int64(to_int64(&a[0]).wrapping_rem(d)))
}

fn mul(a: &[Value]) -> Result<Value, FuncError> {
    arity_min("mul", a, 1)?;
    Ok(Value::Int64(
        a[1..]
            .iter()
            .fold(to_int64(&a[0]), |acc, v| acc.wrapping_mul(to_int64(v))),
    ))
}

/// `randInt min max`: uniform in `[min, max)`; Go panics on an empty range.
fn rand_int(a: &[Value]) -> Result<Value, FuncError> {
    arity("randInt", a, 2)?;
    let lo = args::int(&a[0])?;
    let hi = args::int(&a[1])?;
    if hi.wrapping_sub(lo) <= 0 {
        return Err(FuncError::Call("invalid argument to Intn".into()));
    }
    Ok(Value::Int(rand::rng().random_range(lo..hi)))
}

fn max(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity_min(name, a, 1)?;
    Ok(Value::Int64(a.iter().map(to_int64).max().unwrap_or(0)))
}

fn min(a: &[Value]) -> Result<Value, FuncError> {
    arity_min("min", a, 1)?;
    Ok(Value::Int64(a.iter().map(to_int64).min().unwrap_or(0)))
}

/// Go's `math.Max`: NaN wins, +0 beats -0.
fn go_max(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && y == 0.0 {
        if x.is_sign_negative() { y } else { x }
    } else {
        x.max(y)
    }
}

/// Go's `math.Min`: NaN wins, -0 beats +0.
fn go_min(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && y == 0.0 {
        if x.is_sign_negative() { x } else { y }
    } else {
        x.min(y)
    }
}

fn maxf(a: &[Value]) -> Result<Value, FuncError> {
    arity_min("maxf", a, 1)?;
    let first = to_float64(&a[0]);
    Ok(Value::Float(
        a[1..].iter().map(to_float64).fold(first, go_max),
    ))
}

fn minf(a: &[Value]) -> Result<Value, FuncError> {
    arity_min("minf", a, 1)?;
    let first = to_float64(&a[0]);
    Ok(Value::Float(
        a[1..].iter().map(to_float64).fold(first, go_min),
    ))
}

fn ceil(a: &[Value]) -> Result<Value, FuncError> {
    arity("ceil", a, 1)?;
    Ok(Value::Float(to_float64(&a[0]).ceil()))
}

fn floor(a: &[Value]) -> Result<Value, FuncError> {
    arity("floor", a, 1)?;
    Ok(Value::Float(to_float64(&a[0]).floor()))
}

/// `round x places [roundOn]`: ceil when the signed fraction (Go's `Modf`) reaches
/// `roundOn`, floor otherwise; hence `round -1.5 0` is -2.
fn round(a: &[Value]) -> Result<Value, FuncError> {
    arity_min("round", a, 2)?;
    let places = args::int(&a[1])?;
    let round_on = match a.get(2) {
        Some(v) => args::float64(v)?,
        None => 0.5,
    };
    let pow = 10f64.powf(places as f64);
    let digit = pow * to_float64(&a[0]);
    let frac = digit - digit.trunc();
    let r = if frac >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    Ok(Value::Float(r / pow))
}

/// One decimal operand; shopspring panics on NaN/Inf.
fn decimal_of(v: &Value) -> Result<Decimal, FuncError> {
    let f = to_float64(v);
    Decimal::from_f64(f).ok_or_else(|| {
        FuncError::Call(format!(
            "Cannot create a Decimal from {}",
            crate::chart::template::format::format_float(f)
        ))
    })
}

/// Sprig's `execDecimalOp`: folds `rest` into `first` with `op`.
fn decimal_fold(
    first: &Value,
    rest: &[Value],
    op: impl Fn(&Decimal, &Decimal) -> Result<Decimal, FuncError>,
) -> Result<Value, FuncError> {
    let mut acc = decimal_of(first)?;
    for v in rest {
        acc = op(&acc, &decimal_of(v)?)?;
    }
    Ok(Value::Float(acc.to_f64()))
}

fn add1f(a: &[Value]) -> Result<Value, FuncError> {
    arity("add1f", a, 1)?;
    decimal_fold(&a[0], &[Value::Int(1)], |x, y| Ok(x.add(y)))
}

fn addf(a: &[Value]) -> Result<Value, FuncError> {
    decimal_fold(&Value::Float(0.0), a, |x, y| Ok(x.add(y)))
}

fn subf(a: &[Value]) -> Result<Value, FuncError> {
    arity_min("subf", a, 1)?;
    decimal_fold(&a[0], &a[1..], |x, y| Ok(x.sub(y)))
}

fn mulf(a: &[Value]) -> Result<Value, FuncError> {
    arity_min("mulf", a, 1)?;
    decimal_fold(&a[0], &a[1..], |x, y| Ok(x.mul(y)))
}

fn divf(a: &[Value]) -> Result<Value, FuncError> {
    arity_min("divf", a, 1)?;
    decimal_fold(&a[0], &a[1..], |x, y| {
        x.div(y)
            .ok_or_else(|| FuncError::Call("decimal division by 0".into()))
    })
}

/// Sprig's `untilStep`: empty when the step points away from `stop` or is zero.
fn step_range(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, FuncError> {
    let mut out = Vec::new();
    let mut i = start;
    let ok = |i: i64| if stop < start { i > stop } else { i < stop };
    if (stop < start && step >= 0) || (stop >= start && step <= 0) {
        return Ok(out);
    }
    while ok(i) {
        if out.len() >= MAX_SEQUENCE {
            return Err(FuncError::Call(format!(
                "sequence longer than {MAX_SEQUENCE} elements"
            )));
        }
        out.push(i);
        match i.checked_add(step) {
            Some(n) => i = n,
            None => break,
        }
    }
    Ok(out)
}

/// A Go `[]int` result.
fn ints(items: Vec<i64>) -> Value {
    Value::ints(items)
}

fn until(a: &[Value]) -> Result<Value, FuncError> {
    arity("until", a, 1)?;
    let n = args::int(&a[0])?;
    Ok(ints(step_range(0, n, if n < 0 { -1 } else { 1 })?))
}

fn until_step(a: &[Value]) -> Result<Value, FuncError> {
    arity("untilStep", a, 3)?;
    let start = args::int(&a[0])?;
    let stop = args::int(&a[1])?;
    let step = args::int(&a[2])?;
    Ok(ints(step_range(start, stop, step)?))
}

/// `seq`: like GNU seq, returning the numbers as one space-separated string.
fn seq(a: &[Value]) -> Result<Value, FuncError> {
    let p: Vec<i64> = a.iter().map(args::int).collect::<Result<_, _>>()?;
    let numbers = match p.as_slice() {
        [end] => {
            let inc = if *end < 1 { -1 } else { 1 };
            step_range(1, end + inc, inc)?
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            step_range(*start, end + step, step)?
        }
        [start, step, end] => {
            let inc = if end < start { -1 } else { 1 };
            if end < start && *step > 0 {
                Vec::new()
            } else {
                step_range(*start, end + inc, *step)?
            }
        }
        _ => Vec::new(),
    };
    let text: Vec<String> = numbers.iter().map(i64::to_string).collect();
    Ok(Value::from(text.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call, call_err};

    #[test]
    fn integer_math_matches_helm() {
        let got: Vec<String> = [
            "add 1.9 1.9",
            "add \"3\" \"4\"",
            "div 7 2",
            "div -7 2",
            "mod -7 3",
            "max 1.9 1.2",
            "min 3 1 2",
            "mul 2 3 4",
            "add1 \"x\"",
            "sub 1 3",
            "add",
            "biggest 1 5",
        ]
        .iter()
        .map(|e| call(e))
        .collect();
        assert_eq!(got.join(" "), "2 7 3 -3 -1 1 1 24 1 -2 0 5");
        assert_eq!(call_err("div 1 0"), "runtime error: integer divide by zero");
        assert_eq!(call_err("randInt 5 5"), "invalid argument to Intn");
        let r: i64 = call("randInt 3 5").parse().expect("int");
        assert!((3..5).contains(&r));
    }

    #[test]
    fn float_math_matches_helm() {
        let got: Vec<String> = [
            "addf 1.1 2.2",
            "subf 1 0.9",
            "mulf 1.1 3",
            "divf 1 3",
            "divf 2 3",
            "divf -2 3",
            "add1f 0.1",
            "addf",
            "divf 1e300 1e-300",
            "mulf 1e200 1e200",
        ]
        .iter()
        .map(|e| call(e))
        .collect();
        assert_eq!(
            got.join(" "),
            "3.3 0.1 3.3 0.3333333333333333 0.6666666666666667 -0.6666666666666667 1.1 0 +Inf +Inf"
        );
        assert_eq!(call_err("divf 1 0"), "decimal division by 0");
        let got: Vec<String> = [
            "round 1.2345 2",
            "round 2.5 0",
            "round -1.5 0",
            "round 1.25 1 0.3",
            "floor 1.5",
            "ceil \"1.2\"",
            "maxf 1 2.5",
            "minf 1 \"x\"",
        ]
        .iter()
        .map(|e| call(e))
        .collect();
        assert_eq!(got.join(" "), "1.23 3 -2 1.3 1 2 2.5 0");
    }

    #[test]
    fn sequences_match_helm() {
        let got: Vec<String> = [
            "until 3",
            "until -3",
            "untilStep 0 10 3",
            "untilStep 10 0 -3",
            "untilStep 0 10 -1",
            "seq 3",
            "seq 2 5",
            "seq 5 2",
            "seq 0 2 10",
            "seq 10 -3 1",
            "seq 0",
            "seq",
            "seq 1 2 3 4",
            "seq 5 1 2",
        ]
        .iter()
        .map(|e| call(e))
        .collect();
        assert_eq!(
            got.join("|"),
            "[0 1 2]|[0 -1 -2]|[0 3 6 9]|[10 7 4 1]|[]|1 2 3|2 3 4 5|5 4 3 2|0 2 4 6 8 10|10 7 4 1|1 0|||"
        );
    }
}
