//! Conformance against helm v4.1.4: `testdata/helm4.tsv` holds one expression per line
//! and what `helm4 template` printed for `{{ printf "%v" (EXPR) }}` (or `ERR: message`
//! for a failed call), recorded by running helm; it is never regenerated from rstack.
//! Cases whose Go output is not valid UTF-8 (`trunc 2 "héllo"` cuts `é` in half) are
//! left out: a Rust string cannot hold them, so rstack prints U+FFFD there.

use super::gotime::{self, Loc};
use super::testing::eval;
use crate::chart::template::format::format_value;

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Known differences, each with its reason. Go's `map[string]string` has no `Value`
/// variant: it prints the same but its `typeOf` reads `map[string]interface {}` here.
const KNOWN_DEVIATIONS: &[&str] = &[
    "typeOf (split \",\" \"a\")",
    // Go's map order is random; rstack returns keys and values in key order.
    "values (dict \"b\" 2 \"a\" 1 \"c\" 3)",
    "keys (dict \"b\" 2 \"a\" 1) (dict \"a\" 1)",
    // Non-UTF-8 strings are kept as []byte (see args::string_bytes).
    "typeOf (b64dec \"//79\")",
    "kindOf (b64dec \"//79\")",
    // Go prints the private fields of the time.Time struct here.
    "printf \"%d\" (toDate \"2006-01-02\" \"2024-01-01\")",
];

/// Lines that print the current date (Sprig formats `time.Now()` when given something
/// that is not a time): helm's recorded line holds the day it was recorded, so the test
/// expects today's date, in UTC like the recording.
const TODAY_IN_UTC: &[&str] = &["htmlDate \"x\""];

/// Lines whose output depends on the local time zone (recorded with `TZ=UTC`).
fn uses_local_zone(expr: &str) -> bool {
    expr.starts_with("date ")
        || expr.starts_with("htmlDate ")
        || expr.starts_with("toDate ")
        || expr.starts_with("unixEpoch (toDate")
}

#[test]
fn sprig_functions_match_helm4() {
    let local_is_utc =
        gotime::local().lookup(0) == (0, "UTC".to_string()) || gotime::local() == Loc::Utc;
    let data = include_str!("testdata/helm4.tsv");
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in data.lines() {
        let Some((expr, expected)) = line.split_once('\t') else {
            continue;
        };
        if KNOWN_DEVIATIONS.contains(&expr) || (!local_is_utc && uses_local_zone(expr)) {
            continue;
        }
        let expected = if TODAY_IN_UTC.contains(&expr) {
            chrono::Utc::now().format("%Y-%m-%d").to_string()
        } else {
            unescape(expected)
        };
        let got = match eval(expr) {
            Ok(v) => format_value(&v),
            Err(e) => format!("ERR: {e}"),
        };
        checked += 1;
        if got != expected {
            failures.push(format!("{expr}\n   helm4: {expected:?}\n  rstack: {got:?}"));
        }
    }
    assert!(checked > 300, "only {checked} cases checked");
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
