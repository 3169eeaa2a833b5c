//! From rendered templates to `helm template`'s stdout (HELM-SEMANTICS.md §2.6, §2.7).
//!
//! Input: the engine's `template name → rendered text` map and the chart's CRD files.
//! Output: the exact bytes helm 4 prints. Mirrors helm `pkg/release/v1/util`
//! (`SplitManifests`, `SortManifests`, the kind sorter) and `cmd/helm/template.go`
//! (hooks after manifests, `--show-only`). Knows nothing of values or templates.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::chart::ignore::go_match;
use crate::chart::model::{Chart, FileData};
use crate::yaml::{self, Node, NodeKind, Resolved, ScalarStyle};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OutputError {
    /// A rendered document that is not a YAML mapping (helm's wording).
    #[error("YAML parse error on {template}: {message}")]
    YamlParse { template: String, message: String },
    /// `--show-only` matched nothing.
    #[error("could not find template {pattern} in chart")]
    ShowOnlyNotFound { pattern: String },
}

/// The output flags of `helm template`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutputOptions {
    pub include_crds: bool,
    pub show_only: Vec<String>,
    pub skip_tests: bool,
    pub no_hooks: bool,
    /// `--output-dir`: files under this directory instead of stdout ([`output_files`]),
    /// kept as given (helm prints paths built from it unchanged).
    pub output_dir: Option<String>,
    /// `--release-name`: with `--output-dir`, templates go under `DIR/<release>/`.
    pub release_name_dir: bool,
}

/// Where a document written by `--output-dir` came from: helm writes CRDs, manifests
/// and hooks at three different points, with different rules (see `output_dir`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Crd,
    Manifest,
    Hook,
}

/// One document for `--output-dir`: its source path (`c/templates/x.yaml`) and text.
#[derive(Debug)]
pub struct FileDoc<'a> {
    pub kind: FileKind,
    pub source: &'a str,
    pub content: &'a [u8],
}

/// The documents `helm template` prints ([`output`]) or `--output-dir` writes, in helm's
/// order: CRDs (with `--include-crds`),
/// manifests in install order, then hooks (unless `--no-hooks`; test hooks unless
/// `--skip-tests`).
pub fn output_files<'a>(
    rendered: &'a BTreeMap<String, String>,
    crds: &'a [CrdFile],
    opts: &OutputOptions,
) -> Result<Vec<FileDoc<'a>>, OutputError> {
    let sorted = sort_manifests(rendered)?;
    let mut files = Vec::new();
    if opts.include_crds {
        files.extend(crds.iter().map(|crd| FileDoc {
            kind: FileKind::Crd,
            source: &crd.source,
            content: &crd.data,
        }));
    }
    let doc = |kind, doc: &Doc<'a>| FileDoc {
        kind,
        source: doc.template,
        content: doc.content.as_bytes(),
    };
    files.extend(sorted.manifests.iter().map(|d| doc(FileKind::Manifest, d)));
    if !opts.no_hooks {
        for (d, is_test) in &sorted.hooks {
            if !(opts.skip_tests && *is_test) {
                files.push(doc(FileKind::Hook, d));
            }
        }
    }
    Ok(files)
}

/// A file of a chart's `crds/` directory, printed verbatim (never templated).
#[derive(Clone, Debug, PartialEq)]
pub struct CrdFile {
    /// `<chart full path>/crds/<file>`, as in its `# Source:` line.
    pub source: String,
    pub data: FileData,
}

/// Helm v4's install order (`kind_sorter.go`); kinds not listed sort after these,
/// alphabetically.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// Hook event names Helm knows (`helm.sh/hook` values, lower-cased and trimmed).
const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    // Helm 2's name for `test`, still accepted.
    "test-success",
];

/// The annotation that makes a document a hook.
const HOOK_ANNOTATION: &str = "helm.sh/hook";

/// Every CRD file of a chart and its (already enabled) subcharts, parent first: files under
/// `crds/` ending in `.yaml`, `.yml` or `.json` (any case), in load order.
pub fn crd_files(chart: &Chart) -> Vec<CrdFile> {
    let mut out = Vec::new();
    collect_crds(chart, &chart.metadata.name, &mut out);
    out
}

fn collect_crds(chart: &Chart, full_path: &str, out: &mut Vec<CrdFile>) {
    for f in &chart.files {
        let ext = f.name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let base_has_ext = f.name.rsplit('/').next().is_some_and(|b| b.contains('.'));
        if f.name.starts_with("crds/")
            && base_has_ext
            && matches!(ext.as_deref(), Some("yaml" | "yml" | "json"))
        {
            out.push(CrdFile {
                source: format!("{full_path}/{}", f.name),
                data: f.data.clone(),
            });
        }
    }
    for dep in &chart.dependencies {
        collect_crds(
            dep,
            &format!("{full_path}/charts/{}", dep.metadata.name),
            out,
        );
    }
}

/// Helm's `SplitManifests`: trim, split on `(?:^|\s*\n)---\s*`, drop empty pieces, trim
/// each piece. `\s` is Go's RE2 class `[\t\n\f\r ]` (no vertical tab).
///
/// The pattern is matched by hand (a test compares it with the regex on generated
/// texts): compiling it cost every process more than splitting all its output.
pub fn split_manifests(text: &str) -> Vec<&str> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    // Where the current piece starts: the end of the last separator.
    let mut piece = 0;
    for dashes in crate::scan::Finder::new(b"---").find_iter(bytes) {
        if dashes < piece {
            continue; // inside the last separator's dashes
        }
        // `^---`, or `---` right after a line break the last separator did not take.
        let separator = dashes == 0 || (dashes > piece && bytes[dashes - 1] == b'\n');
        if !separator {
            continue;
        }
        // The separator starts where the blank run before the dashes does.
        let mut start = dashes;
        while start > piece && is_go_space(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = dashes + 3;
        while end < bytes.len() && is_go_space(bytes[end]) {
            end += 1;
        }
        pieces.push(&text[piece..start]);
        piece = end;
    }
    pieces.push(&text[piece..]);
    pieces
        .into_iter()
        .filter(|d| !d.is_empty())
        .map(str::trim)
        .collect()
}

/// Go's RE2 `\s`.
fn is_go_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// The fields of a document Helm reads before sorting (`SimpleHead`).
#[derive(Clone, Debug, Default, PartialEq)]
struct Head {
    kind: String,
    annotations: BTreeMap<String, String>,
}

/// One document of the output, with the template it came from.
#[derive(Clone, Debug, PartialEq)]
struct Doc<'a> {
    template: &'a str,
    content: &'a str,
    head: Head,
}

/// Regular manifests and hooks, each kind-sorted, as `SortManifests` returns them.
#[derive(Debug, Default)]
struct Sorted<'a> {
    manifests: Vec<Doc<'a>>,
    hooks: Vec<(Doc<'a>, bool)>,
}

/// Formats rendered templates as `helm template` prints them, as one string (the tests'
/// view of [`output`]).
#[cfg(test)]
fn format_output(
    rendered: &BTreeMap<String, String>,
    crds: &[CrdFile],
    opts: &OutputOptions,
) -> Result<String, OutputError> {
    Ok(output(rendered, crds, opts)?.into_string())
}

/// `helm template`'s stdout, as the pieces of rendered text and chart files it is made
/// of: written with vectored writes rather than copied into one buffer first (the CRDs
/// of `--include-crds` are megabytes, read straight from the chart's mapped files).
pub struct Output<'a> {
    parts: Vec<&'a [u8]>,
    /// The whole text instead, when it had to be built (`--show-only`).
    text: Option<String>,
}

/// `helm template`'s output of `rendered` and the chart's `crds`.
pub fn output<'a>(
    rendered: &'a BTreeMap<String, String>,
    crds: &'a [CrdFile],
    opts: &OutputOptions,
) -> Result<Output<'a>, OutputError> {
    let files = output_files(rendered, crds, opts)?;
    let hooks_from = files
        .iter()
        .position(|f| f.kind == FileKind::Hook)
        .unwrap_or(files.len());
    let (documents, hooks) = files.split_at(hooks_from);
    let mut parts: Vec<&'a [u8]> = Vec::with_capacity(5 * files.len() + 1);
    let push = |parts: &mut Vec<&'a [u8]>, file: &FileDoc<'a>| {
        parts.extend_from_slice(&[
            b"---\n# Source: ",
            file.source.as_bytes(),
            b"\n",
            file.content,
            b"\n",
        ]);
    };
    documents.iter().for_each(|f| push(&mut parts, f));
    // Helm trims the CRDs-and-manifests part, then ends it with one newline.
    trim_end(&mut parts);
    parts.push(b"\n");
    hooks.iter().for_each(|f| push(&mut parts, f));
    let output = Output { parts, text: None };
    if opts.show_only.is_empty() {
        return Ok(output);
    }
    Ok(Output {
        parts: Vec::new(),
        text: Some(show_only(&output.into_string(), &opts.show_only)?),
    })
}

/// Removes trailing whitespace (Unicode's, as `str::trim_end`) from the pieces' end.
fn trim_end(parts: &mut Vec<&[u8]>) {
    while let Some(last) = parts.last_mut() {
        let mut kept = last.len();
        // Steps back one character at a time; an invalid UTF-8 byte (a chart file that is
        // not text) reads as U+FFFD, not whitespace, and stops the trim.
        'chars: while kept > 0 {
            for width in 1..=4.min(kept) {
                if let Ok(tail) = std::str::from_utf8(&last[kept - width..kept]) {
                    if tail.chars().next().is_some_and(char::is_whitespace) {
                        kept -= width;
                        continue 'chars;
                    }
                    break 'chars;
                }
            }
            break;
        }
        if kept > 0 {
            *last = &last[..kept];
            return;
        }
        parts.pop();
    }
}

impl Output<'_> {
    /// Output that is one given text.
    pub fn text(text: String) -> Output<'static> {
        Output {
            parts: Vec::new(),
            text: Some(text),
        }
    }

    /// The text, as one string (a chart file that is not UTF-8 has its invalid bytes
    /// replaced; [`Output::write_to`] writes them as they are, as helm does).
    pub fn into_string(self) -> String {
        if let Some(text) = self.text {
            return text;
        }
        let mut out = String::with_capacity(self.parts.iter().map(|p| p.len()).sum());
        for part in self.parts {
            out.push_str(&String::from_utf8_lossy(part));
        }
        out
    }

    /// Writes the text to `out`, the pieces gathered into few system calls.
    pub fn write_to(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        use std::io::IoSlice;
        if let Some(text) = &self.text {
            return out.write_all(text.as_bytes());
        }
        // Linux takes at most 1024 pieces per call (`IOV_MAX`).
        for batch in self.parts.chunks(1024) {
            let mut slices: Vec<IoSlice<'_>> = batch
                .iter()
                .filter(|p| !p.is_empty())
                .map(|p| IoSlice::new(p))
                .collect();
            let mut rest = &mut slices[..];
            while !rest.is_empty() {
                match out.write_vectored(rest) {
                    Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
                    Ok(n) => IoSlice::advance_slices(&mut rest, n),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(())
    }
}

/// `--show-only`: re-split the whole output and keep the documents whose
/// `# Source: <chart>/<path>` path matches one of the globs (in glob order).
pub fn show_only(out: &str, patterns: &[String]) -> Result<String, OutputError> {
    static SOURCE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"# Source: [^/]+/(.+)").expect("valid source regex"));
    let docs = split_manifests(out);
    let mut selected = Vec::new();
    for pattern in patterns {
        let pattern = pattern.replace('\\', "/");
        let mut found = false;
        for doc in &docs {
            let Some(path) = SOURCE.captures(doc).and_then(|c| c.get(1)) else {
                continue;
            };
            if go_match(&pattern, path.as_str()).unwrap_or(false) {
                selected.push(*doc);
                found = true;
            }
        }
        if !found {
            return Err(OutputError::ShowOnlyNotFound { pattern });
        }
    }
    Ok(selected.iter().map(|d| format!("---\n{d}\n")).collect())
}

/// Helm's `SortManifests`: files in name order, partials and blank files skipped, each file
/// split into documents whose heads decide hook or manifest; both lists kind-sorted.
fn sort_manifests(rendered: &BTreeMap<String, String>) -> Result<Sorted<'_>, OutputError> {
    let mut docs: Vec<(&String, &str)> = Vec::new();
    for (name, content) in rendered {
        let base = name.rsplit('/').next().unwrap_or(name);
        if name.ends_with("NOTES.txt") || base.starts_with('_') || content.trim().is_empty() {
            continue;
        }
        docs.extend(split_manifests(content).into_iter().map(|doc| (name, doc)));
    }
    let heads = parse_heads(&docs);
    let mut sorted = Sorted::default();
    for ((name, doc), head) in docs.into_iter().zip(heads) {
        let head = head.map_err(|message| OutputError::YamlParse {
            template: name.clone(),
            message,
        })?;
        let doc = Doc {
            template: name,
            content: doc,
            head,
        };
        let Some(hook) = doc.head.annotations.get(HOOK_ANNOTATION) else {
            sorted.manifests.push(doc);
            continue;
        };
        let events: Vec<String> = hook
            .split(',')
            .map(|e| e.trim().to_ascii_lowercase())
            .collect();
        // A document naming an unknown hook is dropped entirely (helm logs it).
        if events.iter().any(|e| !HOOK_EVENTS.contains(&e.as_str())) {
            continue;
        }
        let is_test = events.iter().any(|e| e == "test" || e == "test-success");
        sorted.hooks.push((doc, is_test));
    }
    sorted
        .manifests
        .sort_by(|a, b| kind_cmp(&a.head.kind, &b.head.kind));
    sorted
        .hooks
        .sort_by(|a, b| kind_cmp(&a.0.head.kind, &b.0.head.kind));
    Ok(sorted)
}

/// Every document's head, in order. Decoding is a full YAML parse of each document (as
/// Helm's is), the largest part of output for big charts, so a large output's documents
/// are decoded on every core.
fn parse_heads(docs: &[(&String, &str)]) -> Vec<Result<Head, String>> {
    /// Below this many bytes a second thread costs more than it saves (measured with
    /// threads placed on a free CPU; see `SPECULATE_MIN_BYTES` in the engine).
    const PARALLEL_MIN_BYTES: usize = 64 << 10;
    let total: usize = docs.iter().map(|(_, d)| d.len()).sum();
    if total < PARALLEL_MIN_BYTES {
        return docs.iter().map(|(_, d)| parse_head(d)).collect();
    }
    crate::parallel::map(docs, |(_, d)| parse_head(d))
}

/// Helm's `lessByKind` as an ordering (used with a stable sort): known kinds by install
/// order, then unknown kinds alphabetically.
fn kind_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let rank = |k: &str| INSTALL_ORDER.iter().position(|o| *o == k);
    match (rank(a), rank(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// Decodes a document's head the way `yaml.Unmarshal(doc, &SimpleHead{})` does; the error
/// text follows sigs.k8s.io/yaml and encoding/json.
fn parse_head(doc: &str) -> Result<Head, String> {
    // libyaml refuses a document end marker before any content, which our parser accepts
    // as an empty stream; go-yaml reports the marker's 0-based line.
    let first_content = doc.lines().enumerate().find(|(_, l)| {
        let t = l.trim_start();
        !t.is_empty() && !t.starts_with('#')
    });
    if let Some((index, line)) = first_content
        && (line == "..." || line.starts_with("... ") || line.starts_with("...\t"))
    {
        // A parser error at this (1-based) line.
        let e = yaml::YamlError {
            pos: yaml::Pos {
                line: index as u32 + 1,
                col: 1,
            },
            message: "while parsing a document, did not find expected node content".into(),
        };
        return Err(format!(
            "error converting YAML to JSON: {}",
            yaml::go_yaml_message(doc, &e)
        ));
    }
    // The head is the root mapping's `kind`, `apiVersion` and `metadata.name` and
    // `.annotations` entries: three collections deep.
    let docs = match yaml::read_documents(doc, yaml::ShallowNodes(3)) {
        Some(docs) => docs,
        None => yaml::parse_documents(doc).map_err(|e| {
            format!(
                "error converting YAML to JSON: {}",
                yaml::go_yaml_message(doc, &e)
            )
        })?,
    };
    let Some(root) = docs.into_iter().next() else {
        return Ok(Head::default());
    };
    // Helm converts the whole document to JSON before reading its head.
    crate::chart::values::check_json_form(&root).map_err(|e| e.json_conversion_message())?;
    if root.is_null() {
        return Ok(Head::default());
    }
    let entries = match &root.kind {
        NodeKind::Map(entries) => entries,
        _ => {
            return Err(format!(
                "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type util.SimpleHead",
                json_type(&root)
            ));
        }
    };
    let mut head = Head::default();
    for (key, value) in entries {
        match key.as_scalar().map(|s| s.text.as_str()) {
            Some("kind") => head.kind = head_string(value, "SimpleHead.kind")?,
            Some("apiVersion") => {
                head_string(value, "SimpleHead.apiVersion")?;
            }
            Some("metadata") => {
                if value.is_null() {
                    continue;
                }
                let Some(meta) = value.as_map() else {
                    return Err(field_type_error(
                        value,
                        "SimpleHead.metadata",
                        "struct { Name string \"json:\\\"name\\\"\"; Annotations map[string]string \"json:\\\"annotations\\\"\" }",
                    ));
                };
                for (k, v) in meta {
                    match k.as_scalar().map(|s| s.text.as_str()) {
                        Some("name") => {
                            head_string(v, ".metadata.name")?;
                        }
                        Some("annotations") if !v.is_null() => {
                            let Some(annotations) = v.as_map() else {
                                return Err(field_type_error(
                                    v,
                                    ".metadata.annotations",
                                    "map[string]string",
                                ));
                            };
                            for (ak, av) in annotations {
                                let key = crate::chart::values::key_text(ak);
                                let value = head_string(av, ".metadata.annotations")?;
                                head.annotations.insert(key, value);
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Ok(head)
}

/// The JSON type name encoding/json reports for a node.
fn json_type(node: &Node) -> &'static str {
    match &node.kind {
        NodeKind::Map(_) => "object",
        NodeKind::Seq(_) => "array",
        NodeKind::Scalar(s) if s.style != ScalarStyle::Plain || s.tag.is_some() => "string",
        NodeKind::Scalar(s) => match yaml::resolve_plain(&s.text) {
            Resolved::Bool(_) => "bool",
            Resolved::Int(_) | Resolved::Float(_) => "number",
            Resolved::Null => "null",
            Resolved::Str => "string",
        },
    }
}

fn field_type_error(node: &Node, field: &str, go_type: &str) -> String {
    format!(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go struct field {field} of type {go_type}",
        json_type(node)
    )
}

/// A string field of the head: scalars become their text (sigs.k8s.io/yaml formats numbers
/// and bools for string targets), null the empty string, collections an error.
fn head_string(node: &Node, field: &str) -> Result<String, String> {
    match &node.kind {
        NodeKind::Scalar(_) if node.is_null() => Ok(String::new()),
        NodeKind::Scalar(s) => Ok(s.text.clone()),
        _ => Err(field_type_error(node, field, "string")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_trim_as_the_joined_text_does() {
        let texts: [&[u8]; 9] = [
            b"a \n",
            b"\n\n",
            b"",
            b" \t",
            "x\u{3000}\u{a0}".as_bytes(),
            b"y\xff\n",
            b"\xe3\x80",
            "\u{2028}".as_bytes(),
            b"z",
        ];
        // Every sequence of up to three of the texts, split into pieces as they come.
        for a in texts {
            for b in texts {
                for c in texts {
                    let mut parts = vec![a, b, c];
                    let joined: String = parts.iter().map(|p| String::from_utf8_lossy(p)).collect();
                    trim_end(&mut parts);
                    let trimmed: String =
                        parts.iter().map(|p| String::from_utf8_lossy(p)).collect();
                    assert_eq!(trimmed, joined.trim_end(), "{a:?} {b:?} {c:?}");
                }
            }
        }
    }

    #[test]
    fn output_written_in_pieces_is_the_output_string() {
        let rendered: BTreeMap<String, String> = [
            (
                "c/templates/a.yaml",
                "kind: ConfigMap\nmetadata:\n  name: a\n",
            ),
            ("c/templates/empty.yaml", ""),
            (
                "c/templates/b.yaml",
                "kind: Service\nmetadata:\n  name: b\n\n\n",
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let crds = vec![CrdFile {
            source: "c/crds/x.yaml".into(),
            data: b"kind: CustomResourceDefinition\n".to_vec().into(),
        }];
        let opts = OutputOptions {
            include_crds: true,
            ..OutputOptions::default()
        };
        let text = format_output(&rendered, &crds, &opts).unwrap();
        let mut written = Vec::new();
        output(&rendered, &crds, &opts)
            .unwrap()
            .write_to(&mut written)
            .unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), text);
        assert!(text.starts_with("---\n# Source: c/crds/x.yaml\n"), "{text}");
    }

    fn render(files: &[(&str, &str)], opts: &OutputOptions) -> Result<String, OutputError> {
        let map = files
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        format_output(&map, &[], opts)
    }

    /// A head read from the top of a document only (deeper content is checked, not
    /// built) is the head read from the whole tree.
    #[test]
    fn heads_read_shallowly_are_those_of_the_tree() {
        let deep = "spec:\n  a:\n    b:\n      c: [x, y]\n      d: |\n        text\n";
        let head = parse_head(&format!(
            "kind: ConfigMap\nmetadata:\n  annotations:\n    a: one\n    b:\n      two\n{deep}"
        ))
        .unwrap();
        assert_eq!(head.annotations["b"], "two");
        let nested = parse_head(&format!(
            "kind: Job\nmetadata:\n  annotations:\n    a:\n      nested: map\n{deep}"
        ));
        assert!(nested.unwrap_err().contains(
            "cannot unmarshal object into Go struct field .metadata.annotations of type string"
        ));
        let listed = parse_head(&format!(
            "kind: Job\nmetadata:\n  annotations:\n    a:\n    - item\n{deep}"
        ));
        assert!(
            listed
                .unwrap_err()
                .contains("cannot unmarshal array into Go struct field")
        );
        let listed_root = parse_head("- a\n- b:\n    c:\n      d: 1\n");
        assert!(
            listed_root
                .unwrap_err()
                .contains("cannot unmarshal array into Go value")
        );
    }

    #[test]
    fn split_follows_helms_regex() {
        assert_eq!(split_manifests("a: 1\n---\nb: 2\n"), ["a: 1", "b: 2"]);
        assert_eq!(split_manifests("---\na: 1"), ["a: 1"]);
        assert_eq!(
            split_manifests("a: 1\n--- # c\nb: 2"),
            ["a: 1", "# c\nb: 2"]
        );
        assert_eq!(
            split_manifests("a: 1\n---\n---\nb: 2"),
            ["a: 1", "---\nb: 2"]
        );
        assert_eq!(
            split_manifests("a: |\n  x\n  ---\n  y"),
            ["a: |\n  x\n  ---\n  y"]
        );
        assert_eq!(split_manifests("a: 1\r\n---\r\nb: 2"), ["a: 1", "b: 2"]);
        assert_eq!(split_manifests("a: 1\n----\nb"), ["a: 1", "-\nb"]);
        assert!(split_manifests("  \n\n").is_empty());
    }

    /// The hand-made splitter splits as Helm's pattern does, on every text up to seven
    /// characters over the characters that matter.
    #[test]
    fn split_matches_the_pattern() {
        let pattern = regex::Regex::new(r"(?:^|[\t\n\x0C\r ]*\n)---[\t\n\x0C\r ]*").unwrap();
        let by_pattern = |text: &str| -> Vec<String> {
            pattern
                .split(text.trim())
                .filter(|d| !d.is_empty())
                .map(|d| d.trim().to_string())
                .collect()
        };
        let mut texts = vec![String::new()];
        let mut frontier = texts.clone();
        for _ in 0..7 {
            frontier = frontier
                .iter()
                .flat_map(|t| ['-', '\n', ' ', 'a', '\r'].map(|c| format!("{t}{c}")))
                .collect();
            texts.extend(frontier.iter().cloned());
        }
        for text in &texts {
            assert_eq!(split_manifests(text), by_pattern(text), "{text:?}");
        }
    }

    #[test]
    fn manifests_are_kind_sorted_with_source_headers() {
        let out = render(
            &[
                (
                    "c/templates/a.yaml",
                    "kind: Deployment\nmetadata:\n  name: d\n",
                ),
                (
                    "c/templates/b.yaml",
                    "kind: Zeta\n---\nkind: Service\n---\n# only a comment\n---\nkind: Alpha\n",
                ),
                ("c/charts/s/templates/ns.yaml", "kind: Namespace\n"),
                ("c/templates/_helpers.tpl", "kind: Secret\n"),
                ("c/templates/NOTES.txt", "notes"),
                ("c/templates/empty.yaml", "  \n"),
            ],
            &OutputOptions::default(),
        )
        .unwrap();
        assert_eq!(
            out,
            "---\n# Source: c/charts/s/templates/ns.yaml\nkind: Namespace\n\
             ---\n# Source: c/templates/b.yaml\nkind: Service\n\
             ---\n# Source: c/templates/a.yaml\nkind: Deployment\nmetadata:\n  name: d\n\
             ---\n# Source: c/templates/b.yaml\n# only a comment\n\
             ---\n# Source: c/templates/b.yaml\nkind: Alpha\n\
             ---\n# Source: c/templates/b.yaml\nkind: Zeta\n"
        );
    }

    #[test]
    fn empty_output_is_one_newline() {
        assert_eq!(render(&[], &OutputOptions::default()).unwrap(), "\n");
    }

    const HOOKS: &[(&str, &str)] = &[
        (
            "c/templates/job.yaml",
            "kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install\n",
        ),
        (
            "c/templates/test.yaml",
            "kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: test\n",
        ),
        (
            "c/templates/bad.yaml",
            "kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: nope\n",
        ),
        ("c/templates/cm.yaml", "kind: ConfigMap\n"),
        ("c/templates/sa.yaml", "kind: ServiceAccount\n"),
    ];

    #[test]
    fn hooks_follow_manifests_and_unknown_hooks_vanish() {
        let out = render(HOOKS, &OutputOptions::default()).unwrap();
        let sources: Vec<&str> = out.lines().filter(|l| l.starts_with("# Source")).collect();
        assert_eq!(
            sources,
            [
                "# Source: c/templates/sa.yaml",
                "# Source: c/templates/cm.yaml",
                "# Source: c/templates/test.yaml",
                "# Source: c/templates/job.yaml",
            ]
        );
        let skip = OutputOptions {
            skip_tests: true,
            ..Default::default()
        };
        assert!(!render(HOOKS, &skip).unwrap().contains("test.yaml"));
        let none = OutputOptions {
            no_hooks: true,
            ..Default::default()
        };
        let out = render(HOOKS, &none).unwrap();
        assert!(!out.contains("job.yaml") && !out.contains("test.yaml"));
    }

    #[test]
    fn show_only_selects_and_errors() {
        let opts = OutputOptions {
            show_only: vec!["templates/cm.yaml".into(), "templates/j*".into()],
            ..Default::default()
        };
        assert_eq!(
            render(HOOKS, &opts).unwrap(),
            "---\n# Source: c/templates/cm.yaml\nkind: ConfigMap\n---\n# Source: c/templates/job.yaml\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install\n"
        );
        let opts = OutputOptions {
            show_only: vec!["templates/none.yaml".into()],
            ..Default::default()
        };
        assert_eq!(
            render(HOOKS, &opts).unwrap_err().to_string(),
            "could not find template templates/none.yaml in chart"
        );
    }

    #[test]
    fn crds_come_first_verbatim() {
        let map = BTreeMap::from([(
            "c/templates/cm.yaml".to_string(),
            "kind: ConfigMap".to_string(),
        )]);
        let crds = [CrdFile {
            source: "c/crds/crd.yaml".into(),
            data: b"kind: CustomResourceDefinition\n"[..].into(),
        }];
        let opts = OutputOptions {
            include_crds: true,
            ..Default::default()
        };
        assert_eq!(
            format_output(&map, &crds, &opts).unwrap(),
            "---\n# Source: c/crds/crd.yaml\nkind: CustomResourceDefinition\n\n---\n# Source: c/templates/cm.yaml\nkind: ConfigMap\n"
        );
        assert!(
            !format_output(&map, &crds, &OutputOptions::default())
                .unwrap()
                .contains("crd.yaml")
        );
    }

    #[test]
    fn crd_files_are_collected_parent_first_by_extension() {
        use crate::chart::model::{ChartFile, Metadata};
        let file = |name: &str| ChartFile {
            name: name.into(),
            data: b"x"[..].into(),
        };
        let chart = |name: &str, files: Vec<ChartFile>, deps: Vec<Chart>| Chart {
            metadata: Metadata {
                name: name.into(),
                ..Default::default()
            },
            files,
            dependencies: deps,
            ..Default::default()
        };
        let sub = chart("sub", vec![file("crds/s.YML")], vec![]);
        let root = chart(
            "c",
            vec![
                file("crds/a.yaml"),
                file("crds/notes.txt"),
                file("crds/x.d/noext"),
                file("crds/b.json"),
                file("files/c.yaml"),
            ],
            vec![sub],
        );
        let sources: Vec<String> = crd_files(&root).into_iter().map(|c| c.source).collect();
        assert_eq!(
            sources,
            ["c/crds/a.yaml", "c/crds/b.json", "c/charts/sub/crds/s.YML"]
        );
    }

    #[test]
    fn show_only_sees_crds_and_test_success_is_a_test_hook() {
        let map = BTreeMap::from([(
            "c/templates/t.yaml".to_string(),
            "kind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: test-success\n".to_string(),
        )]);
        let crds = [CrdFile {
            source: "c/crds/crd.yaml".into(),
            data: b"kind: CustomResourceDefinition\n"[..].into(),
        }];
        let opts = OutputOptions {
            include_crds: true,
            show_only: vec!["crds/*".into()],
            ..Default::default()
        };
        assert_eq!(
            format_output(&map, &crds, &opts).unwrap(),
            "---\n# Source: c/crds/crd.yaml\nkind: CustomResourceDefinition\n"
        );
        let opts = OutputOptions {
            skip_tests: true,
            ..Default::default()
        };
        assert_eq!(format_output(&map, &crds, &opts).unwrap(), "\n");
    }

    #[test]
    fn non_mapping_documents_are_errors() {
        let err = render(
            &[("c/templates/a.yaml", "- a\n- b\n")],
            &OutputOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "YAML parse error on c/templates/a.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type util.SimpleHead"
        );
        let err = render(
            &[("c/templates/a.yaml", "just text\n")],
            &OutputOptions::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("cannot unmarshal string"));
        let err = render(
            &[("c/templates/a.yaml", "# c\n...\n")],
            &OutputOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "YAML parse error on c/templates/a.yaml: error converting YAML to JSON: yaml: line 1: did not find expected node content"
        );
        let err = render(
            &[("c/templates/a.yaml", "a: [\n")],
            &OutputOptions::default(),
        )
        .unwrap_err();
        assert!(err.to_string().starts_with(
            "YAML parse error on c/templates/a.yaml: error converting YAML to JSON: yaml: line "
        ));
    }
}
