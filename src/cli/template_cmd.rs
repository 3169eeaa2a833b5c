//! `rstack template` (every selected release of the stack) and `rstack chart template`
//! (one chart, with `helm template`'s arguments).
//!
//! Releases render in parallel (bounded) and print in dependency order. Nothing is
//! printed or written until every release has rendered: a failing chart stops the run
//! with an error naming the release, its chart and helm's message (template and line).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::chart::output::OutputOptions;
use crate::chart::render::{
    ReleaseName, RenderRequest, TemplateArgs, render_to_stdout, render_user_values, template_engine,
};
use crate::chart::values::SetKind;
use crate::graph::ReleaseGraph;
use crate::span::{Diagnostic, Diagnostics, Location};
use crate::workspace::{Release, Stack, layer_values};

use super::args::StackTemplateArgs;

/// `rstack chart template NAME CHART [helm template flags]`: prints what helm would.
pub fn chart_template(args: &TemplateArgs) -> Result<(), Diagnostics> {
    // One render, then the process exits: its memory need not be freed piece by piece.
    // (A stack renders many releases and keeps ordinary drops, so memory is reused.)
    crate::teardown::set_one_shot();
    if args.enable_dns == Some(true) {
        crate::chart::template::funcs::enable_dns();
    }
    let request = RenderRequest {
        helm_log_lines: true,
        ..args.to_request(Path::new("."))
    };
    render_to_stdout(&request).map_err(|e| {
        if let Some(printed) = e.stdout() {
            super::print_out(printed);
        }
        Diagnostic::new(Location::file(&request.chart), format!("{e}"))
            .with_hint("the arguments are those of `helm template`")
            .into()
    })
}

/// One release's output.
struct Rendered {
    index: usize,
    text: String,
}

/// `rstack template`: renders `selected` (already in dependency order).
pub fn stack_template(
    stack: &Stack,
    graph: &ReleaseGraph,
    selected: &[usize],
    args: &StackTemplateArgs,
) -> Result<String, Diagnostics> {
    let order = graph.order(selected);
    let order: Vec<usize> = order
        .into_iter()
        .filter(|&i| stack.releases[i].installed)
        .collect();
    let sets = args.sets();
    let fetched = fetch_remote_charts(stack, &order)?;
    let workers = args
        .concurrency
        .or(stack.defaults.concurrency.map(|c| c as usize))
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from))
        .max(1);
    let queue = Mutex::new(order.iter().copied());
    let results: Mutex<Vec<Result<Rendered, Diagnostic>>> = Mutex::new(Vec::new());
    let threads = workers.min(order.len());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let Some(i) = queue.lock().expect("queue lock").next() else {
                        break;
                    };
                    let render =
                        || render_release(stack, &stack.releases[i], &fetched, &sets, args);
                    // Releases already share the cores: one render starting threads of its
                    // own only adds work (the 100-release stack took 15 ms instead of 8).
                    let result = if threads > 1 {
                        crate::parallel::without_helpers(render)
                    } else {
                        render()
                    }
                    .map(|text| Rendered { index: i, text });
                    let failed = result.is_err();
                    results.lock().expect("results lock").push(result);
                    if failed {
                        break;
                    }
                }
            });
        }
    });
    let mut results = results.into_inner().expect("results lock");
    // Report the first failure in dependency order, as a sequential run would.
    let position = |i: usize| order.iter().position(|&o| o == i).unwrap_or(usize::MAX);
    let mut failures: Vec<Diagnostic> = Vec::new();
    let mut done: Vec<Rendered> = Vec::new();
    for r in results.drain(..) {
        match r {
            Ok(r) => done.push(r),
            Err(d) => failures.push(d),
        }
    }
    if !failures.is_empty() {
        return Err(Diagnostics(failures));
    }
    done.sort_by_key(|r| position(r.index));
    match &args.output_dir {
        Some(dir) => {
            write_output_dir(stack, dir, &done)?;
            Ok(String::new())
        }
        None => Ok(done.into_iter().map(|r| r.text).collect()),
    }
}

/// How `template` fetches: the default cache (or `RSTACK_CACHE_DIR`), no progress bar
/// (stdout carries the manifests).
fn fetch_options() -> crate::repo::FetchOptions {
    crate::repo::FetchOptions {
        cache_dir: std::env::var_os("RSTACK_CACHE_DIR").map(PathBuf::from),
        progress: crate::repo::Progress::Quiet,
        ..crate::repo::FetchOptions::default()
    }
}

/// Archives of the remote charts among `order` (`namespace/name` → path), through
/// `stack.lock` when present; nothing is fetched when every chart is local.
fn fetch_remote_charts(
    stack: &Stack,
    order: &[usize],
) -> Result<BTreeMap<String, PathBuf>, Diagnostics> {
    let remote = order
        .iter()
        .any(|&i| local_chart(stack, &stack.releases[i]).is_err());
    if !remote {
        return Ok(BTreeMap::new());
    }
    crate::repo::ensure_charts(stack, &fetch_options())
}

fn render_release(
    stack: &Stack,
    release: &Release,
    fetched: &BTreeMap<String, PathBuf>,
    sets: &[(SetKind, String)],
    args: &StackTemplateArgs,
) -> Result<String, Diagnostic> {
    let (chart, extra_dependencies) = match fetched.get(&release.id()) {
        Some(archive) => (archive.clone(), Vec::new()),
        None => {
            let chart = local_chart(stack, release)?;
            let extra = missing_dependencies(stack, release, &stack.dir.join(&chart))?;
            (chart, extra)
        }
    };
    let layered = layer_values(stack, release, None, sets)?;
    let request = RenderRequest {
        base_dir: stack.dir.clone(),
        chart,
        release_name: ReleaseName::Given(release.name.clone()),
        namespace: release.namespace.clone(),
        values_files: Vec::new(),
        sets: Vec::new(),
        kube_version: args.kube_version.clone(),
        api_versions: args.api_versions.clone(),
        output: OutputOptions {
            include_crds: args.include_crds,
            show_only: Vec::new(),
            skip_tests: args.skip_tests,
            no_hooks: args.no_hooks,
            ..OutputOptions::default()
        },
        debug: false,
        helm_log_lines: false,
        is_upgrade: false,
        skip_schema_validation: args.skip_schema_validation,
        extra_dependencies,
    };
    render_user_values(&request, layered.user, &template_engine).map_err(|e| {
        Diagnostic::new(
            release.at.clone(),
            format!("release `{}` (chart {}): {e}", release.id(), release.chart),
        )
        .with_hint("fix the chart or the release's values; `rstack values RELEASE --origin` shows where each value comes from")
    })
}

/// Fetches the dependencies a local chart folder declares but its `charts/` lacks
/// (repository URLs, `@name`, `oci://`, `file://`), as `helm dependency build` would.
fn missing_dependencies(
    stack: &Stack,
    release: &Release,
    chart_dir: &Path,
) -> Result<Vec<PathBuf>, Diagnostic> {
    if !chart_dir.join("Chart.yaml").is_file() {
        return Ok(Vec::new());
    }
    crate::repo::fetch_chart_dependencies(
        chart_dir,
        &stack.repositories,
        &stack.dir,
        &fetch_options(),
    )
    .map(|deps| deps.into_iter().map(|d| d.path).collect())
    .map_err(|problems| {
        let first = problems.0.into_iter().next();
        let message = first.map_or_else(String::new, |d| d.to_string());
        Diagnostic::new(
            release.at.clone(),
            format!("release `{}`: chart dependencies: {message}", release.id()),
        )
        .with_hint("vendor the dependency under charts/ or make its repository reachable")
    })
}

/// The chart folder or archive of a release, relative to the stack folder.
fn local_chart(stack: &Stack, release: &Release) -> Result<PathBuf, Diagnostic> {
    let chart = release.chart.as_str();
    if chart.starts_with('.') || chart.starts_with('/') {
        return Ok(PathBuf::from(chart));
    }
    if let Some(repo) = chart.split_once('/').map(|(r, _)| r)
        && let Some(path) = stack
            .repositories
            .iter()
            .find(|r| r.name == repo)
            .and_then(|r| r.path.as_ref())
    {
        return Ok(Path::new(path).join(&chart[repo.len() + 1..]));
    }
    Err(Diagnostic::new(
        release.at.clone(),
        format!("release `{}`: chart `{chart}` comes from a remote repository, which `rstack template` cannot fetch yet", release.id()),
    )
    .with_hint("use a local chart path, or a repository with `path:`"))
}

/// Writes each release's documents under `DIR/<namespace>/<release>/<source path>`,
/// grouping documents by their `# Source:` line, as `helm template --output-dir` does per
/// release. The folder is filled only after everything rendered.
fn write_output_dir(stack: &Stack, dir: &Path, done: &[Rendered]) -> Result<(), Diagnostic> {
    for r in done {
        let release = &stack.releases[r.index];
        let base = dir.join(&release.namespace).join(&release.name);
        let mut files: Vec<(String, String)> = Vec::new();
        for doc in r.text.split("---\n").filter(|d| !d.is_empty()) {
            let source = doc
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# Source: "))
                .unwrap_or("manifest.yaml")
                .to_string();
            match files.iter_mut().find(|(s, _)| *s == source) {
                Some((_, text)) => {
                    text.push_str("---\n");
                    text.push_str(doc);
                }
                None => files.push((source, format!("---\n{doc}"))),
            }
        }
        for (source, text) in files {
            if source.split('/').any(|c| c == "..") {
                continue;
            }
            let path = base.join(&source);
            let write = || -> std::io::Result<()> {
                std::fs::create_dir_all(path.parent().unwrap_or(&base))?;
                std::fs::write(&path, &text)
            };
            write().map_err(|e| {
                Diagnostic::new(Location::file(&path), format!("cannot write: {e}"))
                    .with_hint("check that --output-dir is writable")
            })?;
        }
    }
    Ok(())
}
