//! A chart's own `dependencies` (Chart.yaml) that its `charts/` folder lacks, fetched the
//! way `helm dependency build/update` would (HELM-SEMANTICS.md §5.6): `repository:` is an
//! index URL, `@name` / `alias:name` (a repository of the stack), `oci://…`, or
//! `file://path` (a local chart checked against the version constraint).
//!
//! The result is a list of archives or directories; the chart loader reads them. This
//! module never loads templates or values.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::chart::load::load_chart;
use crate::chart::meta::parse_chart_yaml;
use crate::chart::model::{Dependency, Metadata};
use crate::chart::semver::Version;
use crate::span::{Diagnostic, Diagnostics, Location};
use crate::workspace::schema::Repository;

use super::fetch::{Ctx, FetchOptions};
use super::resolve::resolve_version;
use super::source::{OciRef, repo_for_oci};
use super::{Error, Result};

/// A dependency made available outside `charts/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartDependency {
    pub name: String,
    pub version: String,
    /// An archive in the store, or a chart directory (`file://`).
    pub path: PathBuf,
}

/// Fetches every dependency declared in `chart_dir/Chart.yaml` that `charts/` does not
/// hold. `repositories` are the stack's (for `@name` and credentials); `stack_dir`
/// resolves their relative CA files.
pub fn fetch_chart_dependencies(
    chart_dir: &Path,
    repositories: &[Repository],
    stack_dir: &Path,
    opts: &FetchOptions,
) -> std::result::Result<Vec<ChartDependency>, Diagnostics> {
    let chart_yaml = chart_dir.join("Chart.yaml");
    let at = Location::file(&chart_yaml);
    let text = std::fs::read_to_string(&chart_yaml).map_err(|e| {
        Diagnostic::new(at.clone(), format!("cannot read Chart.yaml: {e}"))
            .with_hint("the chart folder must hold a Chart.yaml")
    })?;
    let mut meta = Metadata::default();
    parse_chart_yaml(&text, &mut meta).map_err(|e| {
        Diagnostic::new(Location::new(&chart_yaml, e.pos), e.message).with_hint("fix Chart.yaml")
    })?;
    let present = present_subcharts(&chart_dir.join("charts"));
    let missing: Vec<&Dependency> = meta
        .dependencies
        .iter()
        .filter(|d| !present.iter().any(|n| n == &d.name))
        .collect();
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    let repos: Vec<Arc<Repository>> = repositories.iter().cloned().map(Arc::new).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Diagnostic::new(at.clone(), format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let ctx = Ctx::new(opts, stack_dir);
        let results = futures_util::future::join_all(
            missing
                .iter()
                .map(|d| fetch_one(&ctx, chart_dir, d, &repos)),
        )
        .await;
        let mut out = Vec::new();
        let mut problems = Vec::new();
        for (d, r) in missing.iter().zip(results) {
            match r {
                Ok(dep) => out.push(dep),
                Err(e) => problems.push(
                    Diagnostic::new(at.clone(), format!("dependency `{}`: {e}", d.name))
                        .with_hint(e.hint()),
                ),
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(Diagnostics(problems))
        }
    })
}

/// Names of the charts under `charts/` (directories and archives that load).
fn present_subcharts(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| load_chart(&e.path()).ok())
        .map(|c| c.metadata.name)
        .collect()
}

async fn fetch_one(
    ctx: &Ctx,
    chart_dir: &Path,
    dep: &Dependency,
    repos: &[Arc<Repository>],
) -> std::result::Result<ChartDependency, Arc<Error>> {
    let requested = Some(dep.version.as_str()).filter(|v| !v.is_empty());
    let repository = dep.repository.trim();
    let done = |s: super::fetch::Stored| ChartDependency {
        name: dep.name.clone(),
        version: s.version,
        path: s.path,
    };
    if let Some(path) = repository.strip_prefix("file://") {
        return local_dependency(chart_dir, path, dep).map_err(Arc::new);
    }
    if repository.is_empty() {
        return Err(Arc::new(Error::BadReference {
            chart: dep.name.clone(),
            message: "it is not in charts/ and has no `repository`".into(),
        }));
    }
    let named = repository
        .strip_prefix('@')
        .or_else(|| repository.strip_prefix("alias:"));
    let repo: Arc<Repository> = match named {
        Some(name) => repos
            .iter()
            .find(|r| r.name == name)
            .cloned()
            .ok_or_else(|| {
                Arc::new(Error::UnknownRepo {
                    name: name.to_string(),
                    candidates: repos.iter().map(|r| r.name.clone()).collect(),
                })
            })?,
        None if repository.starts_with("oci://") => {
            let reference = OciRef::parse(&format!(
                "{}/{}",
                repository.trim_end_matches('/'),
                dep.name
            ))
            .map_err(Arc::new)?;
            let repo = repo_for_oci(&reference, repos);
            return ctx
                .fetch_from_oci(&reference, repo.as_deref(), requested)
                .await
                .map(done);
        }
        None => repos
            .iter()
            .find(|r| {
                r.url.as_deref().map(|u| u.trim_end_matches('/'))
                    == Some(repository.trim_end_matches('/'))
            })
            .cloned()
            .unwrap_or_else(|| {
                Arc::new(Repository {
                    name: repository.to_string(),
                    url: Some(repository.to_string()),
                    path: None,
                    username_env: None,
                    password_env: None,
                    token_env: None,
                    ca_file: None,
                    insecure_skip_tls_verify: false,
                })
            }),
    };
    let url = repo.url.clone().unwrap_or_default();
    if url.starts_with("oci://") {
        let reference = OciRef::parse(&format!("{}/{}", url.trim_end_matches('/'), dep.name))
            .map_err(Arc::new)?;
        return ctx
            .fetch_from_oci(&reference, Some(&repo), requested)
            .await
            .map(done);
    }
    if let Some(path) = &repo.path {
        let dir = PathBuf::from(path).join(&dep.name);
        return local_dependency(chart_dir, &dir.to_string_lossy(), dep).map_err(Arc::new);
    }
    ctx.fetch_from_index(&repo, &dep.name, requested)
        .await
        .map(done)
}

/// A `file://` dependency: the chart must exist and its version satisfy the constraint.
fn local_dependency(chart_dir: &Path, path: &str, dep: &Dependency) -> Result<ChartDependency> {
    let dir = chart_dir.join(path);
    let chart = load_chart(&dir).map_err(|e| Error::BadReference {
        chart: format!("file://{path}"),
        message: e.to_string(),
    })?;
    let version = chart.metadata.version.clone();
    if !dep.version.is_empty() {
        let constraint = resolve_version(Some(&dep.version))?;
        let ok = Version::parse(&version).is_ok_and(|v| constraint.matches(&v));
        if !ok {
            return Err(Error::NoVersion {
                chart: format!("file://{path}"),
                constraint: dep.version.clone(),
                available: vec![version],
            });
        }
    }
    Ok(ChartDependency {
        name: dep.name.clone(),
        version,
        path: dir,
    })
}
