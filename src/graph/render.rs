//! Pictures of the release graph: plain text, Graphviz DOT, Mermaid.

use std::fmt::Write;

use super::ReleaseGraph;

/// The `--format` of `rstack graph`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    /// One release per line in dependency order, with what it needs.
    Text,
    /// Graphviz (`rstack graph --format dot | dot -Tsvg`).
    Dot,
    /// Mermaid flowchart (renders in GitHub markdown).
    Mermaid,
}

/// Draws the releases of `subset` (in dependency order) and the edges between them.
pub fn render_graph(graph: &ReleaseGraph, subset: &[usize], format: GraphFormat) -> String {
    let order = graph.order(subset);
    let inside: std::collections::BTreeSet<usize> = subset.iter().copied().collect();
    let edges = |i: usize| graph.needs(i).into_iter().filter(|n| inside.contains(n));
    let mut out = String::new();
    match format {
        GraphFormat::Text => {
            for (step, &i) in order.iter().enumerate() {
                let needs: Vec<&str> = edges(i).map(|n| graph.id(n)).collect();
                let _ = write!(out, "{:>3}. {}", step + 1, graph.id(i));
                if !needs.is_empty() {
                    let _ = write!(out, "  <- {}", needs.join(", "));
                }
                out.push('\n');
            }
        }
        GraphFormat::Dot => {
            out.push_str("digraph rstack {\n  rankdir=LR;\n  node [shape=box];\n");
            for &i in &order {
                let _ = writeln!(out, "  \"{}\";", graph.id(i));
            }
            for &i in &order {
                for n in edges(i) {
                    let _ = writeln!(out, "  \"{}\" -> \"{}\";", graph.id(n), graph.id(i));
                }
            }
            out.push_str("}\n");
        }
        GraphFormat::Mermaid => {
            out.push_str("flowchart LR\n");
            for &i in &order {
                let _ = writeln!(out, "  r{i}[\"{}\"]", graph.id(i));
            }
            for &i in &order {
                for n in edges(i) {
                    let _ = writeln!(out, "  r{n} --> r{i}");
                }
            }
        }
    }
    out
}
