//! The release dependency graph: `needs` edges between releases, checked and ordered.
//!
//! Input: the releases of a loaded stack. Output: a DAG (petgraph) whose edges point from
//! a need to the release that needs it, a deterministic dependency order, and the text,
//! DOT and Mermaid pictures of `rstack graph`. Errors (unknown need, self need, cycle) name
//! the stack file position and print the cycle path. The scheduler of the cluster
//! milestone will run releases over this graph; it knows nothing of charts.

mod render;

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::span::{Diagnostic, Diagnostics, closest};
use crate::workspace::Release;

pub use render::{GraphFormat, render_graph};

/// Releases (by their index in the stack) and their `needs`.
#[derive(Clone, Debug)]
pub struct ReleaseGraph {
    graph: DiGraph<usize, ()>,
    /// `namespace/name` per release index.
    ids: Vec<String>,
}

impl ReleaseGraph {
    /// Builds the graph, reporting every unknown or self need and every cycle.
    pub fn build(releases: &[Release]) -> Result<ReleaseGraph, Diagnostics> {
        let ids: Vec<String> = releases.iter().map(Release::id).collect();
        let by_id: HashMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let mut graph = DiGraph::with_capacity(releases.len(), releases.len());
        for i in 0..releases.len() {
            graph.add_node(i);
        }
        let mut problems = Vec::new();
        for (i, release) in releases.iter().enumerate() {
            for (need, at) in &release.needs {
                let target = if need.contains('/') {
                    need.clone()
                } else {
                    format!("{}/{need}", release.namespace)
                };
                match by_id.get(target.as_str()) {
                    Some(&j) if j == i => problems.push(
                        Diagnostic::new(at.clone(), format!("release `{}` needs itself", ids[i]))
                            .with_hint("remove this entry from `needs`"),
                    ),
                    Some(&j) => {
                        graph.update_edge(NodeIndex::new(j), NodeIndex::new(i), ());
                    }
                    None => {
                        let candidates = ids
                            .iter()
                            .map(String::as_str)
                            .chain(releases.iter().map(|r| r.name.as_str()));
                        let hint = match closest(need, candidates) {
                            Some(c) => format!(
                                "did you mean `{c}`? (a need is `name` in the same namespace or `namespace/name`)"
                            ),
                            None => {
                                "a need is `name` in the same namespace or `namespace/name`".into()
                            }
                        };
                        problems.push(
                            Diagnostic::new(
                                at.clone(),
                                format!(
                                    "release `{}` needs `{need}`, which is not in the stack",
                                    ids[i]
                                ),
                            )
                            .with_hint(hint),
                        );
                    }
                }
            }
        }
        let graph = ReleaseGraph { graph, ids };
        for cycle in graph.cycles() {
            let first = cycle[0];
            let mut path: Vec<&str> = cycle.iter().map(|&i| graph.ids[i].as_str()).collect();
            path.push(&graph.ids[first]);
            problems.push(
                Diagnostic::new(
                    releases[first].at.clone(),
                    format!("dependency cycle: {}", path.join(" -> ")),
                )
                .with_hint("remove one of these `needs` entries to break the cycle"),
            );
        }
        if problems.is_empty() {
            Ok(graph)
        } else {
            Err(Diagnostics(problems))
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// `namespace/name` of release `i`.
    pub fn id(&self, i: usize) -> &str {
        &self.ids[i]
    }

    /// The releases `i` needs directly, in index order.
    pub fn needs(&self, i: usize) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .graph
            .neighbors_directed(NodeIndex::new(i), Direction::Incoming)
            .map(|n| self.graph[n])
            .collect();
        v.sort_unstable();
        v
    }

    /// Every cycle, each as its releases in need order starting from the lowest index.
    fn cycles(&self) -> Vec<Vec<usize>> {
        let mut out = Vec::new();
        for scc in petgraph::algo::tarjan_scc(&self.graph) {
            if scc.len() < 2 {
                continue;
            }
            let members: BTreeSet<usize> = scc.iter().map(|n| n.index()).collect();
            let start = *members.first().expect("a component is never empty");
            out.push(self.cycle_through(start, &members));
        }
        out.sort();
        out
    }

    /// A simple cycle from `start` back to itself inside one strongly connected component,
    /// following `needs` (so `a -> b` reads "a needs b"); breadth-first, so it is a
    /// shortest one.
    fn cycle_through(&self, start: usize, members: &BTreeSet<usize>) -> Vec<usize> {
        let mut parent: HashMap<usize, usize> = HashMap::new();
        let mut queue = std::collections::VecDeque::from([start]);
        while let Some(cur) = queue.pop_front() {
            let mut next: Vec<usize> = self
                .graph
                .neighbors_directed(NodeIndex::new(cur), Direction::Incoming)
                .map(|n| n.index())
                .filter(|n| members.contains(n))
                .collect();
            next.sort_unstable();
            for n in next {
                if n == start {
                    let mut path = vec![cur];
                    while let Some(&p) = parent.get(path.last().expect("path starts non-empty")) {
                        path.push(p);
                    }
                    path.reverse();
                    return path;
                }
                if n != start && !parent.contains_key(&n) {
                    parent.insert(n, cur);
                    queue.push_back(n);
                }
            }
        }
        vec![start]
    }

    /// A dependency order of `subset` (needs first); among releases that are ready at the
    /// same time, stack order. Needs outside the subset count as satisfied.
    pub fn order(&self, subset: &[usize]) -> Vec<usize> {
        let inside: BTreeSet<usize> = subset.iter().copied().collect();
        let mut waiting: HashMap<usize, usize> = inside
            .iter()
            .map(|&i| {
                (
                    i,
                    self.needs(i)
                        .into_iter()
                        .filter(|n| inside.contains(n))
                        .count(),
                )
            })
            .collect();
        let mut ready: BinaryHeap<Reverse<usize>> = waiting
            .iter()
            .filter(|(_, n)| **n == 0)
            .map(|(i, _)| Reverse(*i))
            .collect();
        let mut out = Vec::with_capacity(inside.len());
        while let Some(Reverse(i)) = ready.pop() {
            out.push(i);
            for n in self
                .graph
                .neighbors_directed(NodeIndex::new(i), Direction::Outgoing)
            {
                let j = self.graph[n];
                if let Some(count) = waiting.get_mut(&j) {
                    *count -= 1;
                    if *count == 0 {
                        ready.push(Reverse(j));
                    }
                }
            }
        }
        out
    }

    /// `selected` plus everything it needs, transitively (`--include-needs`).
    pub fn with_needs(&self, selected: &[usize]) -> Vec<usize> {
        let mut seen: BTreeSet<usize> = BTreeSet::new();
        let mut stack: Vec<usize> = selected.to_vec();
        while let Some(i) = stack.pop() {
            if seen.insert(i) {
                stack.extend(self.needs(i));
            }
        }
        seen.into_iter().collect()
    }
}
