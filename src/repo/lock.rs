//! `stack.lock`: each release's remote chart pinned to a version, an archive digest and the
//! URL it came from. `rstack deps` writes it; rendering uses it when present; `--frozen`
//! refuses to run when it no longer matches the stack.
//!
//! An entry stays valid while its release keeps the same `chart`, `version` constraint and
//! repository URL, so changing one release's constraint re-resolves only that release.
//! The file holds no timestamp: re-running `rstack deps` on an unchanged stack rewrites
//! the same bytes, which keeps version-control diffs meaningful.

use std::path::Path;

use serde::Deserialize;

use crate::span::{Diagnostic, Location};
use crate::yaml;

use super::cache::write_atomic;

pub const LOCK_FILE: &str = "stack.lock";
const LOCK_VERSION: u32 = 1;

/// The lock file's content.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lock {
    /// In stack order.
    pub entries: Vec<LockEntry>,
}

/// One release's pinned chart.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockEntry {
    /// `namespace/name`.
    pub release: String,
    /// The release's `chart` as written in the stack.
    pub chart: String,
    /// The release's `version` as written (empty when absent).
    #[serde(default)]
    pub constraint: String,
    /// The repository URL (`https://…` or the `oci://…` reference).
    pub repository: String,
    pub version: String,
    /// `sha256:<hex>` of the archive.
    pub digest: String,
    /// Where the archive was downloaded from.
    pub source: String,
}

impl LockEntry {
    /// The hex digest without its `sha256:` prefix.
    pub fn digest_hex(&self) -> &str {
        self.digest.strip_prefix("sha256:").unwrap_or(&self.digest)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LockFile {
    version: u32,
    #[serde(default)]
    releases: Vec<LockEntry>,
}

impl Lock {
    /// Reads `path`; `Ok(None)` when there is no lock file.
    pub fn read(path: &Path) -> Result<Option<Lock>, Diagnostic> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Diagnostic::new(
                    Location::file(path),
                    format!("cannot read the lock file: {e}"),
                )
                .with_hint("check its permissions, or delete it and run `rstack deps`"));
            }
        };
        let regenerate =
            "the lock file is written by `rstack deps`; delete it and run `rstack deps` again";
        let docs = yaml::parse_documents(&text).map_err(|e| {
            Diagnostic::new(
                Location::new(path, e.pos),
                format!("invalid YAML: {}", e.message),
            )
            .with_hint(regenerate)
        })?;
        let Some(root) = docs.first() else {
            return Ok(Some(Lock::default()));
        };
        let file: LockFile = yaml::from_node(root).map_err(|e| {
            Diagnostic::new(
                Location::new(path, e.pos.unwrap_or(root.pos)),
                e.message.clone(),
            )
            .with_hint(regenerate)
        })?;
        if file.version != LOCK_VERSION {
            return Err(Diagnostic::new(
                Location::new(path, root.pos),
                format!("unsupported lock file version {}", file.version),
            )
            .with_hint(regenerate));
        }
        Ok(Some(Lock {
            entries: file.releases,
        }))
    }

    pub fn entry(&self, release: &str) -> Option<&LockEntry> {
        self.entries.iter().find(|e| e.release == release)
    }

    /// The file text: every string double-quoted (JSON escaping is valid YAML), so no
    /// version or URL is ever re-typed by a YAML reader.
    pub fn to_yaml(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
        let mut out = format!(
            "# Written by `rstack deps`: the chart each release uses. Commit it; do not edit.\nversion: {LOCK_VERSION}\n"
        );
        if self.entries.is_empty() {
            out.push_str("releases: []\n");
            return out;
        }
        out.push_str("releases:\n");
        for e in &self.entries {
            out.push_str(&format!("  - release: {}\n", q(&e.release)));
            for (k, v) in [
                ("chart", &e.chart),
                ("constraint", &e.constraint),
                ("repository", &e.repository),
                ("version", &e.version),
                ("digest", &e.digest),
                ("source", &e.source),
            ] {
                out.push_str(&format!("    {k}: {}\n", q(v)));
            }
        }
        out
    }

    pub fn write(&self, path: &Path) -> Result<(), Diagnostic> {
        write_atomic(path, self.to_yaml().as_bytes()).map_err(|e| {
            Diagnostic::new(
                Location::file(path),
                format!("cannot write the lock file: {e}"),
            )
            .with_hint("check that the stack folder is writable")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_reports_bad_files() {
        let lock = Lock {
            entries: vec![LockEntry {
                release: "default/web".into(),
                chart: "repo/web".into(),
                constraint: "~1.0".into(),
                repository: "http://r".into(),
                version: "1.0".into(),
                digest: "sha256:ab".into(),
                source: "http://r/web-1.0.tgz".into(),
            }],
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(LOCK_FILE);
        lock.write(&path).unwrap();
        assert_eq!(Lock::read(&path).unwrap(), Some(lock.clone()));
        assert_eq!(lock.entries[0].digest_hex(), "ab");
        assert_eq!(Lock::read(&dir.path().join("none")).unwrap(), None);

        std::fs::write(
            &path,
            "version: 1\nreleases:\n  - release: x\n    bogus: 1\n",
        )
        .unwrap();
        let e = Lock::read(&path).unwrap_err().to_string();
        assert!(e.contains("stack.lock:4:5") && e.contains("bogus"), "{e}");
    }
}
