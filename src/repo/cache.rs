//! The on-disk cache: repository indexes with their validators (ETag, Last-Modified) and a
//! content-addressed chart store.
//!
//! Layout under the root (`--cache-dir`, else `$XDG_CACHE_HOME/rstack`, else
//! `~/.cache/rstack`):
//! - `indexes/<sha256(url)>/index.yaml` and `…/validators` (two lines: ETag, Last-Modified)
//! - `charts/sha256/<hex>.tgz`: archives named by their digest, so a chart present once is
//!   never downloaded again, whatever URL or registry it came from
//! - `urls/<sha256(url)>`: the digest last downloaded from a URL, for index entries that
//!   carry no digest
//!
//! Writes go to a temporary file renamed into place, so a crash or a concurrent run never
//! leaves a half-written archive under its final name.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{Error, Result};

/// The cache root.
#[derive(Clone, Debug)]
pub struct Cache {
    root: PathBuf,
}

/// What the server said about the cached index, sent back on the next request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

impl Cache {
    /// `dir` when given, else `$XDG_CACHE_HOME/rstack`, else `$HOME/.cache/rstack`.
    pub fn new(dir: Option<PathBuf>) -> Cache {
        let root = dir.unwrap_or_else(|| {
            let base = std::env::var_os("XDG_CACHE_HOME")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
                .unwrap_or_else(std::env::temp_dir);
            base.join("rstack")
        });
        Cache { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn index_dir(&self, repo_url: &str) -> PathBuf {
        self.root
            .join("indexes")
            .join(sha256_hex(repo_url.as_bytes()))
    }

    /// The cached index text and its validators, if any.
    pub fn read_index(&self, repo_url: &str) -> Option<(Vec<u8>, Validators)> {
        let dir = self.index_dir(repo_url);
        let data = std::fs::read(dir.join("index.yaml")).ok()?;
        let text = std::fs::read_to_string(dir.join("validators")).unwrap_or_default();
        let mut lines = text.lines();
        let field = |l: Option<&str>| l.map(str::to_string).filter(|s| !s.is_empty());
        let etag = field(lines.next());
        let last_modified = field(lines.next());
        Some((
            data,
            Validators {
                etag,
                last_modified,
            },
        ))
    }

    pub fn write_index(&self, repo_url: &str, data: &[u8], validators: &Validators) -> Result<()> {
        let dir = self.index_dir(repo_url);
        write_atomic(&dir.join("index.yaml"), data)?;
        let text = format!(
            "{}\n{}\n",
            validators.etag.as_deref().unwrap_or_default(),
            validators.last_modified.as_deref().unwrap_or_default()
        );
        write_atomic(&dir.join("validators"), text.as_bytes())?;
        // The URL itself, for people looking into the cache.
        write_atomic(&dir.join("url"), repo_url.as_bytes())
    }

    /// Where the archive with this digest lives (whether or not it is there).
    pub fn chart_path(&self, digest: &str) -> PathBuf {
        self.root
            .join("charts")
            .join("sha256")
            .join(format!("{digest}.tgz"))
    }

    /// The stored archive with this digest, if present.
    pub fn chart(&self, digest: &str) -> Option<PathBuf> {
        let p = self.chart_path(digest);
        p.is_file().then_some(p)
    }

    /// Stores verified archive bytes under their digest and remembers which URL gave them.
    pub fn store_chart(&self, data: &[u8], url: &str) -> Result<(String, PathBuf)> {
        let digest = sha256_hex(data);
        let path = self.chart_path(&digest);
        if !path.is_file() {
            write_atomic(&path, data)?;
        }
        write_atomic(
            &self.root.join("urls").join(sha256_hex(url.as_bytes())),
            digest.as_bytes(),
        )?;
        Ok((digest, path))
    }

    /// The digest last stored from `url`, when its archive is still in the store.
    pub fn digest_for_url(&self, url: &str) -> Option<String> {
        let digest =
            std::fs::read_to_string(self.root.join("urls").join(sha256_hex(url.as_bytes())))
                .ok()?;
        let digest = digest.trim().to_string();
        self.chart(&digest).map(|_| digest)
    }
}

/// Writes `data` to `path` through a temporary file in the same folder.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        unique_suffix()
    ));
    std::fs::write(&tmp, data).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}

/// Process id plus a counter: unique among concurrent writers on one machine.
fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_by_digest_and_remembers_urls() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(Some(dir.path().to_path_buf()));
        let (digest, path) = cache.store_chart(b"abc", "http://x/a.tgz").unwrap();
        assert_eq!(
            digest,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"abc");
        assert_eq!(cache.chart(&digest), Some(path));
        assert_eq!(cache.digest_for_url("http://x/a.tgz"), Some(digest));
        assert_eq!(cache.digest_for_url("http://x/b.tgz"), None);

        let v = Validators {
            etag: Some("\"e1\"".into()),
            last_modified: None,
        };
        cache.write_index("http://x", b"entries: {}", &v).unwrap();
        assert_eq!(
            cache.read_index("http://x"),
            Some((b"entries: {}".to_vec(), v))
        );
        assert_eq!(cache.read_index("http://y"), None);
    }
}
