//! Sprig's base64/base32 functions (HELM-SEMANTICS.md §3.6). Decoding failures are not
//! errors: Sprig returns the error text as the result, so the decoders mirror Go's
//! `encoding/base64` and `encoding/base32` exactly, including the reported offsets.

use base64::Engine as _;

use super::args::{self, arity};
use super::{Func, FuncError};
use crate::chart::values::Value;

pub const FUNCS: &[(&str, Func)] = &[
    ("b64enc", b64enc),
    ("b64dec", b64dec),
    ("b32enc", b32enc),
    ("b32dec", b32dec),
];

fn b64enc(a: &[Value]) -> Result<Value, FuncError> {
    arity("b64enc", a, 1)?;
    let s = args::string_bytes(&a[0])?;
    Ok(Value::from(
        base64::engine::general_purpose::STANDARD.encode(s),
    ))
}

fn b32enc(a: &[Value]) -> Result<Value, FuncError> {
    arity("b32enc", a, 1)?;
    let s = args::string_bytes(&a[0])?;
    Ok(Value::from(data_encoding::BASE32.encode(s)))
}

fn b64dec(a: &[Value]) -> Result<Value, FuncError> {
    arity("b64dec", a, 1)?;
    Ok(match decode_base64(args::string(&a[0])?.as_bytes()) {
        Ok(bytes) => args::text_value(bytes),
        Err(at) => Value::from(format!("illegal base64 data at input byte {at}")),
    })
}

fn b32dec(a: &[Value]) -> Result<Value, FuncError> {
    arity("b32dec", a, 1)?;
    Ok(match decode_base32(args::string(&a[0])?.as_bytes()) {
        Ok(bytes) => args::text_value(bytes),
        Err(at) => Value::from(format!("illegal base32 data at input byte {at}")),
    })
}

fn base64_value(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    })
}

/// Go's `base64.StdEncoding.DecodeString`: padded, `\r`/`\n` skipped anywhere; the
/// error is the offset Go reports.
pub fn decode_base64(src: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    let skip_newlines = |mut i: usize| {
        while i < src.len() && (src[i] == b'\n' || src[i] == b'\r') {
            i += 1;
        }
        i
    };
    loop {
        let mut buf = [0u8; 4];
        let mut dlen = 4;
        let mut j = 0;
        let mut end = false;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(si - j);
            }
            let c = src[si];
            si += 1;
            if let Some(v) = base64_value(c) {
                buf[j] = v;
                j += 1;
                continue;
            }
            if c == b'\n' || c == b'\r' {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            // Padding: only after two or three symbols, and it ends the input.
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    si = skip_newlines(si);
                    if si == src.len() {
                        return Err(src.len());
                    }
                    if src[si] != b'=' {
                        return Err(si - 1);
                    }
                    si += 1;
                }
                _ => {}
            }
            si = skip_newlines(si);
            if si < src.len() {
                return Err(si);
            }
            dlen = j;
            end = true;
            break;
        }
        let val = (u32::from(buf[0]) << 18)
            | (u32::from(buf[1]) << 12)
            | (u32::from(buf[2]) << 6)
            | u32::from(buf[3]);
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(&bytes[..dlen - 1]);
        if end {
            return Ok(out);
        }
    }
}

fn base32_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'2'..=b'7' => Some(c - b'2' + 26),
        _ => None,
    }
}

/// Go's `base32.StdEncoding.DecodeString`: newlines removed first, then 8-symbol
/// quanta with `=` padding; offsets refer to the input without newlines.
pub fn decode_base32(input: &[u8]) -> Result<Vec<u8>, usize> {
    let src: Vec<u8> = input
        .iter()
        .copied()
        .filter(|&c| c != b'\n' && c != b'\r')
        .collect();
    let olen = src.len();
    let mut rest: &[u8] = &src;
    let mut out = Vec::new();
    let mut end = false;
    while !rest.is_empty() && !end {
        let mut buf = [0u8; 8];
        let mut dlen = 8;
        let mut j = 0;
        while j < 8 {
            if rest.is_empty() {
                return Err(olen - rest.len() - j);
            }
            let c = rest[0];
            rest = &rest[1..];
            if c == b'=' && j >= 2 && rest.len() < 8 {
                if rest.len() + j < 8 - 1 {
                    return Err(olen);
                }
                for k in 0..8 - 1 - j {
                    if rest.len() > k && rest[k] != b'=' {
                        return Err(olen - rest.len() + k - 1);
                    }
                }
                dlen = j;
                end = true;
                if matches!(dlen, 1 | 3 | 6) {
                    return Err(olen - rest.len() - 1);
                }
                break;
            }
            match base32_value(c) {
                Some(v) => buf[j] = v,
                None => return Err(olen - rest.len() - 1),
            }
            j += 1;
        }
        let mut bits: u64 = 0;
        for v in buf {
            bits = (bits << 5) | u64::from(v);
        }
        let bytes = bits.to_be_bytes();
        let n = match dlen {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend_from_slice(&bytes[3..3 + n]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::testing::call;

    #[test]
    fn encodings_match_helm() {
        let got: Vec<String> = [
            r#"b64enc "hello""#,
            r#"b64dec "aGVsbG8=""#,
            r#"b64dec "aGVsbG8""#,
            r#"b64dec "aGVs\nbG8=""#,
            r#"b64dec "aGVsbG8=x""#,
            r#"b64dec "a===""#,
            r#"b32enc "hello""#,
            r#"b32dec "NBSWY3DP""#,
            r#"b32dec "NBSWY3D""#,
            r#"b32dec "NBSWY3DPx""#,
            r#"b64dec "aGVsbA==""#,
            r#"b64dec "aGVsbA=""#,
            r#"b32dec "NBSWY===""#,
            r#"b64dec "!!""#,
            r#"b32dec "!!""#,
        ]
        .iter()
        .map(|e| call(e))
        .collect();
        assert_eq!(
            got.join("|"),
            "aGVsbG8=|hello|illegal base64 data at input byte 4|hello|illegal base64 data at input byte 8|illegal base64 data at input byte 1|NBSWY3DP|hello|illegal base32 data at input byte 0|illegal base32 data at input byte 8|hell|illegal base64 data at input byte 7|hel|illegal base64 data at input byte 0|illegal base32 data at input byte 0"
        );
    }

    #[test]
    fn binary_data_round_trips() {
        // Not valid UTF-8: kept as bytes, so re-encoding gives the same text (Helm charts
        // do `.Files.Get "crds.bz2" | b64enc`).
        assert_eq!(call(r#"b64enc (b64dec "//79AA==")"#), "//79AA==");
        assert_eq!(call(r#"sha256sum (b64dec "//79AA==")"#).len(), 64);
        assert_eq!(call(r#"b32enc (b64dec "//79AA==")"#), "777P2AA=");
    }
}
