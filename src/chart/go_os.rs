//! Operating-system errors worded as Go words them, for messages that must read like
//! helm's (`open values.yaml: no such file or directory`).

use std::path::Path;

/// Go's `*PathError` text: `op path: reason`, the reason in Go's lower-case words.
pub fn go_path_error(op: &str, path: &Path, e: &std::io::Error) -> String {
    format!("{op} {}: {}", path.display(), go_os_reason(e))
}

/// An OS error as Go words it: the C library's text starting in lower case, without
/// Rust's ` (os error N)`.
pub fn go_os_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    let text = match text.rfind(" (os error ") {
        Some(at) if e.raw_os_error().is_some() => &text[..at],
        _ => &text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
