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
    pub data: FileData,
}

/// The contents of a chart file: in shared memory, or mapped from the file.
///
/// Large files other than templates (CRDs, dashboards, READMEs, values) are mapped: most
/// of them are never looked at in a render, and reading one costs fresh memory, which
/// the kernel must zero, plus a copy (docs/performance.md). A mapped file that another
/// process truncates during the render cannot be read (the kernel ends the process), the
/// price every tool that maps files pays.
#[derive(Clone)]
pub enum FileData {
    Shared(Arc<[u8]>),
    Mapped(Arc<MappedFile>),
}

/// A file mapped into memory, and its contents copied into shared memory once something
/// needs them so (`.Files.Get` returns a string: charts that read a big file often read
/// it more than once).
pub struct MappedFile {
    map: memmap2::Mmap,
    /// Where the contents start in the map (after a byte order mark).
    start: usize,
    shared: std::sync::OnceLock<Arc<[u8]>>,
}

impl MappedFile {
    pub fn new(map: memmap2::Mmap, start: usize) -> MappedFile {
        MappedFile {
            map,
            start,
            shared: std::sync::OnceLock::new(),
        }
    }
}

impl FileData {
    /// The contents as shared bytes: the same allocation when they are in memory; for a
    /// mapped file, one copy made on first need.
    pub fn to_shared(&self) -> Arc<[u8]> {
        match self {
            FileData::Shared(data) => data.clone(),
            FileData::Mapped(file) => file
                .shared
                .get_or_init(|| Arc::from(&file.map[file.start..]))
                .clone(),
        }
    }
}

impl std::ops::Deref for FileData {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            FileData::Shared(data) => data,
            FileData::Mapped(file) => &file.map[file.start..],
        }
    }
}

impl From<Arc<[u8]>> for FileData {
    fn from(data: Arc<[u8]>) -> FileData {
        FileData::Shared(data)
    }
}

impl From<Vec<u8>> for FileData {
    fn from(data: Vec<u8>) -> FileData {
        FileData::Shared(data.into())
    }
}

impl From<&[u8]> for FileData {
    fn from(data: &[u8]) -> FileData {
        FileData::Shared(data.into())
    }
}

impl std::fmt::Debug for FileData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how = match self {
            FileData::Shared(_) => "in memory",
            FileData::Mapped(..) => "mapped",
        };
        write!(f, "FileData({} bytes, {how})", self.len())
    }
}

impl PartialEq for FileData {
    fn eq(&self, other: &FileData) -> bool {
        **self == **other
    }
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
    pub schema: Option<FileData>,
    /// Subcharts.
    pub dependencies: Vec<Chart>,
}
