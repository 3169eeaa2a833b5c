//! `helm template --output-dir DIR`: each document appended to
//! `DIR/<its source path>` instead of printed, and `wrote <file>` printed per document.
//!
//! Helm writes at three places with slightly different rules, kept here as they are:
//! - CRDs (`--include-crds`) always go under `DIR`, even with `--release-name`;
//! - manifests go under `DIR/<release>` with `--release-name`; a file is created afresh
//!   by its first document of the run and appended to by the next ones;
//! - hooks follow the manifests and are appended to any file that already exists, even
//!   one left by an earlier run.
//!
//! The path is `DIR + "/" + source`, not cleaned, as helm builds (and prints) it.

use std::collections::HashSet;
use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;

use crate::chart::go_os::go_path_error;
use crate::chart::output::{FileDoc, FileKind};

/// Writes `docs` under `dir` (`release`: the `--release-name` folder) and returns what
/// helm prints meanwhile: one `wrote <file>` line per document. An error names the
/// path, in Go's words (`mkdir out/c: permission denied`).
pub fn write(dir: &str, release: Option<&str>, docs: &[FileDoc<'_>]) -> Result<String, String> {
    let mut printed = String::new();
    let mut written: HashSet<&str> = HashSet::new();
    let release_dir = release.map(|r| {
        Path::new(dir)
            .join(r)
            .to_string_lossy()
            .trim_end_matches('/')
            .to_string()
    });
    for doc in docs {
        let base = match (doc.kind, &release_dir) {
            (FileKind::Manifest | FileKind::Hook, Some(d)) => d.as_str(),
            _ => dir,
        };
        let file = format!("{base}/{}", doc.source);
        let append = match doc.kind {
            FileKind::Hook => Path::new(&file).exists(),
            FileKind::Crd | FileKind::Manifest => !written.insert(doc.source),
        };
        write_doc(&file, doc, append)?;
        printed.push_str(&format!("wrote {file}\n"));
    }
    Ok(printed)
}

/// One document, as helm's `writeToFile` formats it.
fn write_doc(file: &str, doc: &FileDoc<'_>, append: bool) -> Result<(), String> {
    let parent = Path::new(file).parent().unwrap_or(Path::new("."));
    match fs::metadata(parent) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(go_path_error("stat", parent, &e)),
    }
    fs::create_dir_all(parent).map_err(|e| go_path_error("mkdir", parent, &e))?;
    let mut f = if append {
        OpenOptions::new().append(true).open(file)
    } else {
        fs::File::create(file)
    }
    .map_err(|e| go_path_error("open", Path::new(file), &e))?;
    let head = format!("---\n# Source: {}\n", doc.source);
    f.write_all(head.as_bytes())
        .and_then(|()| f.write_all(doc.content))
        .and_then(|()| f.write_all(b"\n"))
        .map_err(|e| go_path_error("write", Path::new(file), &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc<'a>(kind: FileKind, source: &'a str, content: &'a str) -> FileDoc<'a> {
        FileDoc {
            kind,
            source,
            content: content.as_bytes(),
        }
    }

    #[test]
    fn appends_within_a_run_and_hooks_to_existing_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_str().unwrap();
        let docs = [
            doc(FileKind::Crd, "c/crds/x.yaml", "kind: CRD"),
            doc(FileKind::Manifest, "c/templates/a.yaml", "a: 1"),
            doc(FileKind::Manifest, "c/templates/a.yaml", "b: 2"),
            doc(FileKind::Hook, "c/templates/a.yaml", "h: 3"),
        ];
        let printed = write(dir, Some("rel"), &docs).unwrap();
        assert_eq!(
            printed,
            format!(
                "wrote {dir}/c/crds/x.yaml\nwrote {dir}/rel/c/templates/a.yaml\n\
                 wrote {dir}/rel/c/templates/a.yaml\nwrote {dir}/rel/c/templates/a.yaml\n"
            )
        );
        let a = fs::read_to_string(tmp.path().join("rel/c/templates/a.yaml")).unwrap();
        assert_eq!(
            a,
            "---\n# Source: c/templates/a.yaml\na: 1\n---\n# Source: c/templates/a.yaml\nb: 2\n\
             ---\n# Source: c/templates/a.yaml\nh: 3\n"
        );
        // A second run starts manifests afresh but appends hooks to what is there.
        write(dir, Some("rel"), &docs).unwrap();
        let again = fs::read_to_string(tmp.path().join("rel/c/templates/a.yaml")).unwrap();
        assert_eq!(again, a);
        write(dir, Some("rel"), &docs[3..]).unwrap();
        let hooks = fs::read_to_string(tmp.path().join("rel/c/templates/a.yaml")).unwrap();
        assert_eq!(hooks.matches("h: 3").count(), 2);
    }

    #[test]
    fn errors_name_the_path_in_go_words() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("f");
        fs::write(&file, "").unwrap();
        let dir = file.to_str().unwrap();
        let err = write(dir, None, &[doc(FileKind::Manifest, "c/t.yaml", "a: 1")]).unwrap_err();
        assert_eq!(err, format!("stat {dir}/c: not a directory"));
    }
}
