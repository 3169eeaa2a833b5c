//! What a release's `chart:` names: a local path, a chart in an index repository, or an
//! OCI reference.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::workspace::schema::Repository;

use super::{Error, Result};

/// Where a chart comes from.
#[derive(Clone, Debug)]
pub enum ChartSource {
    /// A directory or archive on disk; nothing to fetch.
    Local(PathBuf),
    /// `repo/name` where `repo` has an `http(s)://` URL.
    Index { repo: Arc<Repository>, name: String },
    /// `oci://…`, written directly or through a repository with an `oci://` URL. `repo`
    /// gives credentials and TLS settings when one matches.
    Oci {
        reference: OciRef,
        repo: Option<Arc<Repository>>,
    },
}

impl ChartSource {
    /// The repository URL recorded in the lock (empty for local charts).
    pub fn repository_url(&self) -> String {
        match self {
            ChartSource::Local(_) => String::new(),
            ChartSource::Index { repo, .. } => repo.url.clone().unwrap_or_default(),
            ChartSource::Oci { reference, .. } => reference.to_string(),
        }
    }
}

/// `oci://registry/repository` (the repository path ends with the chart name).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OciRef {
    /// `host` or `host:port`.
    pub registry: String,
    /// `path/to/chart`.
    pub repository: String,
}

impl OciRef {
    /// Parses `oci://host[:port]/path/chart`; a `:tag` or `@digest` suffix is refused
    /// (the version comes from the `version` field).
    pub fn parse(s: &str) -> Result<OciRef> {
        let bad = |message: &str| Error::BadReference {
            chart: s.to_string(),
            message: message.to_string(),
        };
        let rest = s
            .strip_prefix("oci://")
            .ok_or_else(|| bad("an OCI reference starts with oci://"))?;
        let (registry, repository) = rest
            .split_once('/')
            .ok_or_else(|| bad("the reference needs a path after the registry host"))?;
        let repository = repository.trim_end_matches('/');
        if registry.is_empty() || repository.is_empty() {
            return Err(bad("the reference needs a registry host and a path"));
        }
        let last = repository.rsplit('/').next().unwrap_or(repository);
        if last.contains(':') || repository.contains('@') {
            return Err(bad(
                "put the version in the release's `version` field, not in the reference",
            ));
        }
        let valid = repository.split('/').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
        });
        if !valid {
            return Err(bad(
                "registry paths are lowercase letters, digits, `.`, `_`, `-` separated by `/`",
            ));
        }
        Ok(OciRef {
            registry: registry.to_string(),
            repository: repository.to_string(),
        })
    }

    /// The chart name (last path component).
    pub fn chart_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }
}

impl std::fmt::Display for OciRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "oci://{}/{}", self.registry, self.repository)
    }
}

/// Classifies a release's `chart:` text. `dir` is the stack file's folder (local paths are
/// relative to it).
pub fn classify_chart(
    chart: &str,
    repositories: &[Arc<Repository>],
    dir: &Path,
) -> Result<ChartSource> {
    if chart.starts_with("oci://") {
        let reference = OciRef::parse(chart)?;
        return Ok(ChartSource::Oci {
            repo: repo_for_oci(&reference, repositories),
            reference,
        });
    }
    if chart.starts_with('.') || chart.starts_with('/') || chart.ends_with(".tgz") {
        return Ok(ChartSource::Local(dir.join(chart)));
    }
    let Some((repo_name, name)) = chart
        .split_once('/')
        .filter(|(r, n)| !r.is_empty() && !n.is_empty())
    else {
        return Err(Error::BadReference {
            chart: chart.to_string(),
            message: "neither a path nor `repository/chart`".into(),
        });
    };
    let Some(repo) = repositories.iter().find(|r| r.name == repo_name) else {
        return Err(Error::UnknownRepo {
            name: repo_name.to_string(),
            candidates: repositories.iter().map(|r| r.name.clone()).collect(),
        });
    };
    if let Some(path) = &repo.path {
        return Ok(ChartSource::Local(dir.join(path).join(name)));
    }
    let url = repo.url.as_deref().unwrap_or_default();
    if url.starts_with("oci://") {
        let reference = OciRef::parse(&format!("{}/{name}", url.trim_end_matches('/')))?;
        return Ok(ChartSource::Oci {
            reference,
            repo: Some(repo.clone()),
        });
    }
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(Error::BadReference {
            chart: chart.to_string(),
            message: format!(
                "repository `{repo_name}` has neither a `path` nor an http(s):// or oci:// `url`"
            ),
        });
    }
    Ok(ChartSource::Index {
        repo: repo.clone(),
        name: name.to_string(),
    })
}

/// The declared `oci://` repository whose URL is a prefix of `reference` (for credentials).
pub fn repo_for_oci(
    reference: &OciRef,
    repositories: &[Arc<Repository>],
) -> Option<Arc<Repository>> {
    let full = reference.to_string();
    repositories
        .iter()
        .filter(|r| {
            r.url.as_deref().is_some_and(|u| {
                let u = u.trim_end_matches('/');
                u.starts_with("oci://") && (full == u || full.starts_with(&format!("{u}/")))
            })
        })
        .max_by_key(|r| r.url.as_ref().map_or(0, String::len))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(name: &str, url: &str) -> Arc<Repository> {
        Arc::new(Repository {
            name: name.into(),
            url: Some(url.into()),
            path: None,
            username_env: None,
            password_env: None,
            token_env: None,
            ca_file: None,
            insecure_skip_tls_verify: false,
        })
    }

    #[test]
    fn classifies_references() {
        let repos = vec![
            repo("b", "https://x/charts"),
            repo("o", "oci://reg:5000/charts"),
        ];
        let dir = Path::new("/s");
        assert!(
            matches!(classify_chart("./c", &repos, dir), Ok(ChartSource::Local(p)) if p == Path::new("/s/./c"))
        );
        assert!(
            matches!(classify_chart("b/nginx", &repos, dir), Ok(ChartSource::Index { name, .. }) if name == "nginx")
        );
        match classify_chart("o/web", &repos, dir) {
            Ok(ChartSource::Oci { reference, repo }) => {
                assert_eq!(reference.to_string(), "oci://reg:5000/charts/web");
                assert_eq!(repo.map(|r| r.name.clone()).as_deref(), Some("o"));
            }
            other => panic!("{other:?}"),
        }
        match classify_chart("oci://reg:5000/charts/web", &repos, dir) {
            Ok(ChartSource::Oci { repo, .. }) => assert!(repo.is_some()),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            classify_chart("c/x", &repos, dir),
            Err(Error::UnknownRepo { .. })
        ));
        assert!(OciRef::parse("oci://reg/charts/web:1.0").is_err());
        assert!(OciRef::parse("oci://reg").is_err());
    }
}
