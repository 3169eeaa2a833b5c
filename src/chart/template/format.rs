//! Go's `fmt` over [`Value`]: `Sprint`, `Sprintln`, `Sprintf` and the default `%v` layout.
//!
//! Helm prints every action result with `fmt.Fprint`, and `print`/`printf`/`quote`/`toString`
//! all go through `fmt`, so output bytes depend on Go's exact rules (HELM-SEMANTICS.md §1.9):
//! the shortest-`%g` float layout (`1e+06`), `map[a:1 b:2]`, verbs applied element-wise to
//! lists and maps, and the `%!d(float64=1)` family of in-band errors. This mirrors
//! `fmt/print.go` and `fmt/format.go`; only what a template can reach is modelled.

use std::fmt::Write as _;

use crate::chart::values::Value;

/// `fmt.Sprint`: operands concatenated, with a space between two operands when neither
/// is a string.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    let mut prev_string = false;
    for (i, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, Value::String(_));
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        write_value(&mut out, arg);
        prev_string = is_string;
    }
    out
}

/// `fmt.Sprintln`: operands always separated by spaces, plus a trailing newline.
pub fn sprintln(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        write_value(&mut out, arg);
    }
    out.push('\n');
    out
}

/// Go's `%v` of one value: what `{{ x }}` prints for a non-missing value.
pub fn format_value(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v);
    out
}

/// Appends the `%v` form of `v` to `out`.
pub fn write_value(out: &mut String, v: &Value) {
    // The common case, and `%v` of a string is the string itself.
    if let Value::String(text) = v {
        out.push_str(text);
        return;
    }
    Printer {
        out,
        spec: Spec::default(),
    }
    .print(v, 'v', 0);
}

/// Go's shortest `%g` of a float64 (`1e+06`, `0.1`, `-0`), the layout of `%v`.
pub fn format_float(f: f64) -> String {
    let mut out = String::new();
    Printer {
        out: &mut out,
        spec: Spec::default(),
    }
    .float(f, 'g', None);
    out
}

/// Go's `strconv.Quote`: double-quoted with Go escapes, printable Unicode kept.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    quote_into(&mut out, s.as_bytes(), '"', false);
    out
}

/// Go's `strconv.Quote` of raw bytes: invalid UTF-8 becomes `\xNN`.
pub fn quote_bytes(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len() + 2);
    quote_into(&mut out, b, '"', false);
    out
}

/// `fmt.Sprintf` with Go's verbs, flags, width, precision and `[n]` argument indexes.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let bytes = format.as_bytes();
    let end = bytes.len();
    let mut arg_num = 0usize;
    let mut reordered = false;
    let mut i = 0usize;
    while i < end {
        let start = i;
        while i < end && bytes[i] != b'%' {
            i += 1;
        }
        out.push_str(&format[start..i]);
        if i >= end {
            break;
        }
        i += 1; // the '%'
        let mut spec = Spec::default();
        let mut good_arg_num = true;
        while i < end {
            match bytes[i] {
                b'#' => spec.sharp = true,
                b'0' => spec.zero = !spec.minus,
                b'+' => spec.plus = true,
                b'-' => {
                    spec.minus = true;
                    spec.zero = false;
                }
                b' ' => spec.space = true,
                _ => break,
            }
            i += 1;
        }
        let (n, ni, mut after_index) = arg_number(
            arg_num,
            format,
            i,
            args.len(),
            &mut reordered,
            &mut good_arg_num,
        );
        arg_num = n;
        i = ni;
        if i < end && bytes[i] == b'*' {
            i += 1;
            let (w, ok, n) = int_from_arg(args, arg_num);
            arg_num = n;
            if ok {
                spec.width = Some(w.unsigned_abs() as usize);
                if w < 0 {
                    spec.minus = true;
                    spec.zero = false;
                }
            } else {
                out.push_str("%!(BADWIDTH)");
            }
            after_index = false;
        } else {
            let (w, ni) = parse_num(bytes, i, end);
            i = ni;
            spec.width = w;
            if after_index && w.is_some() {
                good_arg_num = false;
            }
        }
        if i + 1 < end && bytes[i] == b'.' {
            i += 1;
            if after_index {
                good_arg_num = false;
            }
            let (n, ni, ai) = arg_number(
                arg_num,
                format,
                i,
                args.len(),
                &mut reordered,
                &mut good_arg_num,
            );
            arg_num = n;
            i = ni;
            after_index = ai;
            if i < end && bytes[i] == b'*' {
                i += 1;
                let (p, ok, n) = int_from_arg(args, arg_num);
                arg_num = n;
                // A negative precision argument is as bad as a missing one.
                spec.prec = if ok && p >= 0 { Some(p as usize) } else { None };
                if spec.prec.is_none() {
                    out.push_str("%!(BADPREC)");
                }
                after_index = false;
            } else {
                let (p, ni) = parse_num(bytes, i, end);
                i = ni;
                spec.prec = Some(p.unwrap_or(0));
            }
        }
        if !after_index {
            let (n, ni, _) = arg_number(
                arg_num,
                format,
                i,
                args.len(),
                &mut reordered,
                &mut good_arg_num,
            );
            arg_num = n;
            i = ni;
        }
        if i >= end {
            out.push_str("%!(NOVERB)");
            break;
        }
        let verb = format[i..].chars().next().unwrap_or('?');
        i += verb.len_utf8();
        if verb == '%' {
            out.push('%');
        } else if !good_arg_num {
            let _ = write!(out, "%!{verb}(BADINDEX)");
        } else if arg_num >= args.len() {
            let _ = write!(out, "%!{verb}(MISSING)");
        } else {
            if verb == 'v' {
                spec.sharp_v = spec.sharp;
                spec.sharp = false;
                spec.plus = false;
            }
            Printer {
                out: &mut out,
                spec,
            }
            .print_arg(&args[arg_num], verb);
            arg_num += 1;
        }
    }
    if !reordered && arg_num < args.len() {
        out.push_str("%!(EXTRA ");
        for (k, arg) in args[arg_num..].iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            if arg.is_nil() {
                out.push_str("<nil>");
            } else {
                out.push_str(arg.type_name());
                out.push('=');
                write_value(&mut out, arg);
            }
        }
        out.push(')');
    }
    out
}

/// Parses `[n]` at `i` (Go's `argNumber`): a valid index moves the argument cursor.
fn arg_number(
    arg_num: usize,
    format: &str,
    i: usize,
    num_args: usize,
    reordered: &mut bool,
    good: &mut bool,
) -> (usize, usize, bool) {
    let bytes = format.as_bytes();
    if i >= bytes.len() || bytes[i] != b'[' {
        return (arg_num, i, false);
    }
    *reordered = true;
    let rest = &bytes[i..];
    // (index, consumed, ok) as Go's parseArgNumber.
    let (index, wid, ok) = if rest.len() < 3 {
        (0i64, 1usize, false)
    } else {
        match rest.iter().position(|&b| b == b']') {
            Some(close) => {
                let (n, ni) = parse_num(rest, 1, close);
                match n {
                    Some(n) if ni == close => (n as i64 - 1, close + 1, true),
                    _ => (0, close + 1, false),
                }
            }
            None => (0, 1, false),
        }
    };
    if ok && index >= 0 && (index as usize) < num_args {
        return (index as usize, i + wid, true);
    }
    *good = false;
    (arg_num, i + wid, ok)
}

/// Go's `parsenum`: decimal digits, `None` when absent or absurdly large.
fn parse_num(bytes: &[u8], mut i: usize, end: usize) -> (Option<usize>, usize) {
    let start = i;
    let mut n: usize = 0;
    let mut too_large = false;
    while i < end && bytes[i].is_ascii_digit() {
        if n > 1_000_000 {
            too_large = true;
        }
        n = n
            .saturating_mul(10)
            .saturating_add((bytes[i] - b'0') as usize);
        i += 1;
    }
    if i == start || too_large {
        return (None, i);
    }
    (Some(n), i)
}

/// Go's `intFromArg` for `*` widths: only integer arguments count.
fn int_from_arg(args: &[Value], arg_num: usize) -> (i64, bool, usize) {
    match args.get(arg_num) {
        Some(Value::Int(n) | Value::Int64(n)) => {
            let ok = (-1_000_000..=1_000_000).contains(n);
            (if ok { *n } else { 0 }, ok, arg_num + 1)
        }
        Some(_) => (0, false, arg_num + 1),
        None => (0, false, arg_num),
    }
}

/// One verb's flags, width and precision (Go's `fmtFlags` plus `wid`/`prec`).
#[derive(Clone, Copy, Debug, Default)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    sharp_v: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// Writes one operand under one verb (Go's `pp.printArg`/`printValue`).
struct Printer<'a> {
    out: &'a mut String,
    spec: Spec,
}

impl Printer<'_> {
    fn print_arg(&mut self, v: &Value, verb: char) {
        match verb {
            'T' => {
                let name = v.type_name().to_string();
                self.pad_str(&name);
            }
            'p' => self.bad_verb(v, verb),
            _ => self.print(v, verb, 0),
        }
    }

    fn print(&mut self, v: &Value, verb: char, depth: usize) {
        if verb == 'v' && self.spec.sharp_v {
            return self.go_syntax(v, depth);
        }
        match v {
            Value::Nil => {
                if depth > 0 || verb == 'v' {
                    self.pad_str("<nil>");
                } else {
                    self.bad_verb(v, verb);
                }
            }
            Value::Bool(b) => match verb {
                't' | 'v' => self.pad_str(if *b { "true" } else { "false" }),
                _ => self.bad_verb(v, verb),
            },
            Value::Int(n) | Value::Int64(n) => self.integer(v, *n as u64, *n < 0, verb),
            Value::Uint8(n) => self.integer(v, u64::from(*n), false, verb),
            Value::Uint64(n) => self.integer(v, *n, false, verb),
            Value::Float(f) => match verb {
                'v' => self.float(*f, 'g', self.spec.prec),
                'b' | 'g' | 'G' | 'x' | 'X' => self.float(*f, verb, self.spec.prec),
                'f' | 'F' | 'e' | 'E' => {
                    let prec = self.spec.prec.or(Some(6));
                    self.float(*f, if verb == 'F' { 'f' } else { verb }, prec)
                }
                _ => self.bad_verb(v, verb),
            },
            Value::String(s) => self.string(v, s.as_bytes(), verb),
            Value::Bytes(b) => match verb {
                's' | 'q' | 'x' | 'X' => self.string(v, b, verb),
                _ => {
                    self.out.push('[');
                    for (i, byte) in b.iter().enumerate() {
                        if i > 0 {
                            self.out.push(' ');
                        }
                        let n = i64::from(*byte);
                        self.integer(
                            &Value::Int(n),
                            n as u64,
                            false,
                            if verb == 'v' { 'd' } else { verb },
                        );
                    }
                    self.out.push(']');
                }
            },
            Value::List(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    self.print(item, verb, depth + 1);
                }
                self.out.push(']');
            }
            Value::Map(m) => {
                self.out.push_str("map[");
                for (i, (k, item)) in m.iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    self.string(&Value::Nil, k.as_bytes(), verb);
                    self.out.push(':');
                    self.print(item, verb, depth + 1);
                }
                self.out.push(']');
            }
            Value::Object(o) => match verb {
                'v' | 's' | 'q' | 'x' | 'X' => {
                    let text = o.format();
                    self.string(v, text.as_bytes(), verb)
                }
                _ => self.bad_verb(v, verb),
            },
        }
    }

    /// `%#v`: Go-syntax representation (`[]interface {}{1, "a"}`, `map[string]interface
    /// {}{"k":1}`, quoted strings; a nil element of a slice or map is `interface {}(nil)`).
    fn go_syntax(&mut self, v: &Value, depth: usize) {
        match v {
            Value::Nil if depth > 0 => self.out.push_str("interface {}(nil)"),
            Value::Uint8(n) => {
                let _ = write!(self.out, "{n:#x}");
            }
            Value::Uint64(n) => {
                let _ = write!(self.out, "{n:#x}");
            }
            Value::Nil => self.pad_str("<nil>"),
            Value::String(s) => {
                let q = quote(s);
                self.pad_str(&q);
            }
            Value::Bytes(b) => {
                self.out.push_str("[]byte{");
                for (i, byte) in b.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    let _ = write!(self.out, "{byte:#x}");
                }
                self.out.push('}');
            }
            Value::List(items) if items.is_nil() => {
                let _ = write!(self.out, "{}(nil)", v.type_name());
            }
            Value::List(items) => {
                self.out.push_str(v.type_name());
                self.out.push('{');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.go_syntax(item, depth + 1);
                }
                self.out.push('}');
            }
            Value::Map(m) => {
                self.out.push_str("map[string]interface {}{");
                for (i, (k, item)) in m.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.out.push_str(&quote(k));
                    self.out.push(':');
                    self.go_syntax(item, depth + 1);
                }
                self.out.push('}');
            }
            Value::Object(o) => {
                let text = o.format();
                self.pad_str(&text);
            }
            other => {
                let saved = self.spec.sharp_v;
                self.spec.sharp_v = false;
                self.print(other, 'v', depth);
                self.spec.sharp_v = saved;
            }
        }
    }

    /// `%!verb(type=value)`, keeping the current width/flags for the value as Go does.
    fn bad_verb(&mut self, v: &Value, verb: char) {
        let _ = write!(self.out, "%!{verb}(");
        if v.is_nil() {
            self.out.push_str("<nil>");
        } else {
            self.out.push_str(v.type_name());
            self.out.push('=');
            let saved = self.spec;
            self.spec.sharp_v = false;
            self.print(v, 'v', 0);
            self.spec = saved;
        }
        self.out.push(')');
    }

    /// Pads `s` to the width (rune count), left with spaces/zeros or right with spaces.
    fn pad_str(&mut self, s: &str) {
        let Some(width) = self.spec.width else {
            self.out.push_str(s);
            return;
        };
        let n = s.chars().count();
        if n >= width {
            self.out.push_str(s);
            return;
        }
        let fill = width - n;
        if self.spec.minus {
            self.out.push_str(s);
            self.out.extend(std::iter::repeat_n(' ', fill));
        } else {
            let c = if self.spec.zero { '0' } else { ' ' };
            self.out.extend(std::iter::repeat_n(c, fill));
            self.out.push_str(s);
        }
    }

    /// Go's `fmtString`/`fmtBytes` for string-like operands (`origin` for bad verbs).
    fn string(&mut self, origin: &Value, b: &[u8], verb: char) {
        match verb {
            'v' | 's' => {
                let text = String::from_utf8_lossy(b);
                let text = self.truncate(&text);
                self.pad_str(&text);
            }
            'x' | 'X' => self.hex_bytes(b, verb == 'X'),
            'q' => {
                let text = String::from_utf8_lossy(b);
                let text = self.truncate(&text);
                let bytes = text.as_bytes();
                let mut q = String::new();
                if self.spec.sharp && can_backquote(bytes) {
                    q.push('`');
                    q.push_str(&text);
                    q.push('`');
                } else {
                    quote_into(&mut q, bytes, '"', self.spec.plus);
                }
                self.pad_str(&q);
            }
            _ => {
                if origin.is_nil() {
                    let s = Value::String(String::from_utf8_lossy(b).into());
                    self.bad_verb(&s, verb)
                } else {
                    self.bad_verb(origin, verb)
                }
            }
        }
    }

    /// Precision on strings counts runes.
    fn truncate(&self, s: &str) -> String {
        match self.spec.prec {
            Some(p) => s.chars().take(p).collect(),
            None => s.to_string(),
        }
    }

    /// Go's `fmtSbx`: hex of bytes, optionally space separated and `0x` prefixed.
    fn hex_bytes(&mut self, b: &[u8], upper: bool) {
        let b = match self.spec.prec {
            Some(p) if p < b.len() => &b[..p],
            _ => b,
        };
        let digits: &[u8; 16] = if upper {
            b"0123456789ABCDEF"
        } else {
            b"0123456789abcdef"
        };
        let mut s = String::new();
        if b.is_empty() {
            // Go pads an empty operand to the width with spaces only.
            let saved = self.spec.zero;
            self.spec.zero = false;
            self.pad_str("");
            self.spec.zero = saved;
            return;
        }
        let x = if upper { 'X' } else { 'x' };
        for (i, byte) in b.iter().enumerate() {
            if self.spec.space && i > 0 {
                s.push(' ');
            }
            if self.spec.sharp && (self.spec.space || i == 0) {
                s.push('0');
                s.push(x);
            }
            s.push(digits[(byte >> 4) as usize] as char);
            s.push(digits[(byte & 15) as usize] as char);
        }
        self.pad_str(&s);
    }

    /// Go's `fmtInteger` and its verb dispatch (`%d %b %o %O %x %X %c %q %U`).
    fn integer(&mut self, origin: &Value, bits: u64, negative: bool, verb: char) {
        let (base, upper) = match verb {
            'v' | 'd' => (10, false),
            'b' => (2, false),
            'o' | 'O' => (8, false),
            'x' => (16, false),
            'X' => (16, true),
            'c' => {
                let c = char::from_u32(bits as u32).filter(|_| !negative && bits <= 0x10FFFF);
                let s = c.unwrap_or('\u{FFFD}').to_string();
                return self.pad_str(&s);
            }
            'q' => {
                let c = char::from_u32(bits as u32).filter(|_| !negative && bits <= 0x10FFFF);
                let c = c.unwrap_or('\u{FFFD}');
                let mut q = String::new();
                if self.spec.sharp && c != '\'' && c != '`' && is_print(c) {
                    q.push('\'');
                    q.push(c);
                    q.push('\'');
                } else {
                    let mut buf = [0u8; 4];
                    quote_into(
                        &mut q,
                        c.encode_utf8(&mut buf).as_bytes(),
                        '\'',
                        self.spec.plus,
                    );
                }
                return self.pad_str(&q);
            }
            'U' => {
                let mut s = format!("U+{bits:04X}");
                if let Some(p) = self.spec.prec
                    && p > 4
                {
                    s = format!("U+{bits:0p$X}");
                }
                if self.spec.sharp
                    && let Some(c) = char::from_u32(bits as u32)
                    && is_print(c)
                {
                    let _ = write!(s, " '{c}'");
                }
                let saved = self.spec.zero;
                self.spec.zero = false;
                self.pad_str(&s);
                self.spec.zero = saved;
                return;
            }
            _ => return self.bad_verb(origin, verb),
        };
        let magnitude = if negative {
            (bits as i64).unsigned_abs()
        } else {
            bits
        };
        let mut digits = match base {
            2 => format!("{magnitude:b}"),
            8 => format!("{magnitude:o}"),
            16 if upper => format!("{magnitude:X}"),
            16 => format!("{magnitude:x}"),
            _ => magnitude.to_string(),
        };
        let spec = self.spec;
        let sign_len = usize::from(negative || spec.plus || spec.space);
        let min_digits = match spec.prec {
            Some(0) if magnitude == 0 => {
                // "%.0d" of zero prints nothing but the padding.
                let saved = self.spec.zero;
                self.spec.zero = false;
                self.pad_str("");
                self.spec.zero = saved;
                return;
            }
            Some(p) => p,
            None if spec.zero && !spec.minus && spec.width.is_some() => {
                spec.width.unwrap_or(0).saturating_sub(sign_len)
            }
            None => 0,
        };
        if digits.len() < min_digits {
            digits = "0".repeat(min_digits - digits.len()) + &digits;
        }
        let mut prefix = String::new();
        if negative {
            prefix.push('-');
        } else if spec.plus {
            prefix.push('+');
        } else if spec.space {
            prefix.push(' ');
        }
        if verb == 'O' {
            prefix.push_str("0o");
        }
        if spec.sharp {
            match base {
                2 => prefix.push_str("0b"),
                8 if !digits.starts_with('0') => prefix.push('0'),
                16 => prefix.push_str(if upper { "0X" } else { "0x" }),
                _ => {}
            }
        }
        let s = prefix + &digits;
        let saved = self.spec.zero;
        self.spec.zero = false;
        self.pad_str(&s);
        self.spec.zero = saved;
    }

    /// Go's `fmtFloat`: `verb` is one of `b e E f g G x X`; `prec` `None` = shortest.
    fn float(&mut self, f: f64, verb: char, prec: Option<usize>) {
        let spec = self.spec;
        let body = if f.is_nan() {
            "NaN".to_string()
        } else if f.is_infinite() {
            "Inf".to_string()
        } else {
            match verb {
                'e' | 'E' => {
                    let d = Digits::rounded(f.abs(), prec.map_or(usize::MAX, |p| p + 1));
                    fmt_e(&d, prec.unwrap_or(d.digits.len().saturating_sub(1)), verb)
                }
                'f' => match prec {
                    Some(p) => format!("{:.*}", p, f.abs()),
                    None => {
                        let d = Digits::shortest(f.abs());
                        fmt_f(&d, d.digits.len().saturating_sub(d.dp.max(0) as usize))
                    }
                },
                'g' | 'G' => fmt_g(f.abs(), prec, if verb == 'G' { 'E' } else { 'e' }),
                'b' => fmt_b(f),
                _ => fmt_x(f.abs(), prec, verb == 'X'),
            }
        };
        let body = if spec.sharp && verb != 'b' && f.is_finite() {
            let digits = match verb {
                'g' | 'G' | 'x' | 'X' => prec.unwrap_or(6),
                _ => 0,
            };
            sharpen(&body, verb, digits)
        } else {
            body
        };
        let negative = f.is_sign_negative() && !f.is_nan();
        let sign = if negative {
            "-"
        } else if spec.plus || f.is_infinite() {
            "+"
        } else if spec.space {
            " "
        } else {
            ""
        };
        // NaN and infinities are never zero padded; NaN only shows a sign when asked.
        if f.is_nan() || f.is_infinite() {
            let sign = if f.is_nan() && !spec.plus && !spec.space {
                ""
            } else if f.is_nan() {
                if spec.plus { "+" } else { " " }
            } else if negative {
                "-"
            } else if spec.space && !spec.plus {
                " "
            } else {
                "+"
            };
            let saved = self.spec.zero;
            self.spec.zero = false;
            self.pad_str(&format!("{sign}{body}"));
            self.spec.zero = saved;
            return;
        }
        let body = if verb == 'b' {
            body.trim_start_matches('-').to_string()
        } else {
            body
        };
        if spec.zero
            && !spec.minus
            && !sign.is_empty()
            && let Some(w) = spec.width
            && w > body.len() + 1
        {
            self.out.push_str(sign);
            self.out
                .extend(std::iter::repeat_n('0', w - body.len() - 1));
            self.out.push_str(&body);
            return;
        }
        self.pad_str(&format!("{sign}{body}"));
    }
}

/// Decimal digits of a non-negative float: value = 0.d1d2d3… × 10^dp (strconv's `decimal`).
struct Digits {
    digits: Vec<u8>,
    dp: i32,
}

impl Digits {
    /// The shortest digits that round-trip (Rust and Go agree on them).
    fn shortest(f: f64) -> Digits {
        Digits::parse_exp(&format!("{f:e}"))
    }

    /// Digits correctly rounded to `n` significant digits (`usize::MAX` = shortest).
    fn rounded(f: f64, n: usize) -> Digits {
        if n == usize::MAX {
            return Digits::shortest(f);
        }
        Digits::parse_exp(&format!("{:.*e}", n.saturating_sub(1), f))
    }

    /// Parses Rust's `{:e}` output (`1.2345e6`, `0e0`).
    fn parse_exp(s: &str) -> Digits {
        let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
        Digits {
            digits,
            dp: exp + 1,
        }
    }

    fn trim_zeros(mut self) -> Digits {
        while self.digits.len() > 1 && self.digits.last() == Some(&b'0') {
            self.digits.pop();
        }
        self
    }

    fn is_zero(&self) -> bool {
        self.digits.iter().all(|&d| d == b'0')
    }
}

/// `%e` layout: `d.ddddde±XX` with `prec` fraction digits.
fn fmt_e(d: &Digits, prec: usize, e: char) -> String {
    let mut s = String::new();
    s.push(d.digits.first().map_or('0', |&c| c as char));
    if prec > 0 {
        s.push('.');
        for i in 1..=prec {
            s.push(d.digits.get(i).map_or('0', |&c| c as char));
        }
    }
    s.push(e);
    let exp = if d.is_zero() { 0 } else { d.dp - 1 };
    s.push(if exp < 0 { '-' } else { '+' });
    let a = exp.unsigned_abs();
    if a < 10 {
        s.push('0');
    }
    let _ = write!(s, "{a}");
    s
}

/// `%f` layout from digits with `prec` fraction digits (digits already rounded).
fn fmt_f(d: &Digits, prec: usize) -> String {
    let mut s = String::new();
    if d.dp > 0 {
        for i in 0..d.dp as usize {
            s.push(d.digits.get(i).map_or('0', |&c| c as char));
        }
    } else {
        s.push('0');
    }
    if prec > 0 {
        s.push('.');
        for i in 0..prec {
            let j = d.dp as i64 + i as i64;
            let c = if j < 0 {
                b'0'
            } else {
                d.digits.get(j as usize).copied().unwrap_or(b'0')
            };
            s.push(c as char);
        }
    }
    s
}

/// fmt's `#` flag on floats: always a decimal point, and for `%g`/`%x` trailing zeros
/// up to `digits` significant digits.
fn sharpen(body: &str, verb: char, digits: usize) -> String {
    let mut digits = digits as i64;
    let (mut num, mut tail) = (String::new(), String::new());
    let mut has_point = false;
    let mut saw_nonzero = false;
    for (i, c) in body.char_indices() {
        match c {
            '.' => {
                has_point = true;
                num.push(c);
            }
            'p' | 'P' => {
                tail = body[i..].to_string();
                break;
            }
            'e' | 'E' if verb != 'x' && verb != 'X' => {
                tail = body[i..].to_string();
                break;
            }
            _ => {
                if c != '0' {
                    saw_nonzero = true;
                }
                if saw_nonzero {
                    digits -= 1;
                }
                num.push(c);
            }
        }
    }
    if !has_point {
        if num == "0" {
            digits -= 1;
        }
        num.push('.');
    }
    while digits > 0 {
        num.push('0');
        digits -= 1;
    }
    num + &tail
}

/// strconv's `%g`: shortest (prec `None`) or `prec` significant digits.
fn fmt_g(f: f64, prec: Option<usize>, e: char) -> String {
    let (d, mut prec, eprec) = match prec {
        None => {
            let d = Digits::shortest(f);
            let n = if d.is_zero() { 0 } else { d.digits.len() };
            (d, n, 6)
        }
        Some(p) => {
            let p = p.max(1);
            let d = Digits::rounded(f, p).trim_zeros();
            let nd = if d.is_zero() { 0 } else { d.digits.len() };
            let mut eprec = p;
            if eprec > nd && nd as i32 >= d.dp {
                eprec = nd;
            }
            (d, p, eprec)
        }
    };
    let nd = if d.is_zero() { 0 } else { d.digits.len() };
    let dp = if d.is_zero() { 0 } else { d.dp };
    let exp = dp - 1;
    if exp < -4 || exp >= eprec as i32 {
        if prec > nd {
            prec = nd;
        }
        return fmt_e(&d, prec.saturating_sub(1), e);
    }
    if prec as i32 > dp {
        prec = nd;
    }
    let z = Digits {
        digits: if nd == 0 {
            vec![b'0']
        } else {
            d.digits.clone()
        },
        dp,
    };
    let z = if nd == 0 {
        Digits {
            digits: vec![b'0'],
            dp: 1,
        }
    } else {
        z
    };
    fmt_f(&z, (prec as i32 - dp).max(0) as usize)
}

/// `%b` of a float: decimal mantissa and binary exponent (`4503599627370496p-52`).
fn fmt_b(f: f64) -> String {
    let bits = f.to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        exp += 1;
    } else {
        mant |= 1u64 << 52;
    }
    exp -= 1023 + 52;
    format!("{mant}p{}{exp}", if exp >= 0 { "+" } else { "" })
}

/// `%x` of a float: hexadecimal mantissa and binary exponent (`0x1.8p+00`).
fn fmt_x(f: f64, prec: Option<usize>, upper: bool) -> String {
    let bits = f.to_bits();
    let raw_exp = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    let mut exp;
    if f == 0.0 {
        mant = 0;
        exp = 0;
    } else if raw_exp == 0 {
        // Subnormal: normalise so the leading bit is bit 52.
        exp = -1022;
        while mant & (1u64 << 52) == 0 {
            mant <<= 1;
            exp -= 1;
        }
        mant &= (1u64 << 52) - 1;
    } else {
        exp = raw_exp - 1023;
    }
    let mut lead = if f == 0.0 { 0u64 } else { 1 };
    // 52 fraction bits = 13 hex digits.
    let mut frac = mant;
    let mut ndigits = 13usize;
    if let Some(p) = prec
        && p < 13
    {
        let shift = 4 * (13 - p) as u32;
        let rem = frac & ((1u64 << shift) - 1);
        frac >>= shift;
        let half = 1u64 << (shift - 1);
        if rem > half || (rem == half && frac & 1 == 1) {
            frac += 1;
            if frac >> (4 * p as u32) != 0 {
                frac = 0;
                lead += 1;
                if lead == 2 {
                    lead = 1;
                    exp += 1;
                }
            }
        }
        ndigits = p;
    }
    let mut hex = if ndigits == 0 {
        String::new()
    } else {
        format!("{frac:0ndigits$x}")
    };
    match prec {
        None => {
            while hex.ends_with('0') {
                hex.pop();
            }
        }
        Some(p) if p > 13 => hex.extend(std::iter::repeat_n('0', p - 13)),
        _ => {}
    }
    let mut s = format!("0x{lead}");
    if !hex.is_empty() {
        s.push('.');
        s.push_str(&hex);
    }
    let _ = write!(
        s,
        "p{}{:02}",
        if exp >= 0 { '+' } else { '-' },
        exp.unsigned_abs()
    );
    if upper { s.to_uppercase() } else { s }
}

/// Go's `strconv.CanBackquote`.
fn can_backquote(b: &[u8]) -> bool {
    match std::str::from_utf8(b) {
        Ok(s) => s
            .chars()
            .all(|c| c != '`' && c != '\u{FEFF}' && (c == '\t' || !c.is_control())),
        Err(_) => false,
    }
}

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII
/// space. Everything else (controls, format characters, other spaces, private use,
/// unassigned code points) is escaped by `%q`.
pub fn is_print(c: char) -> bool {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    if c == ' ' {
        return true;
    }
    !matches!(
        get_general_category(c),
        G::Control
            | G::Format
            | G::LineSeparator
            | G::ParagraphSeparator
            | G::PrivateUse
            | G::SpaceSeparator
            | G::Surrogate
            | G::Unassigned
    )
}

/// strconv's quoting of `b` with delimiter `q` (`"` or `'`); `ascii` = `QuoteToASCII`.
fn quote_into(out: &mut String, b: &[u8], q: char, ascii: bool) {
    out.push(q);
    let mut rest = b;
    while !rest.is_empty() {
        let (c, width) = match std::str::from_utf8(&rest[..rest.len().min(4)]) {
            Ok(s) => match s.chars().next() {
                Some(c) => (Some(c), c.len_utf8()),
                None => (None, 1),
            },
            Err(e) if e.valid_up_to() > 0 => {
                let s = std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or("");
                match s.chars().next() {
                    Some(c) => (Some(c), c.len_utf8()),
                    None => (None, 1),
                }
            }
            Err(_) => (None, 1),
        };
        let Some(c) = c else {
            let _ = write!(out, "\\x{:02x}", rest[0]);
            rest = &rest[1..];
            continue;
        };
        rest = &rest[width..];
        if c == q || c == '\\' {
            out.push('\\');
            out.push(c);
            continue;
        }
        if ascii {
            if (c as u32) < 0x80 && is_print(c) {
                out.push(c);
                continue;
            }
        } else if is_print(c) {
            out.push(c);
            continue;
        }
        match c {
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push(q);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::values::Map;

    fn s(x: &str) -> Value {
        Value::from(x)
    }

    #[test]
    fn float_layout_matches_go_shortest_g() {
        let cases = [
            (1.0, "1"),
            (3.0, "3"),
            (1.5, "1.5"),
            (0.1, "0.1"),
            (123456.0, "123456"),
            (1000000.0, "1e+06"),
            (1234567.0, "1.234567e+06"),
            (100000.5, "100000.5"),
            (123456789.5, "1.234567895e+08"),
            (12345678901.0, "1.2345678901e+10"),
            (100000000.0, "1e+08"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1e21, "1e+21"),
            (1e100, "1e+100"),
            (-0.0, "-0"),
            (0.0, "0"),
        ];
        for (f, want) in cases {
            assert_eq!(format_float(f), want, "{f}");
        }
    }

    #[test]
    fn composite_values() {
        let mut m = Map::new();
        m.insert("b".into(), Value::Float(2.0));
        m.insert("a".into(), Value::Int(1));
        assert_eq!(format_value(&Value::map(m)), "map[a:1 b:2]");
        let l = Value::list(vec![Value::Float(1.0), s("a"), Value::Nil]);
        assert_eq!(format_value(&l), "[1 a <nil>]");
        assert_eq!(
            format_value(&Value::Bytes(b"k=v".as_slice().into())),
            "[107 61 118]"
        );
        assert_eq!(format_value(&Value::empty_map()), "map[]");
    }

    #[test]
    fn sprint_spacing() {
        let args = [s("a"), Value::Int(1), Value::Int(2), s("b")];
        assert_eq!(sprint(&args), "a1 2b");
        assert_eq!(sprintln(&args), "a 1 2 b\n");
        assert_eq!(sprint(&[Value::Nil, Value::Nil]), "<nil> <nil>");
    }

    #[test]
    fn printf_matches_helm() {
        // Expectations recorded from helm4 (see module tests in funcs for more).
        let args = [
            s("ab"),
            Value::Int(3),
            Value::Int(-3),
            Value::Float(2.5),
            Value::Float(3.5),
            Value::Float(0.25),
            Value::Float(1.5),
            s("a\x01é\u{a0}"),
            Value::list(vec![Value::Int(1), s("a"), Value::Nil]),
            Value::list(vec![s("a"), Value::Float(1.0)]),
        ];
        assert_eq!(
            sprintf("%05s|%-05d|%05d|%.0f %.0f %.1f|%x|%q|%v|%d", &args),
            "000ab|3    |-0003|2 4 0.2|0x1.8p+00|\"a\\x01é\\u00a0\"|[1 a <nil>]|[%!d(string=a) %!d(float64=1)]"
        );
    }

    #[test]
    fn printf_errors() {
        assert_eq!(sprintf("%d", &[Value::Float(1.0)]), "%!d(float64=1)");
        assert_eq!(sprintf("%s %s", &[s("a")]), "a %!s(MISSING)");
        assert_eq!(sprintf("%s", &[s("a"), s("x")]), "a%!(EXTRA string=x)");
        assert_eq!(sprintf("%s", &[Value::Nil]), "%!s(<nil>)");
        assert_eq!(sprintf("%[3]v", &[s("a")]), "%!v(BADINDEX)");
        assert_eq!(sprintf("%[2]v %[1]v", &[s("a"), s("b")]), "b a");
        assert_eq!(sprintf("100%%", &[]), "100%");
        assert_eq!(sprintf("%", &[]), "%!(NOVERB)");
        assert_eq!(
            sprintf("%T %T", &[Value::Nil, Value::Float(1.0)]),
            "<nil> float64"
        );
    }

    #[test]
    fn printf_numbers() {
        let f = |fmt: &str, v: Value| sprintf(fmt, &[v]);
        assert_eq!(f("%.2f", Value::Float(1.23456)), "1.23");
        assert_eq!(f("%8.3f", Value::Float(-1.23456)), "  -1.235");
        assert_eq!(f("%08.3f", Value::Float(-1.23456)), "-001.235");
        assert_eq!(f("%+d", Value::Int(5)), "+5");
        assert_eq!(f("%x", Value::Int(255)), "ff");
        assert_eq!(f("%#x", Value::Int(255)), "0xff");
        assert_eq!(f("%X", Value::Int(-255)), "-FF");
        assert_eq!(f("%o", Value::Int(8)), "10");
        assert_eq!(f("%#o", Value::Int(8)), "010");
        assert_eq!(f("%O", Value::Int(8)), "0o10");
        assert_eq!(f("%b", Value::Int(5)), "101");
        assert_eq!(f("%c", Value::Int(65)), "A");
        assert_eq!(f("%q", Value::Int(65)), "'A'");
        assert_eq!(f("%U", Value::Int(65)), "U+0041");
        assert_eq!(f("%e", Value::Float(1234.5678)), "1.234568e+03");
        assert_eq!(f("%E", Value::Float(0.0)), "0.000000E+00");
        assert_eq!(f("%g", Value::Float(1e6)), "1e+06");
        assert_eq!(f("%.3g", Value::Float(1234.5678)), "1.23e+03");
        assert_eq!(f("%.3g", Value::Float(100.0)), "100");
        assert_eq!(f("%.2g", Value::Float(100.0)), "1e+02");
        assert_eq!(f("%f", Value::Float(1e6)), "1000000.000000");
        assert_eq!(f("%5.1f|", Value::Float(2.25)), "  2.2|");
        assert_eq!(f("%t", Value::Bool(true)), "true");
        assert_eq!(f("%5t|", Value::Int(1)), "%!t(int=    1)|");
        assert_eq!(f("%b", Value::Float(1.0)), "4503599627370496p-52");
    }

    #[test]
    fn printf_strings() {
        let f = |fmt: &str, v: Value| sprintf(fmt, &[v]);
        assert_eq!(f("%-5s|", s("ab")), "ab   |");
        assert_eq!(f("%5s|", s("ab")), "   ab|");
        assert_eq!(f("%.2s", s("héllo")), "hé");
        assert_eq!(f("%q", s("a\"b\\c\n")), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(f("%x", s("hi")), "6869");
        assert_eq!(f("% x", s("hi")), "68 69");
        assert_eq!(f("%#v", s("hi")), "\"hi\"");
        let list = Value::list(vec![Value::Int(1), s("a"), Value::Nil]);
        assert_eq!(
            f("%#v", list),
            "[]interface {}{1, \"a\", interface {}(nil)}"
        );
        let mut m = crate::chart::values::Map::new();
        m.insert("k".into(), Value::Int(1));
        assert_eq!(f("%#v", Value::map(m)), "map[string]interface {}{\"k\":1}");
        assert_eq!(f("%q", Value::list(vec![s("a"), s("b")])), "[\"a\" \"b\"]");
    }
}
