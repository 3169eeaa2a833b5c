//! `helm template`, end to end: arguments → chart on disk → values → dependencies →
//! schema → engine → stdout text (HELM-SEMANTICS.md §4.1).
//!
//! [`TemplateArgs`] mirrors `helm template`'s flags (the CLI flattens it into its own
//! subcommand; tests parse corpus `args` files with [`TemplateArgs::parse`]).
//! [`render`] is the one entry point; it follows helm's `runInstall` → `Install.Run` →
//! `renderResources` order so that the first error is the one helm reports. Errors raised
//! while rendering carry helm's `Use --debug flag to render out invalid YAML` suffix, as
//! helm prints it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::chart::deps::{self, DepsError};
use crate::chart::load::{self, LoadError};
use crate::chart::model::{Chart, FileData};
use crate::chart::output::{self, Output, OutputError, OutputOptions};
use crate::chart::schema::{self, SchemaError};
use crate::chart::semver::{Constraint, Version};
use crate::chart::template::exec::{Renderer, TemplateSet};
use crate::chart::template::{Preparser, RenderOptions, render_chart_with};
use crate::chart::values::{self, Map, SetError, SetKind, Value, ValuesError};

mod flags;
mod report;
use report::{debug_dump, log_failure, report_warnings, with_debug_output, write_output_dir};

/// `helm template [NAME] CHART [flags]`, the flags that affect rendering.
#[derive(clap::Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct TemplateArgs {
    /// `[NAME] CHART`: the release name (default `release-name`) and the chart path.
    #[arg(value_name = "NAME CHART", required = true, num_args = 1..=2)]
    pub positional: Vec<String>,
    /// A Go template (Sprig functions) rendered to name the release when no NAME is given.
    #[arg(long = "name-template")]
    pub name_template: Option<String>,
    /// Name the release `<chart base name>-<unix time>` when no NAME is given.
    #[arg(short = 'g', long = "generate-name")]
    pub generate_name: bool,
    /// Namespace of the release.
    #[arg(short = 'n', long, default_value = "default")]
    pub namespace: String,
    /// Values files, later ones winning (repeatable or comma-separated).
    #[arg(short = 'f', long = "values", value_delimiter = ',')]
    pub values: Vec<String>,
    /// `path=value` pairs, typed (`true`, `null`, integers).
    #[arg(long = "set")]
    pub set: Vec<String>,
    /// `path=value` pairs, values kept as strings.
    #[arg(long = "set-string")]
    pub set_string: Vec<String>,
    /// `path=file` pairs, values read from files.
    #[arg(long = "set-file")]
    pub set_file: Vec<String>,
    /// `path=<JSON>` pairs, or one JSON object.
    #[arg(long = "set-json")]
    pub set_json: Vec<String>,
    /// One `path=value`, the value verbatim.
    #[arg(long = "set-literal")]
    pub set_literal: Vec<String>,
    /// Kubernetes version for `.Capabilities` and `kubeVersion` checks (default v1.35.0).
    #[arg(long = "kube-version")]
    pub kube_version: Option<String>,
    /// Extra API versions for `.Capabilities.APIVersions` (repeatable or comma-separated).
    #[arg(short = 'a', long = "api-versions", value_delimiter = ',')]
    pub api_versions: Vec<String>,
    /// Print the chart's `crds/` files first.
    #[arg(long = "include-crds", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub include_crds: Option<bool>,
    /// Only print the documents of templates matching these globs (`templates/x.yaml`).
    #[arg(short = 's', long = "show-only")]
    pub show_only: Vec<String>,
    /// Leave out `test` hooks.
    #[arg(long = "skip-tests", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub skip_tests: Option<bool>,
    /// Leave out every hook.
    #[arg(long = "no-hooks", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub no_hooks: Option<bool>,
    /// Render as an upgrade (`.Release.IsUpgrade`).
    #[arg(long = "is-upgrade", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub is_upgrade: Option<bool>,
    /// Do not validate values against `values.schema.json`.
    #[arg(long = "skip-schema-validation", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub skip_schema_validation: Option<bool>,
    /// Write each template's documents to `DIR/<chart>/templates/…` instead of stdout.
    #[arg(long = "output-dir", value_name = "DIR")]
    pub output_dir: Option<String>,
    /// With `--output-dir`, write templates under `DIR/<release name>/`.
    #[arg(long = "release-name", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub release_name_dir: Option<bool>,
    /// Let `getHostByName` look names up in DNS (otherwise it gives "").
    #[arg(long = "enable-dns", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub enable_dns: Option<bool>,
    /// When rendering fails, print what was rendered first (helm's `--debug`).
    #[arg(long = "debug", num_args = 0..=1, require_equals = true, default_missing_value = "true")]
    pub debug: Option<bool>,
}

/// Wraps [`TemplateArgs`] so that a bare argument list can be parsed.
#[derive(clap::Parser)]
#[command(
    name = "template",
    no_binary_name = true,
    disable_help_flag = true,
    args_override_self = true
)]
struct TemplateCommand {
    #[command(flatten)]
    args: TemplateArgs,
}

impl TemplateArgs {
    /// Parses the arguments that follow `helm template`.
    pub fn parse(args: &[String]) -> Result<TemplateArgs, Error> {
        use clap::Parser;
        if let Some(parsed) = TemplateArgs::parse_common(args) {
            return Ok(parsed);
        }
        let args = flags::drop_ignored(args)?;
        TemplateCommand::try_parse_from(args)
            .map(|c| c.args)
            .map_err(|e| Error::Args(e.to_string().trim_end().to_string()))
    }

    /// The common shapes of these arguments read directly, to clap's result: a NAME and
    /// CHART, and flags that take a value (`--flag value`, `--flag=value`, `-f value`).
    /// Building clap's parser cost each run as much as many small charts' values; anything
    /// else (boolean flags, repeated single flags, values that look like flags, errors)
    /// is `None`, for clap.
    fn parse_common(args: &[String]) -> Option<TemplateArgs> {
        let mut parsed = TemplateArgs {
            namespace: "default".to_string(),
            ..TemplateArgs::default()
        };
        let (mut namespace, mut kube_version) = (None, None);
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            if !arg.starts_with('-') {
                parsed.positional.push(arg.clone());
                continue;
            }
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
                _ => (arg.as_str(), None),
            };
            let value = match inline {
                Some(value) => value,
                None => rest.next().filter(|v| !v.starts_with('-'))?,
            };
            let split = |list: &mut Vec<String>| list.extend(value.split(',').map(str::to_string));
            match flag {
                "-n" | "--namespace" if namespace.is_none() => namespace = Some(value),
                "--kube-version" if kube_version.is_none() => kube_version = Some(value),
                "-f" | "--values" => split(&mut parsed.values),
                "-a" | "--api-versions" => split(&mut parsed.api_versions),
                "-s" | "--show-only" => parsed.show_only.push(value.to_string()),
                "--set" => parsed.set.push(value.to_string()),
                "--set-string" => parsed.set_string.push(value.to_string()),
                "--set-file" => parsed.set_file.push(value.to_string()),
                "--set-json" => parsed.set_json.push(value.to_string()),
                "--set-literal" => parsed.set_literal.push(value.to_string()),
                _ => return None,
            }
        }
        if !(1..=2).contains(&parsed.positional.len()) {
            return None;
        }
        if let Some(namespace) = namespace {
            parsed.namespace = namespace.to_string();
        }
        parsed.kube_version = kube_version.map(str::to_string);
        Some(parsed)
    }

    /// The request these arguments describe; relative paths are resolved from `base_dir`.
    pub fn to_request(&self, base_dir: &Path) -> RenderRequest {
        let (release_name, chart) = match self.positional.as_slice() {
            [name, chart] => (name.clone(), chart.clone()),
            [chart] => ("release-name".to_string(), chart.clone()),
            _ => (String::new(), String::new()),
        };
        let mut sets = Vec::new();
        for (kind, list) in [
            (SetKind::Json, &self.set_json),
            (SetKind::Typed, &self.set),
            (SetKind::String, &self.set_string),
            (SetKind::File, &self.set_file),
            (SetKind::Literal, &self.set_literal),
        ] {
            sets.extend(list.iter().map(|a| (kind, a.clone())));
        }
        // helm's `NameAndChart`: a NAME excludes both naming flags.
        let named = self.positional.len() == 2;
        let release_name = if named && self.generate_name {
            ReleaseName::Conflict("--generate-name")
        } else if named && self.name_template.is_some() {
            ReleaseName::Conflict("--name-template")
        } else if let Some(t) = &self.name_template {
            ReleaseName::Template(t.clone())
        } else if self.generate_name {
            ReleaseName::Given(generated_name(&chart))
        } else {
            ReleaseName::Given(release_name)
        };
        RenderRequest {
            base_dir: base_dir.to_path_buf(),
            chart: PathBuf::from(chart),
            release_name,
            namespace: self.namespace.clone(),
            values_files: self.values.iter().map(PathBuf::from).collect(),
            sets,
            kube_version: self.kube_version.clone(),
            api_versions: self.api_versions.clone(),
            output: OutputOptions {
                include_crds: self.include_crds.unwrap_or(false),
                show_only: self.show_only.clone(),
                skip_tests: self.skip_tests.unwrap_or(false),
                no_hooks: self.no_hooks.unwrap_or(false),
                output_dir: self.output_dir.clone(),
                release_name_dir: self.release_name_dir.unwrap_or(false),
            },
            debug: self.debug.unwrap_or(false),
            helm_log_lines: false,
            is_upgrade: self.is_upgrade.unwrap_or(false),
            skip_schema_validation: self.skip_schema_validation.unwrap_or(false),
            extra_dependencies: Vec::new(),
        }
    }
}

/// How the release is named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReleaseName {
    Given(String),
    /// `--name-template`: rendered with no data.
    Template(String),
    /// A NAME together with a flag that also names the release (helm refuses it).
    Conflict(&'static str),
}

impl Default for ReleaseName {
    fn default() -> ReleaseName {
        ReleaseName::Given("release-name".into())
    }
}

/// helm's `--generate-name`: the chart path's base name up to its first `.`, then the
/// current Unix time.
fn generated_name(chart: &str) -> String {
    let base = Path::new(chart)
        .file_name()
        .map(|b| b.to_string_lossy().into_owned())
        .filter(|b| !b.is_empty() && b != ".")
        .unwrap_or_else(|| "chart".into());
    let base = base.split('.').next().unwrap_or_default().to_string();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!("{base}-{now}")
}

/// Everything `helm template` needs to print a chart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RenderRequest {
    /// Relative paths (chart, values files, `--set-file` files) are resolved from here.
    pub base_dir: PathBuf,
    pub chart: PathBuf,
    pub release_name: ReleaseName,
    pub namespace: String,
    pub values_files: Vec<PathBuf>,
    /// `--set*` arguments with their kind, in command-line order.
    pub sets: Vec<(SetKind, String)>,
    pub kube_version: Option<String>,
    pub api_versions: Vec<String>,
    pub output: OutputOptions,
    /// helm's `--debug`: a failed render prints what it rendered, and its error has no
    /// "Use --debug flag" hint.
    pub debug: bool,
    /// Print helm's warnings as helm's own stderr lines (`rstack chart template`)
    /// instead of through rstack's log.
    pub helm_log_lines: bool,
    pub is_upgrade: bool,
    pub skip_schema_validation: bool,
    /// Subcharts fetched for dependencies that the chart's `charts/` lacks (directories
    /// or archives, from `repo`); added as if they were in `charts/`.
    pub extra_dependencies: Vec<PathBuf>,
}

/// Why `helm template` failed; each message is helm's where helm's is known.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Args(String),
    #[error("path {0:?} not found")]
    ChartNotFound(String),
    /// Go's wording: `open PATH: no such file or directory`.
    #[error("{0}")]
    ValuesFile(String),
    #[error("{}:{source}", path.display())]
    ValuesParse {
        path: PathBuf,
        #[source]
        source: ValuesError,
    },
    #[error("{0}")]
    Set(#[from] SetError),
    #[error("{0}")]
    Load(#[from] LoadError),
    #[error("library charts are not installable")]
    NotInstallable,
    #[error("{0}")]
    Deps(#[from] DepsError),
    #[error("chart dependencies processing failed: {0}")]
    DepsProcessing(DepsError),
    #[error("{0}")]
    Schema(#[from] SchemaError),
    #[error("invalid kube version '{version}': {message}")]
    KubeVersionFlag { version: String, message: String },
    #[error(
        "release name check failed: release name {name:?}: {}",
        release_name_problem(name)
    )]
    ReleaseName { name: String },
    /// A failure while rendering (helm adds a hint to these).
    #[error("{0}\n\nUse --debug flag to render out invalid YAML")]
    Render(RenderFailure),
    /// `--show-only` matched nothing.
    #[error("{0}")]
    ShowOnly(OutputError),
    /// A failed render under `--debug`: the error without its hint (helm prints what
    /// was rendered instead, in [`Error::WithStdout`]).
    #[error("{0}")]
    RenderDebug(RenderFailure),
    /// A failure after helm has already printed something: `stdout` goes out first.
    #[error("{error}")]
    WithStdout { stdout: String, error: Box<Error> },
}

impl Error {
    /// What helm prints on stdout before this error.
    pub fn stdout(&self) -> Option<&str> {
        match self {
            Error::WithStdout { stdout, .. } => Some(stdout),
            _ => None,
        }
    }
}

/// Failures of helm's `renderResources` step.
#[derive(Debug, thiserror::Error)]
pub enum RenderFailure {
    #[error(
        "chart requires kubeVersion: {constraint} which is incompatible with Kubernetes {version}"
    )]
    KubeVersion { constraint: String, version: String },
    /// The template engine's error, as it prints it.
    #[error("{0}")]
    Template(String),
    #[error("{0}")]
    Output(OutputError),
    /// `--output-dir` could not write a file (Go's wording: `mkdir out/c: …`).
    #[error("{0}")]
    OutputDir(String),
}

/// `.Capabilities.KubeVersion`, parsed as helm parses `--kube-version`.
pub use crate::chart::template::objects::KubeVersion;

/// What the engine needs besides the chart and values: `.Release` and `.Capabilities`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderContext {
    pub release_name: String,
    pub namespace: String,
    pub is_upgrade: bool,
    pub kube_version: KubeVersion,
    /// `--api-versions` entries, verbatim (the engine appends them to helm's defaults).
    pub api_versions: Vec<String>,
}

/// A template engine: the processed chart, its coalesced values and the context in;
/// `template name → rendered text` out, or the engine's error message.
/// `preparser` holds templates already parsed while the chart loaded.
pub type Engine<'a> = &'a dyn Fn(
    &Chart,
    &Map,
    &RenderContext,
    &Preparser,
) -> Result<BTreeMap<String, String>, String>;

/// Renders a chart as `helm template` does and returns its stdout.
pub fn render(request: &RenderRequest) -> Result<String, Error> {
    render_with(request, &template_engine)
}

/// The project's template engine (`chart::template`).
pub fn template_engine(
    chart: &Chart,
    values: &Map,
    ctx: &RenderContext,
    preparser: &Preparser,
) -> Result<BTreeMap<String, String>, String> {
    let opts = RenderOptions {
        release_name: ctx.release_name.clone(),
        namespace: ctx.namespace.clone(),
        revision: 1,
        is_upgrade: ctx.is_upgrade,
        kube_version: ctx.kube_version.version.clone(),
        api_versions: ctx.api_versions.clone(),
        helm_version: String::new(),
    };
    render_chart_with(chart, &Value::map(values.clone()), &opts, Some(preparser))
        .map_err(|e| e.to_string())
}

/// [`render`], writing helm's output to stdout as it lies in memory instead of building
/// one string of it first (`rstack chart template`). Write errors (a closed pipe) end
/// the output quietly, as they do for helm.
pub fn render_to_stdout(request: &RenderRequest) -> Result<(), Error> {
    render_with_output(request, &template_engine, |output| {
        // Unbuffered: the output goes out in few large vectored writes (std's `Stdout`
        // would copy it through its line buffer).
        #[cfg(unix)]
        let _ = {
            use std::os::fd::FromRawFd;
            // SAFETY: descriptor 1 stays open for the whole process, and `ManuallyDrop`
            // never closes it.
            let mut stdout = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(1) });
            output.write_to(&mut *stdout)
        };
        #[cfg(not(unix))]
        let _ = output.write_to(&mut std::io::stdout().lock());
    })
}

/// [`render`] with a given engine (tests use a stand-in).
pub fn render_with(request: &RenderRequest, engine: Engine<'_>) -> Result<String, Error> {
    render_with_output(request, engine, |output| output.into_string())
}

/// [`render_with`], handing helm's output to `finish` while it still lies in the
/// rendered templates and chart files.
fn render_with_output<R>(
    request: &RenderRequest,
    engine: Engine<'_>,
    finish: impl FnOnce(Output<'_>) -> R,
) -> Result<R, Error> {
    let resolve = |p: &Path| {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            request.base_dir.join(p)
        }
    };
    let result = check_request(request).and_then(|checked| {
        let user = user_values(request, &resolve)?;
        render_values_output(request, checked, user, engine, finish)
            .map_err(|e| with_debug_output(request, e, ""))
    });
    if let (Err(e), true) = (&result, request.helm_log_lines) {
        log_failure(e);
    }
    result
}

/// What a request names, checked before anything is read: the `--kube-version`, the
/// release name, and the chart's path (resolved from `request.base_dir`).
struct CheckedRequest {
    kube_version: KubeVersion,
    release_name: String,
    chart_path: PathBuf,
}

fn check_request(request: &RenderRequest) -> Result<CheckedRequest, Error> {
    let kube_version = kube_version(request)?;
    let release_name = release_name(&request.release_name)?;
    validate_release_name(&release_name)?;
    let chart_path = if request.chart.is_absolute() {
        request.chart.clone()
    } else {
        request.base_dir.join(&request.chart)
    };
    if !chart_path.exists() {
        return Err(Error::ChartNotFound(request.chart.display().to_string()));
    }
    Ok(CheckedRequest {
        kube_version,
        release_name,
        chart_path,
    })
}

/// [`render_with`] for user values already merged by the caller (the stack's value
/// layers); `request.values_files` and `request.sets` are not read.
pub fn render_user_values(
    request: &RenderRequest,
    user: Map,
    engine: Engine<'_>,
) -> Result<String, Error> {
    let checked = check_request(request)?;
    render_values_output(request, checked, user, engine, |output| {
        output.into_string()
    })
}

fn render_values_output<R>(
    request: &RenderRequest,
    checked: CheckedRequest,
    user: Map,
    engine: Engine<'_>,
    finish: impl FnOnce(Output<'_>) -> R,
) -> Result<R, Error> {
    let CheckedRequest {
        kube_version,
        release_name,
        chart_path,
    } = checked;
    let load_stage = crate::timing::stage("load");
    // Templates are parsed on another core as they are read, while this thread loads the
    // rest and works out the values.
    let mut preparser = Preparser::new();
    let mut chart = load::load_chart_observed(&chart_path, &mut |path, data| {
        if let (true, FileData::Shared(data)) = (load::is_template_path(path), data) {
            preparser.offer(data);
        }
    })?;
    preparser.flush();
    drop(load_stage);
    for extra in &request.extra_dependencies {
        let dep = load::load_chart(extra)?;
        let vendored = chart.dependencies.iter().any(|d| {
            d.metadata.name == dep.metadata.name && d.metadata.version == dep.metadata.version
        });
        if !vendored {
            chart.dependencies.push(dep);
        }
    }
    if chart.metadata.chart_type == "library" {
        return Err(Error::NotInstallable);
    }
    deps::check_dependencies(&chart)?;

    let mut warnings = Vec::new();
    let values_stage = crate::timing::stage("dependencies+values");
    deps::process_dependencies(&mut chart, &user, &mut warnings).map_err(Error::DepsProcessing)?;
    let values = deps::coalesce_chart_values(&chart, &user, &mut warnings)?;
    drop(values_stage);
    report_warnings(request, &chart.metadata.name, &warnings);
    let ctx = RenderContext {
        release_name,
        namespace: request.namespace.clone(),
        is_upgrade: request.is_upgrade,
        kube_version,
        api_versions: request.api_versions.clone(),
    };
    let schemas = schema::Schemas::of(&chart);
    let validate = || validate_timed(&schemas, &values);
    let render = || render_checked(&chart, &values, &ctx, engine, &preparser);
    // Validation (mostly compiling the schemas) needs nothing the render makes, so it
    // runs beside it on the other core. Its error still wins, as when it runs first.
    let rendered = if request.skip_schema_validation || !schemas.any() {
        render()?
    } else if crate::parallel::cores() > 1 && preparser.is_busy() {
        // The background parser still has templates to parse: it validates once done,
        // while this thread joins in the parsing and renders; this thread validates if
        // the parser has not started by the end of the render. (A third thread on two
        // cores was measured keeping this one off its CPU for milliseconds: `perf sched`.)
        let owned_values = values.clone();
        let validation =
            crate::parallel::Deferred::new(move || validate_timed(&schemas, &owned_values));
        preparser.run_after_parsing(validation.runner());
        let rendered = render();
        validation.wait()?;
        rendered?
    } else if crate::parallel::cores() > 1 {
        std::thread::scope(|scope| {
            let validation = crate::parallel::spawn_helper(scope, validate);
            crate::parallel::make_way();
            let rendered = render();
            validation
                .join()
                .expect("schema validation does not panic")?;
            rendered
        })?
    } else {
        validate()?;
        render()?
    };
    // Stops the worker (it may still be parsing a disabled subchart's templates).
    drop(preparser);
    let _stage = crate::timing::stage("output");
    let crds = output::crd_files(&chart);
    let result = match &request.output.output_dir {
        Some(dir) => write_output_dir(request, dir, &ctx.release_name, &rendered, &crds)
            .map(|text| finish(Output::text(text))),
        None => match output::output(&rendered, &crds, &request.output) {
            Ok(output) => Ok(finish(output)),
            Err(e @ OutputError::ShowOnlyNotFound { .. }) => Err(Error::ShowOnly(e)),
            Err(other) => Err(Error::Render(RenderFailure::Output(other))),
        },
    }
    .map_err(|e| match e {
        Error::Render(RenderFailure::Output(_)) => {
            with_debug_output(request, e, &debug_dump(&rendered))
        }
        other => other,
    });
    crate::teardown::discard((chart, values, rendered, crds));
    result
}

/// Schema validation, timed as its own stage (`RSTACK_TIMINGS`) on whichever thread runs it.
fn validate_timed(schemas: &schema::Schemas, values: &Map) -> Result<(), SchemaError> {
    let _stage = crate::timing::stage("schema");
    schemas.validate(values)
}

/// The chart's `kubeVersion` checked, then its templates rendered.
fn render_checked(
    chart: &Chart,
    values: &Map,
    ctx: &RenderContext,
    engine: Engine<'_>,
    preparser: &Preparser,
) -> Result<BTreeMap<String, String>, Error> {
    let short = &ctx.kube_version.normalized;
    if !chart.metadata.kube_version.is_empty()
        && !kube_version_allowed(&chart.metadata.kube_version, short)
    {
        return Err(Error::Render(RenderFailure::KubeVersion {
            constraint: chart.metadata.kube_version.clone(),
            version: short.clone(),
        }));
    }
    engine(chart, values, ctx, preparser).map_err(|e| Error::Render(RenderFailure::Template(e)))
}

/// `--kube-version`, parsed first as helm does, or helm 4's default.
fn kube_version(request: &RenderRequest) -> Result<KubeVersion, Error> {
    match &request.kube_version {
        Some(v) => KubeVersion::parse(v).map_err(|message| Error::KubeVersionFlag {
            version: v.clone(),
            message,
        }),
        None => Ok(KubeVersion::default_v4()),
    }
}

/// `IsCompatibleRange(chart kubeVersion, cluster version)`: false when either side does not
/// parse.
fn kube_version_allowed(constraint: &str, version: &str) -> bool {
    match (Constraint::parse(constraint), Version::parse(version)) {
        (Ok(c), Ok(v)) => c.matches(&v),
        _ => false,
    }
}

/// The release name: given, or helm's `TemplateName` (the template run with no data).
fn release_name(name: &ReleaseName) -> Result<String, Error> {
    match name {
        ReleaseName::Given(n) => Ok(n.clone()),
        ReleaseName::Conflict(flag) => Err(Error::Args(format!(
            "cannot set {flag} and also specify a name"
        ))),
        ReleaseName::Template(src) => {
            let mut set = TemplateSet::new();
            set.parse_file("name-template", src)
                .map_err(|e| Error::Args(e.to_string()))?;
            Renderer::new(&set)
                .execute("name-template", &Value::Nil)
                .map_err(|e| Error::Args(e.to_string()))
        }
    }
}

/// Helm's release-name rule (DNS-1123 subdomain, at most 53 characters).
/// helm's `ValidateReleaseName` words: a missing name first, then the pattern.
fn release_name_problem(name: &str) -> &'static str {
    if name.is_empty() {
        "no name provided"
    } else {
        "invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53"
    }
}

fn validate_release_name(name: &str) -> Result<(), Error> {
    check_release_name(name).map_err(|_| Error::ReleaseName {
        name: name.to_string(),
    })
}

/// Helm's release-name rule (a DNS-1123 subdomain of at most 53 characters), with the
/// reason a name breaks it; the stack loader reports the reason, `helm template` its own
/// fixed text.
pub fn check_release_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("it is empty");
    }
    if name.len() > 53 {
        return Err("it is longer than 53 characters");
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if name.split('.').all(label_ok) {
        Ok(())
    } else {
        Err(
            "it must be lowercase alphanumerics, `-` or `.`, starting and ending with an alphanumeric",
        )
    }
}

/// The user values: `-f` files merged in order, then the `--set*` flags.
fn user_values(request: &RenderRequest, resolve: &dyn Fn(&Path) -> PathBuf) -> Result<Map, Error> {
    let mut user = Map::new();
    for file in &request.values_files {
        let path = resolve(file);
        let text =
            values::read_set_file(&file.display().to_string(), &path).map_err(Error::ValuesFile)?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let parsed = values::parse_values(text).map_err(|source| Error::ValuesParse {
            path: file.clone(),
            source,
        })?;
        values::merge_values(&mut user, &parsed);
    }
    let read_file = |shown: &str| values::read_set_file(shown, &resolve(Path::new(shown)));
    values::apply_sets(&mut user, &request.sets, &read_file)?;
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn args(line: &str) -> TemplateArgs {
        let v: Vec<String> = line.split_whitespace().map(String::from).collect();
        TemplateArgs::parse(&v).unwrap()
    }

    /// The common shapes read directly give clap's result, on every corpus case's
    /// arguments and on edge cases; the rest is left to clap.
    #[test]
    fn common_arguments_are_read_as_clap_reads_them() {
        use clap::Parser;
        let mut lines: Vec<String> = [
            "rel charts/c",
            "charts/c",
            "rel charts/c --namespace=ns --kube-version=1.29.4 --set=a=b --set-string s=1",
            "rel charts/c -n ns -f a.yaml,b.yaml -f c.yaml --values=d.yaml -a x/v1,y/v1",
            "--set x=1 rel charts/c --set-file a=f --set-json a={} --set-literal a=b,c",
            "rel charts/c --show-only templates/a.yaml -s templates/b.yaml --set=",
            "rel charts/c --namespace a --namespace b",
            "rel charts/c --kube-version 1 --kube-version 2",
            "rel charts/c --set -x",
            "rel charts/c --set",
            "rel charts/c -f",
            "rel charts/c extra",
            "",
            "rel charts/c --include-crds",
            "rel charts/c -nns",
            "rel charts/c -f=a.yaml",
            "rel charts/c --generate-name",
            "rel charts/c --bogus x",
            "rel charts/c -- x",
        ]
        .map(String::from)
        .to_vec();
        let corpus = std::env::var("RSTACK_CONFORMANCE_DIR")
            .unwrap_or_else(|_| "../shared/conformance".to_string());
        if let Ok(cases) = fs::read_dir(Path::new(&corpus).join("cases")) {
            for case in cases.flatten() {
                if let Ok(line) = fs::read_to_string(case.path().join("args")) {
                    lines.push(line);
                }
            }
        }
        let mut direct = 0;
        for line in &lines {
            let argv: Vec<String> = line.split_whitespace().map(String::from).collect();
            let Some(fast) = TemplateArgs::parse_common(&argv) else {
                continue;
            };
            let clap = TemplateCommand::try_parse_from(&argv).map(|c| c.args);
            assert_eq!(Ok(fast), clap.map_err(|e| e.to_string()), "{line}");
            direct += 1;
        }
        assert!(direct >= 6, "{direct}");
    }

    #[test]
    fn parses_helm_template_flags() {
        let a = args(
            "rel charts/c --namespace ns -f a.yaml,b.yaml -f c.yaml --set x=1,y=2 --set-string s=1 --kube-version 1.29.4 --api-versions a/v1,b/v1 --include-crds --show-only templates/x.yaml --skip-tests --is-upgrade --skip-schema-validation",
        );
        let r = a.to_request(Path::new("/base"));
        assert_eq!(r.release_name, ReleaseName::Given("rel".into()));
        assert_eq!(r.chart, PathBuf::from("charts/c"));
        assert_eq!(r.namespace, "ns");
        assert_eq!(r.values_files.len(), 3);
        assert_eq!(
            r.sets,
            [
                (SetKind::Typed, "x=1,y=2".to_string()),
                (SetKind::String, "s=1".to_string())
            ]
        );
        assert_eq!(r.api_versions, ["a/v1", "b/v1"]);
        assert!(
            r.output.include_crds
                && r.output.skip_tests
                && r.is_upgrade
                && r.skip_schema_validation
        );
        assert_eq!(r.output.show_only, ["templates/x.yaml"]);
        // Boolean flags never take the next argument (pflag), only `--flag=value`.
        let r = args("rel --include-crds charts/c").to_request(Path::new("."));
        assert!(r.output.include_crds);
        assert_eq!(r.chart, PathBuf::from("charts/c"));
        let r = args("charts/c --no-hooks=false").to_request(Path::new("."));
        assert_eq!(r.release_name, ReleaseName::Given("release-name".into()));
        assert!(!r.output.no_hooks);
        assert!(TemplateArgs::parse(&["--bogus".into()]).is_err());
    }

    #[test]
    fn name_templates_name_the_release() {
        let r = args("charts/c --name-template my-{{\"x\"}}").to_request(Path::new("."));
        assert_eq!(release_name(&r.release_name).unwrap(), "my-x");
        let r = args("rel charts/c --name-template x").to_request(Path::new("."));
        assert_eq!(
            release_name(&r.release_name).unwrap_err().to_string(),
            "cannot set --name-template and also specify a name"
        );
    }

    #[test]
    fn generated_names_use_the_chart_base_name() {
        let r = args("charts/my.chart-1.0.tgz -g").to_request(Path::new("."));
        let ReleaseName::Given(name) = r.release_name else {
            panic!("expected a generated name");
        };
        assert!(
            name.starts_with("my-") && name[3..].parse::<u64>().is_ok(),
            "{name}"
        );
        let r = args("rel charts/c --generate-name").to_request(Path::new("."));
        assert_eq!(r.release_name, ReleaseName::Conflict("--generate-name"));
    }

    #[test]
    fn kube_versions_as_kubernetes_parses_them() {
        let k = KubeVersion::parse("1.29.3-gke.100").unwrap();
        assert_eq!(
            (k.version.as_str(), k.normalized.as_str()),
            ("v1.29.3-gke.100", "v1.29.3")
        );
        assert_eq!((k.major.as_str(), k.minor.as_str()), ("1", "29"));
        let short = KubeVersion::parse("v1.30").unwrap();
        assert_eq!(
            (short.version.as_str(), short.normalized.as_str()),
            ("v1.30", "v1.30")
        );
        let loose = KubeVersion::parse("1.30.x").unwrap();
        assert_eq!(
            (loose.version.as_str(), loose.normalized.as_str()),
            ("v1.30.x", "v1.30")
        );
        for (bad, why) in [
            ("x", "could not parse \"x\" as version"),
            ("1", "illegal version string \"1\""),
            (
                "01.030.0",
                "illegal zero-prefixed version component \"01\" in \"01.030.0\"",
            ),
        ] {
            assert_eq!(KubeVersion::parse(bad).unwrap_err(), why);
        }
        assert_eq!(KubeVersion::parse("1.030").unwrap().normalized, "v1.30");
    }

    /// Stands in for the engine: every template's text unchanged.
    fn passthrough(
        chart: &Chart,
        _: &Map,
        _: &RenderContext,
        _: &Preparser,
    ) -> Result<BTreeMap<String, String>, String> {
        fn walk(c: &Chart, prefix: &str, out: &mut BTreeMap<String, String>) {
            for t in &c.templates {
                out.insert(
                    format!("{prefix}/{}", t.name),
                    String::from_utf8_lossy(&t.data).into(),
                );
            }
            for d in &c.dependencies {
                walk(d, &format!("{prefix}/charts/{}", d.metadata.name), out);
            }
        }
        let mut out = BTreeMap::new();
        walk(chart, &chart.metadata.name, &mut out);
        Ok(out)
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// A minimal `Chart.yaml` for a (sub)chart named `name`.
    fn chart_yaml(name: &str) -> String {
        format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
    }

    fn tempdir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("rstack-render-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn pipeline_runs_with_a_stand_in_engine() {
        let d = tempdir("pipe");
        write(
            &d,
            "c/Chart.yaml",
            "apiVersion: v2\nname: c\nversion: 0.1.0\ndependencies:\n- name: sub\n  condition: sub.enabled\n- name: lib\n",
        );
        write(&d, "c/templates/cm.yaml", "kind: ConfigMap\n");
        write(&d, "c/crds/crd.yaml", "kind: CustomResourceDefinition\n");
        write(&d, "c/charts/sub/Chart.yaml", &chart_yaml("sub"));
        write(
            &d,
            "c/charts/sub/templates/sa.yaml",
            "kind: ServiceAccount\n",
        );
        write(
            &d,
            "c/charts/sub/crds/sub.yaml",
            "kind: CustomResourceDefinition\n",
        );
        write(
            &d,
            "c/charts/lib/Chart.yaml",
            "apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n",
        );
        write(&d, "c/charts/lib/templates/x.yaml", "kind: Secret\n");
        let out = render_with(&args("rel c --include-crds").to_request(&d), &passthrough).unwrap();
        assert_eq!(
            out,
            "---\n# Source: c/crds/crd.yaml\nkind: CustomResourceDefinition\n\n\
             ---\n# Source: c/charts/sub/crds/sub.yaml\nkind: CustomResourceDefinition\n\n\
             ---\n# Source: c/charts/sub/templates/sa.yaml\nkind: ServiceAccount\n\
             ---\n# Source: c/templates/cm.yaml\nkind: ConfigMap\n"
        );
        let out = render_with(
            &args("rel c --set sub.enabled=false").to_request(&d),
            &passthrough,
        )
        .unwrap();
        assert_eq!(out, "---\n# Source: c/templates/cm.yaml\nkind: ConfigMap\n");
        write(&d, "c/templates/bad.yaml", "- a\n");
        let err = render_with(&args("rel c").to_request(&d), &passthrough).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("\n\nUse --debug flag to render out invalid YAML")
        );
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_schema_error_wins_over_a_render_error() {
        let d = tempdir("schema-first");
        write(&d, "c/Chart.yaml", &chart_yaml("c"));
        write(&d, "c/values.yaml", "port: 80\n");
        write(
            &d,
            "c/values.schema.json",
            r#"{"type":"object","properties":{"port":{"type":"integer"}}}"#,
        );
        write(&d, "c/templates/cm.yaml", "{{ fail \"render failed\" }}\n");
        let err = render(&args("rel c --set-string port=x").to_request(&d)).unwrap_err();
        assert!(
            err.to_string()
                .contains("values don't meet the specifications"),
            "{err}"
        );
        let err = render(&args("rel c").to_request(&d)).unwrap_err();
        assert!(err.to_string().contains("render failed"), "{err}");
        fs::remove_dir_all(&d).unwrap();
    }

    /// Enough template text for the background parser to start: its trees, its failures
    /// (parsed again for the exact error) and the files of a disabled subchart.
    #[test]
    fn templates_parsed_in_the_background_render_as_parsed_in_line() {
        let d = tempdir("preparse");
        write(
            &d,
            "c/Chart.yaml",
            "apiVersion: v2\nname: c\nversion: 0.1.0\ndependencies:\n- name: extra\n  condition: extra.enabled\n",
        );
        write(&d, "c/values.yaml", "extra:\n  enabled: false\n");
        let filler = format!("{{{{/* {} */}}}}", "x".repeat(40 << 10));
        write(
            &d,
            "c/templates/_helpers.tpl",
            &format!("{filler}{{{{ define \"c.name\" }}}}n-{{{{ .Release.Name }}}}{{{{ end }}}}"),
        );
        for i in 0..20 {
            write(
                &d,
                &format!("c/templates/cm{i}.yaml"),
                &format!(
                    "kind: ConfigMap\nmetadata:\n  name: {{{{ include \"c.name\" . }}}}-{i}\n"
                ),
            );
        }
        write(&d, "c/charts/extra/Chart.yaml", &chart_yaml("extra"));
        write(&d, "c/charts/extra/templates/broken.yaml", "{{ if }}\n");
        let out = render(&args("rel c").to_request(&d)).unwrap();
        assert_eq!(out.matches("kind: ConfigMap").count(), 20);
        assert!(out.contains("name: n-rel-7\n"), "{out}");
        write(&d, "c/templates/zz.yaml", "a\n{{ end }}\n");
        let err = render(&args("rel c").to_request(&d)).unwrap_err();
        assert!(
            err.to_string()
                .contains("parse error at (c/templates/zz.yaml:2): unexpected {{end}}"),
            "{err}"
        );
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn early_errors_match_helm() {
        let d = tempdir("early");
        write(
            &d,
            "lib/Chart.yaml",
            "apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n",
        );
        let err = render_with(&args("rel lib").to_request(&d), &passthrough).unwrap_err();
        assert_eq!(err.to_string(), "library charts are not installable");
        let err = render_with(&args("rel nope").to_request(&d), &passthrough).unwrap_err();
        assert_eq!(err.to_string(), "path \"nope\" not found");
        let err = render_with(&args("Bad_Name lib").to_request(&d), &passthrough).unwrap_err();
        assert!(err.to_string().contains("invalid release name"));
        fs::remove_dir_all(&d).unwrap();
    }
}
