//! Reading `stack.yaml` for one environment into a checked [`Stack`].
//!
//! Problems are collected, not returned at the first one: `rstack lint` prints all of
//! them. Each carries the file, line and column and a hint.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::chart::values::{Map, ValuesError, parse_values};
use crate::span::{Diagnostic, Diagnostics, Location, closest, did_you_mean};
use crate::yaml::{self, DeError, Node, NodeKind, Pos};

use super::schema::{self, StackFile};
use super::stack_parts::{merge_part, shift_lines, split_parts};
use super::template::{
    ReleaseInfo, TemplateContext, is_templated_file, is_templated_value, rendered_label,
};

/// The environment every stack has, even when `environments` does not list it.
pub const DEFAULT_ENVIRONMENT: &str = "default";

/// The stack, loaded for one environment.
#[derive(Clone, Debug)]
pub struct Stack {
    /// The stack file.
    pub file: PathBuf,
    /// Its folder: relative paths in the stack resolve against it.
    pub dir: PathBuf,
    pub name: String,
    pub environment: Environment,
    pub repositories: Vec<schema::Repository>,
    pub defaults: schema::Defaults,
    /// `defaults.values` entries.
    pub default_values: Vec<ValuesSource>,
    pub releases: Vec<Release>,
}

/// The selected environment with its merged values.
#[derive(Clone, Debug)]
pub struct Environment {
    pub name: String,
    /// Every values entry merged in order (template data: `.Environment.Values`).
    pub values: Map,
    /// The entries, kept to say where an environment value came from.
    pub sources: Vec<LoadedValues>,
    pub settings: schema::Environment,
}

/// Where a list of values comes from: a file or an inline mapping in the stack file.
#[derive(Clone, Debug)]
pub enum ValuesSource {
    File { path: PathBuf, at: Location },
    Inline { node: Node, at: Location },
}

impl ValuesSource {
    /// The stack file position of the entry.
    pub fn at(&self) -> &Location {
        match self {
            ValuesSource::File { at, .. } | ValuesSource::Inline { at, .. } => at,
        }
    }
}

/// A values source read and parsed, with its tree for positions.
#[derive(Clone, Debug)]
pub struct LoadedValues {
    pub values: Map,
    /// The parsed documents (for `--origin`); the file the positions refer to.
    pub nodes: Vec<Node>,
    pub file: PathBuf,
}

/// One release of the stack, checked.
#[derive(Clone, Debug)]
pub struct Release {
    pub name: String,
    pub namespace: String,
    pub chart: String,
    pub version: Option<String>,
    pub values: Vec<ValuesSource>,
    pub set: Vec<(schema::SetEntry, Location)>,
    pub needs: Vec<(String, Location)>,
    pub labels: BTreeMap<String, String>,
    pub installed: bool,
    pub spec: schema::Release,
    /// The release entry in the stack file.
    pub at: Location,
}

impl Release {
    /// `namespace/name`, unique in a stack.
    pub fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

/// Loads `file` for `environment`; any problem is an error.
pub fn load_stack(file: &Path, environment: &str) -> Result<Stack, Diagnostics> {
    let report = load_stack_report(file, environment)?;
    if report.problems.is_empty() {
        Ok(report.stack)
    } else {
        Err(Diagnostics(report.problems))
    }
}

/// A stack loaded as far as possible, with every problem found on the way (for lint).
#[derive(Clone, Debug)]
pub struct LoadReport {
    /// The parts that loaded; releases with problems may be missing.
    pub stack: Stack,
    pub problems: Vec<Diagnostic>,
    /// `namespace/name` of releases left out because their entry did not parse, so that
    /// later checks do not also call them unknown.
    pub unparsed_releases: Vec<String>,
}

/// Loads what it can. Errors only when nothing sensible can be loaded (unreadable file,
/// bad YAML, unknown environment).
pub fn load_stack_report(file: &Path, environment: &str) -> Result<LoadReport, Diagnostics> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        Diagnostic::new(
            Location::file(file),
            format!("cannot read the stack file: {e}"),
        )
        .with_hint("pass the stack file with -f/--file (default: stack.yaml)")
    })?;
    let empty = || {
        Diagnostics::from(
            Diagnostic::new(Location::file(file), "the stack file is empty").with_hint(
                "declare at least `releases:`; see the stack file reference in README.md",
            ),
        )
    };
    if is_templated_file(file) {
        let root = render_stack(file, &text, environment)?.ok_or_else(empty)?;
        return Loader::new(file, rendered_label(file)).load(&root, environment);
    }
    let docs = yaml::parse_documents(&text).map_err(|e| {
        Diagnostic::new(
            Location::new(file, e.pos),
            format!("invalid YAML: {}", e.message),
        )
        .with_hint("fix the YAML syntax there (indentation, brackets, quotes)")
    })?;
    let root = docs.first().ok_or_else(empty)?;
    Loader::new(file, file.to_path_buf()).load(root, environment)
}

/// Renders a templated stack file part by part (see `stack_parts`) into one tree. Each
/// part sees the values of the selected environment as the parts before it declared
/// them. Positions in the tree are lines of the rendered output (the parts' outputs
/// one after the other, each followed by a `---` line), reported as `FILE (rendered)`.
fn render_stack(file: &Path, text: &str, environment: &str) -> Result<Option<Node>, Diagnostics> {
    let shown = rendered_label(file);
    let template_name = file.display().to_string();
    let dir = folder_of(file);
    let mut merged: Option<Node> = None;
    let mut values = Map::new();
    let mut stack_name = "stack".to_string();
    // Where the next part's output starts in the rendered whole.
    let mut next_line: u32 = 1;
    for part in split_parts(text) {
        let context = TemplateContext::new(&dir, &stack_name, environment, &values);
        let out = context
            .render_from_line(&template_name, part.text, part.first_line)
            .map_err(|e| e.diagnostic(file))?;
        let shift = next_line - 1;
        next_line = next_line
            .saturating_add(u32::try_from(out.lines().count()).unwrap_or(u32::MAX))
            .saturating_add(1);
        let docs = yaml::parse_documents(&out).map_err(|e| {
            let pos = Pos {
                line: e.pos.line.saturating_add(shift),
                col: e.pos.col,
            };
            Diagnostic::new(
                Location::new(&shown, pos),
                format!("invalid YAML in the rendered template: {}", e.message),
            )
            .with_hint("the line counts the template's output, not its source; fix what renders there (indentation of inserted text, quotes)")
        })?;
        let Some(mut root) = docs.into_iter().next() else {
            continue;
        };
        if root.is_null() {
            continue;
        }
        shift_lines(&mut root, shift);
        if root.as_map().is_none() {
            return Err(Diagnostic::new(
                Location::new(&shown, root.pos),
                format!(
                    "the stack file must render to a mapping, found {}",
                    root.describe()
                ),
            )
            .with_hint("start with `releases:`; see the stack file reference in README.md")
            .into());
        }
        let declares_environments = root.get("environments").is_some();
        let merged = match &mut merged {
            Some(m) => {
                merge_part(m, root);
                m
            }
            None => merged.insert(root),
        };
        if let Some(name) = merged.get("name").and_then(Node::as_scalar) {
            stack_name = name.text.clone();
        }
        if declares_environments {
            values = Loader::new(file, shown.clone()).environment_values(merged, environment);
        }
    }
    Ok(merged)
}

/// The folder of a file: relative paths in it resolve against it.
fn folder_of(file: &Path) -> PathBuf {
    file.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

struct Loader<'a> {
    file: &'a Path,
    /// The name positions are reported under: the file, or its rendered output.
    shown: PathBuf,
    dir: PathBuf,
    /// `.StackName` for templated values.
    stack_name: String,
    problems: Vec<Diagnostic>,
    unparsed: Vec<String>,
}

impl<'a> Loader<'a> {
    fn new(file: &'a Path, shown: PathBuf) -> Loader<'a> {
        Loader {
            file,
            shown,
            dir: folder_of(file),
            stack_name: "stack".into(),
            problems: Vec::new(),
            unparsed: Vec::new(),
        }
    }

    fn at(&self, pos: Pos) -> Location {
        Location::new(&self.shown, pos)
    }

    /// The selected environment's values as far as `root` declares them (for the next
    /// part of a templated stack); problems are left for the final load to report.
    fn environment_values(mut self, root: &Node, name: &str) -> Map {
        if let Some(n) = root.get("name").and_then(Node::as_scalar) {
            self.stack_name = n.text.clone();
        }
        let environments = root
            .get("environments")
            .and_then(|n| yaml::from_node(n).ok())
            .unwrap_or_default();
        self.environment(root, &environments, name)
            .map(|e| e.values)
            .unwrap_or_default()
    }

    fn de_problem(&mut self, err: DeError, fallback: Pos) {
        let at = self.at(err.pos.unwrap_or(fallback));
        let message = match &err.field {
            Some(field) => format!("`{field}`: {}", err.message),
            None => err.message.clone(),
        };
        let mut d = Diagnostic::new(at, message);
        d = match err.unknown_field {
            Some((field, valid)) => d.with_hint(did_you_mean(&field, valid.iter().copied())),
            None => d.with_hint("see the stack file reference in README.md"),
        };
        self.problems.push(d);
    }

    fn load(mut self, root: &Node, environment: &str) -> Result<LoadReport, Diagnostics> {
        if root.as_map().is_none() {
            return Err(Diagnostic::new(
                self.at(root.pos),
                format!(
                    "the stack file must be a mapping, found {}",
                    root.describe()
                ),
            )
            .with_hint("start with `releases:`; see the stack file reference in README.md")
            .into());
        }
        let file: StackFile = match yaml::from_node(root) {
            Ok(f) => f,
            Err(e) => {
                self.de_problem(e, root.pos);
                // Still check the releases, so that lint reports everything at once.
                StackFile::default()
            }
        };
        if let Some(name) = &file.name {
            self.stack_name = name.clone();
        }
        let environment = self.environment(root, &file.environments, environment)?;
        let default_values =
            self.values_sources(root.get("defaults").and_then(|d| d.get("values")));
        let releases = self.releases(root, &file, &environment);
        let stack = Stack {
            file: self.file.to_path_buf(),
            dir: self.dir,
            name: self.stack_name,
            environment,
            repositories: file.repositories,
            defaults: file.defaults,
            default_values,
            releases,
        };
        Ok(LoadReport {
            stack,
            problems: self.problems,
            unparsed_releases: self.unparsed,
        })
    }

    fn environment(
        &mut self,
        root: &Node,
        environments: &BTreeMap<String, schema::Environment>,
        name: &str,
    ) -> Result<Environment, Diagnostics> {
        let settings = match environments.get(name) {
            Some(env) => env.clone(),
            None if name == DEFAULT_ENVIRONMENT => schema::Environment::default(),
            None => {
                let mut known: Vec<&str> = environments.keys().map(String::as_str).collect();
                if !known.contains(&DEFAULT_ENVIRONMENT) {
                    known.insert(0, DEFAULT_ENVIRONMENT);
                }
                let at = root
                    .get("environments")
                    .map_or(self.at(root.pos), |n| self.at(n.pos));
                let hint = match closest(name, known.iter().copied()) {
                    Some(c) => format!(
                        "did you mean `{c}`? known environments: {}",
                        known.join(", ")
                    ),
                    None => format!("known environments: {}", known.join(", ")),
                };
                self.problems.push(
                    Diagnostic::new(at, format!("unknown environment `{name}`")).with_hint(hint),
                );
                return Err(Diagnostics(std::mem::take(&mut self.problems)));
            }
        };
        let node = root
            .get("environments")
            .and_then(|e| e.get(name))
            .and_then(|e| e.get("values"));
        let mut values = Map::new();
        let mut sources = Vec::new();
        for source in self.values_sources(node) {
            // A templated environment values file sees the entries before it.
            let context = TemplateContext::new(&self.dir, &self.stack_name, name, &values);
            if let Some(loaded) = self.read_values(&source, &context) {
                crate::chart::values::merge_values(&mut values, &loaded.values);
                sources.push(loaded);
            }
        }
        Ok(Environment {
            name: name.to_string(),
            values,
            sources,
            settings,
        })
    }

    /// The entries of a `values:` list: file paths or inline mappings.
    fn values_sources(&mut self, list: Option<&Node>) -> Vec<ValuesSource> {
        let Some(items) = list.and_then(Node::as_seq) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let at = self.at(item.pos);
            match &item.kind {
                NodeKind::Map(_) => out.push(ValuesSource::Inline {
                    node: item.clone(),
                    at,
                }),
                NodeKind::Scalar(s) if !item.is_null() => out.push(ValuesSource::File {
                    path: join_clean(&self.dir, &s.text),
                    at,
                }),
                _ => self.problems.push(
                    Diagnostic::new(
                        at,
                        format!(
                            "a values entry must be a file path or a mapping, found {}",
                            item.describe()
                        ),
                    )
                    .with_hint("write `- values/common.yaml` or `- {key: value}`"),
                ),
            }
        }
        out
    }

    /// Reads one values source; problems are recorded and yield `None`.
    fn read_values(
        &mut self,
        source: &ValuesSource,
        context: &TemplateContext,
    ) -> Option<LoadedValues> {
        match read_values_source(source, context) {
            Ok(v) => Some(v),
            Err(d) => {
                self.problems.push(d);
                None
            }
        }
    }

    fn releases(&mut self, root: &Node, file: &StackFile, env: &Environment) -> Vec<Release> {
        let Some(items) = root.get("releases").and_then(Node::as_seq) else {
            return Vec::new();
        };
        let default_ns = file
            .defaults
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        let mut out: Vec<Release> = Vec::new();
        let mut seen: BTreeMap<String, Location> = BTreeMap::new();
        for item in items {
            let spec: schema::Release = match yaml::from_node(item) {
                Ok(r) => r,
                Err(e) => {
                    self.de_problem(e, item.pos);
                    let text = |k: &str| {
                        item.get(k)
                            .and_then(Node::as_scalar)
                            .map(|s| s.text.clone())
                    };
                    if let Some(name) = text("name") {
                        let ns = text("namespace").unwrap_or_else(|| default_ns.clone());
                        self.unparsed.push(format!("{ns}/{name}"));
                    }
                    continue;
                }
            };
            let at = self.at(item.pos);
            let shown = self.shown.clone();
            let field_at = |field: &str| {
                item.get(field)
                    .map_or(at.clone(), |n| Location::new(&shown, n.pos))
            };
            let namespace = spec.namespace.clone().unwrap_or_else(|| default_ns.clone());
            if let Err(why) = crate::chart::render::check_release_name(&spec.name) {
                self.problems.push(
                    Diagnostic::new(field_at("name"), format!("invalid release name `{}`: {why}", spec.name))
                        .with_hint("use lowercase letters, digits, `-` and `.`, at most 53 characters (Helm's rule)"),
                );
            }
            if let Err(why) = check_namespace(&namespace) {
                self.problems.push(
                    Diagnostic::new(field_at("namespace"), format!("invalid namespace `{namespace}`: {why}"))
                        .with_hint("a namespace is a DNS label: lowercase letters, digits and `-`, at most 63 characters"),
                );
            }
            if let Some(v) = &spec.version
                && let Err(why) = crate::chart::semver::Constraint::parse(v)
            {
                self.problems.push(
                    Diagnostic::new(field_at("version"), format!("invalid version constraint `{v}`: {why}"))
                        .with_hint("use Helm's syntax: `1.2.3`, `~1.2`, `^1.2`, `1.2.x`, `>=1.2 <2.0`, `1.x || 2.x`"),
                );
            }
            self.check_chart(&spec, &field_at("chart"));
            let id = format!("{namespace}/{}", spec.name);
            if let Some(first) = seen.get(&id) {
                self.problems.push(
                    Diagnostic::new(at.clone(), format!("duplicate release `{id}`"))
                        .with_hint(format!("it is already declared at {first}; give one of them another name or namespace")),
                );
                continue;
            }
            seen.insert(id, at.clone());
            let mut labels = env.settings.labels.clone();
            labels.extend(spec.labels.clone());
            let context = TemplateContext::new(&self.dir, &self.stack_name, &env.name, &env.values)
                .with_release(&ReleaseInfo {
                    name: &spec.name,
                    namespace: &namespace,
                    labels: &labels,
                    chart: &spec.chart,
                });
            let values = self.values_sources(item.get("values"));
            for source in &values {
                // Read now so that a missing or broken file is reported by lint.
                self.read_values(source, &context);
            }
            // `defaults.set` applies to every release, below the release's own `set`
            // (and, like any `--set`, above every values file).
            let default_set = root
                .get("defaults")
                .and_then(|d| d.get("set"))
                .and_then(Node::as_seq)
                .map(|nodes| {
                    file.defaults
                        .set
                        .iter()
                        .cloned()
                        .zip(nodes.iter().map(|n| self.at(n.pos)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            let own_set = item
                .get("set")
                .and_then(Node::as_seq)
                .map(|nodes| {
                    spec.set
                        .iter()
                        .cloned()
                        .zip(nodes.iter().map(|n| self.at(n.pos)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            let mut set: Vec<(schema::SetEntry, Location)> =
                default_set.into_iter().chain(own_set).collect();
            for (entry, entry_at) in &mut set {
                self.check_set_entry(entry, entry_at);
                self.render_set_entry(entry, entry_at, &context);
            }
            let needs: Vec<(String, Location)> = item
                .get("needs")
                .and_then(Node::as_seq)
                .map(|nodes| {
                    spec.needs
                        .iter()
                        .cloned()
                        .zip(nodes.iter().map(|n| self.at(n.pos)))
                        .collect()
                })
                .unwrap_or_default();
            let installed = self.installed(&spec, env, &field_at("condition"));
            out.push(Release {
                name: spec.name.clone(),
                namespace,
                chart: spec.chart.clone(),
                version: spec.version.clone(),
                values,
                set,
                needs,
                labels,
                installed,
                spec,
                at,
            });
        }
        out
    }

    /// A local chart (`./x`, `../x`, `/x`) must exist; a `repo/chart` must name a
    /// declared repository.
    fn check_chart(&mut self, spec: &schema::Release, at: &Location) {
        let chart = spec.chart.as_str();
        if chart.starts_with("oci://") {
            return;
        }
        if chart.starts_with('.') || chart.starts_with('/') {
            let path = join_clean(&self.dir, chart);
            if !path.exists() {
                self.problems.push(
                    Diagnostic::new(
                        at.clone(),
                        format!("chart `{chart}` not found (looked for {})", path.display()),
                    )
                    .with_hint("local chart paths are relative to the stack file's folder"),
                );
            }
            return;
        }
        match chart.split_once('/') {
            Some((_repo, name)) if !name.is_empty() => {}
            _ => self.problems.push(
                Diagnostic::new(
                    at.clone(),
                    format!("chart `{chart}` is neither a path nor `repository/chart`"),
                )
                .with_hint(
                    "write `./charts/NAME` for a local chart or `REPO/NAME` for a repository chart",
                ),
            ),
        }
    }

    /// Renders the entry's `value` (or each of its `values`) when it is a template, so
    /// every later stage sees the final text. The message of a failure never quotes the
    /// rendered text.
    fn render_set_entry(
        &mut self,
        entry: &mut schema::SetEntry,
        at: &Location,
        context: &TemplateContext,
    ) {
        let name = entry.name.clone();
        let texts = entry
            .value
            .iter_mut()
            .chain(entry.values.iter_mut().flatten());
        for text in texts.filter(|t| is_templated_value(&t.0)) {
            match context.render("value", &text.0) {
                Ok(out) => text.0 = out,
                Err(e) => {
                    self.problems.push(
                        Diagnostic::new(at.clone(), format!("set entry `{name}`: {e}"))
                            .with_hint(e.hint()),
                    );
                    return;
                }
            }
        }
    }

    fn check_set_entry(&mut self, entry: &schema::SetEntry, at: &Location) {
        let given = [
            entry.value.is_some(),
            entry.values.is_some(),
            entry.file.is_some(),
        ];
        if given.iter().filter(|g| **g).count() != 1 {
            self.problems.push(
                Diagnostic::new(
                    at.clone(),
                    format!(
                        "set entry `{}` needs exactly one of `value`, `values`, `file`",
                        entry.name
                    ),
                )
                .with_hint("e.g. `- {name: image.tag, value: \"1.2\"}`"),
            );
        }
        if let Some(file) = &entry.file
            && !self.dir.join(file).is_file()
        {
            self.problems.push(
                Diagnostic::new(at.clone(), format!("set file `{file}` not found"))
                    .with_hint("paths are relative to the stack file's folder"),
            );
        }
    }

    /// `installed: false` wins; otherwise a `condition` path in the environment values.
    fn installed(&mut self, spec: &schema::Release, env: &Environment, at: &Location) -> bool {
        if spec.installed == Some(false) {
            return false;
        }
        let Some(cond) = &spec.condition else {
            return true;
        };
        let value = crate::chart::values::Value::map(env.values.clone());
        match value.get_path(cond.split('.')) {
            Some(crate::chart::values::Value::Bool(b)) => *b,
            Some(other) => {
                self.problems.push(
                    Diagnostic::new(
                        at.clone(),
                        format!("condition `{cond}` is {}, not a boolean", other.type_name()),
                    )
                    .with_hint(
                        "the condition must name a true/false value in the environment values",
                    ),
                );
                true
            }
            None => true,
        }
    }
}

/// Reads and parses one values source (file or inline), with a positioned error. A
/// `.gotmpl` file is rendered with `context` first; positions in it then count lines of
/// the rendered output (`FILE (rendered)`).
pub fn read_values_source(
    source: &ValuesSource,
    context: &TemplateContext,
) -> Result<LoadedValues, Diagnostic> {
    match source {
        ValuesSource::Inline { node, at } => {
            let values = match crate::chart::values::node_to_value(node) {
                Ok(crate::chart::values::Value::Map(m)) => (*m).clone(),
                Ok(_) => Map::new(),
                Err(e) => return Err(values_error(&at.file, e)),
            };
            Ok(LoadedValues {
                values,
                nodes: vec![node.clone()],
                file: at.file.to_path_buf(),
            })
        }
        ValuesSource::File { path, at } => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Diagnostic::new(
                    at.clone(),
                    format!("cannot read values file {}: {e}", path.display()),
                )
                .with_hint("values file paths are relative to the stack file's folder")
            })?;
            // A template may render differently per release: say which entry it was.
            let listed = |mut d: Diagnostic| {
                d.message = format!("{} (values file listed at {at})", d.message);
                d
            };
            let templated = is_templated_file(path);
            let (text, file) = if templated {
                let out = context
                    .render(&path.display().to_string(), &text)
                    .map_err(|e| listed(e.diagnostic(path)))?;
                (out, rendered_label(path))
            } else {
                (text, path.clone())
            };
            let values = parse_values(&text).map_err(|e| {
                let d = values_error(&file, e);
                if templated {
                    listed(d).with_hint("the line counts the template's output, not its source; make the template render a YAML mapping")
                } else {
                    d
                }
            })?;
            let nodes = yaml::parse_documents(&text).unwrap_or_default();
            Ok(LoadedValues {
                values,
                nodes,
                file,
            })
        }
    }
}

fn values_error(file: &Path, e: ValuesError) -> Diagnostic {
    let message = match &e {
        ValuesError::Syntax(y) => format!("invalid YAML: {}", y.message),
        other => other.message(),
    };
    Diagnostic::new(Location::new(file, e.pos()), message)
        .with_hint("fix the values file; values files are YAML mappings")
}

/// `dir/rel` without `./` components, so messages show tidy paths.
pub fn join_clean(dir: &Path, rel: &str) -> PathBuf {
    let joined = dir.join(rel);
    joined
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect::<PathBuf>()
}

/// A Kubernetes namespace: a DNS-1123 label.
fn check_namespace(ns: &str) -> Result<(), &'static str> {
    if ns.is_empty() || ns.len() > 63 {
        return Err("it must be 1 to 63 characters");
    }
    let ok = ns
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !ns.starts_with('-')
        && !ns.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err("it must be lowercase alphanumerics or `-`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_names_follow_helm() {
        assert!(crate::chart::render::check_release_name("web-1.prod").is_ok());
        assert!(crate::chart::render::check_release_name("Web").is_err());
        assert!(crate::chart::render::check_release_name("-web").is_err());
        assert!(crate::chart::render::check_release_name(&"a".repeat(54)).is_err());
        assert!(check_namespace("kube-system").is_ok());
        assert!(check_namespace("a.b").is_err());
    }
}
