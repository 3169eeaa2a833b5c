//! Go objects Helm puts in a template's top-level data: `.Capabilities` (with `KubeVersion`,
//! `APIVersions`, `HelmVersion`) and `.Files`. HELM-SEMANTICS.md §2.3, §2.5.
//!
//! Each is a [`crate::chart::values::Object`]: fields and methods by Go name, Go's `%v`
//! printing (a struct prints `{a b}`, a `Stringer` prints its `String()`), and the data
//! `toYaml`/`toJson` see.

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine as _;

use super::format;
use crate::chart::model::FileData;
use crate::chart::values::{Map, Object, Value, yaml_emit};

/// `common.KubeVersion`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeVersion {
    /// As given, with a `v` prefix (`v1.29.3-gke.100`).
    pub version: String,
    /// Without pre-release or build suffix (`v1.29.3`); what `String()` prints.
    pub normalized: String,
    pub major: String,
    pub minor: String,
}

impl KubeVersion {
    /// Helm's `ParseKubeVersion`: Kubernetes' `ParseGeneric` (optional blanks and `v`,
    /// then at least `major.minor` of numbers, anything after them ignored; no leading
    /// zero in the major number). `Version` is the input as given with a `v` added, and
    /// `String()` the numbers only. Errors are Kubernetes' messages.
    pub fn parse(input: &str) -> Result<KubeVersion, String> {
        let trimmed = input.trim_start_matches(['\t', '\n', '\x0c', '\r', ' ']);
        let body = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let bytes = body.as_bytes();
        let digits = |from: usize| {
            bytes[from..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count()
        };
        let mut end = digits(0);
        // Go's `.` does not match a line break, so nothing after the numbers may hold one.
        if end == 0 || body[end..].contains('\n') {
            return Err(format!(
                "could not parse {} as version",
                format::quote(input)
            ));
        }
        while bytes.get(end) == Some(&b'.') && digits(end + 1) > 0 {
            end += 1 + digits(end + 1);
        }
        let parts: Vec<&str> = body[..end].split('.').collect();
        if parts.len() < 2 {
            return Err(format!("illegal version string {}", format::quote(input)));
        }
        if parts[0].len() > 1 && parts[0].starts_with('0') {
            return Err(format!(
                "illegal zero-prefixed version component {} in {}",
                format::quote(parts[0]),
                format::quote(input)
            ));
        }
        let nums = parts
            .iter()
            .map(|p| {
                p.parse::<u64>().map_err(|_| {
                    format!(
                        "illegal non-numeric version component {} in {}: strconv.ParseUint: parsing {}: value out of range",
                        format::quote(p),
                        format::quote(input),
                        format::quote(p)
                    )
                })
            })
            .collect::<Result<Vec<u64>, String>>()?;
        let normalized = format!(
            "v{}",
            nums.iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(".")
        );
        let version = if input.starts_with('v') {
            input.to_string()
        } else {
            format!("v{input}")
        };
        Ok(KubeVersion {
            version,
            normalized,
            major: nums[0].to_string(),
            minor: nums[1].to_string(),
        })
    }

    /// helm 4.1.4's default for `helm template`.
    pub fn default_v4() -> KubeVersion {
        KubeVersion {
            version: "v1.35.0".into(),
            normalized: "v1.35.0".into(),
            major: "1".into(),
            minor: "35".into(),
        }
    }

    fn data(&self) -> Value {
        Value::map(self.fields().into_iter().collect())
    }

    /// The struct's fields in declaration order (`encoding/json` keeps it).
    fn fields(&self) -> Vec<(String, Value)> {
        vec![
            ("Version".into(), Value::from(self.version.as_str())),
            ("Major".into(), Value::from(self.major.as_str())),
            ("Minor".into(), Value::from(self.minor.as_str())),
        ]
    }
}

impl Object for KubeVersion {
    fn type_name(&self) -> &str {
        "common.KubeVersion"
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(Value::from(match name {
            "Version" | "GitVersion" => self.version.as_str(),
            "Major" => self.major.as_str(),
            "Minor" => self.minor.as_str(),
            "String" => self.normalized.as_str(),
            _ => return None,
        }))
    }
    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        match (name, args) {
            ("String", []) => Some(Ok(Value::from(self.normalized.as_str()))),
            ("String", _) => Some(Err(format!(
                "wrong number of args for String: want 0 got {}",
                args.len()
            ))),
            _ => None,
        }
    }
    /// Passed by value (to `quote`, `print`...) Go prints the struct; the executor uses
    /// `String()` when the field is printed directly.
    fn format(&self) -> String {
        format!(
            "{{{} {} {} {}}}",
            self.version, self.normalized, self.major, self.minor
        )
    }
    fn to_data(&self) -> Value {
        self.data()
    }
    fn to_json_fields(&self) -> Option<Vec<(String, Value)>> {
        Some(self.fields())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A Go `complex128` (from a literal such as `1i` or `1+2i`); templates can only print,
/// compare and pass it around.
#[derive(Clone, Debug, PartialEq)]
pub struct Complex {
    pub re: f64,
    pub im: f64,
}

impl Object for Complex {
    fn type_name(&self) -> &str {
        "complex128"
    }
    fn kind(&self) -> &str {
        "complex128"
    }
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    /// Go's `%v`: `(re+imi)` with both parts in shortest `%g` form.
    fn format(&self) -> String {
        let im = format::format_float(self.im);
        let sign = if im.starts_with('-') || im.starts_with('+') {
            ""
        } else {
            "+"
        };
        format!("({}{sign}{im}i)", format::format_float(self.re))
    }
    fn to_data(&self) -> Value {
        Value::from(self.format())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A `common.Values` map seen by `printf`, so that `%T` can name Helm's type; every other
/// verb prints the map itself.
#[derive(Clone, Debug)]
pub struct ValuesView(pub Value);

impl Object for ValuesView {
    fn type_name(&self) -> &str {
        "common.Values"
    }
    fn kind(&self) -> &str {
        "map"
    }
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    fn format(&self) -> String {
        format::format_value(&self.0)
    }
    fn to_data(&self) -> Value {
        self.0.clone()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A nil Go map of a concrete type (`.Chart.Annotations` when Chart.yaml has none): prints
/// `map[]`, is empty and false, serialises as `null`.
#[derive(Clone, Debug)]
pub struct NilMap(pub &'static str);

impl Object for NilMap {
    fn type_name(&self) -> &str {
        self.0
    }
    fn kind(&self) -> &str {
        "map"
    }
    fn field(&self, _name: &str) -> Option<Value> {
        // A lookup in a nil map[string]string yields the zero string.
        Some(Value::from(""))
    }
    fn format(&self) -> String {
        "map[]".into()
    }
    fn to_data(&self) -> Value {
        Value::Nil
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `common.VersionSet`: the API versions, with `Has`.
#[derive(Clone, Debug)]
pub struct VersionSet(pub Arc<Vec<String>>);

impl VersionSet {
    fn data(&self) -> Value {
        Value::list(self.0.iter().map(|s| Value::from(s.as_str())).collect())
    }
}

impl Object for VersionSet {
    fn type_name(&self) -> &str {
        "common.VersionSet"
    }
    fn kind(&self) -> &str {
        "slice"
    }
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        if name != "Has" {
            return None;
        }
        Some(match args {
            [Value::String(s)] => Ok(Value::Bool(self.0.iter().any(|v| v == &**s))),
            [other] => Err(format!(
                "wrong type for value; expected string; got {}",
                other.type_name()
            )),
            _ => Err(format!(
                "wrong number of args for Has: want 1 got {}",
                args.len()
            )),
        })
    }
    fn format(&self) -> String {
        format::format_value(&self.data())
    }
    fn to_data(&self) -> Value {
        self.data()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `version.BuildInfo` of the Helm being imitated.
#[derive(Clone, Debug)]
pub struct HelmVersion {
    pub version: String,
    pub git_commit: String,
    pub git_tree_state: String,
    pub go_version: String,
    pub kube_client_version: String,
}

impl HelmVersion {
    /// Helm v4.1.4's build info.
    pub fn v4_1_4() -> HelmVersion {
        HelmVersion {
            version: "v4.1.4".into(),
            git_commit: "05fa37973dc9e42b76e1d2883494c87174b6074f".into(),
            git_tree_state: "clean".into(),
            go_version: "go1.25.9".into(),
            kube_client_version: "v1.35".into(),
        }
    }

    fn fields(&self) -> [(&str, &str, &str); 5] {
        [
            ("Version", "version", &self.version),
            ("GitCommit", "git_commit", &self.git_commit),
            ("GitTreeState", "git_tree_state", &self.git_tree_state),
            ("GoVersion", "go_version", &self.go_version),
            (
                "KubeClientVersion",
                "kube_client_version",
                &self.kube_client_version,
            ),
        ]
    }
}

impl Object for HelmVersion {
    fn type_name(&self) -> &str {
        "version.BuildInfo"
    }
    fn field(&self, name: &str) -> Option<Value> {
        self.fields()
            .iter()
            .find(|(go, _, _)| *go == name)
            .map(|(_, _, v)| Value::from(*v))
    }
    fn format(&self) -> String {
        let parts: Vec<&str> = self.fields().iter().map(|(_, _, v)| *v).collect();
        format!("{{{}}}", parts.join(" "))
    }
    fn to_data(&self) -> Value {
        Value::map(
            self.to_json_fields()
                .unwrap_or_default()
                .into_iter()
                .collect(),
        )
    }
    /// The JSON-tagged fields in declaration order, empty ones left out (`omitempty`).
    fn to_json_fields(&self) -> Option<Vec<(String, Value)>> {
        Some(
            self.fields()
                .iter()
                .filter(|(_, _, v)| !v.is_empty())
                .map(|(_, json, v)| (json.to_string(), Value::from(*v)))
                .collect(),
        )
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// `*common.Capabilities`.
#[derive(Clone, Debug)]
pub struct Capabilities {
    pub kube_version: KubeVersion,
    pub api_versions: VersionSet,
    pub helm_version: HelmVersion,
}

impl Object for Capabilities {
    fn type_name(&self) -> &str {
        "*common.Capabilities"
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "KubeVersion" => Value::Object(Arc::new(self.kube_version.clone())),
            "APIVersions" => Value::Object(Arc::new(self.api_versions.clone())),
            "HelmVersion" => Value::Object(Arc::new(self.helm_version.clone())),
            _ => return None,
        })
    }
    /// Go prints the struct, and the nested `KubeVersion` as a plain struct too.
    fn format(&self) -> String {
        let k = &self.kube_version;
        format!(
            "{{{{{} {} {} {}}} {} {}}}",
            k.version,
            k.normalized,
            k.major,
            k.minor,
            self.api_versions.format(),
            self.helm_version.format()
        )
    }
    fn to_data(&self) -> Value {
        let mut m = Map::new();
        m.insert("KubeVersion".into(), self.kube_version.data());
        m.insert("APIVersions".into(), self.api_versions.data());
        m.insert("HelmVersion".into(), self.helm_version.to_data());
        Value::map(m)
    }
    /// Field order of `common.Capabilities`; nested structs keep theirs.
    fn to_json_fields(&self) -> Option<Vec<(String, Value)>> {
        Some(vec![
            (
                "KubeVersion".into(),
                Value::Object(Arc::new(self.kube_version.clone())),
            ),
            (
                "APIVersions".into(),
                Value::Object(Arc::new(self.api_versions.clone())),
            ),
            (
                "HelmVersion".into(),
                Value::Object(Arc::new(self.helm_version.clone())),
            ),
        ])
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Helm's `engine.files`: chart files by slash path, with `Get`, `GetBytes`, `Glob`,
/// `Lines`, `AsConfig`, `AsSecrets`.
#[derive(Clone, Debug, Default)]
pub struct Files(pub Arc<BTreeMap<String, FileData>>);

impl Files {
    fn data(&self) -> Value {
        Value::map(
            self.0
                .iter()
                .map(|(k, v)| (k.clone(), Value::Bytes(v.to_shared())))
                .collect(),
        )
    }

    fn text(&self, name: &str) -> Arc<str> {
        self.0.get(name).map_or_else(
            || Arc::from(""),
            |data| crate::chart::values::text_from_shared(&data.to_shared()),
        )
    }

    /// The file's bytes; an unknown name gives an empty `[]byte`, a map lookup's zero value.
    fn bytes(&self, name: &str) -> Value {
        Value::Bytes(
            self.0
                .get(name)
                .map_or_else(|| Arc::from(&[][..]), FileData::to_shared),
        )
    }

    /// Base name → encoded content, as `toYaml` (duplicate base names: the last path wins).
    fn as_yaml(&self, encode: impl Fn(&[u8]) -> String) -> String {
        let mut m = Map::new();
        for (k, v) in self.0.iter() {
            let base = k.rsplit('/').next().unwrap_or(k);
            m.insert(base.to_string(), Value::from(encode(v)));
        }
        yaml_emit::to_yaml(&Value::map(m))
    }
}

fn one_string<'a>(name: &str, args: &'a [Value]) -> Result<&'a str, String> {
    match args {
        [Value::String(s)] => Ok(s),
        [other] => Err(format!(
            "wrong type for value; expected string; got {}",
            other.type_name()
        )),
        _ => Err(format!(
            "wrong number of args for {name}: want 1 got {}",
            args.len()
        )),
    }
}

impl Object for Files {
    fn type_name(&self) -> &str {
        "engine.files"
    }
    fn kind(&self) -> &str {
        "map"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "AsConfig" => Some(Value::from(
                self.as_yaml(|b| String::from_utf8_lossy(b).into_owned()),
            )),
            "AsSecrets" => {
                Some(Value::from(self.as_yaml(|b| {
                    base64::engine::general_purpose::STANDARD.encode(b)
                })))
            }
            "Get" | "GetBytes" | "Glob" | "Lines" => None,
            // Not a method: a map lookup, whose zero value is an empty []byte.
            _ => Some(self.bytes(name)),
        }
    }
    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let arg = || one_string(name, args);
        Some(match name {
            "Get" => arg().map(|p| Value::String(self.text(p))),
            "GetBytes" => arg().map(|p| self.bytes(p)),
            "Lines" => arg().map(|p| match self.0.get(p) {
                None => Value::strings(Vec::<&str>::new()),
                Some(_) => {
                    let s = self.text(p);
                    let s = s.strip_suffix('\n').unwrap_or(&s);
                    Value::strings(s.split('\n'))
                }
            }),
            "Glob" => arg().map(|pattern| {
                let g = Glob::compile(pattern).unwrap_or_else(Glob::all);
                let picked = self
                    .0
                    .iter()
                    .filter(|(k, _)| g.matches(k))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                Value::Object(Arc::new(Files(Arc::new(picked))))
            }),
            "AsConfig" | "AsSecrets" => {
                if !args.is_empty() {
                    return Some(Err(format!(
                        "wrong number of args for {name}: want 0 got {}",
                        args.len()
                    )));
                }
                self.field(name).ok_or_else(String::new)
            }
            _ => return None,
        })
    }
    fn format(&self) -> String {
        format::format_value(&self.data())
    }
    fn to_data(&self) -> Value {
        self.data()
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// A gobwas/glob pattern with `/` as separator, as `.Files.Glob` compiles it.
#[derive(Debug, Clone)]
pub struct Glob(Vec<Tok>);

#[derive(Debug, Clone)]
enum Tok {
    Lit(char),
    /// `*`: any run of non-separators.
    Star,
    /// `**`: any run of characters.
    Super,
    /// `?`: one non-separator.
    One,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    Alt(Vec<Vec<Tok>>),
}

impl Glob {
    /// Matches everything (what Helm falls back to for an invalid pattern).
    pub fn all() -> Glob {
        Glob(vec![Tok::Super])
    }

    pub fn compile(pattern: &str) -> Option<Glob> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut i = 0;
        let toks = parse_glob(&chars, &mut i, false)?;
        if i != chars.len() {
            return None;
        }
        Some(Glob(toks))
    }

    pub fn matches(&self, name: &str) -> bool {
        let chars: Vec<char> = name.chars().collect();
        match_toks(&self.0, &chars)
    }
}

fn parse_glob(p: &[char], i: &mut usize, in_alt: bool) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    while *i < p.len() {
        let c = p[*i];
        match c {
            ',' | '}' if in_alt => return Some(out),
            '\\' => {
                *i += 1;
                out.push(Tok::Lit(*p.get(*i)?));
            }
            '*' => {
                if p.get(*i + 1) == Some(&'*') {
                    *i += 1;
                    out.push(Tok::Super);
                } else {
                    out.push(Tok::Star);
                }
            }
            '?' => out.push(Tok::One),
            '[' => {
                *i += 1;
                let negated = p.get(*i) == Some(&'!');
                if negated {
                    *i += 1;
                }
                let mut ranges = Vec::new();
                loop {
                    let c = *p.get(*i)?;
                    if c == ']' {
                        break;
                    }
                    if p.get(*i + 1) == Some(&'-') && p.get(*i + 2).is_some_and(|e| *e != ']') {
                        ranges.push((c, p[*i + 2]));
                        *i += 3;
                    } else {
                        ranges.push((c, c));
                        *i += 1;
                    }
                }
                out.push(Tok::Class { negated, ranges });
            }
            '{' => {
                *i += 1;
                let mut alts = Vec::new();
                loop {
                    alts.push(parse_glob(p, i, true)?);
                    match p.get(*i)? {
                        ',' => *i += 1,
                        '}' => break,
                        _ => return None,
                    }
                }
                out.push(Tok::Alt(alts));
            }
            c => out.push(Tok::Lit(c)),
        }
        *i += 1;
    }
    if in_alt { None } else { Some(out) }
}

fn match_toks(toks: &[Tok], s: &[char]) -> bool {
    let Some((first, rest)) = toks.split_first() else {
        return s.is_empty();
    };
    match first {
        Tok::Lit(c) => s.first() == Some(c) && match_toks(rest, &s[1..]),
        Tok::One => s.first().is_some_and(|c| *c != '/') && match_toks(rest, &s[1..]),
        Tok::Class { negated, ranges } => {
            s.first()
                .is_some_and(|c| ranges.iter().any(|(a, b)| a <= c && c <= b) != *negated)
                && match_toks(rest, &s[1..])
        }
        Tok::Star => {
            for n in 0..=s.len() {
                if match_toks(rest, &s[n..]) {
                    return true;
                }
                if n < s.len() && s[n] == '/' {
                    return false;
                }
            }
            false
        }
        Tok::Super => (0..=s.len()).any(|n| match_toks(rest, &s[n..])),
        Tok::Alt(alts) => alts.iter().any(|alt| {
            let mut joined = alt.clone();
            joined.extend_from_slice(rest);
            match_toks(&joined, s)
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_dialect() {
        let m = |p: &str, s: &str| Glob::compile(p).unwrap_or_else(Glob::all).matches(s);
        assert!(m("conf/*.yaml", "conf/a.yaml"));
        assert!(!m("conf/*.yaml", "conf/sub/c.yaml"));
        assert!(m("conf/**.yaml", "conf/sub/c.yaml"));
        assert!(m("**/*.yaml", "conf/sub/c.yaml"));
        assert!(m("conf/*", "conf/.hidden"));
        assert!(!m("*", "a/b"));
        assert!(m("files/{a,b}.*", "files/b.conf"));
        assert!(m("[a-c]?", "bx"));
        assert!(!m("[!a-c]?", "bx"));
        assert!(m("[", "anything/at/all"));
    }

    #[test]
    fn kube_versions() {
        let k = KubeVersion::parse("1.29.3-gke.100").unwrap();
        assert_eq!(
            (k.version.as_str(), k.normalized.as_str(), k.minor.as_str()),
            ("v1.29.3-gke.100", "v1.29.3", "29")
        );
        let k = KubeVersion::parse("v1.29").unwrap();
        assert_eq!(
            (k.version.as_str(), k.normalized.as_str()),
            ("v1.29", "v1.29")
        );
        assert!(KubeVersion::parse("abc").is_err());
    }
}
