//! A release's values, layered lowest first (docs/architecture.md):
//! chart `values.yaml` < `defaults.values` < the environment's `releases.<name>` values <
//! the release's `values` entries in order < the release's `set` < CLI `--set`.
//!
//! User layers merge the way Helm merges `-f` files (maps deep, lists replaced, nulls
//! kept); the result is then coalesced with the chart defaults, where a `null` deletes a
//! default. Every layer is kept, so [`LayeredValues::origin`] can answer "where did this
//! value come from?" for any leaf.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::chart::values::{
    Map, SetKind, Value, apply_set, apply_sets, coalesce_values, merge_values, read_set_file,
};
use crate::span::{Diagnostic, Location};
use crate::yaml::{Node, Pos};

use super::load::{LoadedValues, Release, Stack, read_values_source};
use super::schema::SetEntry;
use super::template::{ReleaseInfo, TemplateContext};

/// Which kind of source a layer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayerKind {
    ChartDefaults,
    StackDefaults,
    Environment,
    ReleaseValues,
    ReleaseSet,
    CliSet,
}

impl fmt::Display for LayerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LayerKind::ChartDefaults => "chart",
            LayerKind::StackDefaults => "defaults",
            LayerKind::Environment => "environment",
            LayerKind::ReleaseValues => "release",
            LayerKind::ReleaseSet => "set",
            LayerKind::CliSet => "cli",
        })
    }
}

/// One source of values for a release.
#[derive(Clone, Debug)]
pub struct Layer {
    pub kind: LayerKind,
    pub values: Map,
    /// Where the layer is written (a file, a stack entry, or `<command line>`).
    pub at: Location,
    /// The parsed documents, to find the line of any key.
    nodes: Vec<Node>,
    /// Keys under which `values` sits inside `nodes` (`releases.<name>` for environments).
    prefix: Vec<String>,
}

impl Layer {
    /// The position of `path` in this layer's source, when the layer has a tree.
    fn locate(&self, path: &[&str]) -> Location {
        let full: Vec<&str> = self
            .prefix
            .iter()
            .map(String::as_str)
            .chain(path.iter().copied())
            .collect();
        for doc in self.nodes.iter().rev() {
            if let Some(pos) = find_key(doc, &full) {
                return Location::new(self.at.file.to_path_buf(), pos);
            }
        }
        self.at.clone()
    }
}

/// The line:col of the value at `path` in a YAML tree.
fn find_key(node: &Node, path: &[&str]) -> Option<Pos> {
    let Some((first, rest)) = path.split_first() else {
        return Some(node.pos);
    };
    let (key, value) = node
        .as_map()?
        .iter()
        .rev()
        .find(|(k, _)| crate::chart::values::key_text(k) == *first)?;
    if rest.is_empty() {
        Some(key.pos)
    } else {
        find_key(value, rest)
    }
}

/// A release's final values and every layer they came from.
#[derive(Clone, Debug)]
pub struct LayeredValues {
    /// What the chart's templates will see as `.Values` (root chart defaults coalesced).
    pub values: Map,
    /// The user layers merged, before the chart defaults: what `helm template -f …`
    /// would receive, and what the renderer coalesces with the whole chart tree.
    pub user: Map,
    /// Lowest first.
    pub layers: Vec<Layer>,
    /// Helm's coalesce warnings (`skipped value for x: Not a table.`).
    pub warnings: Vec<crate::chart::helm_log::Line>,
}

impl LayeredValues {
    /// The highest layer that sets `path`, and where in it.
    pub fn origin(&self, path: &[&str]) -> Option<(LayerKind, Location)> {
        self.layers
            .iter()
            .rev()
            .find(|l| {
                Value::map(l.values.clone())
                    .get_path(path.iter().copied())
                    .is_some()
            })
            .map(|l| (l.kind, l.locate(path)))
    }
}

/// The chart defaults of a release, when its chart is a local directory with a
/// `values.yaml`; remote charts contribute theirs once fetched.
pub fn local_chart_defaults(
    stack: &Stack,
    release: &Release,
) -> Result<Option<LoadedValues>, Diagnostic> {
    if !(release.chart.starts_with('.') || release.chart.starts_with('/')) {
        return Ok(None);
    }
    let path = super::load::join_clean(&stack.dir, &release.chart).join("values.yaml");
    if !path.is_file() {
        return Ok(None);
    }
    let source = super::load::ValuesSource::File {
        path: path.clone(),
        at: Location::file(&path),
    };
    read_values_source(&source, &TemplateContext::for_stack(stack)).map(Some)
}

/// Layers the values of `release` (see the module doc). `cli_sets` are the command
/// line's `--set*` flags.
pub fn layer_values(
    stack: &Stack,
    release: &Release,
    chart_defaults: Option<LoadedValues>,
    cli_sets: &[(SetKind, String)],
) -> Result<LayeredValues, Diagnostic> {
    // `.gotmpl` values files see the release (`set` values were rendered at load).
    let context = TemplateContext::for_stack(stack).with_release(&ReleaseInfo {
        name: &release.name,
        namespace: &release.namespace,
        labels: &release.labels,
        chart: &release.chart,
    });
    let mut layers = Vec::new();
    for source in &stack.default_values {
        layers.push(file_layer(
            LayerKind::StackDefaults,
            read_values_source(source, &context)?,
            Vec::new(),
        ));
    }
    for loaded in &stack.environment.sources {
        let scoped = loaded
            .values
            .get("releases")
            .and_then(Value::as_map)
            .and_then(|m| m.get(&release.name))
            .and_then(Value::as_map);
        if let Some(scoped) = scoped {
            let mut layer = file_layer(
                LayerKind::Environment,
                loaded.clone(),
                vec!["releases".into(), release.name.clone()],
            );
            layer.values = scoped.clone();
            layers.push(layer);
        }
    }
    for source in &release.values {
        layers.push(file_layer(
            LayerKind::ReleaseValues,
            read_values_source(source, &context)?,
            Vec::new(),
        ));
    }
    for (entry, at) in &release.set {
        layers.push(set_entry_layer(entry, at, &stack.dir)?);
    }
    for (kind, arg) in cli_sets {
        let mut values = Map::new();
        let read = |p: &str| read_set_file(p, Path::new(p));
        apply_set(&mut values, *kind, arg, &read).map_err(|e| {
            Diagnostic::new(Location::file("<command line>"), e.to_string())
                .with_hint("the --set syntax is Helm's: a.b=c, list[0]=x, a\\.b=c, {a,b}")
        })?;
        layers.push(Layer {
            kind: LayerKind::CliSet,
            values,
            at: Location::file("<command line>"),
            nodes: Vec::new(),
            prefix: Vec::new(),
        });
    }
    let mut user = Map::new();
    for layer in &layers {
        merge_values(&mut user, &layer.values);
    }
    let (values, warnings) = match chart_defaults {
        Some(defaults) => {
            let (values, warnings) = coalesce_values(&defaults.values, user.clone(), "");
            layers.insert(
                0,
                file_layer(LayerKind::ChartDefaults, defaults, Vec::new()),
            );
            (values, warnings)
        }
        None => (user.clone(), Vec::new()),
    };
    Ok(LayeredValues {
        values,
        user,
        layers,
        warnings,
    })
}

fn file_layer(kind: LayerKind, loaded: LoadedValues, prefix: Vec<String>) -> Layer {
    Layer {
        kind,
        at: Location::file(loaded.file.clone()),
        values: loaded.values,
        nodes: loaded.nodes,
        prefix,
    }
}

/// A stack `set` entry applied through Helm's `--set` parser, so paths (`a.b[0]`,
/// `a\.b`) mean the same as on the command line; the value itself is escaped so commas
/// and braces in it stay literal.
fn set_entry_layer(entry: &SetEntry, at: &Location, dir: &Path) -> Result<Layer, Diagnostic> {
    let escape = |s: &str| {
        let mut out = String::with_capacity(s.len());
        for (i, c) in s.chars().enumerate() {
            if c == '\\' || c == ',' || (i == 0 && c == '{') {
                out.push('\\');
            }
            out.push(c);
        }
        out
    };
    let (kind, arg) = if let Some(v) = &entry.value {
        (SetKind::Typed, format!("{}={}", entry.name, escape(&v.0)))
    } else if let Some(vs) = &entry.values {
        let items: Vec<String> = vs
            .iter()
            .map(|v| escape(&v.0).replace('}', "\\}"))
            .collect();
        (
            SetKind::Typed,
            format!("{}={{{}}}", entry.name, items.join(",")),
        )
    } else if let Some(file) = &entry.file {
        (
            SetKind::File,
            format!(
                "{}={}",
                entry.name,
                escape(&dir.join(file).to_string_lossy())
            ),
        )
    } else {
        return Err(Diagnostic::new(
            at.clone(),
            format!("set entry `{}` has no value", entry.name),
        ));
    };
    let mut values = Map::new();
    let read = |p: &str| read_set_file(p, &PathBuf::from(p));
    apply_sets(&mut values, &[(kind, arg)], &read).map_err(|e| {
        Diagnostic::new(at.clone(), format!("set entry `{}`: {e}", entry.name))
            .with_hint("`name` uses Helm's --set path syntax: a.b, list[0].c, a\\.b")
    })?;
    Ok(Layer {
        kind: LayerKind::ReleaseSet,
        values,
        at: at.clone(),
        nodes: Vec::new(),
        prefix: Vec::new(),
    })
}
