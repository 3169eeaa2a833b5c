//! Loading a chart from a directory or a `.tgz` archive into a [`Chart`] tree
//! (HELM-SEMANTICS.md §5.2), mirroring helm `pkg/chart/v2/loader` (`LoadDir`, `LoadArchive`,
//! `LoadFiles`).
//!
//! Input: a path. Output: the chart with every subchart found under `charts/`, unprocessed
//! (no enablement, aliasing or value coalescing; that is `deps`). Archives are untrusted:
//! absolute paths, `..`, links, oversized content and too many entries are rejected, and
//! every such error names the archive and the entry.

use std::collections::BTreeMap;
use std::ffi::{CStr, OsStr};
use std::fs;
use std::io::{self, Read};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustix::fs::{AtFlags, CWD, Dir, FileType, Mode, OFlags};

use crate::chart::ignore::{HELM_IGNORE, IgnoreError, IgnoreRules};
use crate::chart::meta::{self, MetaError};
use crate::chart::model::{Chart, ChartFile, FileData, MappedFile, Metadata};
use crate::chart::values::{ValuesError, parse_values};

/// Largest single file Helm accepts (its `MaxDecompressedFileSize`).
pub const MAX_FILE_SIZE: u64 = 5 * 1024 * 1024;
/// Largest total unpacked size of the archives of one chart (nested subchart archives
/// included): a small archive cannot expand without bound through nesting.
pub const MAX_ARCHIVE_SIZE: u64 = 50 * 1024 * 1024;
/// Most archive entries one chart may hold, nested archives included.
pub const MAX_ARCHIVE_FILES: usize = 10_000;
/// Deepest subchart nesting (`charts/a/charts/b/...`) accepted.
pub const MAX_CHART_DEPTH: usize = 32;
/// Deepest directory nesting followed (symlink loops end here instead of recursing forever).
const MAX_DIR_DEPTH: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}: {message}", archive.display())]
    Archive { archive: PathBuf, message: String },
    #[error("{}: entry {entry:?}: {message}", archive.display())]
    ArchiveEntry {
        archive: PathBuf,
        entry: String,
        message: String,
    },
    #[error("{}: {source}", path.display())]
    Ignore {
        path: PathBuf,
        #[source]
        source: IgnoreError,
    },
    #[error("cannot load irregular file {} as it has file mode type bits set", path.display())]
    Irregular { path: PathBuf },
    #[error("chart file {:?} is larger than the maximum file size {MAX_FILE_SIZE}", path.display().to_string())]
    FileTooLarge { path: PathBuf },
    #[error("{}: directories nested deeper than {MAX_DIR_DEPTH} levels (a symlink loop?)", path.display())]
    TooDeep { path: PathBuf },
    /// Helm's own wording (`helm template` prints exactly this).
    #[error("Chart.yaml file is missing")]
    MissingChartYaml { chart: PathBuf },
    #[error("{}:{source}", file.display())]
    Metadata {
        file: PathBuf,
        #[source]
        source: MetaError,
    },
    #[error("{}:{source}", file.display())]
    Values {
        file: PathBuf,
        #[source]
        source: ValuesError,
    },
    #[error("{}: file is not valid UTF-8", file.display())]
    NotUtf8 { file: PathBuf },
    /// Helm's `validation: ...` messages.
    #[error("validation: {message}")]
    Validation { chart: PathBuf, message: String },
    #[error("{}: subcharts nested deeper than {MAX_CHART_DEPTH} levels", chart.display())]
    TooManyLevels { chart: PathBuf },
    #[error("error unpacking subchart {name} in {parent}: {source}")]
    Subchart {
        name: String,
        parent: String,
        #[source]
        source: Box<LoadError>,
    },
}

pub type Result<T, E = LoadError> = std::result::Result<T, E>;

/// Limits for unpacking untrusted archives. The defaults are the constants above; the
/// repository stage passes its own when the user configures them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArchiveLimits {
    pub max_file_size: u64,
    pub max_total_size: u64,
    pub max_files: usize,
}

impl Default for ArchiveLimits {
    fn default() -> ArchiveLimits {
        ArchiveLimits {
            max_file_size: MAX_FILE_SIZE,
            max_total_size: MAX_ARCHIVE_SIZE,
            max_files: MAX_ARCHIVE_FILES,
        }
    }
}

/// What one chart load may still unpack from archives, and how deep it is.
struct Limits {
    bytes_left: u64,
    files_left: usize,
    depth: usize,
    max: ArchiveLimits,
}

impl Limits {
    fn new() -> Limits {
        Limits::with(ArchiveLimits::default())
    }

    fn with(max: ArchiveLimits) -> Limits {
        Limits {
            bytes_left: max.max_total_size,
            files_left: max.max_files,
            depth: 0,
            max,
        }
    }
}

/// Loads a chart from a directory or a `.tgz` file.
pub fn load_chart(path: &Path) -> Result<Chart> {
    load_chart_observed(path, &mut |_, _| {})
}

/// Sees each file of a chart directory as soon as it is read: its path in the chart
/// (`templates/a.yaml`, `charts/sub/values.yaml`) and its contents, which are the very
/// bytes the loaded chart holds.
pub type FileObserver<'a> = &'a mut dyn FnMut(&str, &FileData);

/// [`load_chart`], showing `observe` every file of a chart directory as it is read (so
/// work on them can start before the whole chart is loaded). Archives are not observed.
pub fn load_chart_observed(path: &Path, observe: FileObserver<'_>) -> Result<Chart> {
    let meta = fs::metadata(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if meta.is_dir() {
        load_dir_observed(path, observe)
    } else {
        let data = fs::read(path).map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        load_archive(path, &data)
    }
}

/// Whether the file at `path` in a chart directory is a template of the chart or of one
/// of its subchart directories (`templates/…`, `charts/<name>/templates/…`, and deeper).
pub fn is_template_path(mut path: &str) -> bool {
    loop {
        if path.starts_with("templates/") {
            return true;
        }
        let Some(rest) = path.strip_prefix("charts/") else {
            return false;
        };
        let Some((_, inner)) = rest.split_once('/') else {
            return false;
        };
        path = inner;
    }
}

/// Loads a chart directory: files in lexical order per directory, symlinks followed, the
/// top-level `.helmignore` (plus Helm's default rule) applied to every path, subchart
/// directories included.
pub fn load_dir(dir: &Path) -> Result<Chart> {
    load_dir_observed(dir, &mut |_, _| {})
}

fn load_dir_observed(dir: &Path, observe: FileObserver<'_>) -> Result<Chart> {
    let ignore_path = dir.join(HELM_IGNORE);
    let rules = match fs::read(&ignore_path) {
        Ok(text) => IgnoreRules::parse(&text).map_err(|source| LoadError::Ignore {
            path: ignore_path.clone(),
            source,
        })?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => IgnoreRules::with_defaults(),
        Err(source) => {
            return Err(LoadError::Io {
                path: ignore_path,
                source,
            });
        }
    };
    let mut files = Vec::new();
    let handle = open_dir(CWD, dir).map_err(|source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    walk_dir(dir, handle, "", &rules, &mut files, observe, 0)?;
    load_files(dir, files)
}

/// Opens a directory for listing it and for opening what is in it by name.
fn open_dir(parent: impl AsFd, name: impl rustix::path::Arg) -> io::Result<OwnedFd> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    Ok(rustix::fs::openat(parent, name, flags, Mode::empty())?)
}

/// Walks a chart directory through directory handles: each file is opened by its name
/// relative to its directory (`openat`), so the kernel resolves one path component per
/// file instead of the whole path (a fifth of a small file's load time here).
fn walk_dir(
    dir: &Path,
    handle: OwnedFd,
    rel: &str,
    rules: &IgnoreRules,
    out: &mut Vec<ChartFile>,
    observe: FileObserver<'_>,
    depth: usize,
) -> Result<()> {
    if depth > MAX_DIR_DEPTH {
        return Err(LoadError::TooDeep {
            path: dir.to_path_buf(),
        });
    }
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LoadError::Io { path, source }
    };
    let entry_path = |name: &CStr| dir.join(OsStr::from_bytes(name.to_bytes()));
    let listing_err = |e: rustix::io::Errno| io_err(dir)(e.into());
    let mut listing = Dir::new(handle).map_err(listing_err)?;
    // The entry's own type comes with the directory listing; only symlinks (Helm's
    // sympath walk follows them) and file systems that leave the type out need a `stat`.
    let mut entries = Vec::new();
    for entry in &mut listing {
        let entry = entry.map_err(listing_err)?;
        let name = entry.file_name();
        if name != c"." && name != c".." {
            entries.push((name.to_owned(), entry.file_type()));
        }
    }
    // Go's `sort.Strings` on the names: byte order.
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let handle = listing.fd().map_err(listing_err)?;
    for (name, file_type) in entries {
        let file_type = match file_type {
            FileType::Symlink | FileType::Unknown => {
                let stat = rustix::fs::statat(handle, name.as_c_str(), AtFlags::empty())
                    .map_err(|e| io_err(&entry_path(&name))(e.into()))?;
                FileType::from_raw_mode(stat.st_mode)
            }
            known => known,
        };
        let text_name = name.to_string_lossy();
        let rel_name = if rel.is_empty() {
            text_name.into_owned()
        } else {
            format!("{rel}/{text_name}")
        };
        if file_type == FileType::Directory {
            if !rules.is_ignored(&rel_name, true) {
                let path = entry_path(&name);
                let child = open_dir(handle, name.as_c_str()).map_err(io_err(&path))?;
                walk_dir(&path, child, &rel_name, rules, out, observe, depth + 1)?;
            }
            continue;
        }
        if rules.is_ignored(&rel_name, false) {
            continue;
        }
        if file_type != FileType::RegularFile {
            return Err(LoadError::Irregular {
                path: entry_path(&name),
            });
        }
        let data = read_chart_file(handle, &name, !is_template_path(&rel_name))
            .map_err(|e| e.at(entry_path(&name)))?;
        observe(&rel_name, &data);
        out.push(ChartFile {
            name: rel_name,
            data,
        });
    }
    Ok(())
}

/// Why a chart file could not be read; the caller names the path.
enum ReadError {
    Io(io::Error),
    TooLarge,
}

impl ReadError {
    fn at(self, path: PathBuf) -> LoadError {
        match self {
            ReadError::Io(source) => LoadError::Io { path, source },
            ReadError::TooLarge => LoadError::FileTooLarge { path },
        }
    }
}

/// Files at least this big are mapped rather than read when they may be (see
/// [`FileData`]): below it a map and its page faults cost about what a read does.
const MAP_MIN_SIZE: u64 = 64 << 10;

/// Reads the regular file `name` of directory `dir`, of at most [`MAX_FILE_SIZE`] bytes,
/// straight into shared memory (one `stat`, one read, no copy), without a leading UTF-8
/// BOM; a large file is mapped instead when `may_map`.
fn read_chart_file(
    dir: BorrowedFd,
    name: &CStr,
    may_map: bool,
) -> std::result::Result<FileData, ReadError> {
    let flags = OFlags::RDONLY | OFlags::CLOEXEC;
    let fd =
        rustix::fs::openat(dir, name, flags, Mode::empty()).map_err(|e| ReadError::Io(e.into()))?;
    let mut file = fs::File::from(fd);
    let len = file.metadata().map_err(ReadError::Io)?.len();
    if len > MAX_FILE_SIZE {
        return Err(ReadError::TooLarge);
    }
    if may_map && len >= MAP_MIN_SIZE {
        // SAFETY: the map is read-only and private; the file changing underneath is the
        // documented risk of `FileData::Mapped`.
        if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
            let start = if map.starts_with(BOM) { BOM.len() } else { 0 };
            return Ok(FileData::Mapped(Arc::new(MappedFile::new(map, start))));
        }
    }
    let data = Arc::<[u8]>::new_zeroed_slice(len as usize);
    // SAFETY: zeroed memory is a valid `[u8]`.
    let mut data = unsafe { data.assume_init() };
    let buf = Arc::get_mut(&mut data).expect("a new Arc has one owner");
    file.read_exact(buf).map_err(ReadError::Io)?;
    if data.starts_with(BOM) {
        return Ok(FileData::Shared(Arc::from(&data[BOM.len()..])));
    }
    Ok(FileData::Shared(data))
}

/// The UTF-8 byte order mark, which Helm removes from every chart file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A file with a UTF-8 BOM removed, as Helm stores every chart file.
fn chart_file(name: String, mut data: Vec<u8>) -> ChartFile {
    if data.starts_with(BOM) {
        data.drain(..BOM.len());
    }
    ChartFile {
        name,
        data: data.into(),
    }
}

/// Loads a gzipped tar chart archive. `archive` names it in errors.
pub fn load_archive(archive: &Path, data: &[u8]) -> Result<Chart> {
    load_archive_in(archive, data, &mut Limits::new())
}

fn load_archive_in(archive: &Path, data: &[u8], limits: &mut Limits) -> Result<Chart> {
    let files = archive_files(archive, data, limits)?;
    load_files_in(archive, files, limits)
}

/// Unpacks an archive into chart-relative files (first path component stripped), refusing
/// anything that escapes the chart or exceeds `limits`. `repo` uses it to check a
/// downloaded archive before it enters the cache.
pub fn unpack_archive(
    archive: &Path,
    data: &[u8],
    limits: &ArchiveLimits,
) -> Result<Vec<ChartFile>> {
    archive_files(archive, data, &mut Limits::with(*limits))
}

/// Unpacks an archive into chart-relative files (first path component stripped).
fn archive_files(archive: &Path, data: &[u8], limits: &mut Limits) -> Result<Vec<ChartFile>> {
    let archive_err = |message: String| LoadError::Archive {
        archive: archive.to_path_buf(),
        message,
    };
    if !data.starts_with(&[0x1f, 0x8b]) {
        return Err(archive_err(
            "not a chart archive: the file is not gzip-compressed".into(),
        ));
    }
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(data));
    let entries = tar
        .entries()
        .map_err(|e| archive_err(format!("cannot read archive: {e}")))?;
    let ArchiveLimits {
        max_file_size,
        max_total_size,
        max_files,
    } = limits.max;
    let mut files = Vec::new();
    for entry in entries {
        let mut entry = entry.map_err(|e| archive_err(format!("cannot read archive: {e}")))?;
        let raw_name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let entry_err = |message: String| LoadError::ArchiveEntry {
            archive: archive.to_path_buf(),
            entry: raw_name.clone(),
            message,
        };
        use tar::EntryType as T;
        match entry.header().entry_type() {
            T::Directory | T::XGlobalHeader | T::XHeader => continue,
            T::Regular | T::Continuous | T::GNUSparse => {}
            T::Symlink | T::Link => {
                return Err(entry_err("links are not allowed in chart archives".into()));
            }
            other => {
                return Err(entry_err(format!(
                    "unsupported entry type {:?}",
                    other.as_byte() as char
                )));
            }
        }
        let name = archive_entry_name(&raw_name).map_err(|m| entry_err(m.into()))?;
        if limits.files_left == 0 {
            return Err(archive_err(format!(
                "chart archives hold more than {max_files} files"
            )));
        }
        limits.files_left -= 1;
        let remaining = limits.bytes_left;
        let size = entry.header().size().unwrap_or(u64::MAX);
        if size > max_file_size {
            return Err(entry_err(format!(
                "file is larger than the maximum file size {max_file_size}"
            )));
        }
        if size > remaining {
            return Err(entry_err(format!(
                "decompressed chart is larger than the maximum size {max_total_size}"
            )));
        }
        let mut buf = Vec::with_capacity(size as usize);
        (&mut entry)
            .take(remaining.min(max_file_size) + 1)
            .read_to_end(&mut buf)
            .map_err(|e| entry_err(format!("cannot read entry: {e}")))?;
        if buf.len() as u64 > max_file_size || buf.len() as u64 > remaining {
            return Err(entry_err(
                "entry is larger than its header says or than the size limits".into(),
            ));
        }
        limits.bytes_left -= buf.len() as u64;
        files.push(chart_file(name, buf));
    }
    if files.is_empty() {
        return Err(archive_err("no files in chart archive".into()));
    }
    Ok(files)
}

/// The chart-relative name of an archive entry: the first component (the chart's
/// directory) dropped, `\` accepted as separator, and every escape from the chart refused
/// with Helm's messages.
fn archive_entry_name(raw: &str) -> std::result::Result<String, &'static str> {
    let delimiter = if raw.contains('\\') { '\\' } else { '/' };
    let mut parts = raw.split(delimiter);
    let first = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    if first == "Chart.yaml" {
        return Err("chart yaml not in base directory");
    }
    let joined = rest.join("/");
    if joined.starts_with('/') {
        return Err("chart illegally contains absolute paths");
    }
    let cleaned = go_clean(&joined);
    if cleaned == "." {
        return Err("chart illegally contains content outside the base directory");
    }
    if cleaned.starts_with("..") {
        return Err("chart illegally references parent directory");
    }
    let b = cleaned.as_bytes();
    if b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/' {
        return Err("chart contains illegally named files");
    }
    Ok(cleaned)
}

/// Go's `path.Clean` for relative `/` paths.
fn go_clean(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if out.last().is_some_and(|p| *p != "..") => {
                out.pop();
            }
            p => out.push(p),
        }
    }
    if out.is_empty() {
        ".".into()
    } else {
        out.join("/")
    }
}

/// A file under `charts/<name>`: its path inside that directory, or `None` when the entry
/// is `charts/<name>` itself (an archive).
type SubchartEntry = (Option<String>, FileData);

/// Builds a chart from its files (Helm's `LoadFiles`). `origin` is the directory or archive
/// the files came from, for error messages.
pub fn load_files(origin: &Path, files: Vec<ChartFile>) -> Result<Chart> {
    load_files_in(origin, files, &mut Limits::new())
}

fn load_files_in(origin: &Path, files: Vec<ChartFile>, limits: &mut Limits) -> Result<Chart> {
    if limits.depth > MAX_CHART_DEPTH {
        return Err(LoadError::TooManyLevels {
            chart: origin.to_path_buf(),
        });
    }
    let mut chart = Chart::default();
    let mut metadata: Option<Metadata> = None;
    fn text<'a>(origin: &Path, f: &'a ChartFile) -> Result<&'a str> {
        std::str::from_utf8(&f.data).map_err(|_| LoadError::NotUtf8 {
            file: origin.join(&f.name),
        })
    }
    if let Some(f) = files.iter().find(|f| f.name == "Chart.yaml") {
        let mut m = Metadata::default();
        meta::parse_chart_yaml(text(origin, f)?, &mut m).map_err(|source| LoadError::Metadata {
            file: origin.join(&f.name),
            source,
        })?;
        if m.api_version.is_empty() {
            m.api_version = "v1".into();
        }
        metadata = Some(m);
    }
    let mut subcharts: BTreeMap<String, Vec<SubchartEntry>> = BTreeMap::new();
    for f in files {
        match f.name.as_str() {
            "Chart.yaml" | "Chart.lock" => {}
            "values.yaml" => {
                chart.values =
                    parse_values(text(origin, &f)?).map_err(|source| LoadError::Values {
                        file: origin.join(&f.name),
                        source,
                    })?;
            }
            "values.schema.json" => chart.schema = Some(f.data.clone()),
            "requirements.yaml" => {
                let m = metadata.get_or_insert_with(Metadata::default);
                meta::parse_requirements(text(origin, &f)?, m).map_err(|source| {
                    LoadError::Metadata {
                        file: origin.join(&f.name),
                        source,
                    }
                })?;
                if m.api_version == "v1" {
                    chart.files.push(f);
                }
            }
            "requirements.lock" => {
                if metadata.as_ref().is_some_and(|m| m.api_version == "v1") {
                    chart.files.push(f);
                }
            }
            name if name.starts_with("templates/") => chart.templates.push(f),
            name if name.starts_with("charts/") => {
                if name.ends_with(".prov") {
                    chart.files.push(f);
                    continue;
                }
                let rest = &name["charts/".len()..];
                let (sub, inner) = match rest.split_once('/') {
                    Some((sub, inner)) => (sub, Some(inner.to_string())),
                    None => (rest, None),
                };
                subcharts
                    .entry(sub.to_string())
                    .or_default()
                    .push((inner, f.data));
            }
            _ => chart.files.push(f),
        }
    }
    let Some(mut metadata) = metadata else {
        return Err(LoadError::MissingChartYaml {
            chart: origin.to_path_buf(),
        });
    };
    meta::validate(&mut metadata).map_err(|message| LoadError::Validation {
        chart: origin.to_path_buf(),
        message,
    })?;
    chart.metadata = metadata;

    for (name, files) in subcharts {
        if name.starts_with(['_', '.']) {
            continue;
        }
        let sub_origin = origin.join("charts").join(&name);
        limits.depth += 1;
        let loaded = load_subchart(&sub_origin, &name, &chart.metadata.name, files, limits);
        limits.depth -= 1;
        let sub = loaded.map_err(|source| LoadError::Subchart {
            name: name.clone(),
            parent: chart.metadata.name.clone(),
            source: Box::new(source),
        })?;
        chart.dependencies.push(sub);
    }
    Ok(chart)
}

/// One entry of `charts/`: an archive (`*.tgz`) or a directory's files.
fn load_subchart(
    origin: &Path,
    name: &str,
    parent: &str,
    files: Vec<SubchartEntry>,
    limits: &mut Limits,
) -> Result<Chart> {
    if name.ends_with(".tgz") {
        return match files.into_iter().next() {
            Some((None, data)) => load_archive_in(origin, &data, limits),
            Some((Some(inner), _)) => Err(LoadError::Archive {
                archive: origin.to_path_buf(),
                message: format!(
                    "error unpacking subchart tar in {parent}: expected {name}, got {name}/{inner}"
                ),
            }),
            None => Err(LoadError::MissingChartYaml {
                chart: origin.to_path_buf(),
            }),
        };
    }
    let inner: Vec<ChartFile> = files
        .into_iter()
        .filter_map(|(inner, data)| inner.map(|name| ChartFile { name, data }))
        .collect();
    load_files_in(origin, inner, limits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn tempdir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "rstack-load-{tag}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// A gzipped tar of `(name, data)` entries, built with raw headers so that hostile
    /// names (absolute, `..`) can be written.
    pub(crate) fn tgz(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (name, data) in entries {
            let mut header = tar::Header::new_old();
            let bytes = name.as_bytes();
            header.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            header.set_cksum();
            builder.append(&header, *data).unwrap();
        }
        let tar = builder.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&tar).unwrap();
        gz.finish().unwrap()
    }

    const CHART: &str = "apiVersion: v2\nname: c\nversion: 0.1.0\n";

    /// A minimal `Chart.yaml` for a (sub)chart named `name`.
    fn chart_yaml(name: &str) -> String {
        format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n")
    }

    fn template_names(c: &Chart) -> Vec<&str> {
        c.templates.iter().map(|f| f.name.as_str()).collect()
    }

    #[test]
    fn template_paths_of_the_chart_and_its_subchart_directories() {
        for yes in [
            "templates/a.yaml",
            "templates/x/_h.tpl",
            "charts/sub/templates/s.yaml",
            "charts/a/charts/b/templates/t.yaml",
        ] {
            assert!(is_template_path(yes), "{yes}");
        }
        for no in [
            "values.yaml",
            "charts/sub/values.yaml",
            "charts/templates/x.yaml",
            "files/templates/x.yaml",
            "charts/sub.tgz",
        ] {
            assert!(!is_template_path(no), "{no}");
        }
    }

    #[test]
    fn observer_sees_every_file_with_the_bytes_the_chart_holds() {
        let d = tempdir("observe");
        write(&d, "Chart.yaml", CHART);
        write(&d, "templates/a.yaml", "a");
        write(&d, "charts/sub/Chart.yaml", &chart_yaml("sub"));
        write(&d, "charts/sub/templates/s.yaml", "s");
        let mut seen = Vec::new();
        let c = load_chart_observed(&d, &mut |path, data| {
            seen.push((path.to_string(), data.clone()))
        })
        .unwrap();
        let names: Vec<&str> = seen.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "Chart.yaml",
                "charts/sub/Chart.yaml",
                "charts/sub/templates/s.yaml",
                "templates/a.yaml"
            ]
        );
        // The very bytes: no copy between the observer and the chart.
        assert_eq!(seen[3].1.as_ptr(), c.templates[0].data.as_ptr());
        assert_eq!(
            seen[2].1.as_ptr(),
            c.dependencies[0].templates[0].data.as_ptr()
        );
    }

    #[test]
    fn large_files_other_than_templates_are_mapped() {
        let d = tempdir("mapped");
        write(&d, "Chart.yaml", CHART);
        let big = "x".repeat(MAP_MIN_SIZE as usize);
        write(&d, "crds/big.yaml", &format!("\u{feff}{big}"));
        write(&d, "templates/big.yaml", &big);
        write(&d, "small.txt", "s");
        let c = load_chart(&d).unwrap();
        let file = |name: &str| c.files.iter().find(|f| f.name == name).unwrap();
        let crd = &file("crds/big.yaml").data;
        assert!(matches!(crd, FileData::Mapped(..)), "{crd:?}");
        assert_eq!(&**crd, big.as_bytes(), "mapped without the byte order mark");
        assert!(matches!(file("small.txt").data, FileData::Shared(_)));
        // Templates are parsed: they stay in memory, shared with the parse trees.
        assert!(matches!(c.templates[0].data, FileData::Shared(_)));
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn loads_a_directory_in_lexical_order() {
        let d = tempdir("dir");
        write(&d, "Chart.yaml", CHART);
        write(&d, "values.yaml", "\u{feff}a: 1\n");
        write(&d, "templates/b.yaml", "b");
        write(&d, "templates/a/x.yaml", "x");
        write(&d, "templates/a.yaml", "a");
        write(&d, "templates/.hidden", "h");
        write(&d, "crds/crd.yaml", "c");
        write(&d, "files/z.txt", "z");
        write(&d, "charts/sub/Chart.yaml", &chart_yaml("sub"));
        write(&d, "charts/sub/templates/s.yaml", "s");
        write(&d, "charts/_skip/Chart.yaml", "bad: [");
        let c = load_dir(&d).unwrap();
        assert_eq!(c.metadata.name, "c");
        let names = template_names(&c);
        assert_eq!(
            names,
            ["templates/a/x.yaml", "templates/a.yaml", "templates/b.yaml"]
        );
        let files: Vec<_> = c.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(files, ["crds/crd.yaml", "files/z.txt"]);
        assert_eq!(c.values["a"], crate::chart::values::Value::Float(1.0));
        assert_eq!(c.dependencies.len(), 1);
        assert_eq!(c.dependencies[0].templates[0].name, "templates/s.yaml");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn follows_symlinks_and_names_the_path_of_what_it_cannot_read() {
        use std::os::unix::fs::symlink;
        let d = tempdir("links");
        write(&d, "Chart.yaml", CHART);
        write(&d, "shared/t.yaml", "t");
        write(&d, "templates/a.yaml", "a");
        symlink(d.join("shared"), d.join("templates/linked")).unwrap();
        symlink(d.join("shared/t.yaml"), d.join("templates/z.yaml")).unwrap();
        let c = load_dir(&d).unwrap();
        let names = template_names(&c);
        assert_eq!(
            names,
            [
                "templates/a.yaml",
                "templates/linked/t.yaml",
                "templates/z.yaml"
            ]
        );
        assert_eq!(&*c.templates[2].data, b"t");

        // A link to itself (the walk follows it until the depth limit).
        symlink(d.join("templates"), d.join("templates/loop")).unwrap();
        let err = load_dir(&d).unwrap_err().to_string();
        assert!(err.contains("templates/loop/loop/loop"), "{err}");
        assert!(err.contains("a symlink loop?"), "{err}");
        fs::remove_file(d.join("templates/loop")).unwrap();

        // A dangling link: the error names it.
        symlink(d.join("nowhere"), d.join("templates/gone.yaml")).unwrap();
        let err = load_dir(&d).unwrap_err().to_string();
        assert!(err.contains("templates/gone.yaml"), "{err}");
        fs::remove_file(d.join("templates/gone.yaml")).unwrap();

        // Not a regular file.
        let fifo = std::ffi::CString::new(
            d.join("templates/pipe")
                .into_os_string()
                .into_encoded_bytes(),
        )
        .unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        let err = load_dir(&d).unwrap_err().to_string();
        assert!(err.contains("templates/pipe"), "{err}");
        fs::remove_dir_all(&d).unwrap();

        let err = load_dir(&d).unwrap_err().to_string();
        assert!(err.contains(&d.display().to_string()), "{err}");
    }

    #[test]
    fn helmignore_applies_to_directories_only() {
        let d = tempdir("ignore");
        write(&d, "Chart.yaml", CHART);
        write(&d, ".helmignore", "*.bak\ntests/\n");
        write(&d, "templates/a.yaml.bak", "x");
        write(&d, "templates/tests/t.yaml", "x");
        write(&d, "templates/ok.yaml", "x");
        let c = load_dir(&d).unwrap();
        let names = template_names(&c);
        assert_eq!(names, ["templates/ok.yaml"]);
        assert_eq!(c.files[0].name, ".helmignore");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn negated_helmignore_hides_chart_yaml() {
        let d = tempdir("negate");
        write(&d, "Chart.yaml", CHART);
        write(&d, ".helmignore", "!templates/\n");
        let err = load_dir(&d).unwrap_err();
        assert_eq!(err.to_string(), "Chart.yaml file is missing");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn loads_an_archive_without_helmignore() {
        let data = tgz(&[
            ("c/Chart.yaml", CHART.as_bytes()),
            ("c/.helmignore", b"*.yaml\n"),
            ("c/templates/a.yaml", b"a"),
            ("c/charts/sub/Chart.yaml", b"name: sub\nversion: 1.0.0\n"),
        ]);
        let c = load_archive(Path::new("c-0.1.0.tgz"), &data).unwrap();
        assert_eq!(c.templates.len(), 1);
        assert_eq!(c.dependencies[0].metadata.api_version, "v1");
    }

    #[test]
    fn subchart_archives_load_recursively() {
        let sub = tgz(&[
            (
                "sub/Chart.yaml",
                b"apiVersion: v2\nname: sub\nversion: 1.0.0\n",
            ),
            ("sub/templates/s.yaml", b"s"),
        ]);
        let d = tempdir("tgzsub");
        write(&d, "Chart.yaml", CHART);
        fs::create_dir_all(d.join("charts")).unwrap();
        fs::write(d.join("charts/sub-1.0.0.tgz"), &sub).unwrap();
        let c = load_chart(&d).unwrap();
        assert_eq!(c.dependencies[0].metadata.name, "sub");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn hostile_archives_are_rejected_with_names() {
        let cases: &[(&str, &str)] = &[
            ("c/../../etc/passwd", "parent directory"),
            ("c//etc/passwd", "absolute paths"),
            ("Chart.yaml", "not in base directory"),
            ("c", "outside the base directory"),
        ];
        for (entry, want) in cases {
            let data = tgz(&[("c/Chart.yaml", CHART.as_bytes()), (entry, b"x")]);
            let err = load_archive(Path::new("bad.tgz"), &data)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("bad.tgz") && err.contains(want),
                "{entry}: {err}"
            );
            assert!(err.contains(entry), "{err}");
        }
        let err = load_archive(Path::new("x.tgz"), b"plain text").unwrap_err();
        assert!(err.to_string().contains("x.tgz"));
    }

    #[test]
    fn links_and_big_files_are_rejected() {
        let mut builder = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_size(0);
        builder
            .append_link(&mut h, "c/templates/l.yaml", "/etc/passwd")
            .unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&builder.into_inner().unwrap()).unwrap();
        let err = load_archive(Path::new("l.tgz"), &gz.finish().unwrap())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("links") && err.contains("c/templates/l.yaml"),
            "{err}"
        );

        let big = vec![b'a'; MAX_FILE_SIZE as usize + 1];
        let data = tgz(&[("c/Chart.yaml", CHART.as_bytes()), ("c/big.txt", &big)]);
        let err = load_archive(Path::new("b.tgz"), &data)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("maximum file size") && err.contains("c/big.txt"),
            "{err}"
        );
    }

    #[test]
    fn nested_archives_share_one_budget_and_depth_limit() {
        // Each level is an archive holding the next one: the depth limit stops it.
        let mut inner = tgz(&[("c/Chart.yaml", CHART.as_bytes())]);
        for _ in 0..(MAX_CHART_DEPTH + 2) {
            inner = tgz(&[
                ("c/Chart.yaml", CHART.as_bytes()),
                ("c/charts/c.tgz", &inner),
            ]);
        }
        let err = load_archive(Path::new("deep.tgz"), &inner).unwrap_err();
        let mut source: &dyn std::error::Error = &err;
        while let Some(next) = source.source() {
            source = next;
        }
        assert!(source.to_string().contains("nested deeper"), "{source}");

        // The entry budget counts every archive of the chart.
        let sub = tgz(&[("s/Chart.yaml", b"name: s\nversion: 1.0.0\n")]);
        let names: Vec<String> = (0..MAX_ARCHIVE_FILES)
            .map(|i| format!("c/charts/s{i}.tgz"))
            .collect();
        let mut entries: Vec<(&str, &[u8])> = vec![("c/Chart.yaml", CHART.as_bytes())];
        entries.extend(names.iter().map(|n| (n.as_str(), sub.as_slice())));
        let err = load_archive(Path::new("many.tgz"), &tgz(&entries)).unwrap_err();
        assert!(err.to_string().contains("more than 10000 files"), "{err}");
    }

    #[test]
    fn bad_yaml_errors_name_file_and_line() {
        let d = tempdir("badyaml");
        write(&d, "Chart.yaml", CHART);
        write(&d, "values.yaml", "a: 1\nb: [\n");
        let err = load_dir(&d).unwrap_err().to_string();
        assert!(err.contains("values.yaml:"), "{err}");
        write(&d, "values.yaml", "");
        write(&d, "Chart.yaml", "name: c\nversion: 1.0.0\nsources: 3\n");
        let err = load_dir(&d).unwrap_err().to_string();
        assert!(err.contains("Chart.yaml:3:"), "{err}");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn v1_requirements_become_dependencies_and_files() {
        let d = tempdir("v1");
        write(
            &d,
            "Chart.yaml",
            "apiVersion: v1\nname: c\nversion: 0.1.0\n",
        );
        write(
            &d,
            "requirements.yaml",
            "dependencies:\n- name: sub\n  version: 1.0.0\n",
        );
        let c = load_dir(&d).unwrap();
        assert_eq!(c.metadata.dependencies[0].name, "sub");
        assert_eq!(c.files[0].name, "requirements.yaml");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn subchart_errors_name_the_parent() {
        let d = tempdir("subbad");
        write(&d, "Chart.yaml", CHART);
        write(&d, "charts/README.md", "x");
        let err = load_dir(&d).unwrap_err().to_string();
        assert_eq!(
            err,
            "error unpacking subchart README.md in c: Chart.yaml file is missing"
        );
        fs::remove_dir_all(&d).unwrap();
    }
}
