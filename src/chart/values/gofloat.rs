//! Go's `strconv.FormatFloat(f, fmt, -1, 64)`: the shortest decimal that reads back as the
//! same `float64`, laid out the way Go lays it out.
//!
//! Serialisers print numbers through this (`toJson`'s `1e+21`, `toYaml`'s `1.23456785e+07`,
//! `toToml`'s `1e+06`), so the layout rules must be Go's exactly: `'e'` always writes at
//! least two exponent digits with a sign, and `'g'` switches to the exponent form when the
//! decimal exponent is below -4 or at least 6 (Go uses precision 6 for that decision when
//! asked for the shortest form, see `strconv/ftoa.go`).

/// The layout letter passed to Go's `FormatFloat`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatFormat {
    /// `'e'`: `d.ddde±dd`.
    Exp,
    /// `'f'`: `ddd.ddd`, never an exponent.
    Fixed,
    /// `'g'`: `'e'` for large and small exponents, `'f'` otherwise.
    General,
}

/// Shortest round-trip digits of `|f|` and the position of the decimal point
/// (`digits = "15", point = 1` is `1.5`). Zero has no digits and point 0, like Go.
fn shortest_digits(f: f64) -> (Vec<u8>, i32) {
    if f == 0.0 {
        return (Vec::new(), 0);
    }
    // Rust's `{:e}` is the shortest representation that round-trips, as Go's is.
    let text = format!("{:e}", f.abs());
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    (digits, exp + 1)
}

/// Formats `f` like Go's `strconv.FormatFloat(f, fmt, -1, 64)`.
pub fn format_float(f: f64, fmt: FloatFormat) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let (digits, point) = shortest_digits(f);
    let mut out = String::new();
    if f.is_sign_negative() {
        out.push('-');
    }
    let use_exp = match fmt {
        FloatFormat::Exp => true,
        FloatFormat::Fixed => false,
        FloatFormat::General => {
            let exp = point - 1;
            !(-4..6).contains(&exp)
        }
    };
    if use_exp {
        write_exp(&mut out, &digits, point);
    } else {
        write_fixed(&mut out, &digits, point);
    }
    out
}

/// `d.ddde±dd` with every shortest digit after the point.
fn write_exp(out: &mut String, digits: &[u8], point: i32) {
    out.push(char::from(digits.first().copied().unwrap_or(b'0')));
    if digits.len() > 1 {
        out.push('.');
        out.extend(digits[1..].iter().map(|&d| char::from(d)));
    }
    let exp = if digits.is_empty() { 0 } else { point - 1 };
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let exp = exp.unsigned_abs();
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

/// `ddd.ddd` with as many decimals as the shortest digits need.
fn write_fixed(out: &mut String, digits: &[u8], point: i32) {
    let digit = |i: i32| -> char {
        usize::try_from(i)
            .ok()
            .and_then(|i| digits.get(i))
            .map_or('0', |&d| char::from(d))
    };
    if point > 0 {
        for i in 0..point {
            out.push(digit(i));
        }
    } else {
        out.push('0');
    }
    let decimals = (digits.len() as i32 - point).max(0);
    if decimals > 0 {
        out.push('.');
        for i in 0..decimals {
            out.push(digit(point + i));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FloatFormat::*;

    #[test]
    fn general_layout_matches_go() {
        assert_eq!(format_float(1000000.0, General), "1e+06");
        assert_eq!(format_float(123456.0, General), "123456");
        assert_eq!(format_float(12345678.5, General), "1.23456785e+07");
        assert_eq!(format_float(0.0001, General), "0.0001");
        assert_eq!(format_float(0.00001, General), "1e-05");
        assert_eq!(format_float(1.5, General), "1.5");
        assert_eq!(format_float(0.0, General), "0");
        assert_eq!(format_float(-0.0, General), "-0");
        assert_eq!(format_float(1e100, General), "1e+100");
        assert_eq!(format_float(f64::INFINITY, General), "+Inf");
    }

    #[test]
    fn fixed_and_exp_layouts() {
        assert_eq!(format_float(1e20, Fixed), "100000000000000000000");
        assert_eq!(format_float(0.000001, Fixed), "0.000001");
        assert_eq!(format_float(2.5, Fixed), "2.5");
        assert_eq!(format_float(1e21, Exp), "1e+21");
        assert_eq!(format_float(1e-7, Exp), "1e-07");
        assert_eq!(format_float(-1.25e-300, Exp), "-1.25e-300");
        assert_eq!(format_float(0.0, Exp), "0e+00");
    }
}
