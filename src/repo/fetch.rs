//! The fetch pipeline: every remote chart of a stack resolved and downloaded concurrently
//! (at most `concurrency` requests at once), each repository index fetched once per run,
//! each archive downloaded once (shared between releases, and never again once stored),
//! verified (digest, safe to unpack) before it enters the store.
//!
//! Progress: a bar on a TTY, one plain line per step otherwise, nothing when quiet.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::{OnceCell, Semaphore};

use crate::chart::load::{ArchiveLimits, unpack_archive};
use crate::span::{Diagnostic, Diagnostics, Location};
use crate::workspace::Stack;
use crate::workspace::schema::Repository;

use super::cache::{Cache, sha256_hex};
use super::http::{Fetched, HttpClient, resolve_url};
use super::index::{IndexFile, parse_index};
use super::lock::{LOCK_FILE, Lock, LockEntry};
use super::oci::OciClient;
use super::resolve::{resolve_version, select_version};
use super::source::{ChartSource, OciRef, classify_chart};
use super::{Error, Result};

/// How the pipeline runs.
#[derive(Clone, Debug)]
pub struct FetchOptions {
    /// Cache root (default `$XDG_CACHE_HOME/rstack`).
    pub cache_dir: Option<PathBuf>,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Per request, connection included.
    pub timeout: Duration,
    pub progress: Progress,
    /// Limits a downloaded archive must respect to enter the store.
    pub limits: ArchiveLimits,
}

impl Default for FetchOptions {
    fn default() -> FetchOptions {
        FetchOptions {
            cache_dir: None,
            concurrency: 8,
            timeout: Duration::from_secs(60),
            progress: Progress::Auto,
            limits: ArchiveLimits::default(),
        }
    }
}

/// Progress output on stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// A bar on a TTY, plain lines otherwise.
    Auto,
    Plain,
    Quiet,
}

/// What `stack.lock` is used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepsMode {
    /// `rstack deps`: keep matching entries, resolve the rest, write the lock.
    Update,
    /// `rstack deps --frozen`: the lock must exist and match; nothing is resolved or written.
    Frozen,
    /// Rendering: matching entries are used, the rest resolved, the lock left as it is.
    UseLock,
}

/// The result of a run.
#[derive(Clone, Debug, Default)]
pub struct DepsOutcome {
    /// The lock as it now stands (written in `Update` mode).
    pub lock: Lock,
    /// `namespace/name` → the chart archive in the store (remote charts only).
    pub charts: BTreeMap<String, PathBuf>,
    /// Releases resolved in this run (not taken from the lock).
    pub resolved: Vec<String>,
    /// Archives downloaded in this run.
    pub downloaded: usize,
    pub lock_written: bool,
    pub lock_path: PathBuf,
}

/// What `rstack repo update` did to one repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RepoUpdate {
    Updated { name: String, charts: usize },
    Unchanged { name: String, charts: usize },
    Skipped { name: String, why: &'static str },
}

type Shared<T> = std::result::Result<T, Arc<Error>>;
/// One result per key, computed by the first task asking and awaited by the others.
type Once<T> = Mutex<HashMap<String, Arc<OnceCell<Shared<T>>>>>;

/// A chart resolved and stored.
#[derive(Clone, Debug)]
pub(super) struct Stored {
    pub version: String,
    pub digest: String,
    pub path: PathBuf,
    pub source: String,
}

/// Shared state of one run.
pub(super) struct Ctx {
    pub cache: Cache,
    opts: FetchOptions,
    dir: PathBuf,
    sem: Semaphore,
    clients: Mutex<HashMap<String, Arc<HttpClient>>>,
    indexes: Once<Arc<IndexFile>>,
    downloads: Once<(String, PathBuf)>,
    downloaded: Mutex<usize>,
    /// Registry bearer tokens by `registry/repository`, reused for the whole run.
    tokens: Mutex<HashMap<String, String>>,
    reporter: Reporter,
}

impl Ctx {
    pub fn new(opts: &FetchOptions, dir: &Path) -> Ctx {
        Ctx {
            cache: Cache::new(opts.cache_dir.clone()),
            opts: opts.clone(),
            dir: dir.to_path_buf(),
            sem: Semaphore::new(opts.concurrency.max(1)),
            clients: Mutex::default(),
            indexes: Mutex::default(),
            downloads: Mutex::default(),
            downloaded: Mutex::new(0),
            tokens: Mutex::default(),
            reporter: Reporter::new(opts.progress),
        }
    }

    fn client(&self, repo: Option<&Repository>) -> Result<Arc<HttpClient>> {
        let key = repo.map_or_else(String::new, |r| format!("{}\0{:?}", r.name, r.url));
        if let Some(c) = self.clients.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(c);
        }
        let client = Arc::new(HttpClient::new(repo, &self.dir, self.opts.timeout)?);
        if let Ok(mut m) = self.clients.lock() {
            m.insert(key, client.clone());
        }
        Ok(client)
    }

    /// The repository's index: revalidated with a conditional GET once per run.
    pub async fn index(&self, repo: &Repository) -> Shared<Arc<IndexFile>> {
        let url = repo.url.clone().unwrap_or_default();
        let cell = {
            let mut m = self.indexes.lock().map_err(|_| poisoned())?;
            // Keyed by name too: two repositories may share a URL with different credentials.
            m.entry(format!("{}\0{url}", repo.name))
                .or_default()
                .clone()
        };
        cell.get_or_init(|| async { self.fetch_index(repo, &url).await.map_err(Arc::new) })
            .await
            .clone()
    }

    async fn fetch_index(&self, repo: &Repository, repo_url: &str) -> Result<Arc<IndexFile>> {
        let client = self.client(Some(repo))?;
        let url = format!("{}/index.yaml", repo_url.trim_end_matches('/'));
        let cached = self.cache.read_index(repo_url);
        let fetched = {
            let _permit = self.sem.acquire().await.map_err(|_| closed())?;
            match client
                .get_conditional(&url, cached.as_ref().map(|(_, v)| v))
                .await
            {
                Err(Error::Status { status, .. }) if status.starts_with("404") => {
                    return Err(Error::Index {
                        url,
                        message: "there is no index.yaml here (404 Not Found)".into(),
                    });
                }
                other => other?,
            }
        };
        let data = match fetched {
            Fetched::NotModified => {
                self.reporter
                    .line(format!("index {}: not modified", repo.name));
                cached.map(|(d, _)| d).unwrap_or_default()
            }
            Fetched::Body { data, validators } => {
                self.reporter
                    .line(format!("index {}: downloaded", repo.name));
                self.cache.write_index(repo_url, &data, &validators)?;
                data
            }
        };
        let url2 = url.clone();
        let index = tokio::task::spawn_blocking(move || {
            let text = String::from_utf8_lossy(&data);
            parse_index(&text, &url2)
        })
        .await
        .map_err(|e| Error::Index {
            url,
            message: e.to_string(),
        })??;
        Ok(Arc::new(index))
    }

    /// Downloads `url` once per run (shared by every release asking for it) unless the
    /// store already has `expected`, verifies it and stores it.
    async fn download(
        &self,
        client: &HttpClient,
        url: &str,
        expected: Option<&str>,
    ) -> Shared<(String, PathBuf)> {
        if let Some(d) = expected {
            if let Some(p) = self.cache.chart(d) {
                return Ok((d.to_string(), p));
            }
        } else if let Some(d) = self.cache.digest_for_url(url) {
            let p = self.cache.chart_path(&d);
            return Ok((d, p));
        }
        let cell = {
            let mut m = self.downloads.lock().map_err(|_| poisoned())?;
            m.entry(url.to_string()).or_default().clone()
        };
        cell.get_or_init(|| async {
            let data = {
                let _permit = self.sem.acquire().await.map_err(|_| Arc::new(closed()))?;
                client
                    .get_bytes(url, self.max_download())
                    .await
                    .map_err(Arc::new)?
            };
            self.verify_and_store(url, data, expected)
                .await
                .map_err(Arc::new)
        })
        .await
        .clone()
    }

    fn max_download(&self) -> u64 {
        // A gzip archive is never larger than what it unpacks to, plus framing.
        self.opts.limits.max_total_size + 1024 * 1024
    }

    /// Checks the digest and that the archive is safe to unpack, then stores it.
    async fn verify_and_store(
        &self,
        url: &str,
        data: Vec<u8>,
        expected: Option<&str>,
    ) -> Result<(String, PathBuf)> {
        let limits = self.opts.limits;
        let (url_owned, expected_owned) = (url.to_string(), expected.map(str::to_string));
        let data = tokio::task::spawn_blocking(move || -> Result<Vec<u8>> {
            let actual = sha256_hex(&data);
            if let Some(expected) = expected_owned
                && !expected.eq_ignore_ascii_case(&actual)
            {
                return Err(Error::Digest {
                    url: url_owned,
                    expected,
                    actual,
                });
            }
            let name = url_owned.rsplit('/').next().unwrap_or(&url_owned);
            unpack_archive(Path::new(name), &data, &limits).map_err(|source| Error::Archive {
                url: url_owned.clone(),
                source,
            })?;
            Ok(data)
        })
        .await
        .map_err(|e| Error::Registry {
            url: url.to_string(),
            message: e.to_string(),
        })??;
        let stored = self.cache.store_chart(&data, url)?;
        if let Ok(mut n) = self.downloaded.lock() {
            *n += 1;
        }
        self.reporter.line(format!("downloaded {url}"));
        Ok(stored)
    }

    /// Resolves `name` in an index repository and stores the archive.
    pub async fn fetch_from_index(
        &self,
        repo: &Repository,
        name: &str,
        requested: Option<&str>,
    ) -> Shared<Stored> {
        let index = self.index(repo).await?;
        let repo_url = repo.url.clone().unwrap_or_default();
        let Some(versions) = index.entries.get(name) else {
            return Err(Arc::new(Error::NoChart {
                repo: repo.name.clone(),
                chart: name.to_string(),
                url: repo_url,
                candidates: index.entries.keys().cloned().collect(),
            }));
        };
        // `helm dependency update` only considers versions with a download URL.
        let usable: Vec<_> = versions.iter().filter(|v| !v.urls.is_empty()).collect();
        let constraint = resolve_version(requested).map_err(Arc::new)?;
        let Some(i) = select_version(
            usable.iter().map(|v| (v.version.as_str(), &v.parsed)),
            requested,
            &constraint,
        ) else {
            return Err(Arc::new(Error::NoVersion {
                chart: format!("{}/{name}", repo.name),
                constraint: requested
                    .filter(|r| !r.is_empty())
                    .unwrap_or("*")
                    .to_string(),
                available: versions.iter().map(|v| v.version.clone()).collect(),
            }));
        };
        let cv = usable[i];
        let url = resolve_url(&repo_url, &cv.urls[0]).map_err(Arc::new)?;
        let client = self.client(Some(repo)).map_err(Arc::new)?;
        let (digest, path) = self.download(&client, &url, cv.digest.as_deref()).await?;
        Ok(Stored {
            version: cv.version.clone(),
            digest,
            path,
            source: url,
        })
    }

    /// Resolves an OCI chart and stores its chart layer.
    pub async fn fetch_from_oci(
        &self,
        reference: &OciRef,
        repo: Option<&Repository>,
        requested: Option<&str>,
    ) -> Shared<Stored> {
        let client = self.client(repo).map_err(Arc::new)?;
        let oci = self.oci_client(&client, reference);
        let (version, layer) = {
            let _permit = self.sem.acquire().await.map_err(|_| Arc::new(closed()))?;
            let resolved = async {
                let version = oci.resolve(requested).await?;
                let layer = oci.chart_layer(&version).await?;
                Ok((version, layer))
            }
            .await;
            self.keep_token(reference, &oci);
            resolved.map_err(Arc::new)?
        };
        if layer.size > self.max_download() {
            return Err(Arc::new(Error::Registry {
                url: reference.to_string(),
                message: format!(
                    "the chart layer of version {version} is {} bytes, over the {} byte limit",
                    layer.size,
                    self.max_download()
                ),
            }));
        }
        let source = format!("{reference}:{version}");
        let (digest, path) = self.oci_blob(&oci, &layer.digest).await?;
        Ok(Stored {
            version,
            digest,
            path,
            source,
        })
    }

    /// The chart layer `digest`, from the store or the registry.
    async fn oci_blob(&self, oci: &OciClient<'_>, digest: &str) -> Shared<(String, PathBuf)> {
        if let Some(p) = self.cache.chart(digest) {
            return Ok((digest.to_string(), p));
        }
        let cell = {
            let mut m = self.downloads.lock().map_err(|_| poisoned())?;
            m.entry(format!("sha256:{digest}")).or_default().clone()
        };
        cell.get_or_init(|| async {
            let (url, data) = {
                let _permit = self.sem.acquire().await.map_err(|_| Arc::new(closed()))?;
                oci.blob(digest, self.max_download())
                    .await
                    .map_err(Arc::new)?
            };
            self.verify_and_store(&url, data, Some(digest))
                .await
                .map_err(Arc::new)
        })
        .await
        .clone()
    }

    /// Makes sure a locked archive is in the store, downloading it from its recorded
    /// source only when missing; its digest must still be the locked one.
    async fn fetch_locked(&self, entry: &LockEntry, source: &ChartSource) -> Shared<PathBuf> {
        let digest = entry.digest_hex();
        if let Some(p) = self.cache.chart(digest) {
            return Ok(p);
        }
        match source {
            ChartSource::Oci { reference, repo } => {
                let client = self.client(repo.as_deref()).map_err(Arc::new)?;
                let oci = self.oci_client(&client, reference);
                self.oci_blob(&oci, digest).await.map(|(_, p)| p)
            }
            ChartSource::Index { repo, .. } => {
                let client = self.client(Some(repo)).map_err(Arc::new)?;
                self.download(&client, &entry.source, Some(digest))
                    .await
                    .map(|(_, p)| p)
            }
            ChartSource::Local(_) => Err(Arc::new(Error::BadReference {
                chart: entry.chart.clone(),
                message: "a local chart has no lock entry".into(),
            })),
        }
    }

    fn oci_client<'c>(&self, client: &'c HttpClient, reference: &'c OciRef) -> OciClient<'c> {
        let token = self
            .tokens
            .lock()
            .ok()
            .and_then(|t| t.get(&reference.to_string()).cloned());
        OciClient::new(client, reference, token)
    }

    fn keep_token(&self, reference: &OciRef, oci: &OciClient<'_>) {
        if let (Some(token), Ok(mut tokens)) = (oci.token(), self.tokens.lock()) {
            tokens.insert(reference.to_string(), token);
        }
    }

    pub fn downloaded(&self) -> usize {
        self.downloaded.lock().map_or(0, |n| *n)
    }
}

fn poisoned() -> Arc<Error> {
    Arc::new(Error::Registry {
        url: String::new(),
        message: "internal error: a lock was poisoned".into(),
    })
}

fn closed() -> Error {
    Error::Registry {
        url: String::new(),
        message: "internal error: the download limiter closed".into(),
    }
}

/// A release problem at its stack entry.
fn release_problem(at: &Location, id: &str, e: &Error) -> Diagnostic {
    Diagnostic::new(at.clone(), format!("release `{id}`: {e}")).with_hint(e.hint())
}

/// A current-thread-free runtime for the synchronous entry points.
fn runtime() -> std::result::Result<tokio::runtime::Runtime, Diagnostics> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            Diagnostic::new(
                Location::file("<runtime>"),
                format!("cannot start the async runtime: {e}"),
            )
            .into()
        })
}

/// `rstack deps` (and, in `UseLock` mode, chart preparation for rendering).
pub fn run_deps(
    stack: &Stack,
    opts: &FetchOptions,
    mode: DepsMode,
) -> std::result::Result<DepsOutcome, Diagnostics> {
    runtime()?.block_on(deps(stack, opts, mode))
}

/// The archives of every remote chart of the stack, using `stack.lock` when present.
pub fn ensure_charts(
    stack: &Stack,
    opts: &FetchOptions,
) -> std::result::Result<BTreeMap<String, PathBuf>, Diagnostics> {
    run_deps(stack, opts, DepsMode::UseLock).map(|o| o.charts)
}

struct Want<'a> {
    id: String,
    release: &'a crate::workspace::Release,
    source: ChartSource,
    pinned: Option<LockEntry>,
}

async fn deps(
    stack: &Stack,
    opts: &FetchOptions,
    mode: DepsMode,
) -> std::result::Result<DepsOutcome, Diagnostics> {
    let repos: Vec<Arc<Repository>> = stack.repositories.iter().cloned().map(Arc::new).collect();
    let lock_path = stack.dir.join(LOCK_FILE);
    let old = Lock::read(&lock_path)?;
    let mut problems = Vec::new();
    let mut wants = Vec::new();
    for release in &stack.releases {
        let id = release.id();
        match classify_chart(&release.chart, &repos, &stack.dir) {
            Ok(ChartSource::Local(_)) => {}
            Ok(source) => {
                let constraint = release.version.clone().unwrap_or_default();
                let pinned = old
                    .as_ref()
                    .and_then(|l| l.entry(&id))
                    .filter(|e| {
                        e.chart == release.chart
                            && e.constraint == constraint
                            && e.repository == source.repository_url()
                    })
                    .cloned();
                wants.push(Want {
                    id,
                    release,
                    source,
                    pinned,
                });
            }
            Err(e) => problems.push(release_problem(&release.at, &id, &e)),
        }
    }
    if mode == DepsMode::Frozen {
        problems.extend(frozen_problems(&lock_path, old.as_ref(), &wants));
    }
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }

    let ctx = Ctx::new(opts, &stack.dir);
    ctx.reporter.start(wants.len());
    let results = futures_util::future::join_all(wants.iter().map(|w| async {
        let r = match &w.pinned {
            Some(entry) => ctx
                .fetch_locked(entry, &w.source)
                .await
                .map(|path| (entry.clone(), path, false)),
            None => {
                let requested = w.release.version.as_deref();
                let stored = match &w.source {
                    ChartSource::Index { repo, name } => {
                        ctx.fetch_from_index(repo, name, requested).await
                    }
                    ChartSource::Oci { reference, repo } => {
                        ctx.fetch_from_oci(reference, repo.as_deref(), requested)
                            .await
                    }
                    ChartSource::Local(_) => unreachable_local(),
                };
                stored.map(|s| {
                    let entry = LockEntry {
                        release: w.id.clone(),
                        chart: w.release.chart.clone(),
                        constraint: requested.unwrap_or_default().to_string(),
                        repository: w.source.repository_url(),
                        version: s.version,
                        digest: format!("sha256:{}", s.digest),
                        source: s.source,
                    };
                    (entry, s.path, true)
                })
            }
        };
        ctx.reporter.done(&w.id, r.as_ref().ok().map(|(e, _, _)| e));
        r
    }))
    .await;
    ctx.reporter.finish();

    let mut outcome = DepsOutcome {
        lock_path: lock_path.clone(),
        ..DepsOutcome::default()
    };
    for (w, r) in wants.iter().zip(results) {
        match r {
            Ok((entry, path, resolved)) => {
                if resolved {
                    outcome.resolved.push(w.id.clone());
                }
                outcome.charts.insert(w.id.clone(), path);
                outcome.lock.entries.push(entry);
            }
            Err(e) => problems.push(release_problem(&w.release.at, &w.id, &e)),
        }
    }
    outcome.downloaded = ctx.downloaded();
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let nothing_to_lock = old.is_none() && outcome.lock.entries.is_empty();
    if mode == DepsMode::Update && !nothing_to_lock && old.as_ref() != Some(&outcome.lock) {
        outcome.lock.write(&lock_path)?;
        outcome.lock_written = true;
    }
    Ok(outcome)
}

fn unreachable_local() -> Shared<Stored> {
    Err(Arc::new(Error::BadReference {
        chart: String::new(),
        message: "internal error: a local chart reached the fetcher".into(),
    }))
}

/// Why `--frozen` refuses: no lock, or releases whose entry is missing or differs, or
/// entries for releases the stack no longer has.
fn frozen_problems(lock_path: &Path, lock: Option<&Lock>, wants: &[Want<'_>]) -> Vec<Diagnostic> {
    let hint = "run `rstack deps` to update stack.lock, and commit it";
    let Some(lock) = lock else {
        return vec![
            Diagnostic::new(
                Location::file(lock_path),
                "--frozen: there is no stack.lock",
            )
            .with_hint(hint),
        ];
    };
    let mut out = Vec::new();
    for w in wants.iter().filter(|w| w.pinned.is_none()) {
        let why = match lock.entry(&w.id) {
            None => "it has no entry".to_string(),
            Some(e) if e.chart != w.release.chart => {
                format!(
                    "the chart changed from `{}` to `{}`",
                    e.chart, w.release.chart
                )
            }
            Some(e) if Some(e.constraint.as_str()) != w.release.version.as_deref().or(Some("")) => {
                format!(
                    "the version constraint changed from `{}` to `{}`",
                    e.constraint,
                    w.release.version.as_deref().unwrap_or_default()
                )
            }
            Some(e) => format!(
                "the repository changed from `{}` to `{}`",
                e.repository,
                w.source.repository_url()
            ),
        };
        out.push(
            Diagnostic::new(
                w.release.at.clone(),
                format!(
                    "--frozen: stack.lock is out of date for release `{}`: {why}",
                    w.id
                ),
            )
            .with_hint(hint),
        );
    }
    for e in &lock.entries {
        if !wants.iter().any(|w| w.id == e.release) {
            out.push(
                Diagnostic::new(
                    Location::file(lock_path),
                    format!(
                        "--frozen: stack.lock pins release `{}`, which the stack no longer fetches",
                        e.release
                    ),
                )
                .with_hint(hint),
            );
        }
    }
    out
}

/// `rstack repo update`: revalidates every index repository's cached index.
pub fn update_repositories(
    stack: &Stack,
    opts: &FetchOptions,
) -> std::result::Result<Vec<RepoUpdate>, Diagnostics> {
    runtime()?.block_on(async {
        let ctx = Ctx::new(opts, &stack.dir);
        let results = futures_util::future::join_all(stack.repositories.iter().map(|repo| {
            let ctx = &ctx;
            async move {
                let url = repo.url.as_deref().unwrap_or_default();
                if repo.path.is_some() {
                    return Ok::<_, Arc<Error>>(RepoUpdate::Skipped {
                        name: repo.name.clone(),
                        why: "a local folder",
                    });
                }
                if url.starts_with("oci://") {
                    return Ok(RepoUpdate::Skipped {
                        name: repo.name.clone(),
                        why: "an OCI registry (queried when resolving)",
                    });
                }
                let before = ctx.cache.read_index(url).map(|(_, v)| v);
                let index = ctx.index(repo).await?;
                let after = ctx.cache.read_index(url).map(|(_, v)| v);
                let charts = index.entries.len();
                Ok(if before.is_some() && before == after {
                    RepoUpdate::Unchanged {
                        name: repo.name.clone(),
                        charts,
                    }
                } else {
                    RepoUpdate::Updated {
                        name: repo.name.clone(),
                        charts,
                    }
                })
            }
        }))
        .await;
        let mut out = Vec::new();
        let mut problems = Vec::new();
        for (repo, r) in stack.repositories.iter().zip(results) {
            match r {
                Ok(u) => out.push(u),
                Err(e) => problems.push(
                    Diagnostic::new(
                        Location::file(&stack.file),
                        format!("repository `{}`: {e}", repo.name),
                    )
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

/// Progress on stderr.
pub(super) enum Reporter {
    Bar(ProgressBar),
    Plain,
    Quiet,
}

impl Reporter {
    fn new(mode: Progress) -> Reporter {
        use std::io::IsTerminal;
        match mode {
            Progress::Quiet => Reporter::Quiet,
            Progress::Plain => Reporter::Plain,
            Progress::Auto if std::io::stderr().is_terminal() => {
                let bar = ProgressBar::new(0);
                if let Ok(style) =
                    ProgressStyle::with_template("{spinner} charts {pos}/{len} {wide_msg}")
                {
                    bar.set_style(style);
                }
                bar.enable_steady_tick(Duration::from_millis(120));
                Reporter::Bar(bar)
            }
            Progress::Auto => Reporter::Plain,
        }
    }

    pub fn start(&self, total: usize) {
        if let Reporter::Bar(b) = self {
            b.set_length(total as u64);
        }
    }

    pub fn line(&self, msg: String) {
        match self {
            Reporter::Bar(b) => b.set_message(msg),
            Reporter::Plain => eprintln!("{msg}"),
            Reporter::Quiet => tracing::info!("{msg}"),
        }
    }

    fn done(&self, id: &str, entry: Option<&LockEntry>) {
        let msg = match entry {
            Some(e) => format!("{id}: {} {}", e.chart, e.version),
            None => format!("{id}: failed"),
        };
        match self {
            Reporter::Bar(b) => {
                b.inc(1);
                b.set_message(msg);
            }
            Reporter::Plain => eprintln!("{msg}"),
            Reporter::Quiet => tracing::info!("{msg}"),
        }
    }

    pub fn finish(&self) {
        if let Reporter::Bar(b) = self {
            b.finish_and_clear();
        }
    }
}
