//! What a render reports besides its output, as `helm template` does: helm's log lines
//! (warnings while coalescing and processing dependencies, some failures logged before
//! they are returned), `--debug`'s dump of what rendered when a render fails, and
//! `--output-dir`'s files with the `wrote` lines it prints.

use std::collections::BTreeMap;

use super::{Error, RenderFailure, RenderRequest};
use crate::chart::output::{self, OutputError};

/// The failures helm logs (as an ERROR line) before it returns them.
pub(super) fn log_failure(error: &Error) {
    let (msg, cause) = match error {
        Error::ReleaseName { .. } => ("release name check failed", error.to_string()),
        Error::DepsProcessing(e) => ("chart dependencies processing failed", e.to_string()),
        _ => return,
    };
    let cause = cause
        .strip_prefix(msg)
        .map_or(cause.as_str(), |c| c.trim_start_matches(": "));
    eprintln!(
        "{}",
        crate::chart::helm_log::error(msg, &[("error", cause)])
    );
}

/// helm's `--debug`: a failed render prints what was rendered (`rendered`: empty when
/// the templates themselves failed) and its error loses the "Use --debug flag" hint.
pub(super) fn with_debug_output(request: &RenderRequest, error: Error, rendered: &str) -> Error {
    let Error::Render(failure) = error else {
        return error;
    };
    if !request.debug {
        return Error::Render(failure);
    }
    // helm prints the rendered text trimmed, with one newline; `--show-only` picks from it.
    let mut stdout = format!("{}\n", rendered.trim());
    if !request.output.show_only.is_empty() {
        match output::show_only(&stdout, &request.output.show_only) {
            Ok(picked) => stdout = picked,
            Err(e) => return Error::ShowOnly(e),
        }
    }
    Error::WithStdout {
        stdout,
        error: Box::new(Error::RenderDebug(failure)),
    }
}

/// What helm's `--debug` prints when rendered documents fail to parse: every template
/// that rendered something (not NOTES.txt), as `---` / `# Source:` documents.
pub(super) fn debug_dump(rendered: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (name, content) in rendered {
        if name.ends_with("NOTES.txt") || content.trim().is_empty() {
            continue;
        }
        out.push_str(&format!("---\n# Source: {name}\n{content}\n"));
    }
    out
}

/// `--output-dir`: the documents written under `dir`; helm's stdout (a `wrote` line per
/// document, then the empty manifest's newline) returned. `--show-only` cannot match
/// then (nothing is left to print), which helm reports after writing.
pub(super) fn write_output_dir(
    request: &RenderRequest,
    dir: &str,
    release_name: &str,
    rendered: &BTreeMap<String, String>,
    crds: &[output::CrdFile],
) -> Result<String, Error> {
    let files = output::output_files(rendered, crds, &request.output)
        .map_err(|e| Error::Render(RenderFailure::Output(e)))?;
    let release = request.output.release_name_dir.then_some(release_name);
    let wrote = crate::chart::output_dir::write(dir, release, &files)
        .map_err(|e| Error::Render(RenderFailure::OutputDir(e)))?;
    match request.output.show_only.first() {
        Some(pattern) => Err(Error::WithStdout {
            stdout: wrote,
            error: Box::new(Error::ShowOnly(OutputError::ShowOnlyNotFound {
                pattern: pattern.clone(),
            })),
        }),
        None => Ok(wrote + "\n"),
    }
}

/// Helm's coalescing and dependency warnings (a value that cannot replace a table, a
/// non-boolean condition, a missing import): on stderr as helm's own log lines for
/// `rstack chart template`, through the log otherwise.
pub(super) fn report_warnings(
    request: &RenderRequest,
    chart: &str,
    warnings: &[crate::chart::helm_log::Line],
) {
    for line in warnings {
        if request.helm_log_lines {
            eprintln!("{line}");
        } else {
            tracing::warn!(chart, "{}", line.text());
        }
    }
}
