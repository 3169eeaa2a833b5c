//! A loaded chart: what the loader produces and the engine renders.
//!
//! Paths are relative to the chart root with `/` separators (`templates/deploy.yaml`), as
//! Helm names them. Subcharts are nested `Chart`s in `dependencies` (for the engine: only
//! the enabled ones, already aliased).

use std::sync::Arc;

use serde::Deserialize;

use crate::chart::values::Map;

/// One file of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartFile {
    /// Path relative to the chart root, `/`-separated.
    pub name: String,
    pub data: Arc<[u8]>,
}

/// `Chart.yaml` (apiVersion v1 or v2). Field names follow Helm's `chart.Metadata`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Metadata {
    pub api_version: String,
    pub name: String,
    pub version: String,
    pub kube_version: String,
    pub description: String,
    #[serde(rename = "type")]
    pub chart_type: String,
    pub keywords: Vec<String>,
    pub home: String,
    pub sources: Vec<String>,
    pub dependencies: Vec<Dependency>,
    pub maintainers: Vec<Maintainer>,
    pub icon: String,
    pub app_version: String,
    pub deprecated: bool,
    pub annotations: std::collections::BTreeMap<String, String>,
    pub condition: String,
    pub tags: String,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Maintainer {
    pub name: String,
    pub email: String,
    pub url: String,
}

/// A `dependencies` entry of Chart.yaml (or requirements.yaml).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", default)]
pub struct Dependency {
    pub name: String,
    pub version: String,
    pub repository: String,
    pub condition: String,
    pub tags: Vec<String>,
    pub enabled: bool,
    pub import_values: Vec<serde_json::Value>,
    pub alias: String,
}

/// A chart and its subcharts, loaded from a directory or archive.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chart {
    pub metadata: Metadata,
    /// Files under `templates/`.
    pub templates: Vec<ChartFile>,
    /// Every other file (after `.helmignore`), for `.Files`; includes `crds/`.
    pub files: Vec<ChartFile>,
    /// `values.yaml` (chart defaults).
    pub values: Map,
    /// `values.schema.json`, if present.
    pub schema: Option<Arc<[u8]>>,
    /// Subcharts.
    pub dependencies: Vec<Chart>,
}
