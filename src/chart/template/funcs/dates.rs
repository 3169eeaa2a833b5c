//! Sprig's date functions (HELM-SEMANTICS.md §3.8) and the `time.Time` object templates
//! see. Formatting and parsing follow Go's layout strings (see `gotime.rs`); the local
//! zone is Go's (`TZ`).

use std::any::Any;
use std::sync::Arc;

use super::args::{self, arity};
use super::gotime::{self, GoTime};
use super::{Func, FuncError};
use crate::chart::values::{Object, Value};

pub const FUNCS: &[(&str, Func)] = &[
    ("now", now),
    ("date", date),
    ("dateInZone", call_date_in_zone),
    ("date_in_zone", call_date_in_zone_legacy),
    ("dateModify", call_date_modify),
    ("date_modify", call_date_modify_legacy),
    ("mustDateModify", call_must_date_modify),
    ("must_date_modify", call_must_date_modify_legacy),
    ("ago", ago),
    ("duration", duration),
    ("durationRound", duration_round),
    ("htmlDate", html_date),
    ("htmlDateInZone", html_date_in_zone),
    ("toDate", to_date),
    ("mustToDate", must_to_date),
    ("unixEpoch", unix_epoch),
];

super::named! {
    call_date_in_zone = date_in_zone("dateInZone");
    call_date_in_zone_legacy = date_in_zone("date_in_zone");
    call_date_modify = date_modify("dateModify");
    call_date_modify_legacy = date_modify("date_modify");
    call_must_date_modify = must_date_modify("mustDateModify");
    call_must_date_modify_legacy = must_date_modify("must_date_modify");
}

/// A Go `time.Time` as a template value.
#[derive(Debug)]
pub struct TimeObject(pub GoTime);

impl TimeObject {
    pub fn value(t: GoTime) -> Value {
        Value::Object(Arc::new(TimeObject(t)))
    }
}

impl Object for TimeObject {
    fn type_name(&self) -> &str {
        "time.Time"
    }

    fn field(&self, name: &str) -> Option<Value> {
        let t = &self.0;
        Some(match name {
            "Year" => Value::Int(t.year()),
            "Month" => Value::from(t.month_name()),
            "Weekday" => Value::from(t.weekday_name()),
            "Unix" => Value::Int64(t.unix),
            "UnixMilli" => Value::Int64((t.unix_nanos() / 1_000_000) as i64),
            "UnixMicro" => Value::Int64((t.unix_nanos() / 1_000) as i64),
            "UnixNano" => Value::Int64(t.unix_nanos() as i64),
            "IsZero" => Value::Bool(t.is_zero()),
            "String" => Value::from(t.to_go_string()),
            "UTC" => TimeObject::value(t.in_loc(gotime::Loc::Utc)),
            "Local" => TimeObject::value(t.in_loc(gotime::local())),
            other => Value::Int(t.field(other)?),
        })
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        match (name, args) {
            ("Format", [Value::String(layout)]) => Some(Ok(Value::from(self.0.format(layout)))),
            ("Format", _) => Some(Err("wrong type for value; expected string".into())),
            _ => self.field(name).map(Ok),
        }
    }

    fn format(&self) -> String {
        self.0.to_go_string()
    }

    fn to_data(&self) -> Value {
        Value::from(self.0.to_rfc3339_nano())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A `time.Time` parameter (Go rejects anything else before the call).
fn time_arg(v: &Value) -> Result<&GoTime, FuncError> {
    if let Value::Object(o) = v
        && let Some(t) = o.as_any().downcast_ref::<TimeObject>()
    {
        return Ok(&t.0);
    }
    Err(FuncError::Args(format!(
        "wrong type for value; expected time.Time; got {}",
        v.type_name()
    )))
}

/// Sprig's date argument: a time, or Unix seconds as a Go int/int64; anything else
/// (a float64 from values included) silently means "now".
fn date_value(v: &Value) -> GoTime {
    match v {
        Value::Object(o) => match o.as_any().downcast_ref::<TimeObject>() {
            Some(t) => t.0.clone(),
            None => GoTime::now(),
        },
        Value::Int(n) | Value::Int64(n) => GoTime::from_unix(*n),
        _ => GoTime::now(),
    }
}

/// Sprig's `dateInZone`: an unknown zone falls back to UTC.
fn format_in_zone(layout: &str, date: &Value, zone: &str) -> Value {
    let loc = gotime::load_location(zone).unwrap_or(gotime::Loc::Utc);
    Value::from(date_value(date).in_loc(loc).format(layout))
}

fn now(a: &[Value]) -> Result<Value, FuncError> {
    arity("now", a, 0)?;
    Ok(TimeObject::value(GoTime::now()))
}

fn date(a: &[Value]) -> Result<Value, FuncError> {
    arity("date", a, 2)?;
    Ok(format_in_zone(args::string(&a[0])?, &a[1], "Local"))
}

fn date_in_zone(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity(name, a, 3)?;
    let layout = args::string(&a[0])?;
    Ok(format_in_zone(layout, &a[1], args::string(&a[2])?))
}

fn html_date(a: &[Value]) -> Result<Value, FuncError> {
    arity("htmlDate", a, 1)?;
    Ok(format_in_zone("2006-01-02", &a[0], "Local"))
}

fn html_date_in_zone(a: &[Value]) -> Result<Value, FuncError> {
    arity("htmlDateInZone", a, 2)?;
    Ok(format_in_zone("2006-01-02", &a[0], args::string(&a[1])?))
}

/// `dateModify "-1.5h" t`: an unparsable duration leaves the time unchanged.
fn date_modify(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity(name, a, 2)?;
    let d = args::string(&a[0])?;
    let t = time_arg(&a[1])?;
    Ok(TimeObject::value(match gotime::parse_duration(d) {
        Ok(d) => t.add(d),
        Err(_) => t.clone(),
    }))
}

fn must_date_modify(name: &str, a: &[Value]) -> Result<Value, FuncError> {
    arity(name, a, 2)?;
    let d = gotime::parse_duration(args::string(&a[0])?).map_err(FuncError::Call)?;
    Ok(TimeObject::value(time_arg(&a[1])?.add(d)))
}

/// Nanoseconds from `t` to now.
fn since(t: &GoTime) -> i64 {
    let d = GoTime::now().unix_nanos() - t.unix_nanos();
    d.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// Go's `Duration.Round(time.Second)`: halves away from zero.
fn round_to_second(d: i64) -> i64 {
    let s = 1_000_000_000i64;
    let r = d % s;
    let base = d - r;
    if r.abs() * 2 >= s {
        base.saturating_add(if d < 0 { -s } else { s })
    } else {
        base
    }
}

fn ago(a: &[Value]) -> Result<Value, FuncError> {
    arity("ago", a, 1)?;
    let t = match &a[0] {
        Value::Object(_) | Value::Int(_) | Value::Int64(_) => date_value(&a[0]),
        _ => GoTime::now(),
    };
    Ok(Value::from(gotime::duration_string(round_to_second(
        since(&t),
    ))))
}

/// `duration secs`: a numeric string or an int64; anything else (a Go `int` too) is 0.
fn duration(a: &[Value]) -> Result<Value, FuncError> {
    arity("duration", a, 1)?;
    let n = match &a[0] {
        Value::String(s) => s.parse::<i64>().unwrap_or(0),
        Value::Int64(n) => *n,
        _ => 0,
    };
    Ok(Value::from(gotime::duration_string(
        n.wrapping_mul(1_000_000_000),
    )))
}

/// `durationRound d`: the coarsest whole unit (`y`, `mo`, `d`, `h`, `m`, `s`).
fn duration_round(a: &[Value]) -> Result<Value, FuncError> {
    arity("durationRound", a, 1)?;
    let d: i64 = match &a[0] {
        Value::String(s) => gotime::parse_duration(s).unwrap_or(0),
        Value::Int64(n) => *n,
        Value::Object(o) => match o.as_any().downcast_ref::<TimeObject>() {
            Some(t) => since(&t.0),
            None => 0,
        },
        _ => 0,
    };
    let u = d.unsigned_abs();
    const SECOND: u64 = 1_000_000_000;
    const MINUTE: u64 = 60 * SECOND;
    const HOUR: u64 = 60 * MINUTE;
    const DAY: u64 = 24 * HOUR;
    let units: [(u64, &str); 6] = [
        (365 * DAY, "y"),
        (30 * DAY, "mo"),
        (DAY, "d"),
        (HOUR, "h"),
        (MINUTE, "m"),
        (SECOND, "s"),
    ];
    let text = units.iter().find(|(size, _)| u > *size).map_or_else(
        || "0s".to_string(),
        |(size, unit)| format!("{}{unit}", u / size),
    );
    Ok(Value::from(text))
}

fn to_date(a: &[Value]) -> Result<Value, FuncError> {
    arity("toDate", a, 2)?;
    let (layout, s) = (args::string(&a[0])?, args::string(&a[1])?);
    Ok(TimeObject::value(
        gotime::parse(layout, s, &gotime::local()).unwrap_or_else(|_| GoTime::zero()),
    ))
}

fn must_to_date(a: &[Value]) -> Result<Value, FuncError> {
    arity("mustToDate", a, 2)?;
    let (layout, s) = (args::string(&a[0])?, args::string(&a[1])?);
    let t = gotime::parse(layout, s, &gotime::local()).map_err(FuncError::Call)?;
    Ok(TimeObject::value(t))
}

fn unix_epoch(a: &[Value]) -> Result<Value, FuncError> {
    arity("unixEpoch", a, 1)?;
    Ok(Value::from(time_arg(&a[0])?.unix.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call, call_err};

    // These run with whatever TZ the test process has; expectations use explicit zones
    // or UTC-parsed times so they hold in any zone except where noted.

    #[test]
    fn durations_match_helm() {
        let got: Vec<String> = [
            "duration 90",
            "duration \"90\"",
            "duration (int64 3601)",
            "duration \"x\"",
            "durationRound \"2h10m\"",
            "durationRound \"400h\"",
            "durationRound \"2400h\"",
            "durationRound \"9000h\"",
            "durationRound (int64 1500000000)",
            "durationRound \"1s\"",
            "durationRound \"-3m\"",
            "durationRound 5",
        ]
        .iter()
        .map(|e| call(e))
        .collect();
        assert_eq!(
            got.join("|"),
            "0s|1m30s|1h0m1s|0s|2h|16d|3mo|1y|1s|0s|3m|0s"
        );
    }

    #[test]
    fn dates_in_zones() {
        assert_eq!(
            call(
                r#"dateInZone "2006-01-02 15:04 MST" (toDate "2006-01-02T15:04Z07:00" "2024-07-01T00:00Z") "Europe/Paris""#
            ),
            "2024-07-01 02:00 CEST"
        );
        assert_eq!(call(r#"dateInZone "15:04 MST" 0 "Nope/Zone""#), "00:00 UTC");
        assert_eq!(call(r#"htmlDateInZone 0 "Asia/Tokyo""#), "1970-01-01");
        assert_eq!(call(r#"dateInZone "MST" 0 "Asia/Kolkata""#), "IST");
        assert_eq!(call(r#"dateInZone "MST" 0 "America/Sao_Paulo""#), "-03");
        assert_eq!(
            call(r#"unixEpoch (toDate "2006-01-02T15:04Z07:00" "2024-01-01T00:00Z")"#),
            "1704067200"
        );
        assert_eq!(
            call(r#"dateModify "-1.5h" (toDate "2006-01-02T15:04Z07:00" "2024-01-01T00:00Z")"#),
            "2023-12-31 22:30:00 +0000 UTC"
        );
        assert_eq!(call(r#"typeOf (now)"#), "time.Time");
        assert_eq!(call(r#"ago 1.5"#), "0s");
        assert!(call("now").contains(" m=+"));
        assert_eq!(
            call(r#"toDate "2006-01-02" "2024-13-01""#),
            "0001-01-01 00:00:00 +0000 UTC"
        );
    }

    #[test]
    fn date_errors() {
        assert_eq!(
            call_err(r#"mustToDate "2006-01-02" "x""#),
            r#"parsing time "x" as "2006-01-02": cannot parse "x" as "2006""#
        );
        assert_eq!(
            call_err(r#"mustDateModify "1d" (now)"#),
            r#"time: unknown unit "d" in duration "1d""#
        );
        assert_eq!(
            call_err(r#"dateModify "1h" "2024""#),
            "wrong type for value; expected time.Time; got string"
        );
    }
}
