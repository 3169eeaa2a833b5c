//! The workspace's templated inputs: a `*.gotmpl` stack file, `.gotmpl` values files and
//! `set` values containing `{{`, rendered with the chart template engine.
//!
//! They see what a helmfile user expects: `.Environment.Name`, `.Environment.Values`,
//! `.Values` and `.StateValues` (the same environment values), `.StackName` and, for a release's inputs,
//! `.Release.{Name,Namespace,Labels,Chart}`; Helm's functions plus the extras of
//! [`super::template_funcs`]. A missing key renders empty, as in a chart (helmfile would
//! fail; `get`/`getOrNil` and `default` read optional keys either way).
//!
//! Errors keep the engine's `file:line:col` and never quote rendered text: it may hold
//! secrets from `requiredEnv` or `readFile`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::chart::template::exec::{Renderer, TemplateSet};
use crate::chart::values::{Map, Value};
use crate::span::{Diagnostic, Location};
use crate::yaml::Pos;

use super::load::Stack;
use super::template_funcs::workspace_functions;

/// Whether a file is rendered before it is parsed.
pub fn is_templated_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "gotmpl")
}

/// Whether a `set` value is a template.
pub fn is_templated_value(text: &str) -> bool {
    text.contains("{{")
}

/// The name positions in a file's rendered output are reported under
/// (`stack.yaml.gotmpl (rendered):12:3`): those lines count the template's output.
pub fn rendered_label(path: &Path) -> PathBuf {
    PathBuf::from(format!("{} (rendered)", path.display()))
}

/// The data and folder a templated input is rendered with.
#[derive(Clone, Debug)]
pub struct TemplateContext {
    /// `readFile`/`isFile` resolve relative paths here (the stack file's folder).
    dir: PathBuf,
    /// The template's dot.
    data: Map,
}

/// What `.Release` says about a release.
pub struct ReleaseInfo<'a> {
    pub name: &'a str,
    pub namespace: &'a str,
    pub labels: &'a BTreeMap<String, String>,
    pub chart: &'a str,
}

impl TemplateContext {
    /// The context of a stack file part and of environment values files.
    pub fn new(dir: &Path, stack_name: &str, environment: &str, values: &Map) -> Self {
        let values = Value::map(values.clone());
        let mut env = Map::new();
        env.insert("Name".into(), Value::from(environment));
        env.insert("Values".into(), values.clone());
        let mut data = Map::new();
        data.insert("Environment".into(), Value::map(env));
        data.insert("Values".into(), values.clone());
        // helmfile's name for the same map, to tell it from a chart's `.Values`.
        data.insert("StateValues".into(), values);
        data.insert("StackName".into(), Value::from(stack_name));
        TemplateContext {
            dir: dir.to_path_buf(),
            data,
        }
    }

    /// The context of a loaded stack (its environment values complete).
    pub fn for_stack(stack: &Stack) -> Self {
        TemplateContext::new(
            &stack.dir,
            &stack.name,
            &stack.environment.name,
            &stack.environment.values,
        )
    }

    /// This context plus `.Release`, for a release's values files and `set` values.
    pub fn with_release(&self, release: &ReleaseInfo<'_>) -> Self {
        let labels: Map = release
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        let mut r = Map::new();
        r.insert("Name".into(), Value::from(release.name));
        r.insert("Namespace".into(), Value::from(release.namespace));
        r.insert("Labels".into(), Value::map(labels));
        r.insert("Chart".into(), Value::from(release.chart));
        let mut out = self.clone();
        out.data.insert("Release".into(), Value::map(r));
        out
    }

    /// Renders `text` as template `name` (the name errors and `executing "…"` show).
    pub fn render(&self, name: &str, text: &str) -> Result<String, TemplateError> {
        self.render_from_line(name, text, 1)
    }

    /// Renders `text`, which starts at line `first_line` of its file, so that errors give
    /// the file's line numbers (a part of a multi-part stack file).
    pub fn render_from_line(
        &self,
        name: &str,
        text: &str,
        first_line: usize,
    ) -> Result<String, TemplateError> {
        // Blank lines in front put every node on its line in the file. A `{{-` at the
        // start of the part trims them away again; otherwise they are cut off below.
        let padding = "\n".repeat(first_line.saturating_sub(1));
        let source = format!("{padding}{text}");
        let mut set = TemplateSet::with_functions(workspace_functions(&self.dir));
        set.parse_file(name, &source).map_err(|e| TemplateError {
            name: name.to_string(),
            line: e.line,
            col: 0,
            message: e.message,
        })?;
        let out = Renderer::new(&set)
            .execute(name, &Value::map(self.data.clone()))
            .map_err(|e| TemplateError::from_exec(name, &e.text))?;
        let out = out.strip_prefix(padding.as_str()).unwrap_or(&out);
        // Helm's clean-up of missing values (`missingkey=zero` prints `<no value>`).
        Ok(out.replace("<no value>", ""))
    }
}

/// A template that failed to parse or execute, at the engine's `line:col` (Go's numbering:
/// 1-based line, 0-based byte column; col 0 when only the line is known).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    pub name: String,
    pub line: usize,
    pub col: usize,
    /// The engine's message after its location (`executing "x" at <…>: …`).
    pub message: String,
}

impl TemplateError {
    /// Splits `template: NAME:LINE:COL: rest` (Go's exec error) into its parts; Helm's
    /// `required`/`fail` markers are dropped.
    fn from_exec(name: &str, text: &str) -> TemplateError {
        let text = text
            .replace("HELM_ERR_START", "")
            .replace("HELM_ERR_END", "");
        let located = text
            .strip_prefix("template: ")
            .and_then(|t| t.strip_prefix(name))
            .and_then(|t| t.strip_prefix(':'))
            .and_then(|t| {
                let (line, rest) = t.split_once(':')?;
                let (col, rest) = rest.split_once(": ")?;
                Some((line.parse().ok()?, col.parse().ok()?, rest))
            });
        match located {
            Some((line, col, rest)) => TemplateError {
                name: name.to_string(),
                line,
                col,
                message: rest.to_string(),
            },
            None => TemplateError {
                name: name.to_string(),
                line: 0,
                col: 0,
                message: text.strip_prefix("template: ").unwrap_or(&text).to_string(),
            },
        }
    }

    /// The error at its place in `file` (the file the template was read from).
    pub fn diagnostic(&self, file: &Path) -> Diagnostic {
        let pos = Pos {
            line: u32::try_from(self.line).unwrap_or(u32::MAX),
            col: u32::try_from(self.col).unwrap_or(u32::MAX),
        };
        Diagnostic::new(Location::new(file, pos), self.message.clone()).with_hint(self.hint())
    }

    /// What to do about it (one `hint:` line).
    pub fn hint(&self) -> &'static str {
        if self.message.contains("required env var") {
            "export that variable before running rstack (requiredEnv fails when it is unset or empty)"
        } else if self.message.contains("not defined") {
            "templated files have Helm's functions plus env, expandenv, requiredEnv, readFile, isFile, get and getOrNil"
        } else {
            "fix the template; see \"Templated files\" in README.md for what it can use"
        }
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.name, self.line)?;
        if self.col > 0 {
            write!(f, ":{}", self.col)?;
        }
        write!(f, ": {}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> TemplateContext {
        let mut values = Map::new();
        values.insert("region".into(), Value::from("eu"));
        TemplateContext::new(Path::new("."), "shop", "prod", &values)
    }

    #[test]
    fn renders_the_context() {
        let out = ctx()
            .render(
                "t",
                "{{ .Environment.Name }}/{{ .Values.region }}/{{ .StackName }}/{{ .Values.nope }}.",
            )
            .unwrap();
        assert_eq!(out, "prod/eu/shop/.");
    }

    #[test]
    fn errors_keep_the_file_line() {
        let e = ctx()
            .render_from_line("s.gotmpl", "a: 1\nb: {{ nope }}\n", 5)
            .unwrap_err();
        assert_eq!(
            (e.line, e.message.as_str()),
            (6, "function \"nope\" not defined")
        );
        let e = ctx()
            .render("s.gotmpl", "a: {{ required \"need x\" .Values.x }}")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "s.gotmpl:1:6: executing \"s.gotmpl\" at <required \"need x\" .Values.x>: error calling required: need x"
        );
    }

    #[test]
    fn padding_is_removed() {
        assert_eq!(
            ctx().render_from_line("t", "x: {{ 1 }}\n", 4).unwrap(),
            "x: 1\n"
        );
        assert_eq!(ctx().render_from_line("t", "{{- 1 }}\n", 4).unwrap(), "1\n");
    }
}
