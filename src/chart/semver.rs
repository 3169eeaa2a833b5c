//! Semantic versions and constraints exactly as Masterminds/semver v3.4 reads them
//! (HELM-SEMANTICS.md §5.10): used by `semverCompare`/`semver` in templates, by
//! `kubeVersion` checks, and by repository version resolution.
//!
//! Helm's rules differ from Cargo's (and from the `semver` crate): versions may omit minor
//! and patch (`1.2` = `1.2.0`), take a `v` prefix and leading zeros; constraints accept
//! wildcards (`1.x`, `*`), hyphen ranges, `||`, comma or space separated `AND`s, and a
//! pre-release version only satisfies an alternative that itself mentions a pre-release.
//! Constraint text is parsed with the same regular expressions Masterminds uses, so
//! what is accepted or rejected matches Helm.

use std::cmp::Ordering;
use std::fmt;

use std::sync::LazyLock;

use regex_lite::Regex;

/// A parsed version (`Version` in Masterminds/semver).
#[derive(Clone, Debug)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

/// Why a version string was rejected; messages are Masterminds'.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    #[error("invalid semantic version")]
    Invalid,
    #[error("error parsing version segment: strconv.ParseUint: parsing {0:?}: value out of range")]
    SegmentOutOfRange(String),
    #[error("version segment starts with 0")]
    SegmentStartsZero,
    #[error("invalid prerelease string")]
    InvalidPrerelease,
    #[error("invalid metadata string")]
    InvalidMetadata,
}

/// Why a constraint string was rejected; messages are Masterminds'.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConstraintError {
    /// An `||` alternative that is not a list of comparisons.
    #[error("improper constraint: {0}")]
    Improper(String),
    /// A comparison whose version part does not parse.
    #[error("constraint parser error")]
    Parser,
}

/// Go's `\s` (ASCII only, unlike the regex crate's Unicode `\s`).
const SP: &str = r"[\t\n\f\r ]";
const LOOSE_VERSION: &str = r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const CONSTRAINT_VERSION: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

/// The regular expressions of Masterminds/semver, each compiled on first use (parsing a
/// chart's version must not pay for the constraint patterns, which are large).
struct Patterns {
    version: LazyLock<Regex>,
    constraint: LazyLock<Regex>,
    range: LazyLock<Regex>,
    find: LazyLock<Regex>,
    valid: LazyLock<Regex>,
}

fn compile(p: String) -> Regex {
    Regex::new(&p).expect("static semver pattern")
}

fn patterns() -> &'static Patterns {
    static P: Patterns = Patterns {
        version: LazyLock::new(|| compile(format!("^{LOOSE_VERSION}$"))),
        constraint: LazyLock::new(|| {
            compile(format!("^{SP}*({OPS}){SP}*({CONSTRAINT_VERSION}){SP}*$"))
        }),
        range: LazyLock::new(|| {
            compile(format!(
                "{SP}*({CONSTRAINT_VERSION}){SP}+-{SP}+({CONSTRAINT_VERSION}){SP}*"
            ))
        }),
        find: LazyLock::new(|| compile(format!("({OPS}){SP}*({CONSTRAINT_VERSION})"))),
        valid: LazyLock::new(|| {
            let cv = CONSTRAINT_VERSION;
            compile(format!(
                "^({SP}*({OPS}){SP}*({cv}){SP}*)((?:{SP}+|,{SP}*)({OPS}){SP}*({cv}){SP}*)*$"
            ))
        }),
    };
    &P
}

const ALLOWED: fn(u8) -> bool = |b| b.is_ascii_alphanumeric() || b == b'-';

fn validate_prerelease(p: &str) -> Result<(), VersionError> {
    for part in p.split('.') {
        if part.is_empty() {
            return Err(VersionError::InvalidPrerelease);
        } else if part.bytes().all(|b| b.is_ascii_digit()) {
            if part.len() > 1 && part.starts_with('0') {
                return Err(VersionError::SegmentStartsZero);
            }
        } else if !part.bytes().all(ALLOWED) {
            return Err(VersionError::InvalidPrerelease);
        }
    }
    Ok(())
}

fn validate_metadata(m: &str) -> Result<(), VersionError> {
    if m.split('.')
        .any(|p| p.is_empty() || !p.bytes().all(ALLOWED))
    {
        return Err(VersionError::InvalidMetadata);
    }
    Ok(())
}

fn segment(s: &str) -> Result<u64, VersionError> {
    let digits = s.trim_start_matches('.');
    if digits.is_empty() {
        return Ok(0);
    }
    digits
        .parse()
        .map_err(|_| VersionError::SegmentOutOfRange(digits.to_string()))
}

impl Version {
    /// Masterminds' `NewVersion` with coercion on (v3.4 default): `v1`, `1.2`, `01.2.3`
    /// are accepted; pre-release and metadata are validated.
    pub fn parse(s: &str) -> Result<Version, VersionError> {
        let v = match Simple::version(s) {
            Some(simple) => Version {
                major: segment(simple.major)?,
                minor: segment(simple.minor)?,
                patch: segment(simple.patch)?,
                pre: simple.pre.get(1..).unwrap_or("").to_string(),
                metadata: simple.metadata.get(1..).unwrap_or("").to_string(),
                original: s.to_string(),
            },
            None => return Version::parse_with_pattern(s),
        };
        if !v.pre.is_empty() {
            validate_prerelease(&v.pre)?;
        }
        if !v.metadata.is_empty() {
            validate_metadata(&v.metadata)?;
        }
        Ok(v)
    }

    /// [`Version::parse`] with Masterminds' pattern only (the fast path's reference).
    fn parse_with_pattern(s: &str) -> Result<Version, VersionError> {
        let caps = patterns()
            .version
            .captures(s)
            .ok_or(VersionError::Invalid)?;
        let group = |i: usize| caps.get(i).map_or("", |m| m.as_str());
        let v = Version {
            major: segment(group(1))?,
            minor: segment(group(2))?,
            patch: segment(group(3))?,
            pre: group(5).to_string(),
            metadata: group(8).to_string(),
            original: s.to_string(),
        };
        if !v.pre.is_empty() {
            validate_prerelease(&v.pre)?;
        }
        if !v.metadata.is_empty() {
            validate_metadata(&v.metadata)?;
        }
        Ok(v)
    }

    pub fn major(&self) -> u64 {
        self.major
    }

    pub fn minor(&self) -> u64 {
        self.minor
    }

    pub fn patch(&self) -> u64 {
        self.patch
    }

    pub fn prerelease(&self) -> &str {
        &self.pre
    }

    pub fn metadata(&self) -> &str {
        &self.metadata
    }

    /// The text this version was parsed from (`v1.2` stays `v1.2`).
    pub fn original(&self) -> &str {
        &self.original
    }

    /// `v` when the original text had a `v` prefix (kept by the `Inc*`/`Set*` methods).
    fn v_prefix(&self) -> &'static str {
        if self.original.starts_with('v') {
            "v"
        } else {
            ""
        }
    }

    fn with_original(mut self, prefix: &str) -> Version {
        self.original = format!("{prefix}{self}");
        self
    }

    /// Masterminds' `IncPatch`: a pre-release becomes its release, else patch + 1.
    pub fn inc_patch(&self) -> Version {
        let mut next = self.clone();
        if self.pre.is_empty() {
            next.patch += 1;
        }
        next.pre.clear();
        next.metadata.clear();
        next.with_original(self.v_prefix())
    }

    /// Masterminds' `IncMinor`.
    pub fn inc_minor(&self) -> Version {
        let mut next = self.clone();
        next.minor += 1;
        next.patch = 0;
        next.pre.clear();
        next.metadata.clear();
        next.with_original(self.v_prefix())
    }

    /// Masterminds' `IncMajor`.
    pub fn inc_major(&self) -> Version {
        let mut next = self.clone();
        next.major += 1;
        next.minor = 0;
        next.patch = 0;
        next.pre.clear();
        next.metadata.clear();
        next.with_original(self.v_prefix())
    }

    /// Masterminds' `SetPrerelease`.
    pub fn set_prerelease(&self, pre: &str) -> Result<Version, VersionError> {
        if !pre.is_empty() {
            validate_prerelease(pre)?;
        }
        let mut next = self.clone();
        next.pre = pre.to_string();
        Ok(next.with_original(self.v_prefix()))
    }

    /// Masterminds' `SetMetadata`.
    pub fn set_metadata(&self, meta: &str) -> Result<Version, VersionError> {
        if !meta.is_empty() {
            validate_metadata(meta)?;
        }
        let mut next = self.clone();
        next.metadata = meta.to_string();
        Ok(next.with_original(self.v_prefix()))
    }

    /// Masterminds' `Compare`: metadata is ignored; a pre-release sorts before its release.
    pub fn compare(&self, other: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &other.pre),
            })
    }
}

/// Dot-separated identifiers compared pairwise, a missing identifier sorting first.
fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let a: Vec<&str> = a.split('.').collect();
    let b: Vec<&str> = b.split('.').collect();
    for i in 0..a.len().max(b.len()) {
        let d = compare_pre_part(
            a.get(i).copied().unwrap_or(""),
            b.get(i).copied().unwrap_or(""),
        );
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

/// Masterminds' `comparePrePart`: numeric identifiers sort below alphanumeric ones;
/// equal numbers written differently (`01` vs `1`) compare as "less", as in Go.
fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => s.cmp(o),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Ok(si), Ok(oi)) => {
            if si > oi {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

/// Masterminds' `String()`: normalised, without a `v` prefix.
impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Version) -> bool {
        self.compare(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        self.compare(other)
    }
}

impl std::str::FromStr for Version {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Version, VersionError> {
        Version::parse(s)
    }
}

/// The comparison operators (with their aliases folded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    /// `=` or no operator: equality, or a tilde-like range when wildcards are used.
    Equal,
    NotEqual,
    Greater,
    Less,
    GreaterEqual,
    LessEqual,
    Tilde,
    Caret,
}

/// One comparison, e.g. `>=1.2` (Masterminds' `constraint`).
#[derive(Clone, Debug)]
struct Comparison {
    op: Op,
    /// The operator as written (`=>`, `~>`...), for `Display`.
    op_text: String,
    /// The version as written (`1.x`), for `Display`.
    orig: String,
    con: Version,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

/// A parsed constraint: `||`-separated alternatives of comparisons that must all hold.
#[derive(Clone, Debug)]
pub struct Constraint {
    alternatives: Vec<Vec<Comparison>>,
    /// Per alternative: does any comparison name a pre-release?
    contains_pre: Vec<bool>,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "X" | "*")
}

impl Comparison {
    fn parse(c: &str) -> Result<Comparison, ConstraintError> {
        let caps = patterns()
            .constraint
            .captures(c)
            .ok_or_else(|| ConstraintError::Improper(c.to_string()))?;
        let g = |i: usize| caps.get(i).map_or("", |m| m.as_str());
        Comparison::from_parts(Simple {
            op: g(1),
            version: g(2),
            major: g(3),
            minor: g(4),
            patch: g(5),
            pre: g(6),
            metadata: "",
        })
    }

    /// A comparison from the pattern's groups (metadata is not used).
    fn from_parts(parts: Simple) -> Result<Comparison, ConstraintError> {
        let Simple {
            op,
            version,
            major,
            minor,
            patch,
            pre,
            ..
        } = parts;
        let op_text = op.to_string();
        let mut ver = version.to_string();
        let (mut dirty, mut minor_dirty, mut patch_dirty) = (false, false, false);
        if is_x(major) || major.is_empty() {
            ver = format!("0.0.0{pre}");
            dirty = true;
        } else if is_x(minor.trim_start_matches('.')) || minor.is_empty() {
            minor_dirty = true;
            dirty = true;
            ver = format!("{major}.0.0{pre}");
        } else if is_x(patch.trim_start_matches('.')) || patch.is_empty() {
            dirty = true;
            patch_dirty = true;
            ver = format!("{major}{minor}.0{pre}");
        }
        let con = Version::parse(&ver).map_err(|_| ConstraintError::Parser)?;
        let op = match op_text.as_str() {
            "" | "=" => Op::Equal,
            "!=" => Op::NotEqual,
            ">" => Op::Greater,
            "<" => Op::Less,
            ">=" | "=>" => Op::GreaterEqual,
            "<=" | "=<" => Op::LessEqual,
            "~" | "~>" => Op::Tilde,
            _ => Op::Caret,
        };
        Ok(Comparison {
            op,
            op_text,
            orig: version.to_string(),
            con,
            minor_dirty,
            patch_dirty,
            dirty,
        })
    }

    fn check(&self, v: &Version, include_pre: bool) -> bool {
        if !v.pre.is_empty() && !include_pre {
            return false;
        }
        match self.op {
            Op::Equal if self.dirty => self.tilde(v),
            Op::Equal => v == &self.con,
            Op::NotEqual => self.not_equal(v),
            Op::Greater => self.greater(v),
            Op::Less => v < &self.con,
            Op::GreaterEqual => v >= &self.con,
            Op::LessEqual => self.less_equal(v),
            Op::Tilde => self.tilde(v),
            Op::Caret => self.caret(v),
        }
    }

    fn not_equal(&self, v: &Version) -> bool {
        let c = &self.con;
        if self.dirty {
            if c.major != v.major {
                return true;
            }
            if c.minor != v.minor && !self.minor_dirty {
                return true;
            } else if self.minor_dirty {
                return false;
            } else if c.patch != v.patch && !self.patch_dirty {
                return true;
            } else if self.patch_dirty {
                if !v.pre.is_empty() || !c.pre.is_empty() {
                    return compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
                }
                return false;
            }
        }
        v != c
    }

    fn greater(&self, v: &Version) -> bool {
        let c = &self.con;
        if !self.dirty {
            return v > c;
        }
        if v.major > c.major {
            true
        } else if v.major < c.major || self.minor_dirty {
            false
        } else if self.patch_dirty {
            v.minor > c.minor
        } else {
            v > c
        }
    }

    fn less_equal(&self, v: &Version) -> bool {
        let c = &self.con;
        if !self.dirty {
            return v <= c;
        }
        !(v.major > c.major || (v.major == c.major && v.minor > c.minor && !self.minor_dirty))
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v < c {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        v.minor == c.minor || self.minor_dirty
    }

    fn caret(&self, v: &Version) -> bool {
        let c = &self.con;
        if v < c {
            return false;
        }
        if c.major > 0 || self.minor_dirty {
            return v.major == c.major;
        }
        if v.major > 0 {
            return false;
        }
        if c.minor > 0 || self.patch_dirty {
            return v.minor == c.minor;
        }
        if v.minor > 0 {
            return false;
        }
        c.patch == v.patch
    }
}

impl Constraint {
    /// Masterminds' `NewConstraint`: hyphen ranges rewritten, `||` split, each
    /// alternative validated and split into comparisons.
    pub fn parse(s: &str) -> Result<Constraint, ConstraintError> {
        if let Some(parts) = Simple::comparison(s) {
            let comparison = Comparison::from_parts(parts)?;
            return Ok(Constraint {
                contains_pre: vec![!comparison.con.pre.is_empty()],
                alternatives: vec![vec![comparison]],
            });
        }
        Constraint::parse_with_patterns(s)
    }

    /// [`Constraint::parse`] with Masterminds' patterns only (the fast path's reference).
    fn parse_with_patterns(s: &str) -> Result<Constraint, ConstraintError> {
        let p = patterns();
        let rewritten = rewrite_ranges(s);
        let mut alternatives = Vec::new();
        let mut contains_pre = Vec::new();
        for alt in rewritten.split("||") {
            if !p.valid.is_match(alt) {
                return Err(ConstraintError::Improper(alt.to_string()));
            }
            let mut parts: Vec<&str> = p.find.find_iter(alt).map(|m| m.as_str()).collect();
            if parts.is_empty() {
                parts.push(alt);
            }
            let comparisons: Vec<Comparison> = parts
                .into_iter()
                .map(Comparison::parse)
                .collect::<Result<_, _>>()?;
            contains_pre.push(comparisons.iter().any(|c| !c.con.pre.is_empty()));
            alternatives.push(comparisons);
        }
        Ok(Constraint {
            alternatives,
            contains_pre,
        })
    }

    /// Masterminds' `Check`: some alternative whose comparisons all hold. A pre-release
    /// version only passes an alternative that mentions a pre-release itself.
    pub fn matches(&self, v: &Version) -> bool {
        self.alternatives
            .iter()
            .zip(&self.contains_pre)
            .any(|(alt, &pre)| alt.iter().all(|c| c.check(v, pre)))
    }
}

impl std::str::FromStr for Constraint {
    type Err = ConstraintError;
    fn from_str(s: &str) -> Result<Constraint, ConstraintError> {
        Constraint::parse(s)
    }
}

/// Masterminds' `Constraints.String()`.
impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let alts: Vec<String> = self
            .alternatives
            .iter()
            .map(|alt| {
                alt.iter()
                    .map(|c| format!("{}{}", c.op_text, c.orig))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        f.write_str(&alts.join(" || "))
    }
}

/// The common shapes of versions and constraints (`1.2.3`, `v1.2`, `>=1.19-0`, `~2.x`,
/// `^1.0.0+meta`), split by hand into the groups Masterminds' patterns capture.
///
/// Why: regex-lite (chosen because compiling the large patterns with `regex` cost more
/// per process than all matching) takes microseconds per match, and every dependency
/// of every chart and every `kubeVersion` check parses a constraint and a version.
/// Anything else (spaces, `||`, lists, ranges, odd segments, errors) goes to the patterns;
/// a test compares both on generated texts.
#[derive(Default)]
struct Simple<'a> {
    /// The operator, `""` when none.
    op: &'a str,
    /// The version text after the operator.
    version: &'a str,
    /// The segments as captured: `major`, `.minor`, `.patch`.
    major: &'a str,
    minor: &'a str,
    patch: &'a str,
    /// `-pre.release` and `+meta.data`, with their leading sign.
    pre: &'a str,
    metadata: &'a str,
}

impl<'a> Simple<'a> {
    /// A constraint made of one comparison: operator, `v`, one to three segments of
    /// digits or one wildcard, optional pre-release and metadata.
    fn comparison(s: &'a str) -> Option<Simple<'a>> {
        const OPS: [&str; 11] = ["!=", ">=", "=>", "<=", "=<", "~>", "=", ">", "<", "~", "^"];
        let op = OPS.into_iter().find(|op| s.starts_with(op)).unwrap_or("");
        let mut parts = Simple::split(&s[op.len()..], true)?;
        parts.op = op;
        Some(parts)
    }

    /// A version: `v`, one to three segments of digits, optional pre-release and
    /// metadata.
    fn version(s: &'a str) -> Option<Simple<'a>> {
        Simple::split(s, false)
    }

    fn split(version: &'a str, wildcards: bool) -> Option<Simple<'a>> {
        let rest = version.strip_prefix('v').unwrap_or(version);
        let numbers = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'x' || c == 'X' || c == '*'))
            .unwrap_or(rest.len());
        let (segments, tail) = rest.split_at(numbers);
        let mut parts = Simple {
            version,
            ..Simple::default()
        };
        let mut ends = segments
            .match_indices('.')
            .map(|(i, _)| i)
            .chain([segments.len()]);
        let mut start = 0;
        for slot in [&mut parts.major, &mut parts.minor, &mut parts.patch] {
            let Some(end) = ends.next() else { break };
            let segment = &segments[start..end];
            let digits = segment.strip_prefix('.').unwrap_or(segment);
            let plain = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
            if !(plain || wildcards && matches!(digits, "x" | "X" | "*")) {
                return None;
            }
            *slot = segment;
            start = end;
        }
        if start != segments.len() {
            return None; // a fourth segment
        }
        let (pre, metadata) = match tail.find('+') {
            Some(plus) => tail.split_at(plus),
            None => (tail, ""),
        };
        let identifiers = |text: &str, sign: char| {
            text.is_empty()
                || text.strip_prefix(sign).is_some_and(|ids| {
                    ids.split('.').all(|id| {
                        !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    })
                })
        };
        if !identifiers(pre, '-') || !identifiers(metadata, '+') {
            return None;
        }
        parts.pre = pre;
        parts.metadata = metadata;
        Some(parts)
    }
}

/// `A - B` → `>= A, <= B ` (Masterminds' `rewriteRange`, first occurrence each time).
fn rewrite_ranges(s: &str) -> String {
    let mut out = s.to_string();
    for caps in patterns().range.captures_iter(s) {
        let whole = caps.get(0).map_or("", |m| m.as_str());
        let from = caps.get(1).map_or("", |m| m.as_str());
        let to = caps.get(11).map_or("", |m| m.as_str());
        out = out.replacen(whole, &format!(">= {from}, <= {to} "), 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(c: &str, v: &str) -> bool {
        let c = Constraint::parse(c).unwrap_or_else(|e| panic!("{c}: {e}"));
        let v = Version::parse(v).unwrap_or_else(|e| panic!("{v}: {e}"));
        c.matches(&v)
    }

    /// The hand-split common shapes read exactly as Masterminds' patterns read them:
    /// every text up to four characters over an alphabet of what matters, plus longer
    /// typical ones.
    #[test]
    fn simple_shapes_read_as_the_patterns_read_them() {
        const ALPHABET: &[char] = &[
            '1', '0', '.', 'x', '*', 'v', '-', '+', 'a', '>', '=', '~', '^', '!', '<', ' ',
        ];
        let mut texts: Vec<String> = vec![String::new()];
        let mut frontier = texts.clone();
        for _ in 0..4 {
            frontier = frontier
                .iter()
                .flat_map(|t| ALPHABET.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(frontier.iter().cloned());
        }
        texts.extend(
            [
                ">=1.19-0",
                "<1.14-0",
                "~2.x.x",
                "^1.0.0+meta.1",
                "v1.2.3-rc.1+b",
                "=>1.0",
                "01.2.3",
                "1.2.3.4",
                "1.2.3-",
                "1.2.3+",
                "~>0.2",
                "99999999999999999999.0",
                "1.2.3-a..b",
                ">=1.2.3-0.x",
                "x.1.2",
                "1.x.2",
            ]
            .map(String::from),
        );
        let mut simple = 0;
        for t in &texts {
            if Simple::comparison(t).is_some() {
                simple += 1;
            }
            assert_eq!(
                format!("{:?}", Constraint::parse(t)),
                format!("{:?}", Constraint::parse_with_patterns(t)),
                "constraint {t:?}"
            );
            assert_eq!(
                format!("{:?}", Version::parse(t)),
                format!("{:?}", Version::parse_with_pattern(t)),
                "version {t:?}"
            );
        }
        assert!(
            simple > 1000,
            "the fast path takes the common shapes ({simple})"
        );
    }

    #[test]
    fn versions() {
        let v = Version::parse("v1.2").expect("valid");
        assert_eq!(v.to_string(), "1.2.0");
        assert_eq!(v.original(), "v1.2");
        assert_eq!(
            Version::parse("01.2.3").map(|v| v.to_string()),
            Ok("1.2.3".into())
        );
        assert_eq!(Version::parse("abc"), Err(VersionError::Invalid));
        assert_eq!(Version::parse(""), Err(VersionError::Invalid));
        assert_eq!(
            Version::parse("1.2.3-01"),
            Err(VersionError::SegmentStartsZero)
        );
        assert_eq!(Version::parse("1.2.3-a..b"), Err(VersionError::Invalid));
        let p = |s: &str| Version::parse(s).expect("valid");
        assert!(p("1.2.3-alpha") < p("1.2.3"));
        assert!(p("1.2.3-alpha.1") < p("1.2.3-alpha.beta"));
        assert!(p("1.2.3-2") < p("1.2.3-10"));
        assert_eq!(Version::parse("1.2.3+a"), Version::parse("1.2.3+b"));
        assert_eq!(p("v1.2.3").inc_minor().original(), "v1.3.0");
        assert_eq!(p("1.2.3-rc.1+b").inc_patch().to_string(), "1.2.3");
        assert_eq!(p("1.2.3").inc_patch().to_string(), "1.2.4");
        assert_eq!(p("1.2.3").inc_major().to_string(), "2.0.0");
        assert_eq!(
            p("1.2.3").set_prerelease("x.1").map(|v| v.to_string()),
            Ok("1.2.3-x.1".into())
        );
    }

    #[test]
    fn constraints_match_helm() {
        // Verified with helm4 semverCompare (HELM-SEMANTICS.md §5.10 and own runs).
        let cases = [
            (">=1.20", "v1.25.3-gke.100", false),
            (">=1.20-0", "v1.25.3-gke.100", true),
            ("^1.2", "1.9.9", true),
            ("^1.2", "2.0.0", false),
            ("~1.2", "1.2.9", true),
            ("~1.2", "1.3.0", false),
            ("1.x", "1.5.0", true),
            (">=1.2 <2", "1.9.0", true),
            (">=1.2, <2", "2.0.0", false),
            ("1.2 - 1.4", "1.4.5", true),
            ("<1 || >=3", "3.1.0", true),
            ("^0.2.3", "0.3.0", false),
            ("*", "5.0.0", true),
            ("!=1.2.3", "1.2.4", true),
            ("!=1.x", "1.5.0", false),
            (">1.2", "1.2.9", false),
            (">1.2", "1.3.0", true),
            ("<=1.2", "1.2.9", true),
            ("<=1.2", "1.3.0", false),
            ("^0", "0.9.0", true),
            ("^0.0", "0.0.9", true),
            ("^0.0", "0.1.0", false),
            ("^0.0.3", "0.0.4", false),
            ("~1", "1.9.0", true),
            ("~0.0.0", "3.0.0", true),
            ("=1.2.3", "v1.2.3", true),
            ("1.2.3", "1.2.3+meta", true),
        ];
        for (c, v, want) in cases {
            assert_eq!(check(c, v), want, "{c} vs {v}");
        }
    }

    #[test]
    fn constraint_errors_and_display() {
        assert_eq!(
            Constraint::parse("!!").map(|_| ()),
            Err(ConstraintError::Improper("!!".into()))
        );
        assert!(Constraint::parse("").is_err());
        let c = Constraint::parse(">= 1.2, < 2 || ~3").expect("valid");
        assert_eq!(c.to_string(), ">=1.2 <2 || ~3");
        let c = Constraint::parse("1.2 - 1.4").expect("valid");
        assert_eq!(c.to_string(), ">=1.2 <=1.4");
    }

    /// Every pair of `testdata/semver_helm4.tsv` (constraint, version, helm4's
    /// `semverCompare` result) recorded from helm v4.1.4.
    #[test]
    fn matrix_matches_helm4() {
        let data = include_str!("testdata/semver_helm4.tsv");
        let mut failures = Vec::new();
        for line in data.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            let [c, v, want] = f.as_slice() else { continue };
            let got = check(c, v);
            if got.to_string() != *want {
                failures.push(format!("{c:?} vs {v:?}: helm4 {want}, rstack {got}"));
            }
        }
        assert!(data.lines().count() > 1000);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
