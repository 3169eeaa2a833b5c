//! OCI registries: Debian's `docker-registry` (the CNCF distribution registry) started on
//! loopback with charts pushed by helm-ref's `helm push`, and a fake registry (served by
//! tests/support) that demands the Bearer token flow and counts requests.

mod support;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rstack::repo::{self, DepsMode, FetchOptions, Progress};
use rstack::workspace::load_stack;
use sha2::{Digest, Sha256};
use support::{Response, TestServer};

const REGISTRY: &str = "/usr/bin/docker-registry";
const HELM: &str = "/root/.cache/rstack-test/bin/helm4";

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repo/helm")
}

fn sha256(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// A `docker-registry serve` process on a free loopback port, killed on drop.
struct Registry {
    child: Child,
    addr: String,
    _dir: tempfile::TempDir,
}

impl Registry {
    fn start() -> Option<Registry> {
        if !Path::new(REGISTRY).exists() || !Path::new(HELM).exists() {
            eprintln!(
                "\n*** SKIPPING real-registry OCI tests: {REGISTRY} or {HELM} is missing \
                 (apt-get install -y docker-registry; .ci/run installs it) ***\n"
            );
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let addr = support::closed_port().to_string();
        let config = dir.path().join("config.yml");
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: {addr}\n",
                dir.path().join("data").display()
            ),
        )
        .unwrap();
        let child = Command::new(REGISTRY)
            .arg("serve")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start docker-registry");
        let start = Instant::now();
        while TcpStream::connect(&addr).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "docker-registry did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Registry {
            child,
            addr,
            _dir: dir,
        })
    }

    fn push(&self, archive: &Path) {
        let home = tempfile::tempdir().unwrap();
        let status = Command::new(HELM)
            .args(["push", archive.to_str().unwrap()])
            .arg(format!("oci://{}/charts", self.addr))
            .arg("--plain-http")
            .env("TZ", "UTC")
            .env("HELM_CONFIG_HOME", home.path())
            .env("HELM_CACHE_HOME", home.path())
            .env("HELM_DATA_HOME", home.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run helm push");
        assert!(status.success(), "helm push {}", archive.display());
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn write_stack(dir: &Path, body: &str) -> PathBuf {
    let path = dir.join("stack.yaml");
    std::fs::write(&path, body).unwrap();
    path
}

fn opts(cache: &Path) -> FetchOptions {
    FetchOptions {
        cache_dir: Some(cache.to_path_buf()),
        progress: Progress::Quiet,
        timeout: Duration::from_secs(5),
        ..FetchOptions::default()
    }
}

#[test]
fn real_registry_pushed_by_helm() {
    let Some(registry) = Registry::start() else {
        return;
    };
    for v in ["1.0.0", "1.2.0", "1.2.5", "2.0.0-rc.1"] {
        registry.push(&fixtures().join(format!("web-{v}.tgz")));
    }
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let a = &registry.addr;
    let stack = write_stack(
        dir.path(),
        &format!(
            "repositories:\n  - {{name: reg, url: oci://{a}/charts}}\nreleases:\n  - {{name: c, chart: reg/web, version: \"~1.2\"}}\n  - {{name: e, chart: oci://{a}/charts/web, version: 1.0.0}}\n  - {{name: l, chart: reg/web}}\n  - {{name: p, chart: reg/web, version: \">=2.0.0-0\"}}\n"
        ),
    );
    let out = repo::run_deps(
        &load_stack(&stack, "default").unwrap(),
        &opts(cache.path()),
        DepsMode::Update,
    )
    .unwrap();
    let got: Vec<(&str, &str)> = out
        .lock
        .entries
        .iter()
        .map(|e| (e.release.as_str(), e.version.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("default/c", "1.2.5"),
            ("default/e", "1.0.0"),
            ("default/l", "1.2.5"),
            ("default/p", "2.0.0-rc.1"),
        ]
    );
    for e in &out.lock.entries {
        // The chart layer is the archive helm pushed, byte for byte.
        let original = std::fs::read(fixtures().join(format!("web-{}.tgz", e.version))).unwrap();
        assert_eq!(e.digest, format!("sha256:{}", sha256(&original)));
        assert_eq!(std::fs::read(&out.charts[&e.release]).unwrap(), original);
        assert_eq!(e.source, format!("oci://{a}/charts/web:{}", e.version));
    }
    assert_eq!(out.downloaded, 3);

    // A missing version and an unmatched constraint.
    let bad = write_stack(
        dir.path(),
        &format!(
            "releases:\n  - {{name: m, chart: oci://{a}/charts/web, version: 9.9.9}}\n  - {{name: n, chart: oci://{a}/charts/web, version: ^3}}\n  - {{name: x, chart: oci://{a}/charts/nothing, version: ^1}}\n"
        ),
    );
    let err = repo::run_deps(
        &load_stack(&bad, "default").unwrap(),
        &opts(cache.path()),
        DepsMode::Update,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains(&format!("release `default/m`: http://{a}/v2/charts/web/manifests/9.9.9: oci://{a}/charts/web has no version `9.9.9`")), "{err}");
    assert!(err.contains(&format!("release `default/n`: no version of chart `oci://{a}/charts/web` matches `^3` (available: 2.0.0-rc.1, 1.2.5, 1.2.0, 1.0.0)")), "{err}");
    assert!(
        err.contains("release `default/x`: GET") && err.contains("404 Not Found"),
        "{err}"
    );

    // With the lock and a warm cache, the registry is not needed at all.
    write_stack(
        dir.path(),
        &format!(
            "repositories:\n  - {{name: reg, url: oci://{a}/charts}}\nreleases:\n  - {{name: c, chart: reg/web, version: \"~1.2\"}}\n  - {{name: e, chart: oci://{a}/charts/web, version: 1.0.0}}\n  - {{name: l, chart: reg/web}}\n  - {{name: p, chart: reg/web, version: \">=2.0.0-0\"}}\n"
        ),
    );
    drop(registry);
    let again = repo::run_deps(
        &load_stack(&stack, "default").unwrap(),
        &opts(cache.path()),
        DepsMode::Frozen,
    )
    .unwrap();
    assert_eq!(again.lock, out.lock);
    assert_eq!(again.downloaded, 0);
}

/// A registry demanding tokens: `/v2/…` answers 401 with a Bearer challenge until the
/// request carries the token handed out by `/token`.
fn fake_registry(tampered: bool) -> TestServer {
    let charts: Vec<(String, Vec<u8>)> = ["1.0.0", "1.2.0", "1.2.5", "2.0.0-rc.1"]
        .iter()
        .map(|v| {
            (
                v.to_string(),
                std::fs::read(fixtures().join(format!("web-{v}.tgz"))).unwrap(),
            )
        })
        .collect();
    TestServer::start(move |req, base| {
        let path = req.path.split('?').next().unwrap_or_default();
        if path == "/token" {
            assert!(
                req.path.contains("scope=repository%3Acharts%2Fweb%3Apull"),
                "{}",
                req.path
            );
            assert!(req.path.contains("service=fake"), "{}", req.path);
            return Response::new(200, r#"{"token":"T0K"}"#);
        }
        if req.header("Authorization") != Some("Bearer T0K") {
            return Response::new(401, "{}").header(
                "WWW-Authenticate",
                format!(r#"Bearer realm="{base}/token",service="fake",scope="repository:charts/web:pull""#),
            );
        }
        if path == "/v2/charts/web/tags/list" {
            let tags: Vec<String> = charts.iter().map(|(v, _)| format!("\"{v}\"")).collect();
            return Response::new(
                200,
                format!(r#"{{"name":"charts/web","tags":[{}]}}"#, tags.join(",")),
            );
        }
        if let Some(tag) = path.strip_prefix("/v2/charts/web/manifests/") {
            let Some((_, data)) = charts.iter().find(|(v, _)| v == tag) else {
                return Response::new(404, "{}");
            };
            let manifest = format!(
                r#"{{"schemaVersion":2,"config":{{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"sha256:{0}","size":2}},"layers":[{{"mediaType":"application/vnd.cncf.helm.chart.content.v1.tar+gzip","digest":"sha256:{1}","size":{2}}}]}}"#,
                "0".repeat(64),
                sha256(data),
                data.len()
            );
            return Response::new(200, manifest)
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json");
        }
        if let Some(digest) = path.strip_prefix("/v2/charts/web/blobs/sha256:") {
            let Some((v, data)) = charts.iter().find(|(_, d)| sha256(d) == digest) else {
                return Response::new(404, "{}");
            };
            if tampered && v == "1.2.5" {
                return Response::new(200, charts[0].1.clone());
            }
            return Response::new(200, data.clone());
        }
        Response::new(404, "{}")
    })
}

#[test]
fn token_flow_and_counted_cache_hits() {
    let server = fake_registry(false);
    let host = server.addr.to_string();
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let stack = write_stack(
        dir.path(),
        &format!(
            "releases:\n  - {{name: a, chart: oci://{host}/charts/web, version: \"~1.2\"}}\n  - {{name: b, chart: oci://{host}/charts/web, version: 1.2.5}}\n"
        ),
    );
    let out = repo::run_deps(
        &load_stack(&stack, "default").unwrap(),
        &opts(cache.path()),
        DepsMode::Update,
    )
    .unwrap();
    assert_eq!(out.lock.entries[0].version, "1.2.5");
    assert_eq!(out.lock.entries[1].version, "1.2.5");
    assert_eq!(out.downloaded, 1, "one blob for both releases");
    assert_eq!(
        server.count_path(
            "/blobs/sha256:77711ece9444d73f5b119f9153ab07d192a256bdbfbd0bb6053ce89ddc010820"
        ),
        1
    );
    // The Bearer flow ran (at most once per concurrent release; later requests reuse it).
    let tokens = server
        .requests()
        .iter()
        .filter(|r| r.starts_with("GET /token?"))
        .count();
    assert!((1..=2).contains(&tokens), "{:?}", server.requests());

    // Lock + store: no request at all.
    server.reset();
    repo::run_deps(
        &load_stack(&stack, "default").unwrap(),
        &opts(cache.path()),
        DepsMode::Frozen,
    )
    .unwrap();
    assert_eq!(server.count(), 0, "{:?}", server.requests());

    // No lock: tags and manifests again (they may move), never the blob.
    std::fs::remove_file(dir.path().join("stack.lock")).unwrap();
    server.reset();
    let out = repo::run_deps(
        &load_stack(&stack, "default").unwrap(),
        &opts(cache.path()),
        DepsMode::Update,
    )
    .unwrap();
    assert_eq!(out.downloaded, 0);
    assert_eq!(
        server.count_path(
            "/blobs/sha256:77711ece9444d73f5b119f9153ab07d192a256bdbfbd0bb6053ce89ddc010820"
        ),
        0,
        "{:?}",
        server.requests()
    );
}

#[test]
fn tampered_blob_is_refused() {
    let server = fake_registry(true);
    let host = server.addr.to_string();
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let stack = write_stack(
        dir.path(),
        &format!("releases:\n  - {{name: a, chart: oci://{host}/charts/web, version: 1.2.5}}\n"),
    );
    let err = repo::run_deps(
        &load_stack(&stack, "default").unwrap(),
        &opts(cache.path()),
        DepsMode::Update,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains(&format!("release `default/a`: digest mismatch for http://{host}/v2/charts/web/blobs/sha256:77711ece9444d73f5b119f9153ab07d192a256bdbfbd0bb6053ce89ddc010820: expected sha256:77711ece")),
        "{err}"
    );
}

#[test]
fn chart_dependency_from_a_registry() {
    let server = fake_registry(false);
    let host = server.addr.to_string();
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("app");
    std::fs::create_dir_all(&chart).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        format!("apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - {{name: web, version: \"~1.2\", repository: \"oci://{host}/charts\"}}\n  - {{name: web, alias: w2, version: \">=2.0.0-0\", repository: \"@reg\"}}\n"),
    )
    .unwrap();
    let repos = vec![rstack::workspace::schema::Repository {
        name: "reg".into(),
        url: Some(format!("oci://{host}/charts")),
        path: None,
        username_env: None,
        password_env: None,
        token_env: None,
        ca_file: None,
        insecure_skip_tls_verify: false,
    }];
    let cache = tempfile::tempdir().unwrap();
    let deps =
        repo::fetch_chart_dependencies(&chart, &repos, dir.path(), &opts(cache.path())).unwrap();
    let got: Vec<(&str, &str)> = deps
        .iter()
        .map(|d| (d.name.as_str(), d.version.as_str()))
        .collect();
    assert_eq!(got, [("web", "1.2.5"), ("web", "2.0.0-rc.1")]);
    let original = std::fs::read(fixtures().join("web-1.2.5.tgz")).unwrap();
    assert_eq!(std::fs::read(&deps[0].path).unwrap(), original);
}
