//! `rstack values RELEASE [--origin]`: a release's final values, optionally with the
//! layer and file:line every value came from.

use crate::chart::values::yaml_emit::to_yaml;
use crate::chart::values::{Map, Value};
use crate::span::{Diagnostic, Diagnostics, Location, did_you_mean};
use crate::workspace::{LayeredValues, Release, Stack, layer_values, local_chart_defaults};

use super::args::ValuesArgs;

pub fn run(stack: &Stack, args: &ValuesArgs) -> Result<String, Diagnostics> {
    let release = find_release(stack, &args.release)?;
    let sets = args.set.sets();
    let defaults = local_chart_defaults(stack, release)?;
    let layered = layer_values(stack, release, defaults, &sets)?;
    for w in &layered.warnings {
        eprintln!("warning: {}: {}", release.id(), w.text());
    }
    Ok(if args.origin {
        let mut out = String::new();
        annotate(&layered, &layered.values, &mut Vec::new(), 0, &mut out);
        out
    } else if layered.values.is_empty() {
        "{}\n".to_string()
    } else {
        to_yaml(&Value::map(layered.values.clone())) + "\n"
    })
}

/// `name` or `namespace/name`; a bare name in several namespaces is ambiguous.
fn find_release<'a>(stack: &'a Stack, wanted: &str) -> Result<&'a Release, Diagnostic> {
    let matches: Vec<&Release> = stack
        .releases
        .iter()
        .filter(|r| r.id() == wanted || r.name == wanted)
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => {
            let ids: Vec<String> = stack.releases.iter().map(Release::id).collect();
            Err(Diagnostic::new(
                Location::file(&stack.file),
                format!("no release `{wanted}` in the stack"),
            )
            .with_hint(did_you_mean(wanted, ids.iter().map(String::as_str))))
        }
        many => {
            let ids: Vec<String> = many.iter().map(|r| r.id()).collect();
            Err(Diagnostic::new(
                Location::file(&stack.file),
                format!("release name `{wanted}` is ambiguous"),
            )
            .with_hint(format!("name one of: {}", ids.join(", "))))
        }
    }
}

/// Prints `map` as YAML with a `# layer file:line:col` comment on every leaf. Non-empty
/// maps open a level; anything else (scalars, lists — lists are replaced whole, so they
/// have one origin) is printed by the project's YAML emitter.
fn annotate<'a>(
    layered: &LayeredValues,
    map: &'a Map,
    path: &mut Vec<&'a str>,
    indent: usize,
    out: &mut String,
) {
    let pad = " ".repeat(indent);
    for (key, value) in map {
        path.push(key);
        let origin = layered
            .origin(path)
            .map(|(kind, at)| format!("# {kind} {at}"))
            .unwrap_or_default();
        match value {
            Value::Map(inner) if !inner.is_empty() => {
                let head = to_yaml(&Value::map(Map::from([(key.clone(), Value::empty_map())])));
                let head = head.trim_end().trim_end_matches("{}").trim_end();
                out.push_str(&format!("{pad}{head}\n"));
                annotate(layered, inner, path, indent + 2, out);
            }
            _ => {
                let text = to_yaml(&Value::map(Map::from([(key.clone(), value.clone())])));
                for (i, line) in text.trim_end_matches('\n').lines().enumerate() {
                    if i == 0 {
                        out.push_str(&format!("{pad}{line}  {origin}\n"));
                    } else {
                        out.push_str(&format!("{pad}{line}\n"));
                    }
                }
            }
        }
        path.pop();
    }
}
