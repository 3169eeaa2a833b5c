//! Chart sources: HTTP index repositories, OCI registries, the cache and `stack.lock`.
//!
//! Input: a loaded [`Stack`](crate::workspace::Stack) (its repositories and each release's
//! `chart` + `version`) or a chart's declared dependencies. Output: chart archives in a
//! content-addressed store, verified and checked as safe to unpack, and `stack.lock`.
//! This stage resolves and fetches; it never renders, and `chart` never imports it. It is
//! the only stage doing network IO (tokio + reqwest with rustls).
//!
//! One file per job: `index` (index.yaml), `resolve` (Helm's version choice), `http`
//! (clients, auth, conditional GET), `oci` (registry API v2), `cache` (index cache and
//! chart store), `lock` (`stack.lock`), `fetch` (the concurrent pipeline and progress).

mod cache;
mod deps;
mod fetch;
mod http;
mod index;
mod lock;
mod oci;
mod resolve;
mod source;

use std::path::PathBuf;

pub use cache::Cache;
pub use deps::{ChartDependency, fetch_chart_dependencies};
pub use fetch::{
    DepsMode, DepsOutcome, FetchOptions, Progress, RepoUpdate, ensure_charts, run_deps,
    update_repositories,
};
pub use index::{ChartVersion, IndexFile, parse_index};
pub use lock::{LOCK_FILE, Lock, LockEntry};
pub use resolve::{resolve_version, select_version};
pub use source::{ChartSource, OciRef, classify_chart};

use crate::chart::load::LoadError;
use crate::span::did_you_mean;

/// One failure while resolving or fetching a chart. Each names the URL or file involved;
/// [`Error::hint`] says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot connect to {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("{url}: no answer within {secs} s")]
    Timeout { url: String, secs: u64 },
    #[error("GET {url}: the server answered {status}")]
    Status { url: String, status: String },
    #[error("{url}: invalid repository index: {message}")]
    Index { url: String, message: String },
    #[error("chart `{chart}` is not in repository `{repo}` ({url})")]
    NoChart {
        repo: String,
        chart: String,
        url: String,
        candidates: Vec<String>,
    },
    #[error(
        "no version of chart `{chart}` matches `{constraint}`{}",
        available_list(available)
    )]
    NoVersion {
        chart: String,
        constraint: String,
        available: Vec<String>,
    },
    #[error("invalid version constraint `{constraint}`: {message}")]
    BadConstraint { constraint: String, message: String },
    #[error(
        "digest mismatch for {url}: expected sha256:{expected}, the downloaded archive is sha256:{actual}"
    )]
    Digest {
        url: String,
        expected: String,
        actual: String,
    },
    #[error("unsafe chart archive from {url}: {source}")]
    Archive {
        url: String,
        #[source]
        source: LoadError,
    },
    #[error("unknown repository `{name}`")]
    UnknownRepo {
        name: String,
        candidates: Vec<String>,
    },
    #[error("environment variable `{var}` (named by repository `{repo}`) is not set")]
    MissingEnv { repo: String, var: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{url}: {message}")]
    Registry { url: String, message: String },
    #[error("repository `{repo}`: {message}")]
    Tls { repo: String, message: String },
    #[error("invalid chart reference `{chart}`: {message}")]
    BadReference { chart: String, message: String },
}

fn available_list(available: &[String]) -> String {
    const SHOWN: usize = 8;
    if available.is_empty() {
        return " (the chart has no versions)".into();
    }
    let mut s = format!(
        " (available: {}",
        available[..available.len().min(SHOWN)].join(", ")
    );
    if available.len() > SHOWN {
        s.push_str(&format!(", … {} more", available.len() - SHOWN));
    }
    s.push(')');
    s
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// What the user can do about it (one line).
    pub fn hint(&self) -> String {
        match self {
            Error::Unreachable { .. } => {
                "check the repository URL and your network (proxy, DNS, firewall)".into()
            }
            Error::Timeout { .. } => {
                "the server is slow or unreachable; retry, or raise the limit with --http-timeout"
                    .into()
            }
            Error::Status { status, .. } if status.starts_with("401") || status.starts_with("403") => {
                "the repository wants credentials: set usernameEnv/passwordEnv or tokenEnv on it and export those variables".into()
            }
            Error::Status { status, .. } if status.starts_with("404") => {
                "the file is not there: check the repository URL, or run `rstack repo update` if the index is stale".into()
            }
            Error::Status { .. } => "the repository server failed; retry later".into(),
            Error::Index { .. } => {
                "the URL must point at a Helm repository (a folder serving index.yaml)".into()
            }
            Error::NoChart {
                chart, candidates, ..
            } => did_you_mean(chart, candidates.iter().map(String::as_str)),
            Error::NoVersion { .. } => {
                "change `version` to match one of the available versions; pre-releases match only constraints that name one (e.g. `>=1.0.0-0`)".into()
            }
            Error::BadConstraint { .. } => {
                "write a Helm constraint such as `1.2.3`, `~1.2`, `^1`, `1.2.x` or `>=1.2 <2.0`"
                    .into()
            }
            Error::Digest { .. } => {
                "the archive differs from what the repository index (or stack.lock) records: the chart was replaced or tampered with; do not use it until the repository owner confirms".into()
            }
            Error::Archive { .. } => {
                "the archive is refused before anything is unpacked; report it to the chart's maintainers".into()
            }
            Error::UnknownRepo { name, candidates } => format!(
                "declare it under `repositories:`; {}",
                did_you_mean(name, candidates.iter().map(String::as_str))
            ),
            Error::MissingEnv { var, .. } => format!("export {var}=… before running rstack"),
            Error::Io { .. } => "check the path and its permissions".into(),
            Error::Registry { .. } => {
                "check the oci:// reference and the registry credentials (tokenEnv or usernameEnv/passwordEnv)".into()
            }
            Error::Tls { .. } => "caFile must be a PEM file with one or more certificates".into(),
            Error::BadReference { .. } => {
                "write `./path`, `repo/chart` or `oci://host/path/chart`".into()
            }
        }
    }
}
