//! Fetching the charts of a 50-release stack from loopback index repositories: `rstack
//! deps` (whole process) cold and warm, next to `helmfile deps` + `helmfile fetch` (helm-ref,
//! helmfile 0.166 with helm 3) on the same stack.
//!
//! 5 repositories × 10 charts × 20 versions, served by tests/support's loopback server;
//! each release asks for a constraint (`~1.2`, `^1`, `>=1.0 <2`, `1.x`, `1.2.0`...).
//!
//! Run: `cargo bench --bench repo_fetch` (`HELMFILE` to point at a helmfile binary).
//! Results: docs/performance.md.

#[path = "../tests/support/mod.rs"]
mod support;

use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

const REPOS: usize = 5;
const CHARTS_PER_REPO: usize = 10;
const RELEASES: usize = 50;
const CONSTRAINTS: [&str; 5] = ["~1.2", "^1", ">=1.0 <2", "1.x", "1.2.0"];

fn versions() -> Vec<String> {
    let mut v = Vec::new();
    for major in 0..2 {
        for minor in 0..4 {
            for patch in [0, 3] {
                v.push(format!("{major}.{minor}.{patch}"));
            }
        }
    }
    v.extend(["2.0.0-rc.1", "2.0.0", "2.1.0", "3.0.0"].map(String::from));
    v
}

fn main() {
    let site = tempfile::TempDir::new().unwrap();
    write_repositories(site.path());
    let server = support::TestServer::static_dir(site.path().to_path_buf());
    let work = tempfile::TempDir::new().unwrap();
    write_stacks(work.path(), &server.url());
    let rstack = env!("CARGO_BIN_EXE_rstack");
    println!(
        "{RELEASES} releases, {REPOS} repositories × {CHARTS_PER_REPO} charts × {} versions, loopback HTTP; whole processes\n",
        versions().len()
    );

    // rstack, cold: empty cache, no lock.
    let cold = runs(5, || {
        let cache = work.path().join("rcache");
        let _ = std::fs::remove_dir_all(&cache);
        let _ = std::fs::remove_file(work.path().join("stack.lock"));
        run(
            work.path(),
            rstack,
            &["-f", "stack.yaml", "deps", "--cache-dir", "rcache"],
            &[],
        );
    });
    server.reset();
    // Warm, no lock: indexes revalidated (304), nothing downloaded.
    let warm_nolock = runs(10, || {
        let _ = std::fs::remove_file(work.path().join("stack.lock"));
        run(
            work.path(),
            rstack,
            &["-f", "stack.yaml", "deps", "--cache-dir", "rcache"],
            &[],
        );
    });
    let nolock_requests = server.count() / 10;
    server.reset();
    // Warm with stack.lock: everything pinned and stored.
    let warm = runs(10, || {
        run(
            work.path(),
            rstack,
            &["-f", "stack.yaml", "deps", "--cache-dir", "rcache"],
            &[],
        );
    });
    let warm_requests = server.count() / 10;
    report("rstack deps, cold (empty cache, no lock)", cold);
    report(
        &format!("rstack deps, warm cache, no lock ({nolock_requests} requests: 304s)"),
        warm_nolock,
    );
    report(
        &format!("rstack deps, warm cache + stack.lock ({warm_requests} requests)"),
        warm,
    );

    let helmfile = std::env::var("HELMFILE").unwrap_or_else(|_| {
        let home = std::env::var("HOME").unwrap_or_default();
        format!("{home}/.cache/rstack-test/bin/helmfile")
    });
    if !Path::new(&helmfile).exists() {
        println!(
            "\n(helmfile not found at {helmfile}: run ../shared/tools/helm-ref for the side-by-side)"
        );
        return;
    }
    let helm = Path::new(&helmfile).with_file_name("helm3");
    let helm = helm.to_string_lossy().to_string();
    let home = work.path().join("helmhome");
    let env = [
        ("HELM_CONFIG_HOME", home.join("config")),
        ("HELM_CACHE_HOME", home.join("cache")),
        ("HELM_DATA_HOME", home.join("data")),
    ];
    let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let hf = |args: &[&str]| {
        let mut all = vec!["--helm-binary", helm.as_str(), "-f", "helmfile.yaml"];
        all.extend_from_slice(args);
        run(work.path(), &helmfile, &all, &env);
    };
    let hf_cold = runs(3, || {
        let _ = std::fs::remove_dir_all(&home);
        let _ = std::fs::remove_file(work.path().join("helmfile.lock"));
        let _ = std::fs::remove_dir_all(work.path().join("hf-charts"));
        hf(&["deps"]);
        hf(&["fetch", "--output-dir", "hf-charts"]);
    });
    let hf_warm = runs(3, || {
        let _ = std::fs::remove_dir_all(work.path().join("hf-charts"));
        hf(&["deps"]);
        hf(&["fetch", "--output-dir", "hf-charts"]);
    });
    report("helmfile deps + fetch, cold (0.166 + helm 3.15)", hf_cold);
    report(
        "helmfile deps + fetch, warm (helm repo cache, helmfile.lock)",
        hf_warm,
    );
    println!(
        "\nratio cold  (helmfile / rstack): {:.0}x",
        hf_cold.1.as_secs_f64() / cold.1.as_secs_f64()
    );
    println!(
        "ratio warm  (helmfile / rstack with lock): {:.0}x",
        hf_warm.1.as_secs_f64() / warm.1.as_secs_f64()
    );
    println!(
        "ratio warm  (helmfile / rstack without lock): {:.0}x",
        hf_warm.1.as_secs_f64() / warm_nolock.1.as_secs_f64()
    );
}

/// `r<N>/index.yaml` and the archives for every chart version.
fn write_repositories(root: &Path) {
    for r in 0..REPOS {
        let dir = root.join(format!("r{r}"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut index = String::from("apiVersion: v1\nentries:\n");
        for c in 0..CHARTS_PER_REPO {
            // Chart names are unique across repositories: helmfile locks by chart name.
            let name = format!("r{r}c{c:02}");
            index.push_str(&format!("  {name}:\n"));
            for v in versions().iter().rev() {
                let data = chart_archive(&name, v);
                let file = format!("{name}-{v}.tgz");
                std::fs::write(dir.join(&file), &data).unwrap();
                index.push_str(&format!(
                    "  - apiVersion: v2\n    name: {name}\n    version: {v}\n    description: generated chart {name}\n    created: \"2026-01-01T00:00:00Z\"\n    digest: {}\n    urls:\n    - {file}\n",
                    hex::encode(Sha256::digest(&data))
                ));
            }
        }
        index.push_str("generated: \"2026-01-01T00:00:00Z\"\n");
        std::fs::write(dir.join("index.yaml"), index).unwrap();
    }
}

/// A small chart archive: Chart.yaml, values.yaml, one template.
fn chart_archive(name: &str, version: &str) -> Vec<u8> {
    let files = [
        (
            "Chart.yaml",
            format!("apiVersion: v2\nname: {name}\nversion: {version}\ndescription: generated chart {name}\n"),
        ),
        ("values.yaml", "replicas: 1\nimage: nginx\n".to_string()),
        (
            "templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  image: {{ .Values.image }}\n".to_string(),
        ),
    ];
    let mut tar = tar::Builder::new(Vec::new());
    for (path, body) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(body.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        tar.append_data(&mut header, format!("{name}/{path}"), body.as_bytes())
            .unwrap();
    }
    let raw = tar.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&raw).unwrap();
    gz.finish().unwrap()
}

/// stack.yaml and helmfile.yaml with the same repositories and releases.
fn write_stacks(dir: &Path, base: &str) {
    let mut repos = String::from("repositories:\n");
    for r in 0..REPOS {
        repos.push_str(&format!("  - name: r{r}\n    url: {base}/r{r}\n"));
    }
    let mut releases = String::from("releases:\n");
    for i in 0..RELEASES {
        releases.push_str(&format!(
            "  - name: rel{i:02}\n    namespace: ns{}\n    chart: r{1}/r{1}c{2:02}\n    version: \"{3}\"\n",
            i % 5,
            i % REPOS,
            (i / REPOS) % CHARTS_PER_REPO,
            CONSTRAINTS[i % CONSTRAINTS.len()]
        ));
    }
    std::fs::write(dir.join("stack.yaml"), format!("{repos}{releases}")).unwrap();
    std::fs::write(dir.join("helmfile.yaml"), format!("{repos}{releases}")).unwrap();
}

fn run(dir: &Path, bin: &str, args: &[&str], env: &[(&str, &Path)]) {
    let mut cmd = Command::new(bin);
    cmd.args(args).current_dir(dir).env("TZ", "UTC");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{bin} {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// (fastest, mean) of `n` runs.
fn runs(n: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut all = Vec::new();
    for _ in 0..n {
        let start = Instant::now();
        f();
        all.push(start.elapsed());
    }
    let min = *all.iter().min().unwrap();
    (min, all.iter().sum::<Duration>() / n as u32)
}

fn report(what: &str, (min, mean): (Duration, Duration)) {
    println!(
        "{what:<62} fastest {:>9.1} ms   mean {:>9.1} ms",
        min.as_secs_f64() * 1e3,
        mean.as_secs_f64() * 1e3
    );
}
