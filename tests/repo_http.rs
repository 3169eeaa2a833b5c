//! Index repositories over real HTTP on loopback: a helm-made index (`helm repo index`,
//! tests/fixtures/repo/helm) and a hand-written one (tests/fixtures/repo/hand), served by
//! tests/support. Requests are counted to prove cache hits.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rstack::repo::{self, DepsMode, DepsOutcome, FetchOptions, Progress, RepoUpdate};
use rstack::span::Diagnostics;
use rstack::workspace::load_stack;
use sha2::{Digest, Sha256};
use support::{TestServer, fixture_copy};

struct Env {
    _fixtures: tempfile::TempDir,
    server: TestServer,
    stack_dir: tempfile::TempDir,
    cache: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let fixtures = fixture_copy();
        let server = TestServer::static_dir(fixtures.path().to_path_buf());
        Env {
            _fixtures: fixtures,
            server,
            stack_dir: tempfile::tempdir().unwrap(),
            cache: tempfile::tempdir().unwrap(),
        }
    }

    /// Writes stack.yaml with repositories `helm` and `hand` and the given releases.
    fn stack(&self, releases: &str) -> PathBuf {
        let text = format!(
            "repositories:\n  - name: helm\n    url: {0}/helm\n  - name: hand\n    url: {0}/hand/\nreleases:\n{releases}",
            self.server.url()
        );
        let path = self.stack_dir.path().join("stack.yaml");
        std::fs::write(&path, text).unwrap();
        // The local chart of FOUR: it must exist, and is never fetched.
        std::fs::write(self.stack_dir.path().join("nowhere-needed.tgz"), "").unwrap();
        path
    }

    fn opts(&self) -> FetchOptions {
        FetchOptions {
            cache_dir: Some(self.cache.path().to_path_buf()),
            progress: Progress::Quiet,
            timeout: Duration::from_secs(5),
            ..FetchOptions::default()
        }
    }

    fn deps(&self, mode: DepsMode) -> Result<DepsOutcome, Diagnostics> {
        let stack = load_stack(&self.stack_dir.path().join("stack.yaml"), "default").unwrap();
        repo::run_deps(&stack, &self.opts(), mode)
    }

    fn lock_path(&self) -> PathBuf {
        self.stack_dir.path().join("stack.lock")
    }
}

fn sha256_file(p: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(p).unwrap()))
}

const FOUR: &str = "  - {name: web, chart: helm/web, version: \"~1.2\"}\n  - {name: web2, chart: helm/web}\n  - {name: db, chart: helm/db, version: 0.3.0}\n  - {name: pre, chart: helm/web, version: \">=2.0.0-0\"}\n  - {name: local, chart: ./nowhere-needed.tgz}\n";

#[test]
fn resolves_downloads_verifies_and_locks() {
    let env = Env::new();
    env.stack(FOUR);
    let out = env.deps(DepsMode::Update).unwrap();
    let versions: Vec<(&str, &str)> = out
        .lock
        .entries
        .iter()
        .map(|e| (e.release.as_str(), e.version.as_str()))
        .collect();
    // `~1.2` → highest 1.2.x; no constraint → highest stable (not 2.0.0-rc.1); a
    // pre-release constraint admits pre-releases.
    assert_eq!(
        versions,
        [
            ("default/web", "1.2.5"),
            ("default/web2", "1.2.5"),
            ("default/db", "0.3.0"),
            ("default/pre", "2.0.0-rc.1"),
        ]
    );
    for e in &out.lock.entries {
        let path = &out.charts[&e.release];
        assert_eq!(format!("sha256:{}", sha256_file(path)), e.digest);
        assert!(e.source.starts_with(&env.server.url()), "{}", e.source);
    }
    // One index request, three archives (web 1.2.5 is shared by two releases).
    assert_eq!(env.server.count_path("/helm/index.yaml"), 1);
    assert_eq!(
        env.server.count_path(".tgz"),
        3,
        "{:?}",
        env.server.requests()
    );
    assert_eq!(out.downloaded, 3);
    assert!(out.lock_written);
    let lock = std::fs::read_to_string(env.lock_path()).unwrap();
    assert!(lock.contains("release: \"default/pre\""), "{lock}");
    assert!(lock.contains("version: \"2.0.0-rc.1\""), "{lock}");
}

#[test]
fn cache_hits_make_no_second_download() {
    let env = Env::new();
    env.stack(FOUR);
    env.deps(DepsMode::Update).unwrap();
    let lock_before = std::fs::read(env.lock_path()).unwrap();

    // Lock present and archives stored: not a single request.
    env.server.reset();
    let out = env.deps(DepsMode::Update).unwrap();
    assert_eq!(env.server.count(), 0, "{:?}", env.server.requests());
    assert!(!out.lock_written);
    assert_eq!(std::fs::read(env.lock_path()).unwrap(), lock_before);

    // Without the lock: the index is revalidated (304), no archive is fetched again.
    std::fs::remove_file(env.lock_path()).unwrap();
    env.server.reset();
    let out = env.deps(DepsMode::Update).unwrap();
    assert_eq!(env.server.requests(), ["GET /helm/index.yaml"]);
    assert_eq!(out.downloaded, 0);
    assert_eq!(std::fs::read(env.lock_path()).unwrap(), lock_before);
}

#[test]
fn frozen_and_partial_re_resolution() {
    let env = Env::new();
    env.stack(FOUR);
    let err = env.deps(DepsMode::Frozen).unwrap_err().to_string();
    assert!(err.contains("--frozen: there is no stack.lock"), "{err}");

    env.deps(DepsMode::Update).unwrap();
    env.server.reset();
    let out = env.deps(DepsMode::Frozen).unwrap();
    assert_eq!(env.server.count(), 0);
    assert_eq!(out.lock.entries.len(), 4);

    // A changed constraint makes the lock stale for that release only.
    env.stack(&FOUR.replace("\"~1.2\"", "\"1.0.0\""));
    let err = env.deps(DepsMode::Frozen).unwrap_err().to_string();
    assert!(
        err.contains("stack.yaml:7:5: --frozen: stack.lock is out of date for release `default/web`: the version constraint changed from `~1.2` to `1.0.0`"),
        "{err}"
    );
    assert!(err.contains("hint: run `rstack deps`"), "{err}");
    assert_eq!(err.matches("--frozen").count(), 1, "{err}");

    let out = env.deps(DepsMode::Update).unwrap();
    assert_eq!(out.resolved, ["default/web"]);
    assert_eq!(out.lock.entry("default/web").unwrap().version, "1.0.0");
    assert_eq!(out.lock.entry("default/web2").unwrap().version, "1.2.5");
    env.deps(DepsMode::Frozen).unwrap();

    // A release removed from the stack leaves a stale entry.
    env.stack("  - {name: web, chart: helm/web, version: \"1.0.0\"}\n");
    let err = env.deps(DepsMode::Frozen).unwrap_err().to_string();
    assert!(
        err.contains("pins release `default/db`, which the stack no longer fetches"),
        "{err}"
    );
}

#[test]
fn hand_written_index_absolute_relative_and_digestless_urls() {
    let env = Env::new();
    env.stack("  - {name: a, chart: hand/web, version: 1.0.0}\n  - {name: b, chart: hand/web}\n");
    let out = env.deps(DepsMode::Update).unwrap();
    let a = out.lock.entry("default/a").unwrap();
    assert_eq!(a.source, format!("{}/helm/web-1.0.0.tgz", env.server.url()));
    assert_eq!(
        a.digest,
        "sha256:705c151d1588199a34dbdfe39fbef6f15aa5a6d958128bf840f2cb4f32a92f98"
    );
    let b = out.lock.entry("default/b").unwrap();
    assert_eq!(b.version, "1.2.5");
    assert_eq!(b.source, format!("{}/helm/web-1.2.5.tgz", env.server.url()));
    assert_eq!(
        b.digest,
        format!("sha256:{}", sha256_file(&out.charts["default/b"]))
    );

    // The digest-less archive is found again by its URL: only the index is asked.
    std::fs::remove_file(env.lock_path()).unwrap();
    env.server.reset();
    env.deps(DepsMode::Update).unwrap();
    assert_eq!(env.server.requests(), ["GET /hand/index.yaml"]);
}

#[test]
fn tampered_digest_is_refused() {
    let env = Env::new();
    env.stack("  - {name: t, chart: hand/tampered}\n");
    let err = env.deps(DepsMode::Update).unwrap_err().to_string();
    assert!(
        err.contains(&format!("release `default/t`: digest mismatch for {}/helm/web-1.0.0.tgz: expected sha256:5f38ee8e915deee08014f53f7af2152c80e55cf7e7a3fd7fcf925fe9e7ca6de8, the downloaded archive is sha256:705c151d1588199a34dbdfe39fbef6f15aa5a6d958128bf840f2cb4f32a92f98", env.server.url())),
        "{err}"
    );
    assert!(err.contains("tampered with"), "{err}");
    assert!(!env.lock_path().exists());
    // Nothing entered the store.
    assert!(
        !env.cache.path().join("charts/sha256").exists()
            || std::fs::read_dir(env.cache.path().join("charts/sha256"))
                .unwrap()
                .count()
                == 0
    );

    // A locked digest that no longer matches what the server has is refused too.
    env.stack("  - {name: w, chart: helm/web, version: 1.0.0}\n");
    env.deps(DepsMode::Update).unwrap();
    let lock = std::fs::read_to_string(env.lock_path()).unwrap();
    std::fs::write(
        env.lock_path(),
        lock.replace(
            "705c151d1588199a34dbdfe39fbef6f15aa5a6d958128bf840f2cb4f32a92f98",
            &"0".repeat(64),
        ),
    )
    .unwrap();
    let err = env.deps(DepsMode::Frozen).unwrap_err().to_string();
    assert!(err.contains("digest mismatch"), "{err}");
}

#[test]
fn path_traversal_archive_is_refused() {
    let env = Env::new();
    env.stack("  - {name: e, chart: hand/evil}\n");
    let err = env.deps(DepsMode::Update).unwrap_err().to_string();
    assert!(
        err.contains(&format!(
            "unsafe chart archive from {}/hand/evil-0.1.0.tgz",
            env.server.url()
        )),
        "{err}"
    );
    assert!(
        err.contains("entry \"evil/templates/../../../../tmp/pwned.yaml\": chart illegally references parent directory"),
        "{err}"
    );
}

#[test]
fn missing_chart_file_and_unknown_names() {
    let env = Env::new();
    env.stack("  - {name: g, chart: hand/gone}\n  - {name: x, chart: helm/wen}\n  - {name: v, chart: helm/web, version: \"^9\"}\n");
    let err = env.deps(DepsMode::Update).unwrap_err().to_string();
    let url = env.server.url();
    assert!(
        err.contains(&format!(
            "release `default/g`: GET {url}/hand/gone-1.0.0.tgz: the server answered 404 Not Found"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "chart `wen` is not in repository `helm` ({url}/helm)\n  hint: did you mean `web`?"
        )),
        "{err}"
    );
    assert!(
        err.contains("no version of chart `helm/web` matches `^9` (available: 2.0.0-rc.1, 1.2.5, 1.2.0, 1.0.0)"),
        "{err}"
    );
    // The broken index entry (version not SemVer) was skipped, not fatal.
    env.stack("  - {name: u, chart: nope/web}\n");
    let err = env.deps(DepsMode::Update).unwrap_err().to_string();
    assert!(err.contains("unknown repository `nope`"), "{err}");
}

#[test]
fn unreachable_repositories_fail_fast_with_clear_errors() {
    let (silent, stop) = support::silent_server();
    let closed = support::closed_port();
    let dir = tempfile::tempdir().unwrap();
    let stack_path = dir.path().join("stack.yaml");
    std::fs::write(
        &stack_path,
        format!("repositories:\n  - {{name: slow, url: http://{silent}}}\n  - {{name: down, url: http://{closed}}}\nreleases:\n  - {{name: a, chart: slow/web}}\n  - {{name: b, chart: down/web}}\n"),
    )
    .unwrap();
    let stack = load_stack(&stack_path, "default").unwrap();
    let cache = tempfile::tempdir().unwrap();
    let opts = FetchOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        progress: Progress::Quiet,
        timeout: Duration::from_secs(1),
        ..FetchOptions::default()
    };
    let start = Instant::now();
    let err = repo::run_deps(&stack, &opts, DepsMode::Update)
        .unwrap_err()
        .to_string();
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
    assert!(
        err.contains(&format!(
            "release `default/a`: http://{silent}/index.yaml: no answer within 1 s"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "release `default/b`: cannot connect to http://{closed}/index.yaml:"
        )),
        "{err}"
    );
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
}

#[test]
fn credentials_from_env_go_to_the_repository_only() {
    let fixtures = fixture_copy();
    let root = fixtures.path().to_path_buf();
    // A CDN serving archives, which must never see credentials.
    let cdn = TestServer::start({
        let root = root.clone();
        move |req, base| {
            assert!(
                req.header("Authorization").is_none(),
                "credentials leaked to the CDN"
            );
            support::static_file(&root, req, base)
        }
    });
    let cdn_url = cdn.url();
    std::fs::write(
        root.join("auth-index.yaml"),
        format!("apiVersion: v1\nentries:\n  web:\n  - {{name: web, version: 1.0.0, urls: [{cdn_url}/helm/web-1.0.0.tgz]}}\n  - {{name: web, version: 1.2.0, urls: [helm/web-1.2.0.tgz]}}\n"),
    )
    .unwrap();
    let repo_server = TestServer::start(move |req, base| {
        let auth = req.header("Authorization").unwrap_or_default();
        if auth != "Basic dXNlcjpwYXNz" && auth != "Bearer tok3n" {
            return support::Response::new(401, "no");
        }
        let path = req.path.replace("/index.yaml", "/auth-index.yaml");
        let path = path
            .trim_start_matches("/basic")
            .trim_start_matches("/bearer")
            .to_string();
        support::static_file(
            &root,
            &support::Request {
                path,
                method: req.method.clone(),
                headers: req.headers.clone(),
            },
            base,
        )
    });
    // SAFETY: these variable names are used by this test only.
    unsafe {
        std::env::set_var("RSTACK_TEST_USER", "user");
        std::env::set_var("RSTACK_TEST_PASS", "pass");
        std::env::set_var("RSTACK_TEST_TOKEN", "tok3n");
    }
    let dir = tempfile::tempdir().unwrap();
    let stack_path = dir.path().join("stack.yaml");
    let u = repo_server.url();
    std::fs::write(
        &stack_path,
        format!("repositories:\n  - {{name: b, url: {u}/basic, usernameEnv: RSTACK_TEST_USER, passwordEnv: RSTACK_TEST_PASS}}\n  - {{name: t, url: {u}/bearer, tokenEnv: RSTACK_TEST_TOKEN}}\n  - {{name: n, url: {u}/basic}}\n  - {{name: m, url: {u}/basic, tokenEnv: RSTACK_TEST_UNSET_VAR}}\nreleases:\n  - {{name: a, chart: b/web, version: 1.0.0}}\n  - {{name: c, chart: t/web, version: 1.2.0}}\n"),
    )
    .unwrap();
    let cache = tempfile::tempdir().unwrap();
    let opts = FetchOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        progress: Progress::Quiet,
        ..FetchOptions::default()
    };
    let stack = load_stack(&stack_path, "default").unwrap();
    let out = repo::run_deps(&stack, &opts, DepsMode::Update).unwrap();
    assert_eq!(out.lock.entries.len(), 2);
    assert_eq!(cdn.count_path("web-1.0.0.tgz"), 1);

    std::fs::write(
        &stack_path,
        format!("repositories:\n  - {{name: n, url: {u}/basic}}\n  - {{name: m, url: {u}/basic, tokenEnv: RSTACK_TEST_UNSET_VAR}}\nreleases:\n  - {{name: a, chart: n/web}}\n  - {{name: c, chart: m/web}}\n"),
    )
    .unwrap();
    let stack = load_stack(&stack_path, "default").unwrap();
    let err = repo::run_deps(&stack, &opts, DepsMode::Update)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "the server answered 401 Unauthorized\n  hint: the repository wants credentials"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "environment variable `RSTACK_TEST_UNSET_VAR` (named by repository `m`) is not set"
        ),
        "{err}"
    );
}

#[test]
fn repo_update_revalidates_indexes() {
    let env = Env::new();
    env.stack("  - {name: web, chart: helm/web}\n");
    let stack = load_stack(&env.stack_dir.path().join("stack.yaml"), "default").unwrap();
    let first = repo::update_repositories(&stack, &env.opts()).unwrap();
    assert_eq!(
        first,
        [
            RepoUpdate::Updated {
                name: "helm".into(),
                charts: 2
            },
            RepoUpdate::Updated {
                name: "hand".into(),
                charts: 5
            },
        ]
    );
    env.server.reset();
    let second = repo::update_repositories(&stack, &env.opts()).unwrap();
    assert!(
        matches!(second[0], RepoUpdate::Unchanged { .. }),
        "{second:?}"
    );
    assert_eq!(env.server.count(), 2);
}

#[test]
fn chart_dependencies_missing_from_charts_are_fetched() {
    let env = Env::new();
    env.stack("  - {name: web, chart: helm/web}\n");
    let stack = load_stack(&env.stack_dir.path().join("stack.yaml"), "default").unwrap();
    let chart = env.stack_dir.path().join("app");
    std::fs::create_dir_all(chart.join("charts")).unwrap();
    support::copy_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repo/src/db"),
        &env.stack_dir.path().join("db"),
    );
    std::fs::write(
        chart.join("Chart.yaml"),
        format!("apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - {{name: web, version: \"~1.2\", repository: \"@helm\"}}\n  - {{name: db, version: \">=0.3\", repository: \"file://../db\"}}\n  - {{name: web, alias: web2, version: 1.0.0, repository: \"{}/hand\"}}\n", env.server.url()),
    )
    .unwrap();
    let deps = repo::fetch_chart_dependencies(&chart, &stack.repositories, &stack.dir, &env.opts())
        .unwrap();
    let got: Vec<(&str, &str)> = deps
        .iter()
        .map(|d| (d.name.as_str(), d.version.as_str()))
        .collect();
    assert_eq!(got, [("web", "1.2.5"), ("db", "0.3.0"), ("web", "1.0.0")]);
    assert!(deps.iter().all(|d| d.path.exists()));

    // A dependency already in charts/ is not fetched.
    std::fs::copy(&deps[0].path, chart.join("charts/web-1.2.5.tgz")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - {name: web, version: \"~1.2\", repository: \"@helm\"}\n  - {name: db, version: \"^1\", repository: \"file://../db\"}\n",
    )
    .unwrap();
    let err = repo::fetch_chart_dependencies(&chart, &stack.repositories, &stack.dir, &env.opts())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "dependency `db`: no version of chart `file://../db` matches `^1` (available: 0.3.0)"
        ),
        "{err}"
    );
    assert!(!err.contains("dependency `web`"), "{err}");
}

#[test]
fn cli_deps_and_repo_update() {
    use clap::Parser;
    let env = Env::new();
    let stack = env.stack("  - {name: web, chart: helm/web, version: \"~1.0\"}\n");
    let run = |args: &[&str]| {
        let mut argv = vec!["rstack", "-f", stack.to_str().unwrap()];
        argv.extend_from_slice(args);
        rstack::cli::run(rstack::cli::Cli::parse_from(argv))
    };
    let cache = env.cache.path().to_str().unwrap();
    assert_eq!(run(&["deps", "--cache-dir", cache]), 0);
    assert!(env.lock_path().exists());
    assert_eq!(run(&["deps", "--frozen", "--cache-dir", cache]), 0);
    assert_eq!(run(&["repo", "update", "--cache-dir", cache]), 0);
    env.stack("  - {name: web, chart: helm/web, version: \"~1.2\"}\n");
    assert_eq!(run(&["deps", "--frozen", "--cache-dir", cache]), 1);
}

/// Helm's choice for 57 constraints over one version list, recorded with helm v4.1.4 by
/// tests/fixtures/repo/gen.sh (`helm pull --version C`).
#[test]
fn constraint_resolution_matches_helm() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repo/constraints");
    let index = repo::parse_index(
        &std::fs::read_to_string(dir.join("index.yaml")).unwrap(),
        "fixture",
    )
    .unwrap();
    let versions = &index.entries["pick"];
    let cases = std::fs::read_to_string(dir.join("cases.tsv")).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for line in cases.lines() {
        let (constraint, expected) = line.split_once('\t').unwrap();
        let requested = Some(constraint).filter(|c| !c.is_empty());
        let got = match repo::resolve_version(requested) {
            Err(_) => "!none".to_string(),
            Ok(c) => repo::select_version(
                versions.iter().map(|v| (v.version.as_str(), &v.parsed)),
                requested,
                &c,
            )
            .map_or("!none".to_string(), |i| versions[i].version.clone()),
        };
        if got != expected {
            failures.push(format!("{constraint:?}: helm {expected}, rstack {got}"));
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn template_renders_remote_charts_through_the_lock() {
    use clap::Parser;
    let env = Env::new();
    let stack = env.stack("  - {name: web, chart: helm/web, version: \"~1.2\"}\n");
    // SAFETY: only this test reads RSTACK_CACHE_DIR (the others pass --cache-dir).
    unsafe { std::env::set_var("RSTACK_CACHE_DIR", env.cache.path()) };
    let out = env.stack_dir.path().join("out");
    let code = rstack::cli::run(rstack::cli::Cli::parse_from([
        "rstack",
        "-f",
        stack.to_str().unwrap(),
        "template",
        "--output-dir",
        out.to_str().unwrap(),
    ]));
    assert_eq!(code, 0);
    let cm = std::fs::read_to_string(out.join("default/web/web/templates/cm.yaml")).unwrap();
    assert!(cm.contains("version: \"1.2.5\""), "{cm}");
    // With a lock pinning 1.2.0, template uses it and asks the network nothing.
    env.stack("  - {name: web, chart: helm/web, version: \"1.2.0\"}\n");
    env.deps(DepsMode::Update).unwrap();
    env.server.reset();
    std::fs::remove_dir_all(&out).unwrap();
    let code = rstack::cli::run(rstack::cli::Cli::parse_from([
        "rstack",
        "-f",
        stack.to_str().unwrap(),
        "template",
        "--output-dir",
        out.to_str().unwrap(),
    ]));
    assert_eq!(code, 0);
    let cm = std::fs::read_to_string(out.join("default/web/web/templates/cm.yaml")).unwrap();
    assert!(cm.contains("version: \"1.2.0\""), "{cm}");
    assert_eq!(env.server.count(), 0);

    // A local chart whose dependencies are not vendored under charts/: template fetches
    // them (a repository by `@name`, a `file://` folder) and renders them as subcharts.
    let app = env.stack_dir.path().join("app");
    std::fs::create_dir_all(app.join("templates")).unwrap();
    support::copy_dir(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repo/src/db"),
        &env.stack_dir.path().join("db"),
    );
    std::fs::write(
        app.join("Chart.yaml"),
        "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - {name: web, version: \"~1.2\", repository: \"@helm\"}\n  - {name: db, version: \">=0.3\", repository: \"file://../db\"}\n",
    )
    .unwrap();
    std::fs::write(
        app.join("templates/cm.yaml"),
        "kind: ConfigMap\nmetadata:\n  name: app\n",
    )
    .unwrap();
    env.stack("  - {name: app, chart: ./app}\n");
    std::fs::remove_dir_all(&out).unwrap();
    let code = rstack::cli::run(rstack::cli::Cli::parse_from([
        "rstack",
        "-f",
        stack.to_str().unwrap(),
        "template",
        "--output-dir",
        out.to_str().unwrap(),
    ]));
    assert_eq!(code, 0);
    let sub =
        std::fs::read_to_string(out.join("default/app/app/charts/web/templates/cm.yaml")).unwrap();
    assert!(sub.contains("version: \"1.2.5\""), "{sub}");
    assert!(out.join("default/app/app/charts/db").is_dir());
}

/// A CA, and a certificate it signed for 127.0.0.1: (CA PEM, leaf DER, leaf key DER).
fn test_pki() -> (String, Vec<u8>, Vec<u8>) {
    use rcgen::{BasicConstraints, CertificateParams, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &Issuer::from_params(&ca_params, &ca_key))
        .unwrap();
    (ca.pem(), leaf.der().to_vec(), leaf_key.serialize_der())
}

#[test]
fn tls_is_verified_with_the_ca_file_and_skipped_only_when_asked() {
    let fixtures = fixture_copy();
    let root = fixtures.path().to_path_buf();
    let (ca_pem, leaf, key) = test_pki();
    let server = TestServer::start_tls(vec![leaf], key, move |req, base| {
        support::static_file(&root, req, base)
    });
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.pem"), ca_pem).unwrap();
    let url = format!("https://{}", server.addr);
    let cache = tempfile::tempdir().unwrap();
    let opts = FetchOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        progress: Progress::Quiet,
        timeout: Duration::from_secs(5),
        ..FetchOptions::default()
    };
    let run = |repo_extra: &str| {
        let path = dir.path().join("stack.yaml");
        std::fs::write(
            &path,
            format!("repositories:\n  - {{name: s, url: {url}/helm{repo_extra}}}\nreleases:\n  - {{name: web, chart: s/web, version: 1.0.0}}\n"),
        )
        .unwrap();
        let _ = std::fs::remove_file(dir.path().join("stack.lock"));
        repo::run_deps(
            &load_stack(&path, "default").unwrap(),
            &opts,
            DepsMode::Update,
        )
    };
    // Verified by default: an unknown CA is refused.
    let err = run("").unwrap_err().to_string();
    assert!(
        err.contains(&format!("cannot connect to {url}/helm/index.yaml"))
            && err.contains("certificate"),
        "{err}"
    );
    // Trusted through caFile (relative to the stack folder).
    let out = run(", caFile: ca.pem").unwrap();
    assert_eq!(out.lock.entries[0].version, "1.0.0");
    // Accepted without verification only when asked.
    run(", insecureSkipTLSVerify: true").unwrap();
    let err = run(", caFile: missing.pem").unwrap_err().to_string();
    assert!(err.contains("missing.pem"), "{err}");
}

#[test]
fn fetching_is_concurrent_and_bounded() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let fixtures = fixture_copy();
    let root = fixtures.path().to_path_buf();
    let (now, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let server = TestServer::start({
        let (now, peak) = (now.clone(), peak.clone());
        move |req, base| {
            let n = now.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(n, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(150));
            now.fetch_sub(1, Ordering::SeqCst);
            support::static_file(&root, req, base)
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stack.yaml");
    // Five repositories (the same folder under five names), one chart each.
    let mut text = String::from("repositories:\n");
    for r in 0..5 {
        text += &format!("  - {{name: r{r}, url: {}/helm}}\n", server.url());
    }
    text += "releases:\n";
    for (r, v) in ["1.0.0", "1.2.0", "1.2.5", "2.0.0-rc.1", "1.0.0"]
        .iter()
        .enumerate()
    {
        text += &format!("  - {{name: a{r}, chart: r{r}/web, version: {v}}}\n");
    }
    std::fs::write(&path, text).unwrap();
    let cache = tempfile::tempdir().unwrap();
    let opts = |concurrency| FetchOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        progress: Progress::Quiet,
        concurrency,
        ..FetchOptions::default()
    };
    let stack = load_stack(&path, "default").unwrap();
    let start = Instant::now();
    let out = repo::run_deps(&stack, &opts(2), DepsMode::Update).unwrap();
    let elapsed = start.elapsed();
    // 5 index requests (one per repository) + 4 distinct archives, 150 ms each.
    assert_eq!(server.count(), 9, "{:?}", server.requests());
    assert_eq!(out.downloaded, 4);
    assert_eq!(
        peak.load(Ordering::SeqCst),
        2,
        "at most 2 requests in flight"
    );
    // Serial would take 9 × 150 ms; two at a time about 5 × 150 ms.
    assert!(elapsed < Duration::from_millis(1200), "{elapsed:?}");
}

#[test]
fn a_url_without_index_is_named() {
    let env = Env::new();
    let path = env.stack_dir.path().join("stack.yaml");
    std::fs::write(
        &path,
        format!("repositories:\n  - {{name: x, url: {}/nothing}}\nreleases:\n  - {{name: a, chart: x/web}}\n", env.server.url()),
    )
    .unwrap();
    let err = env.deps(DepsMode::Update).unwrap_err().to_string();
    assert!(
        err.contains(&format!("stack.yaml:4:5: release `default/a`: {}/nothing/index.yaml: invalid repository index: there is no index.yaml here (404 Not Found)\n  hint: the URL must point at a Helm repository", env.server.url())),
        "{err}"
    );
}
