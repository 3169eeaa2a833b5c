//! Sprig's `urlParse`/`urlJoin` over a port of the parts of Go's `net/url` they use
//! (`url.Parse` and `URL.String`), plus Helm's `getHostByName` stub.

use super::args::{self, arity};
use super::reflection::kind_name;
use super::{Func, FuncError};
use crate::chart::template::format;
use crate::chart::values::{Map, Value};

pub const FUNCS: &[(&str, Func)] = &[
    ("urlParse", url_parse),
    ("urlJoin", url_join),
    ("getHostByName", get_host_by_name),
];

/// Go's `net/url` escaping contexts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    UserPassword,
    Fragment,
}

/// Go's `shouldEscape`.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if mode == Mode::Host
        && matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => {
            return match mode {
                Mode::Path => c == b'?',
                Mode::UserPassword => matches!(c, b'@' | b'/' | b'?' | b':'),
                Mode::Fragment => false,
                Mode::Host => true,
            };
        }
        _ => {}
    }
    !(mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*'))
}

/// Go's `escape` (never the query-component mode here).
fn escape(s: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if should_escape(b, mode) {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(char::from(b));
        }
    }
    out
}

/// Go's `unescape`, with its `EscapeError`/`InvalidHostError` messages.
fn unescape(s: &str, mode: Mode) -> Result<String, String> {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let (Some(h), Some(l)) = (
                    b.get(i + 1).and_then(|&c| hex(c)),
                    b.get(i + 2).and_then(|&c| hex(c)),
                ) else {
                    let bad = &s[i..(i + 3).min(s.len())];
                    return Err(format!("invalid URL escape {}", format::quote(bad)));
                };
                if mode == Mode::Host && h < 8 && &s[i..i + 3] != "%25" {
                    return Err(format!(
                        "invalid URL escape {}",
                        format::quote(&s[i..i + 3])
                    ));
                }
                out.push(h << 4 | l);
                i += 3;
            }
            c => {
                if mode == Mode::Host && c < 0x80 && should_escape(c, mode) {
                    return Err(format!(
                        "invalid character {} in host name",
                        format::quote(&s[i..i + 1])
                    ));
                }
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Go's `url.Userinfo`: user name and optional password.
type UserInfo = Option<(String, Option<String>)>;

/// The fields of Go's `url.URL` that Sprig reads or writes.
#[derive(Default)]
struct Url {
    scheme: String,
    opaque: String,
    user: UserInfo,
    host: String,
    path: String,
    omit_host: bool,
    force_query: bool,
    raw_query: String,
    fragment: String,
}

fn valid_optional_port(port: &str) -> bool {
    port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// Go's `getScheme`.
fn get_scheme(raw: &str) -> Result<(&str, &str), String> {
    for (i, c) in raw.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return Err("missing protocol scheme".into()),
            b':' => return Ok((&raw[..i], &raw[i + 1..])),
            _ => return Ok(("", raw)),
        }
    }
    Ok(("", raw))
}

fn parse_host(host: &str) -> Result<String, String> {
    if host.starts_with('[') {
        let Some(i) = host.rfind(']') else {
            return Err("missing ']' in host".into());
        };
        let port = &host[i + 1..];
        if !valid_optional_port(port) {
            return Err(format!("invalid port {} after host", format::quote(port)));
        }
    } else if let Some(i) = host.rfind(':') {
        let port = &host[i..];
        if !valid_optional_port(port) {
            return Err(format!("invalid port {} after host", format::quote(port)));
        }
    }
    unescape(host, Mode::Host)
}

fn parse_authority(authority: &str) -> Result<(UserInfo, String), String> {
    let at = authority.rfind('@');
    let host = parse_host(at.map_or(authority, |i| &authority[i + 1..]))?;
    let Some(i) = at else {
        return Ok((None, host));
    };
    let userinfo = &authority[..i];
    let valid = userinfo
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&c));
    if !valid {
        return Err("net/url: invalid userinfo".into());
    }
    let user = match userinfo.split_once(':') {
        None => (unescape(userinfo, Mode::UserPassword)?, None),
        Some((u, p)) => (
            unescape(u, Mode::UserPassword)?,
            Some(unescape(p, Mode::UserPassword)?),
        ),
    };
    Ok((Some(user), host))
}

/// Go's `url.parse(rawURL, viaRequest=false)`.
fn parse_ref(raw: &str) -> Result<Url, String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let mut url = Url::default();
    if raw == "*" {
        url.path = "*".into();
        return Ok(url);
    }
    let (scheme, mut rest) = get_scheme(raw)?;
    url.scheme = scheme.to_ascii_lowercase();
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        url.force_query = true;
        rest = &rest[..rest.len() - 1];
    } else if let Some((r, q)) = rest.split_once('?') {
        url.raw_query = q.to_string();
        rest = r;
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            url.opaque = rest.to_string();
            return Ok(url);
        }
        if rest.split('/').next().is_some_and(|seg| seg.contains(':')) {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let authority = &rest[2..];
        let (authority, path) = match authority.find('/') {
            Some(i) => (&authority[..i], &authority[i..]),
            None => (authority, ""),
        };
        let (user, host) = parse_authority(authority)?;
        url.user = user;
        url.host = host;
        rest = path;
    } else if !url.scheme.is_empty() && rest.starts_with('/') {
        url.omit_host = true;
    }
    url.path = unescape(rest, Mode::Path)?;
    Ok(url)
}

/// Go's `url.Parse`, with its `parse "<url>": <reason>` error text.
fn parse(raw: &str) -> Result<Url, String> {
    let (base, frag) = match raw.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (raw, None),
    };
    let mut url = parse_ref(base).map_err(|e| format!("parse {}: {e}", format::quote(base)))?;
    if let Some(f) = frag {
        url.fragment = unescape(f, Mode::Fragment)
            .map_err(|e| format!("parse {}: {e}", format::quote(raw)))?;
    }
    Ok(url)
}

impl Url {
    /// Go's `URL.Hostname`.
    fn hostname(&self) -> String {
        let mut host = self.host.as_str();
        if let Some(colon) = host.rfind(':')
            && valid_optional_port(&host[colon..])
        {
            host = &host[..colon];
        }
        if host.starts_with('[') && host.ends_with(']') && host.len() >= 2 {
            host = &host[1..host.len() - 1];
        }
        host.to_string()
    }

    /// Go's `Userinfo.String`.
    fn userinfo(&self) -> Option<String> {
        self.user.as_ref().map(|(u, p)| {
            let mut s = escape(u, Mode::UserPassword);
            if let Some(p) = p {
                s.push(':');
                s.push_str(&escape(p, Mode::UserPassword));
            }
            s
        })
    }

    /// Go's `URL.String`.
    fn to_url_string(&self) -> String {
        let mut out = String::new();
        if !self.scheme.is_empty() {
            out.push_str(&self.scheme);
            out.push(':');
        }
        if !self.opaque.is_empty() {
            out.push_str(&self.opaque);
        } else {
            let has_user = self.user.is_some();
            let any_authority = !self.scheme.is_empty() || !self.host.is_empty() || has_user;
            let omit = self.omit_host && self.host.is_empty() && !has_user;
            if any_authority && !omit {
                if !self.host.is_empty() || !self.path.is_empty() || has_user {
                    out.push_str("//");
                }
                if let Some(u) = self.userinfo() {
                    out.push_str(&u);
                    out.push('@');
                }
                out.push_str(&escape(&self.host, Mode::Host));
            }
            let path = if self.path == "*" {
                "*".to_string()
            } else {
                escape(&self.path, Mode::Path)
            };
            if !path.is_empty() && !path.starts_with('/') && !self.host.is_empty() {
                out.push('/');
            }
            if out.is_empty() && path.split('/').next().is_some_and(|s| s.contains(':')) {
                out.push_str("./");
            }
            out.push_str(&path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            out.push('?');
            out.push_str(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            out.push('#');
            out.push_str(&escape(&self.fragment, Mode::Fragment));
        }
        out
    }
}

fn url_parse(a: &[Value]) -> Result<Value, FuncError> {
    arity("urlParse", a, 1)?;
    let url = parse(args::string(&a[0])?)
        .map_err(|e| FuncError::Call(format!("unable to parse url: {e}")))?;
    let mut m = Map::new();
    m.insert("scheme".into(), Value::from(url.scheme.as_str()));
    m.insert("host".into(), Value::from(url.host.as_str()));
    m.insert("hostname".into(), Value::from(url.hostname()));
    m.insert("path".into(), Value::from(url.path.as_str()));
    m.insert("query".into(), Value::from(url.raw_query.as_str()));
    m.insert("opaque".into(), Value::from(url.opaque.as_str()));
    m.insert("fragment".into(), Value::from(url.fragment.as_str()));
    m.insert(
        "userinfo".into(),
        Value::from(url.userinfo().unwrap_or_default()),
    );
    Ok(Value::map(m))
}

/// Sprig's `dictGetOrEmpty`: a present key must hold a string.
fn dict_string(d: &Map, key: &str) -> Result<String, FuncError> {
    match d.get(key) {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.to_string()),
        Some(Value::Nil) => Err(FuncError::Call(
            "runtime error: invalid memory address or nil pointer dereference".into(),
        )),
        Some(other) => Err(FuncError::Call(format!(
            "unable to parse {key} key, must be of type string, but {} found",
            kind_name(other)
        ))),
    }
}

fn url_join(a: &[Value]) -> Result<Value, FuncError> {
    arity("urlJoin", a, 1)?;
    let empty = Map::new();
    let d = args::map(&a[0])?.unwrap_or(&empty);
    let mut url = Url {
        scheme: dict_string(d, "scheme")?,
        host: dict_string(d, "host")?,
        path: dict_string(d, "path")?,
        raw_query: dict_string(d, "query")?,
        opaque: dict_string(d, "opaque")?,
        fragment: dict_string(d, "fragment")?,
        ..Url::default()
    };
    let userinfo = dict_string(d, "userinfo")?;
    if !userinfo.is_empty() {
        let parsed = parse(&format!("proto://{userinfo}@host"))
            .map_err(|e| FuncError::Call(format!("unable to parse userinfo in dict: {e}")))?;
        url.user = parsed.user;
    }
    Ok(Value::from(url.to_url_string()))
}

/// Whether `getHostByName` looks names up (`helm template --enable-dns`); off, it gives
/// an empty string, as helm's stub does. Process-wide: it is a command-line switch of
/// the one render `rstack chart template` makes.
static DNS_ENABLED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Turns `getHostByName` lookups on for the rest of the process.
pub fn enable_dns() {
    DNS_ENABLED.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Helm replaces Sprig's DNS lookup with a stub that returns an empty string unless
/// `--enable-dns` is given. Enabled, Sprig returns one of the name's addresses at random,
/// and a name that does not resolve makes `rand.Intn(0)` panic, which the template
/// reports as the call's error.
fn get_host_by_name(a: &[Value]) -> Result<Value, FuncError> {
    arity("getHostByName", a, 1)?;
    let name = args::string(&a[0])?;
    if !DNS_ENABLED.load(std::sync::atomic::Ordering::Relaxed) {
        return Ok(Value::from(""));
    }
    use std::net::ToSocketAddrs;
    let addrs: Vec<String> = (name, 0)
        .to_socket_addrs()
        .map(|found| found.map(|a| a.ip().to_string()).collect())
        .unwrap_or_default();
    if addrs.is_empty() {
        return Err(FuncError::Call("invalid argument to Intn".into()));
    }
    let pick = rand::random_range(0..addrs.len());
    Ok(Value::from(addrs[pick].as_str()))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{call, call_err};

    #[test]
    fn url_parse_matches_helm() {
        assert_eq!(
            call(r#"urlParse "https://user:p%40ss@example.com:8080/a%20b/c?x=1&y=2#frag%21""#),
            "map[fragment:frag! host:example.com:8080 hostname:example.com opaque: path:/a b/c query:x=1&y=2 scheme:https userinfo:user:p%40ss]"
        );
        assert_eq!(
            call(r#"urlParse "mailto:joe@example.com""#),
            "map[fragment: host: hostname: opaque:joe@example.com path: query: scheme:mailto userinfo:]"
        );
        assert_eq!(
            call(r#"urlParse "/just/path?q""#),
            "map[fragment: host: hostname: opaque: path:/just/path query:q scheme: userinfo:]"
        );
        assert_eq!(
            call(r#"urlParse "http://[::1]:80/x""#),
            "map[fragment: host:[::1]:80 hostname:::1 opaque: path:/x query: scheme:http userinfo:]"
        );
        assert_eq!(
            call(r#"urlParse "http://u@h""#),
            "map[fragment: host:h hostname:h opaque: path: query: scheme:http userinfo:u]"
        );
        assert_eq!(
            call_err(r#"urlParse "%zz""#),
            r#"unable to parse url: parse "%zz": invalid URL escape "%zz""#
        );
    }

    #[test]
    fn url_join_matches_helm() {
        assert_eq!(
            call(
                r#"urlJoin (dict "scheme" "https" "host" "example.com" "path" "/a b" "query" "x=1" "fragment" "f g" "userinfo" "u:p@x")"#
            ),
            "https://u:p%40x@example.com/a%20b?x=1#f%20g"
        );
        assert_eq!(call(r#"urlJoin (dict "path" "a:b")"#), "./a:b");
        assert_eq!(
            call(r#"urlJoin (dict "scheme" "file" "path" "/tmp")"#),
            "file:///tmp"
        );
        assert_eq!(
            call(r#"urlJoin (dict "opaque" "joe@x" "scheme" "mailto")"#),
            "mailto:joe@x"
        );
        assert_eq!(call(r#"urlJoin (dict "host" "h" "path" "p")"#), "//h/p");
        assert_eq!(call(r#"urlJoin (dict)"#), "");
        assert_eq!(
            call_err(r#"urlJoin (dict "host" 1)"#),
            "unable to parse host key, must be of type string, but int found"
        );
        assert_eq!(call(r#"getHostByName "example.com""#), "");
    }
}
