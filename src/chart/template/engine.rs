//! Helm's rendering engine over a chart tree (`pkg/engine/engine.go`, HELM-SEMANTICS.md
//! §2.1–2.5): one template set for the chart and all its subcharts, Helm's parse and
//! execution order, the top-level object of each template, `<no value>` clean-up, and
//! Helm's wording of parse and execution errors.
//!
//! Input: a loaded [`Chart`] (enabled subcharts only, aliases applied), the fully
//! coalesced root values and the release/cluster options. Output: rendered text per
//! template name. It knows nothing of manifests: splitting, sorting and dropping
//! `NOTES.txt` belong to the caller.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashSet;

use super::exec::{self, GoError, Renderer, TemplateSet};
use super::objects::{Capabilities, Files, HelmVersion, KubeVersion, NilMap, VersionSet};
use super::preparse::Preparser;
use crate::chart::model::{Chart, Metadata};
use crate::chart::values::{Map, Value};

/// What the caller knows about the release and the cluster.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    pub release_name: String,
    pub namespace: String,
    pub revision: i64,
    pub is_upgrade: bool,
    /// e.g. `v1.20.0`; empty = Helm 4.1.4's default (`v1.35.0`).
    pub kube_version: String,
    /// Extra API versions, appended to Helm's default set (like `--api-versions`).
    pub api_versions: Vec<String>,
    /// e.g. `v4.1.4`; empty = Helm 4.1.4's build info.
    pub helm_version: String,
}

/// Which stage failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenderErrorKind {
    Parse,
    Exec,
}

/// A render failure; `Display` is Helm's message (what follows `Error: `).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RenderError {
    pub kind: RenderErrorKind,
    /// Full path of the chart owning the failing template (`c`, `c/charts/sub`).
    pub chart: String,
    /// The template file being parsed or executed (`c/templates/x.yaml`).
    pub template: String,
    /// 1-based line and 0-based byte column (as Go prints them) of the outermost
    /// location Helm reports; 0 when unknown.
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// Helm 4.1.4's default kube version for `helm template`.
pub const DEFAULT_KUBE_VERSION: &str = "v1.35.0";

/// Helm 4.1.4's default API versions (client-go's scheme plus apiextensions), in order.
pub const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
];

/// The `.Capabilities` object for `opts`.
pub fn capabilities(opts: &RenderOptions) -> Capabilities {
    let kube_version =
        KubeVersion::parse(&opts.kube_version).unwrap_or_else(|_| KubeVersion::default_v4());
    let mut api: Vec<String> = DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect();
    api.extend(opts.api_versions.iter().cloned());
    let mut helm_version = HelmVersion::v4_1_4();
    if !opts.helm_version.is_empty() {
        helm_version.version = opts.helm_version.clone();
    }
    Capabilities {
        kube_version,
        api_versions: VersionSet(Arc::new(api)),
        helm_version,
    }
}

/// A chart's templates, parsed once; render it any number of times.
pub struct Engine {
    set: TemplateSet,
    /// Every template in Helm's parse/execution order, with what it needs to execute.
    order: Vec<Entry>,
    /// Per chart (by index into `charts`): the values path, metadata and files.
    charts: Vec<ChartInfo>,
    /// Bytes of template source (decides whether executing on every core pays).
    source_bytes: usize,
}

struct Entry {
    name: String,
    chart: usize,
}

/// The state of executing templates one after another, as Helm does.
struct Sequential<'s> {
    renderer: Renderer<'s>,
    /// Each chart's current `.`. Helm hands every template of a chart the same top-level
    /// map (only `Template` is replaced), so `set $ "Values" ...` in one template is seen
    /// by the next ones (istio's zzz_profile.yaml relies on it).
    tops: Vec<Value>,
    /// Each executed template's `.`, alive for the whole render: the renderer identifies
    /// top-level objects by address.
    per_template: Vec<Value>,
}

impl Sequential<'_> {
    fn register_tops(&self) {
        for top in &self.tops {
            self.renderer.register_top_object(top);
        }
    }
}

/// Whether `renderer` replaced a map that later templates see: its template's own `.`
/// (`own`, which the next template of the chart inherits), or one reachable from the
/// top-level objects the template started from (`tops`; their map addresses are worked
/// out into `reachable` on first need: most templates replace no map at all).
fn changed_shared(
    renderer: &Renderer<'_>,
    own: &Value,
    tops: &[Value],
    reachable: &OnceLock<FxHashSet<usize>>,
) -> bool {
    let own = match own {
        Value::Map(m) => Some(exec::map_ptr(m)),
        _ => None,
    };
    renderer.replaced_any(|address| {
        Some(address) == own
            || reachable
                .get_or_init(|| exec::reachable_maps(tops))
                .contains(&address)
    })
}

/// A partial (`_helpers.tpl`): defines templates, is not executed itself.
fn is_partial(name: &str) -> bool {
    name.rsplit('/').next().unwrap_or(name).starts_with('_')
}

/// Template source size from which executing templates on every core pays for the
/// threads. Measured on the conformance corpus, one process per case: 256 KiB was best
/// while new threads waited 2-3 ms for a CPU; once they were placed
/// ([`crate::parallel::spawn_elsewhere`]), 16, 32 and 64 KiB were all ~2% faster than
/// 256 (with the other two thresholds lowered too).
const SPECULATE_MIN_BYTES: usize = 64 << 10;

struct ChartInfo {
    full_path: String,
    chart_map: Value,
    files: Value,
    children: Vec<(String, usize)>,
}

impl Engine {
    /// Collects and parses every template of `chart` and its subcharts (Helm's
    /// `allTemplates` + parse loop).
    pub fn new(chart: &Chart) -> Result<Engine, RenderError> {
        Engine::with_preparser(chart, None)
    }

    /// [`Engine::new`], taking the trees `preparser` parsed in the background while the
    /// chart loaded.
    pub fn with_preparser(
        chart: &Chart,
        preparser: Option<&Preparser>,
    ) -> Result<Engine, RenderError> {
        let mut charts = Vec::new();
        let mut sources: Vec<(String, usize, Arc<[u8]>)> = Vec::new();
        collect(chart, None, true, &mut charts, &mut sources);
        sort_templates(&mut sources);
        let mut set = TemplateSet::new();
        let files: Vec<(String, Arc<str>)> = sources
            .iter()
            .map(|(name, _, data)| {
                // The loader removes a BOM from every file; a chart built another way may
                // still carry one.
                let text = match data.strip_prefix("\u{feff}".as_bytes()) {
                    Some(rest) => crate::chart::values::text_from_bytes(rest),
                    None => crate::chart::values::text_from_shared(data),
                };
                (name.clone(), text)
            })
            .collect();
        let source_bytes = files.iter().map(|(_, text)| text.len()).sum();
        let parse_stage = crate::timing::stage("parse");
        let parsed = match preparser {
            Some(p) if p.is_working() => set.parse_files_with(
                &files,
                |i| p.claim(&sources[i].2),
                |i| p.take(&sources[i].2, &files[i].0),
            ),
            _ => set.parse_files(&files),
        };
        drop(parse_stage);
        if let Err((i, e)) = parsed {
            let (name, chart, _) = &sources[i];
            return Err(parse_error(&charts[*chart].full_path, name, &e.to_string()));
        }
        let order = sources
            .into_iter()
            .map(|(name, chart, _)| Entry { name, chart })
            .collect();
        Ok(Engine {
            set,
            order,
            charts,
            source_bytes,
        })
    }

    /// Executes every non-partial template (Helm's `render`).
    ///
    /// Helm executes templates one after another over shared maps, so a `set` in one
    /// template is seen by the next. Big charts are executed speculatively on every core
    /// instead (see [`Engine::speculate`]); the sequential loop takes over from the first
    /// template that changed a shared map, so the output is always the sequential one.
    pub fn render(
        &self,
        values: &Value,
        opts: &RenderOptions,
    ) -> Result<BTreeMap<String, String>, RenderError> {
        let _stage = crate::timing::stage("execute");
        let speculate = self.source_bytes >= SPECULATE_MIN_BYTES;
        self.render_counted(values, opts, speculate).0
    }

    /// [`Engine::render`], speculating or not, and how many templates' speculative
    /// results were kept.
    fn render_counted(
        &self,
        values: &Value,
        opts: &RenderOptions,
        speculate: bool,
    ) -> (Result<BTreeMap<String, String>, RenderError>, usize) {
        let caps = Value::Object(Arc::new(capabilities(opts)));
        let release = release_object(opts);
        let jobs: Vec<usize> = (0..self.order.len())
            .filter(|&i| !is_partial(&self.order[i].name))
            .collect();
        let mut run = Sequential {
            renderer: Renderer::new(&self.set),
            tops: self.top_objects(values, &caps, &release),
            per_template: Vec::with_capacity(jobs.len()),
        };
        run.register_tops();
        let mut out = BTreeMap::new();
        let mut done = 0;
        let mut kept = 0;
        if speculate && !jobs.is_empty() {
            // The first template runs alone before any speculation: openstack-helm's charts
            // change `.Values` in it (helm-toolkit), after which nothing can be speculated;
            // starting threads for them only cost time (2–7 % per chart, measured).
            let before = run.tops.clone();
            if let Err(e) = self.step(jobs[0], &mut run, &mut out) {
                return (Err(e), 0);
            }
            done = 1;
            let first_top = run.per_template.last().expect("the first template ran");
            if !changed_shared(&run.renderer, first_top, &before, &OnceLock::new()) {
                match self.speculate(&jobs[1..], &mut run, &mut out) {
                    Ok(n) => kept = n,
                    Err(e) => return (Err(e), 0),
                }
                done += kept;
            }
        }
        for &i in &jobs[done..] {
            if let Err(e) = self.step(i, &mut run, &mut out) {
                return (Err(e), kept);
            }
        }
        (Ok(out), kept)
    }

    /// Helm's step: executes template `order[i]` in `run` over the shared maps and
    /// stores its result.
    fn step<'s>(
        &'s self,
        i: usize,
        run: &mut Sequential<'s>,
        out: &mut BTreeMap<String, String>,
    ) -> Result<(), RenderError> {
        let entry = &self.order[i];
        let top = self.template_top(&run.renderer, &run.tops, entry);
        let result = run.renderer.execute(&entry.name, &top);
        run.tops[entry.chart] = run.renderer.current(&top);
        run.per_template.push(top);
        self.collect_result(entry, result, out)
    }

    /// Executes every template of `jobs` at once, each in a renderer of its own as if no
    /// template ran before it, and keeps results in order up to and including the first
    /// template that changed a map other templates can reach (or overran the output
    /// budget): from there `run` continues sequentially, carrying that template's changes.
    /// Returns how many jobs are done.
    fn speculate<'s>(
        &'s self,
        jobs: &[usize],
        run: &mut Sequential<'s>,
        out: &mut BTreeMap<String, String>,
    ) -> Result<usize, RenderError> {
        let shared = OnceLock::new();
        let tops = &run.tops;
        let results = crate::parallel::map_until(jobs, |&i| {
            let entry = &self.order[i];
            let renderer = Renderer::new(&self.set);
            for top in tops {
                renderer.register_top_object(top);
            }
            let top = self.template_top(&renderer, tops, entry);
            let result = renderer.execute(&entry.name, &top);
            let written = renderer.written();
            let leaked = changed_shared(&renderer, &top, tops, &shared);
            let last = leaked || result.is_err();
            let carry = leaked.then(|| (renderer.into_redirects(), top));
            ((result, written, carry), last)
        });
        let done_all = results.len() == jobs.len();
        let mut written = run.renderer.written();
        for (done, ((result, bytes, carry), &i)) in results.into_iter().zip(jobs).enumerate() {
            let entry = &self.order[i];
            if written + bytes > exec::MAX_OUTPUT || (result.is_err() && written > 0) {
                // Rerun from here sequentially so an output-budget error comes from the
                // same write as in a sequential run.
                run.renderer.set_written(written);
                return Ok(done);
            }
            written += bytes;
            self.collect_result(entry, result, out)?;
            if let Some((redirects, top)) = carry {
                run.renderer = Renderer::with_redirects(&self.set, redirects);
                run.register_tops();
                run.renderer.register_template_top(&top);
                run.renderer.set_written(written);
                run.tops[entry.chart] = run.renderer.current(&top);
                run.per_template.push(top);
                return Ok(done + 1);
            }
        }
        debug_assert!(done_all, "speculation stops only at a change or an error");
        Ok(jobs.len())
    }

    /// `entry`'s `.`: its chart's current top-level object with `Template` set.
    fn template_top(&self, renderer: &Renderer<'_>, tops: &[Value], entry: &Entry) -> Value {
        let info = &self.charts[entry.chart];
        let mut top = renderer.current(&tops[entry.chart]);
        let mut template = Map::new();
        template.insert("Name".into(), Value::from(entry.name.as_str()));
        template.insert(
            "BasePath".into(),
            Value::from(format!("{}/templates", info.full_path)),
        );
        if let Value::Map(m) = &mut top {
            Arc::make_mut(m).insert("Template".into(), Value::map(template));
        }
        renderer.register_template_top(&top);
        top
    }

    fn collect_result(
        &self,
        entry: &Entry,
        result: Result<String, GoError>,
        out: &mut BTreeMap<String, String>,
    ) -> Result<(), RenderError> {
        match result {
            Ok(text) => {
                out.insert(entry.name.clone(), without_no_value(text));
                Ok(())
            }
            Err(e) => Err(exec_error(
                &self.charts[entry.chart].full_path,
                &entry.name,
                &e,
            )),
        }
    }

    /// Each chart's `.` (without `Template`), children before parents like Helm builds them.
    fn top_objects(&self, values: &Value, caps: &Value, release: &Value) -> Vec<Value> {
        let mut tops: Vec<Option<Value>> = vec![None; self.charts.len()];
        self.build_top(0, values.clone(), caps, release, &mut tops);
        tops.into_iter().map(Option::unwrap_or_default).collect()
    }

    fn build_top(
        &self,
        idx: usize,
        vals: Value,
        caps: &Value,
        release: &Value,
        tops: &mut Vec<Option<Value>>,
    ) -> Value {
        let info = &self.charts[idx];
        let mut subcharts = Map::new();
        for (name, child) in &info.children {
            // Helm's `Values.Table(name)`: the child's section if it is a map, else empty.
            let child_vals = match vals.as_map().and_then(|m| m.get(name)) {
                Some(v @ Value::Map(_)) => v.clone(),
                _ => Value::empty_map(),
            };
            let top = self.build_top(*child, child_vals, caps, release, tops);
            subcharts.insert(name.clone(), top);
        }
        let mut top = Map::new();
        top.insert("Chart".into(), info.chart_map.clone());
        top.insert("Files".into(), info.files.clone());
        top.insert("Release".into(), release.clone());
        top.insert("Capabilities".into(), caps.clone());
        top.insert("Values".into(), vals);
        top.insert("Subcharts".into(), Value::map(subcharts));
        let top = Value::map(top);
        tops[idx] = Some(top.clone());
        top
    }
}

/// Helm's clean-up of a rendered template: every `<no value>` removed (without a copy
/// when there is none, the usual case).
fn without_no_value(text: String) -> String {
    if text.contains("<no value>") {
        text.replace("<no value>", "")
    } else {
        text
    }
}

/// Renders `chart` with the fully coalesced root `values` (HELM-SEMANTICS.md §2).
///
/// Returns the text of every template whose base name does not start with `_`,
/// `NOTES.txt` included, with `<no value>` removed.
pub fn render_chart(
    chart: &Chart,
    values: &Value,
    opts: &RenderOptions,
) -> Result<BTreeMap<String, String>, RenderError> {
    render_chart_with(chart, values, opts, None)
}

/// [`render_chart`] with the trees a [`Preparser`] parsed while the chart loaded.
pub fn render_chart_with(
    chart: &Chart,
    values: &Value,
    opts: &RenderOptions,
    preparser: Option<&Preparser>,
) -> Result<BTreeMap<String, String>, RenderError> {
    let engine = Engine::with_preparser(chart, preparser)?;
    if let Some(preparser) = preparser {
        preparser.stop();
    }
    let rendered = engine.render(values, opts);
    crate::teardown::discard(engine);
    rendered
}

fn collect(
    chart: &Chart,
    parent: Option<&str>,
    is_root: bool,
    charts: &mut Vec<ChartInfo>,
    sources: &mut Vec<(String, usize, Arc<[u8]>)>,
) -> usize {
    let name = chart.metadata.name.clone();
    let full_path = match parent {
        Some(p) => format!("{p}/charts/{name}"),
        None => name.clone(),
    };
    let idx = charts.len();
    charts.push(ChartInfo {
        full_path: full_path.clone(),
        chart_map: chart_map(&chart.metadata, is_root),
        files: Value::Object(Arc::new(Files(Arc::new(
            chart
                .files
                .iter()
                .map(|f| (f.name.clone(), f.data.clone()))
                .collect(),
        )))),
        children: Vec::new(),
    });
    for dep in &chart.dependencies {
        let child = collect(dep, Some(&full_path), false, charts, sources);
        charts[idx]
            .children
            .push((dep.metadata.name.clone(), child));
    }
    let library = chart.metadata.chart_type == "library";
    for t in &chart.templates {
        let base = t.name.rsplit('/').next().unwrap_or(&t.name);
        if library && !base.starts_with('_') {
            continue;
        }
        sources.push((format!("{full_path}/{}", t.name), idx, t.data.to_shared()));
    }
    idx
}

/// Helm's `sortTemplates`: most `/` first, ties by name descending.
fn sort_templates(sources: &mut [(String, usize, Arc<[u8]>)]) {
    sources.sort_by(|a, b| {
        let (ca, cb) = (a.0.matches('/').count(), b.0.matches('/').count());
        cb.cmp(&ca).then_with(|| b.0.cmp(&a.0))
    });
}

/// `.Chart` as Helm 4 builds it (`structToMap` of the metadata, plus `IsRoot`).
fn chart_map(m: &Metadata, is_root: bool) -> Value {
    let s = |v: &str| Value::from(v);
    let strings = |v: &[String]| Value::list(v.iter().map(|x| Value::from(x.as_str())).collect());
    let mut map = Map::new();
    map.insert("Name".into(), s(&m.name));
    map.insert("Home".into(), s(&m.home));
    map.insert("Sources".into(), strings(&m.sources));
    map.insert("Version".into(), s(&m.version));
    map.insert("Description".into(), s(&m.description));
    map.insert("Keywords".into(), strings(&m.keywords));
    let maintainers = m
        .maintainers
        .iter()
        .map(|x| {
            let mut mm = Map::new();
            mm.insert("Name".into(), s(&x.name));
            mm.insert("Email".into(), s(&x.email));
            mm.insert("URL".into(), s(&x.url));
            Value::map(mm)
        })
        .collect();
    map.insert("Maintainers".into(), Value::list(maintainers));
    map.insert("Icon".into(), s(&m.icon));
    map.insert("APIVersion".into(), s(&m.api_version));
    map.insert("Condition".into(), s(&m.condition));
    map.insert("Tags".into(), s(&m.tags));
    map.insert("AppVersion".into(), s(&m.app_version));
    map.insert("Deprecated".into(), Value::Bool(m.deprecated));
    // Absent annotations are a nil map[string]string: `map[]` when printed, `null` in YAML.
    let annotations = if m.annotations.is_empty() {
        Value::Object(Arc::new(NilMap("map[string]string")))
    } else {
        Value::map(
            m.annotations
                .iter()
                .map(|(k, v)| (k.clone(), s(v)))
                .collect(),
        )
    };
    map.insert("Annotations".into(), annotations);
    map.insert("KubeVersion".into(), s(&m.kube_version));
    let deps = m
        .dependencies
        .iter()
        .map(|d| {
            let mut dm = Map::new();
            dm.insert("Name".into(), s(&d.name));
            dm.insert("Version".into(), s(&d.version));
            dm.insert("Repository".into(), s(&d.repository));
            dm.insert("Condition".into(), s(&d.condition));
            dm.insert("Tags".into(), strings(&d.tags));
            dm.insert("Enabled".into(), Value::Bool(d.enabled));
            dm.insert(
                "ImportValues".into(),
                Value::list(d.import_values.iter().map(Value::from).collect()),
            );
            dm.insert("Alias".into(), s(&d.alias));
            Value::map(dm)
        })
        .collect();
    map.insert("Dependencies".into(), Value::list(deps));
    map.insert("Type".into(), s(&m.chart_type));
    map.insert("IsRoot".into(), Value::Bool(is_root));
    Value::map(map)
}

fn release_object(opts: &RenderOptions) -> Value {
    let mut m = Map::new();
    m.insert("Name".into(), Value::from(opts.release_name.as_str()));
    m.insert("Namespace".into(), Value::from(opts.namespace.as_str()));
    m.insert("IsUpgrade".into(), Value::Bool(opts.is_upgrade));
    m.insert("IsInstall".into(), Value::Bool(!opts.is_upgrade));
    m.insert("Revision".into(), Value::Int(opts.revision));
    m.insert("Service".into(), Value::from("Helm"));
    Value::map(m)
}

/// `file:line[:col]` → (line, col).
fn parse_location(loc: &str) -> (usize, usize) {
    let mut nums = loc
        .rsplit(':')
        .map_while(|p| p.parse::<usize>().ok())
        .collect::<Vec<_>>();
    nums.reverse();
    match nums.as_slice() {
        [.., l, c] if nums.len() >= 2 => (*l, *c),
        [l] => (*l, 0),
        _ => (0, 0),
    }
}

/// Helm's `cleanupParseError`: `parse error at (<file>:<line>): <last part>`.
fn parse_error(chart: &str, template: &str, go_text: &str) -> RenderError {
    let tokens: Vec<&str> = go_text.split(": ").collect();
    let (message, line) = if tokens.len() == 1 {
        (format!("parse error in ({template}): {go_text}"), 0)
    } else {
        let location = tokens[1];
        let msg = tokens[tokens.len() - 1];
        (
            format!("parse error at ({location}): {msg}"),
            parse_location(location).0,
        )
    };
    RenderError {
        kind: RenderErrorKind::Parse,
        chart: chart.into(),
        template: template.into(),
        line,
        col: 0,
        message,
    }
}

/// Helm's `reformatExecErrorMsg`.
fn exec_error(chart: &str, template: &str, err: &GoError) -> RenderError {
    let mut e = RenderError {
        kind: RenderErrorKind::Exec,
        chart: chart.into(),
        template: template.into(),
        line: 0,
        col: 0,
        message: err.text.clone(),
    };
    if !err.chain().any(|l| l.is_exec) {
        return e;
    }
    let tokens: Vec<&str> = err.text.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        e.message = format!("execution error in ({template}): {}", err.text);
        return e;
    }
    let location = tokens[1];
    (e.line, e.col) = parse_location(location);
    if let Some(start) = tokens[2].find("HELM_ERR_START") {
        let after = &tokens[2][start + "HELM_ERR_START".len()..];
        if let Some(end) = after.rfind("HELM_ERR_END") {
            e.message = format!("execution error at ({location}): {}", &after[..end]);
            return e;
        }
    }
    let mut traces: Vec<Trace> = Vec::new();
    for link in err.chain() {
        match Trace::parse(&link.text) {
            Some(t) => {
                if traces.last() != Some(&t) {
                    traces.push(t);
                }
            }
            None => return e,
        }
    }
    let text: String = traces.iter().map(Trace::to_string).collect();
    e.message = text.trim().to_string();
    e
}

/// Helm's `TraceableError`: one level of a template error trace.
#[derive(Debug, PartialEq, Eq, Default)]
struct Trace {
    location: String,
    message: String,
    executed: String,
}

impl Trace {
    /// Helm's `parseTemplateExecErrorString`.
    fn parse(s: &str) -> Option<Trace> {
        let rest = s.strip_prefix("template: ")?;
        if rest.starts_with("no template ") {
            return Some(Trace {
                message: s.into(),
                ..Trace::default()
            });
        }
        if let Some(t) = Trace::parse_executing(rest) {
            return Some(t);
        }
        let sep = rest.rfind(": ")?;
        Some(Trace {
            location: rest[..sep].into(),
            message: cut_chained(&rest[sep + 2..]).into(),
            executed: String::new(),
        })
    }

    fn parse_executing(rest: &str) -> Option<Trace> {
        let idx = rest.find(": executing ")?;
        let name = &rest[..idx];
        let after = rest[idx + ": executing ".len()..].strip_prefix('"')?;
        let end = after.find('"')?;
        let func = &after[..end];
        let after_at = after[end + 1..].strip_prefix(" at <")?;
        let end_loc = after_at.find(">: ")?;
        let node = &after_at[..end_loc];
        let msg = &after_at[end_loc + 3..];
        Some(Trace {
            location: name.into(),
            message: cut_chained(msg).into(),
            executed: format!("executing \"{func}\" at <{node}>:"),
        })
    }
}

fn cut_chained(msg: &str) -> &str {
    match msg.find(" template:") {
        Some(i) => &msg[..i],
        None => msg,
    }
}

impl std::fmt::Display for Trace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.location.is_empty() {
            write!(f, "{}\n  ", self.location)?;
        }
        if !self.executed.is_empty() {
            write!(f, "{}\n    ", self.executed)?;
        }
        if !self.message.is_empty() {
            writeln!(f, "{}", self.message)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::model::{ChartFile, FileData};
    use crate::chart::values::parse_values;
    use std::path::Path;

    /// A minimal directory loader for these tests (the real one lives with chart loading).
    fn load(dir: &Path) -> Option<Chart> {
        let meta_src = std::fs::read_to_string(dir.join("Chart.yaml")).ok()?;
        let meta_map = parse_values(&meta_src).ok()?;
        let json = serde_json::Value::from(&Value::map(meta_map));
        let metadata: Metadata = serde_json::from_value(json).ok()?;
        let values = std::fs::read_to_string(dir.join("values.yaml"))
            .ok()
            .and_then(|s| parse_values(&s).ok())
            .unwrap_or_default();
        let mut chart = Chart {
            metadata,
            values,
            ..Chart::default()
        };
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).ok()? {
                let p = entry.ok()?.path();
                let rel = p
                    .strip_prefix(dir)
                    .ok()?
                    .to_string_lossy()
                    .replace('\\', "/");
                if p.is_dir() {
                    if rel == "charts" {
                        for sub in std::fs::read_dir(&p).ok()? {
                            let sp = sub.ok()?.path();
                            if sp.is_dir() {
                                chart.dependencies.push(load(&sp)?);
                            }
                        }
                    } else {
                        stack.push(p);
                    }
                    continue;
                }
                let data: FileData = std::fs::read(&p).ok()?.into();
                let file = ChartFile {
                    name: rel.clone(),
                    data,
                };
                if rel.starts_with("templates/") {
                    chart.templates.push(file);
                } else if !matches!(rel.as_str(), "Chart.yaml" | "values.yaml" | ".helmignore") {
                    chart.files.push(file);
                }
            }
        }
        Some(chart)
    }

    fn opts() -> RenderOptions {
        RenderOptions {
            release_name: "rel".into(),
            namespace: "default".into(),
            revision: 1,
            ..RenderOptions::default()
        }
    }

    fn chart_of(templates: &[(&str, &str)], values: &str) -> (Chart, Value) {
        let chart = Chart {
            metadata: Metadata {
                api_version: "v2".into(),
                name: "c".into(),
                version: "0.1.0".into(),
                ..Metadata::default()
            },
            templates: templates
                .iter()
                .map(|(n, t)| ChartFile {
                    name: n.to_string(),
                    data: t.as_bytes().into(),
                })
                .collect(),
            ..Chart::default()
        };
        let v = Value::map(parse_values(values).expect("values"));
        (chart, v)
    }

    fn render_one(templates: &[(&str, &str)], values: &str) -> String {
        render_file(templates, values, "c/templates/t.yaml")
    }

    fn render_file(templates: &[(&str, &str)], values: &str, file: &str) -> String {
        let (chart, v) = chart_of(templates, values);
        match render_chart(&chart, &v, &opts()) {
            Ok(out) => out.get(file).cloned().unwrap_or_default(),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn helm_error_formats() {
        let snip = |s: &str| format!("{{{{- define \"snip\" }}}}{s}{{{{ end }}}}");
        let t = ("templates/t.yaml", "k: {{ include \"snip\" . | quote }}");
        assert_eq!(
            render_one(
                &[("templates/_snip.tpl", &snip("{{ .Values.a.b.c }}")), t],
                ""
            ),
            "ERR c/templates/t.yaml:1:6\n  executing \"c/templates/t.yaml\" at <include \"snip\" .>:\n    error calling include:\nc/templates/_snip.tpl:1:30\n  executing \"snip\" at <.Values.a.b.c>:\n    nil pointer evaluating interface {}.b"
        );
        assert_eq!(
            render_one(&[("templates/_snip.tpl", &snip("{{ eq \"1\" 1 }}")), t], ""),
            "ERR template: c/templates/t.yaml:1:6: executing \"c/templates/t.yaml\" at <include \"snip\" .>: error calling include: template: c/templates/_snip.tpl:1:23: executing \"snip\" at <eq \"1\" 1>: error calling eq: incompatible types for comparison: string and int"
        );
        assert_eq!(
            render_one(
                &[
                    (
                        "templates/_snip.tpl",
                        &snip("{{ fail \"custom failure\" }}")
                    ),
                    t
                ],
                ""
            ),
            "ERR execution error at (c/templates/t.yaml:1:6): custom failure"
        );
        assert_eq!(
            render_one(
                &[("templates/_snip.tpl", &snip("{{ .Values.foo-bar }}")), t],
                ""
            ),
            "ERR parse error at (c/templates/_snip.tpl:1): bad character U+002D '-'"
        );
        assert_eq!(
            render_one(
                &[
                    ("templates/_snip.tpl", &snip("{{ include \"nope\" . }}")),
                    t
                ],
                ""
            ),
            "ERR c/templates/t.yaml:1:6\n  executing \"c/templates/t.yaml\" at <include \"snip\" .>:\n    error calling include:\nc/templates/_snip.tpl:1:23\n  executing \"snip\" at <include \"nope\" .>:\n    error calling include:\ntemplate: no template \"nope\" associated with template \"gotpl\""
        );
    }

    #[test]
    fn top_level_error_formats() {
        let one = |t: &str| render_one(&[("templates/t.yaml", t)], "");
        assert_eq!(
            one("k: {{ .Values.a.b.c }}"),
            "ERR c/templates/t.yaml:1:13\n  executing \"c/templates/t.yaml\" at <.Values.a.b.c>:\n    nil pointer evaluating interface {}.b"
        );
        assert_eq!(
            one("k: {{ required \"need it\" .Values.x }}"),
            "ERR execution error at (c/templates/t.yaml:1:6): need it"
        );
        assert_eq!(
            one("k: {{ index .Values.x 1 }}"),
            "ERR template: c/templates/t.yaml:1:6: executing \"c/templates/t.yaml\" at <index .Values.x 1>: error calling index: index of untyped nil"
        );
    }

    #[test]
    fn define_precedence_and_order() {
        let out = render_one(
            &[
                ("templates/_a.tpl", "{{ define \"x\" }}from-a{{ end }}"),
                ("templates/_b.tpl", "{{ define \"x\" }}from-b{{ end }}"),
                ("templates/sub/_deep.tpl", "{{ define \"x\" }}deep{{ end }}"),
                (
                    "templates/t.yaml",
                    "{{ template \"x\" }}|{{ .Template.Name }}|{{ .Template.BasePath }}|{{ .Release.Revision }}",
                ),
            ],
            "",
        );
        assert_eq!(out, "from-a|c/templates/t.yaml|c/templates|1");
    }

    #[test]
    fn no_value_is_removed_and_objects_print() {
        let out = render_one(
            &[(
                "templates/t.yaml",
                "keep <no value> {{ .Values.nope }}|{{ .Capabilities.KubeVersion }}|{{ .Capabilities.APIVersions.Has \"apps/v1\" }}|{{ .Release }}|{{ .Chart.Annotations }}|{{ print .Capabilities.KubeVersion }}|{{ if .Chart.Annotations }}x{{ end }}",
            )],
            "",
        );
        assert_eq!(
            out,
            "keep  |v1.35.0|true|map[IsInstall:true IsUpgrade:false Name:rel Namespace:default Revision:1 Service:Helm]|map[]|{v1.35.0 v1.35.0 1 35}|"
        );
    }

    #[test]
    fn values_mutation_carries_across_templates() {
        let templates = [
            (
                "templates/b.yaml",
                "{{ $_ := set .Values \"seen\" (append (.Values.seen | default list) \"b\") }}",
            ),
            (
                "templates/sub/c.yaml",
                "{{ $_ := set .Values \"seen\" (append (.Values.seen | default list) \"c\") }}",
            ),
            ("templates/t.yaml", "{{ .Values.seen }}"),
            ("templates/a.yaml", "{{ .Values.seen }}"),
        ];
        assert_eq!(render_file(&templates, "", "c/templates/a.yaml"), "[c b]");
        let out = render_one(
            &[
                (
                    "templates/b.yaml",
                    "{{ $_ := set .Values \"seen\" (append (.Values.seen | default list) \"b\") }}",
                ),
                (
                    "templates/sub/c.yaml",
                    "{{ $_ := set .Values \"seen\" (append (.Values.seen | default list) \"c\") }}",
                ),
                ("templates/t.yaml", "{{ .Values.seen }}"),
                ("templates/a.yaml", "{{ .Values.seen }}"),
            ],
            "",
        );
        // Helm's order: sub/c.yaml, t.yaml, b.yaml, a.yaml.
        assert_eq!(out, "[c]");
    }

    /// Renders `templates` sequentially and speculatively: both must give the same
    /// result. Returns it and how many templates' speculative results were kept.
    fn speculated(templates: &[(&str, &str)], values: &str) -> (String, usize) {
        let (chart, v) = chart_of(templates, values);
        let engine = Engine::new(&chart).expect("parses");
        let show = |r: Result<BTreeMap<String, String>, RenderError>| match r {
            Ok(out) => format!("{out:?}"),
            Err(e) => format!("ERR {e}"),
        };
        let (sequential, none) = engine.render_counted(&v, &opts(), false);
        assert_eq!(none, 0);
        let (speculative, kept) = engine.render_counted(&v, &opts(), true);
        let (sequential, speculative) = (show(sequential), show(speculative));
        assert_eq!(sequential, speculative, "speculation changed the result");
        (speculative, kept)
    }

    #[test]
    fn speculation_keeps_results_until_a_shared_map_changes() {
        let append = |name: &str| {
            format!(
                "{{{{ $_ := set .Values \"seen\" (append (.Values.seen | default list) \"{name}\") }}}}"
            )
        };
        let (b, c) = (append("b"), append("c"));
        // Helm's order: sub/c.yaml, t.yaml, b.yaml, a.yaml. The first template always runs
        // alone; c changes `.Values`, so nothing is speculated and the rest runs
        // sequentially.
        let templates = [
            ("templates/b.yaml", b.as_str()),
            ("templates/sub/c.yaml", c.as_str()),
            ("templates/t.yaml", "{{ .Values.seen }}"),
            ("templates/a.yaml", "{{ .Values.seen }}"),
        ];
        let (out, kept) = speculated(&templates, "");
        assert!(out.contains(r#""c/templates/a.yaml": "[c b]""#), "{out}");
        assert_eq!(kept, 0);

        // Maps a template makes itself may change freely.
        let local = "{{ $d := dict \"a\" 1 }}{{ $_ := set $d \"b\" 2 }}{{ $_ := merge $d (dict \"c\" 3) }}{{ $d }}";
        let templates = [
            ("templates/a.yaml", local),
            ("templates/b.yaml", "{{ .Values.x.y }}"),
            ("templates/c.yaml", local),
        ];
        // The first runs alone, the other two are speculated and kept.
        assert_eq!(speculated(&templates, "x: {y: 1}").1, 2);

        // A nested values map, the top-level object itself, and `.Values` replaced.
        for change in [
            "{{ $_ := set .Values.x \"y\" 2 }}",
            "{{ $_ := set $ \"Values\" (dict \"x\" (dict \"y\" 3)) }}",
            "{{ $_ := unset .Values \"x\" }}",
            "{{ $_ := mergeOverwrite .Values (dict \"x\" (dict \"y\" 4)) }}",
        ] {
            let templates = [
                ("templates/a.yaml", "{{ .Values.x.y }}"),
                ("templates/b.yaml", change),
                ("templates/c.yaml", "{{ .Values.x.y }}"),
                ("templates/d.yaml", "{{ .Values.x }}"),
            ];
            // Helm's order is d, c, b, a: d runs alone, c and b (the change) are
            // speculated and kept, a runs after b sequentially.
            assert_eq!(speculated(&templates, "x: {y: 1}").1, 2, "{change}");
        }
    }

    #[test]
    fn speculation_reports_the_first_error_in_order() {
        // Helm's order is c, b, a.
        let templates = [
            ("templates/a.yaml", "{{ fail \"a failed\" }}"),
            ("templates/b.yaml", "{{ fail \"b failed\" }}"),
            ("templates/c.yaml", "c"),
        ];
        let (out, _) = speculated(&templates, "");
        assert!(
            out.contains("b failed") && !out.contains("a failed"),
            "{out}"
        );
        // An error after a change of shared maps is found by the sequential run.
        let templates = [
            ("templates/b.yaml", "{{ $_ := set .Values \"bad\" true }}"),
            (
                "templates/a.yaml",
                "{{ if .Values.bad }}{{ fail \"saw it\" }}{{ end }}",
            ),
        ];
        assert!(speculated(&templates, "").0.contains("saw it"));
        // The first template fails before anything is speculated.
        let templates = [
            ("templates/a.yaml", "{{ fail \"a failed\" }}"),
            ("templates/b.yaml", "{{ fail \"b failed\" }}"),
        ];
        let (out, kept) = speculated(&templates, "");
        assert!(out.contains("b failed") && kept == 0, "{out}");
    }

    #[test]
    fn files_object() {
        let (mut chart, v) = chart_of(
            &[(
                "templates/t.yaml",
                "a: {{ (.Files.Glob \"files/*\").AsConfig | quote }}\n\
                 b: {{ (.Files.Glob \"files/**\").AsSecrets | quote }}\n\
                 c: \"{{ .Files.Lines \"files/a.txt\" }} {{ .Files.Lines \"nope\" | len }}\"\n\
                 d: \"{{ .Files.Glob \"files/{a,b}.*\" }}\"\n\
                 e: \"{{ (.Files.Glob \"nomatch\").AsConfig }}\"\n\
                 f: [{{ .Files.Get \"files/a.txt\" }}]|[{{ .Files.Get \"nope\" }}]|{{ .Files.GetBytes \"files/b.conf\" }}",
            )],
            "",
        );
        for (name, data) in [
            ("files/a.txt", "line1\nline2\n"),
            ("files/b.conf", "k=v"),
            ("files/sub/c.txt", "C"),
        ] {
            chart.files.push(ChartFile {
                name: name.into(),
                data: data.as_bytes().into(),
            });
        }
        let out = render_chart(&chart, &v, &opts()).expect("renders");
        assert_eq!(
            out["c/templates/t.yaml"],
            "a: \"a.txt: |\\n  line1\\n  line2\\nb.conf: k=v\"\n\
             b: \"a.txt: bGluZTEKbGluZTIK\\nb.conf: az12\\nc.txt: Qw==\"\n\
             c: \"[line1 line2] 0\"\n\
             d: \"map[files/a.txt:[108 105 110 101 49 10 108 105 110 101 50 10] files/b.conf:[107 61 118]]\"\n\
             e: \"{}\"\n\
             f: [line1\nline2\n]|[]|[107 61 118]"
        );
    }

    #[test]
    fn binary_file_bytes_reach_encoders() {
        let (mut chart, v) = chart_of(
            &[(
                "templates/t.yaml",
                "{{ .Files.Get \"b.bin\" | b64enc }}|{{ $x := .Files.Get \"b.bin\" }}{{ sha256sum $x | trunc 8 }}",
            )],
            "",
        );
        chart.files.push(ChartFile {
            name: "b.bin".into(),
            data: [0x42u8, 0x5a, 0xff, 0x00][..].into(),
        });
        let out = render_chart(&chart, &v, &opts()).expect("renders");
        // base64 and sha256 of the bytes 42 5a ff 00, not of their lossy UTF-8 text.
        assert_eq!(out["c/templates/t.yaml"], "Qlr/AA==|437f4e7c");
    }

    #[test]
    fn capabilities_options() {
        let (chart, v) = chart_of(
            &[(
                "templates/t.yaml",
                "{{ .Capabilities.KubeVersion }}|{{ .Capabilities.KubeVersion.Version }}|{{ .Capabilities.KubeVersion.Minor }}|{{ .Capabilities.APIVersions.Has \"x/v1\" }}|{{ len .Capabilities.APIVersions }}|{{ .Release.IsUpgrade }}|{{ .Release.IsInstall }}",
            )],
            "",
        );
        let o = RenderOptions {
            kube_version: "1.29.3-gke.100".into(),
            api_versions: vec!["x/v1".into()],
            is_upgrade: true,
            ..opts()
        };
        let out = render_chart(&chart, &v, &o).expect("renders");
        assert_eq!(
            out["c/templates/t.yaml"],
            "v1.29.3|v1.29.3-gke.100|29|true|58|true|false"
        );
    }

    #[test]
    fn subchart_scope_and_names() {
        let (mut chart, _) = chart_of(
            &[(
                "templates/t.yaml",
                "{{ .Values.x }}|{{ .Subcharts.ali.Values.yy }}|{{ include \"sub.h\" . }}",
            )],
            "",
        );
        let (mut sub, _) = chart_of(
            &[
                (
                    "templates/cm.yaml",
                    "{{ .Chart.Name }}|{{ .Values.yy }}|{{ .Values.global.g }}|{{ .Template.Name }}|{{ .Template.BasePath }}|{{ .Chart.IsRoot }}",
                ),
                (
                    "templates/_h.tpl",
                    "{{ define \"sub.h\" }}H{{ .Values.x }}{{ end }}",
                ),
            ],
            "",
        );
        sub.metadata.name = "ali".into();
        chart.dependencies.push(sub);
        let values = Value::map(
            parse_values("x: 1\nali:\n  yy: 2\n  global: {g: G}\nglobal: {g: G}\n")
                .expect("values"),
        );
        let out = render_chart(&chart, &values, &opts()).expect("renders");
        assert_eq!(out["c/templates/t.yaml"], "1|2|H1");
        assert_eq!(
            out["c/charts/ali/templates/cm.yaml"],
            "ali|2|G|c/charts/ali/templates/cm.yaml|c/charts/ali/templates|false"
        );
        assert!(!out.contains_key("c/charts/ali/templates/_h.tpl"));
    }

    /// Rough speed check: `cargo test --release --lib render_speed -- --ignored --nocapture`.
    #[test]
    #[ignore = "timing, run by hand"]
    fn render_speed() {
        let root = Path::new("/work/shared/conformance-engine/charts/idiom-deployment");
        let Some(mut chart) = load(root) else {
            return;
        };
        // Many copies of the deployment, each ranging over a large list.
        let deploy = chart
            .templates
            .iter()
            .find(|t| t.name.ends_with("deployment.yaml"))
            .cloned();
        let Some(mut deploy) = deploy else {
            return;
        };
        if crate::chart::template::funcs::lookup("toYaml").is_none() {
            let text = String::from_utf8_lossy(&deploy.data).replace("toYaml", "toString");
            deploy.data = text.as_bytes().into();
            chart
                .templates
                .retain(|t| !t.name.ends_with("deployment.yaml"));
        }
        for i in 0..50 {
            let mut t = deploy.clone();
            t.name = format!("templates/d{i}.yaml");
            chart.templates.push(t);
        }
        chart.templates.push(ChartFile {
            name: "templates/list.yaml".into(),
            data: (&b"{{- range $i, $e := .Values.items }}\n- {{ include \"c.fullname\" $ }}-{{ $i }}: {{ $e.name | quote }}\n{{- end }}"[..]).into(),
        });
        let items: Vec<Value> = (0..2000)
            .map(|i| {
                let mut m = Map::new();
                m.insert("name".into(), Value::from(format!("item{i}")));
                Value::map(m)
            })
            .collect();
        let mut values = chart.values.clone();
        values.insert("items".into(), Value::list(items));
        let values = Value::map(values);
        let engine = Engine::new(&chart).expect("parses");
        let start = std::time::Instant::now();
        let runs = 20;
        let mut bytes = 0;
        for _ in 0..runs {
            let out = engine.render(&values, &opts()).expect("renders");
            bytes = out.values().map(String::len).sum::<usize>();
        }
        println!(
            "{runs} renders, {bytes} bytes each, {:?} per render",
            start.elapsed() / runs
        );
    }

    /// Runs the engine-text cases of the shared corpus that need no flags and prints a
    /// summary; `cargo test --lib corpus_engine_text -- --ignored --nocapture`.
    #[test]
    #[ignore = "reads the shared corpus; run by hand"]
    fn corpus_engine_text() {
        let root = Path::new("/work/shared/conformance-engine");
        let Ok(tsv) = std::fs::read_to_string(root.join("cases.tsv")) else {
            return;
        };
        let (mut pass, mut fail) = (0, 0);
        for line in tsv.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            let case = cols[0];
            let args = std::fs::read_to_string(root.join("cases").join(case).join("args"))
                .unwrap_or_default();
            if args.trim() != format!("rel charts/{case}") || cols[1] != "engine-text" {
                continue;
            }
            let Some(chart) = load(&root.join("charts").join(case)) else {
                continue;
            };
            let values = Value::map(chart.values.clone());
            let got = match render_chart(&chart, &values, &opts()) {
                Ok(out) => out.get("c/templates/t.yaml").cloned().unwrap_or_default(),
                Err(e) => format!("Error: {e}"),
            };
            let dir = root.join("cases").join(case);
            let want = match std::fs::read_to_string(dir.join("expected.yaml")) {
                Ok(y) => y
                    .split_once("# Source: c/templates/t.yaml\n")
                    .map(|x| x.1.to_string())
                    .unwrap_or(y),
                Err(_) => std::fs::read_to_string(dir.join("expected.err"))
                    .unwrap_or_default()
                    .split("\n\nUse --debug")
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            };
            if got.trim() == want.trim() {
                pass += 1;
            } else {
                fail += 1;
                println!("--- {case}\n want: {}\n  got: {}", want.trim(), got.trim());
            }
        }
        println!("engine-text corpus: {pass} pass, {fail} fail");
    }
}

/// Renders `snippet` the way the shared corpus wraps engine snippets (`_snip.tpl` defines
/// `snip`, `t.yaml` prints `k: {{ include "snip" . | quote }}`; a snippet starting with a
/// `#FILE` line is the whole `_snip.tpl`), with `.Values` from JSON. Returns the `k:` line or
/// `Error: <message>`.
#[cfg(test)]
fn render_snippet(values_json: &str, snippet: &str) -> String {
    let json: serde_json::Value =
        serde_json::from_str(values_json).unwrap_or(serde_json::Value::Null);
    let values = match Value::from(&json) {
        Value::Map(m) => Value::Map(m),
        _ => Value::empty_map(),
    };
    let (snip, t) = match snippet.strip_prefix("#FILE\n") {
        Some(file) => (
            file.to_string(),
            "k: {{ include \"c/templates/_snip.tpl\" . | quote }}",
        ),
        None => (
            format!("{{{{- define \"snip\" }}}}{snippet}{{{{ end }}}}"),
            "k: {{ include \"snip\" . | quote }}",
        ),
    };
    let file = |name: &str, text: &str| crate::chart::model::ChartFile {
        name: name.into(),
        data: text.as_bytes().into(),
    };
    let chart = Chart {
        metadata: Metadata {
            api_version: "v2".into(),
            name: "c".into(),
            version: "0.1.0".into(),
            ..Metadata::default()
        },
        templates: vec![
            file("templates/_snip.tpl", &snip),
            file("templates/t.yaml", t),
        ],
        ..Chart::default()
    };
    let opts = RenderOptions {
        release_name: "rel".into(),
        namespace: "default".into(),
        revision: 1,
        ..RenderOptions::default()
    };
    match render_chart(&chart, &values, &opts) {
        Ok(out) => out.get("c/templates/t.yaml").cloned().unwrap_or_default(),
        Err(e) => format!("Error: {e}"),
    }
}

/// Every snippet of `testdata/helm_snippets.txt` renders exactly as helm 4.1.4 did
/// (blocks: a JSON values line, the snippet, `----`, helm's `k:` line or error).
#[cfg(test)]
#[test]
fn snippets_match_helm() {
    let data = include_str!("testdata/helm_snippets.txt");
    let mut failures = Vec::new();
    let blocks: Vec<&str> = data.split("\n====\n").collect();
    assert!(blocks.len() > 100, "testdata not found or truncated");
    for block in &blocks {
        let Some((input, want)) = block.split_once("\n----\n") else {
            continue;
        };
        let (values, snippet) = input.split_once('\n').unwrap_or((input, ""));
        let got = render_snippet(values, snippet);
        if got.trim_end() != want.trim_end() {
            failures.push(format!("{snippet}\n want: {want}\n  got: {got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        blocks.len(),
        failures.join("\n")
    );
}

/// Manual comparison tool: renders each block of `$PROBE_FILE` (blocks separated by a line
/// `====`, each a JSON values line then the snippet), printing one result per block.
#[cfg(test)]
#[test]
#[ignore = "manual comparison tool"]
fn probe_snippets() {
    let Ok(path) = std::env::var("PROBE_FILE") else {
        return;
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    for block in text.split("\n====\n") {
        let (vals, snippet) = block.split_once('\n').unwrap_or((block, ""));
        println!("{}", render_snippet(vals, snippet));
        println!("%%%%");
    }
}

/// The parsed engine is shared between threads rendering different releases.
#[cfg(test)]
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
};
