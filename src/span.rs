//! Where something is in the user's input, and "did you mean" hints.
//!
//! Every user-facing error prints `file:line:col: what is wrong` followed by one `hint:`
//! line; this module owns both shapes so every stage reports alike.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::yaml::Pos;

/// A position in a named file (1-based line and column; 0 = unknown).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    pub file: Arc<Path>,
    pub line: u32,
    pub col: u32,
}

impl Location {
    pub fn new(file: impl Into<PathBuf>, pos: Pos) -> Location {
        Location {
            file: Arc::from(file.into()),
            line: pos.line,
            col: pos.col,
        }
    }

    /// The whole file, when no finer position is known.
    pub fn file(file: impl Into<PathBuf>) -> Location {
        Location::new(file, Pos::default())
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.col > 0 {
                write!(f, ":{}", self.col)?;
            }
        }
        Ok(())
    }
}

/// The candidate closest to `name`, if one is close enough to be a plausible typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `did you mean `x`?` when a close candidate exists, else a list of the valid names.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    match closest(name, candidates.clone()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => {
            let all: Vec<&str> = candidates.into_iter().collect();
            if all.is_empty() {
                "there are none defined".to_string()
            } else {
                format!("valid names: {}", all.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            closest("relases", ["releases", "repositories"]),
            Some("releases")
        );
        assert_eq!(closest("zzz", ["releases"]), None);
        assert_eq!(did_you_mean("zzz", ["a", "b"]), "valid names: a, b");
    }

    #[test]
    fn location_prints_file_line_col() {
        let l = Location::new("stack.yaml", Pos { line: 3, col: 5 });
        assert_eq!(l.to_string(), "stack.yaml:3:5");
        assert_eq!(Location::file("x.yaml").to_string(), "x.yaml");
    }
}

/// One problem in the user's input: where, what, and what to do.
///
/// Displays as `file:line:col: message` and, when there is one, a `hint:` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub location: Location,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            location,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Several diagnostics reported together (`rstack lint` prints every problem it finds).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        Diagnostics(vec![d])
    }
}
