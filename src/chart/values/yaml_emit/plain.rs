//! Which strings go-yaml may write without quotes: those that read back as strings
//! under its YAML 1.1 resolver (`resolve.go`), which the encoder (`stringv`) checks.

use super::Dialect;
use crate::yaml::{Resolved, resolve_plain};

/// Whether go-yaml writes `s` unquoted: it must read back as a string (not null, bool,
/// number or timestamp under YAML 1.1) and not look like a base-60 float (`1:20`).
pub(super) fn plain_reads_as_string(s: &str, dialect: Dialect) -> bool {
    if s.is_empty() || is_prefixed_signed_int(s, dialect) {
        return false;
    }
    let resolved_str = resolve_plain(s) == Resolved::Str;
    resolved_str && !is_timestamp(s) && !is_base60_float(s)
}

/// go-yaml's fallback integer rule after Go's own parse failed: `0b` followed by a
/// signed binary number (`0b-1`, `_` ignored) is an integer, and in v3 `0o` followed by
/// a signed octal one too.
fn is_prefixed_signed_int(s: &str, dialect: Dialect) -> bool {
    // Only text starting with a digit or sign reaches go-yaml's number rules.
    if !s.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-') {
        return false;
    }
    let plain = s.replace('_', "");
    let (digits, radix) = if let Some(rest) = plain.strip_prefix("0b") {
        (rest, 2)
    } else if let Some(rest) = plain.strip_prefix("0o").filter(|_| dialect == Dialect::V3) {
        (rest, 8)
    } else {
        return false;
    };
    i64::from_str_radix(digits, radix).is_ok() || u64::from_str_radix(digits, radix).is_ok()
}

/// go-yaml's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        // `[0-5]?[0-9]`: one digit, or two when the first is 0-5.
        match (b.get(i), b.get(i + 1)) {
            (Some(b'0'..=b'5'), Some(d)) if d.is_ascii_digit() => i += 2,
            (Some(c), _) if c.is_ascii_digit() => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// go-yaml's `parseTimestamp`: `YYYY-M-D`, optionally followed by `T`/`t`/space and
/// `h:m:s[.frac]`, with a `Z`/`±hh:mm` zone after `T`/`t` (Go `time.Parse` layouts
/// `2006-1-2T15:4:5.999999999Z07:00`, `2006-1-2 15:4:5.999999999`, `2006-1-2`).
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let year: u32 = s[..4].parse().unwrap_or(0);
    let mut i = 5;
    // Go's `getnum(s, false)`: one or two digits.
    let num = |i: &mut usize| -> Option<u32> {
        let d0 = *b.get(*i).filter(|c| c.is_ascii_digit())?;
        *i += 1;
        let mut n = u32::from(d0 - b'0');
        if let Some(d1) = b.get(*i).filter(|c| c.is_ascii_digit()) {
            n = n * 10 + u32::from(d1 - b'0');
            *i += 1;
        }
        Some(n)
    };
    let Some(month) = num(&mut i) else {
        return false;
    };
    if b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    let Some(day) = num(&mut i) else { return false };
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(month, year) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let zoned = match b[i] {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    i += 1;
    let Some(hour) = num(&mut i) else {
        return false;
    };
    if b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    let Some(minute) = num(&mut i) else {
        return false;
    };
    if b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    let Some(second) = num(&mut i) else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    if matches!(b.get(i), Some(b'.' | b',')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if !zoned {
        return i == b.len();
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            let zone = &b[i + 1..];
            zone.len() == 5
                && zone[2] == b':'
                && [0, 1, 3, 4].iter().all(|&k| zone[k].is_ascii_digit())
                && (zone[0] - b'0') * 10 + (zone[1] - b'0') <= 24
                && (zone[3] - b'0') * 10 + (zone[4] - b'0') <= 60
        }
        _ => false,
    }
}

fn days_in_month(month: u32, year: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}
