//! A repository's `index.yaml` (HELM-SEMANTICS.md §5.6), read the way helm's
//! `repo.loadIndex` reads it: entries whose version is not SemVer are skipped with a
//! warning, and each chart's versions are sorted highest first.
//!
//! Only the fields resolution and download need are kept; the rest of each entry (the
//! chart metadata) is ignored. JSON indexes parse too (YAML is a superset here).

use std::collections::BTreeMap;

use crate::chart::semver::Version;
use crate::yaml::{self, Node};

use super::{Error, Result};

/// The parsed index.
#[derive(Clone, Debug, Default)]
pub struct IndexFile {
    /// Chart name → versions, highest first.
    pub entries: BTreeMap<String, Vec<ChartVersion>>,
}

/// One version of one chart.
#[derive(Clone, Debug)]
pub struct ChartVersion {
    pub name: String,
    /// As written in the index (the exact-match rule compares this text).
    pub version: String,
    pub parsed: Version,
    /// Absolute, or relative to the repository URL.
    pub urls: Vec<String>,
    /// Hex SHA-256 of the archive, when the index gives one.
    pub digest: Option<String>,
}

/// Parses an index. `url` names it in errors.
pub fn parse_index(text: &str, url: &str) -> Result<IndexFile> {
    let err = |message: String| Error::Index {
        url: url.to_string(),
        message,
    };
    let docs = yaml::parse_documents(text)
        .map_err(|e| err(format!("line {}: {}", e.pos.line, e.message)))?;
    let root = docs
        .first()
        .filter(|d| d.as_map().is_some())
        .ok_or_else(|| err("not a mapping".into()))?;
    if let Some(api) = root.get("apiVersion").and_then(scalar)
        && api != "v1"
    {
        return Err(err(format!("unsupported apiVersion {api:?}")));
    }
    let entries = match root.get("entries") {
        Some(e) if e.is_null() => &[][..],
        Some(e) => e.as_map().ok_or_else(|| {
            err(format!(
                "`entries` must be a mapping, found {}",
                e.describe()
            ))
        })?,
        None => return Err(err("no `entries` (is this a Helm repository index?)".into())),
    };
    let mut index = IndexFile::default();
    for (key, list) in entries {
        let Some(name) = scalar(key) else { continue };
        let mut versions = Vec::new();
        for entry in list.as_seq().unwrap_or_default() {
            match chart_version(name, entry) {
                Ok(v) => versions.push(v),
                Err(why) => tracing::warn!(
                    index = url,
                    chart = name,
                    line = entry.pos.line,
                    "skipping index entry: {why}"
                ),
            }
        }
        // Helm's `SortEntries`: SemVer descending (a stable sort keeps file order for
        // versions that compare equal, such as `1.0.0` and `1.0.0+build`).
        versions.sort_by(|a, b| b.parsed.cmp(&a.parsed));
        index.entries.insert(name.to_string(), versions);
    }
    Ok(index)
}

fn chart_version(name: &str, entry: &Node) -> std::result::Result<ChartVersion, String> {
    if entry.as_map().is_none() {
        return Err(format!("expected a mapping, found {}", entry.describe()));
    }
    let version = entry
        .get("version")
        .and_then(scalar)
        .filter(|v| !v.is_empty())
        .ok_or("no version")?;
    let parsed =
        Version::parse(version).map_err(|e| format!("version {version:?} is invalid: {e}"))?;
    let urls = match entry.get("urls") {
        Some(u) => u
            .as_seq()
            .unwrap_or_default()
            .iter()
            .filter_map(scalar)
            .map(str::to_string)
            .collect(),
        None => Vec::new(),
    };
    let digest = entry
        .get("digest")
        .and_then(scalar)
        .map(|d| d.strip_prefix("sha256:").unwrap_or(d).to_ascii_lowercase())
        .filter(|d| !d.is_empty());
    Ok(ChartVersion {
        name: entry
            .get("name")
            .and_then(scalar)
            .unwrap_or(name)
            .to_string(),
        version: version.to_string(),
        parsed,
        urls,
        digest,
    })
}

fn scalar(node: &Node) -> Option<&str> {
    node.as_scalar().map(|s| s.text.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sorts_and_skips_bad_entries() {
        let text = "apiVersion: v1\nentries:\n  web:\n  - version: 1.0.0\n    urls: [web-1.0.0.tgz]\n    digest: ABC\n  - version: not-semver\n  - version: 1.10.0\n    urls: [https://x/web-1.10.0.tgz]\n  - version: 1.2.0-rc.1\n";
        let index = parse_index(text, "http://r").unwrap();
        let web = &index.entries["web"];
        let versions: Vec<&str> = web.iter().map(|v| v.version.as_str()).collect();
        assert_eq!(versions, ["1.10.0", "1.2.0-rc.1", "1.0.0"]);
        assert_eq!(web[2].digest.as_deref(), Some("abc"));
        assert_eq!(web[2].urls, ["web-1.0.0.tgz"]);
    }

    #[test]
    fn json_and_errors() {
        let json = r#"{"apiVersion":"v1","entries":{"a":[{"name":"a","version":"0.1.0","urls":["a.tgz"]}]}}"#;
        assert_eq!(parse_index(json, "u").unwrap().entries["a"].len(), 1);
        let e = parse_index("<html></html>", "http://r").unwrap_err();
        assert!(
            e.to_string().contains("http://r: invalid repository index"),
            "{e}"
        );
        assert!(
            parse_index("entries: {}\n", "u")
                .unwrap()
                .entries
                .is_empty()
        );
    }
}
