//! The release graph and selectors over real stack files.

use rstack::graph::{GraphFormat, ReleaseGraph, render_graph};
use rstack::workspace::{Selector, Stack, load_stack, select_releases};
use tempfile::TempDir;

/// Writes a stack (plus a chart `./chart`) and loads it.
fn stack(yaml: &str) -> (TempDir, Stack) {
    let dir = TempDir::new().unwrap();
    std::fs::create_dir_all(dir.path().join("chart")).unwrap();
    std::fs::write(
        dir.path().join("chart/Chart.yaml"),
        "apiVersion: v2\nname: chart\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("stack.yaml"), yaml).unwrap();
    let s = load_stack(&dir.path().join("stack.yaml"), "default").unwrap_or_else(|e| panic!("{e}"));
    (dir, s)
}

/// `name[:ns][>need1,need2][#k=v]` per release, compactly.
fn releases(specs: &[&str]) -> String {
    let mut out = String::from("releases:\n");
    for spec in specs {
        let (spec, labels) = spec.split_once('#').unwrap_or((spec, ""));
        let (head, needs) = spec.split_once('>').unwrap_or((spec, ""));
        let (name, ns) = head.split_once(':').unwrap_or((head, "default"));
        out += &format!("  - name: {name}\n    namespace: {ns}\n    chart: ./chart\n");
        if !needs.is_empty() {
            out += &format!("    needs: [{needs}]\n");
        }
        if !labels.is_empty() {
            let (k, v) = labels.split_once('=').unwrap();
            out += &format!("    labels: {{{k}: {v}}}\n");
        }
    }
    out
}

fn ids(stack: &Stack, order: &[usize]) -> Vec<String> {
    order.iter().map(|&i| stack.releases[i].id()).collect()
}

fn all(stack: &Stack) -> Vec<usize> {
    (0..stack.releases.len()).collect()
}

#[test]
fn order_puts_needs_first_and_keeps_stack_order_otherwise() {
    let (_d, s) = stack(&releases(&[
        "web>api",
        "api>db,cache",
        "db",
        "cache",
        "docs",
    ]));
    let g = ReleaseGraph::build(&s.releases).unwrap();
    assert_eq!(
        ids(&s, &g.order(&all(&s))),
        [
            "default/db",
            "default/cache",
            "default/api",
            "default/web",
            "default/docs"
        ]
    );
}

#[test]
fn needs_resolve_by_name_in_the_same_namespace_or_by_namespace_and_name() {
    let (_d, s) = stack(&releases(&[
        "db:data",
        "db:other",
        "api:data>db",
        "ui>data/db",
    ]));
    let g = ReleaseGraph::build(&s.releases).unwrap();
    assert_eq!(g.needs(2), vec![0]);
    assert_eq!(g.needs(3), vec![0]);
}

#[test]
fn every_cycle_is_reported_with_its_path() {
    let (_d, s) = stack(&releases(&["a>b", "b>a", "c>e", "d>c", "e>d", "f"]));
    let err = ReleaseGraph::build(&s.releases).unwrap_err();
    let messages: Vec<&str> = err.0.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "dependency cycle: default/a -> default/b -> default/a",
            "dependency cycle: default/c -> default/e -> default/d -> default/c"
        ]
    );
    assert!(err.0[0].location.line > 0);
}

#[test]
fn unknown_needs_suggest_the_closest_release() {
    let (_d, s) = stack(&releases(&[
        "postgres:data",
        "api>data/postgress",
        "ui>nope",
    ]));
    let err = ReleaseGraph::build(&s.releases).unwrap_err();
    assert_eq!(err.0.len(), 2);
    assert_eq!(
        err.0[0].message,
        "release `default/api` needs `data/postgress`, which is not in the stack"
    );
    assert!(
        err.0[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("did you mean `data/postgres`?")
    );
    assert!(!err.0[1].hint.as_deref().unwrap().contains("did you mean"));
}

#[test]
fn include_needs_pulls_in_transitive_needs() {
    let (_d, s) = stack(&releases(&[
        "db",
        "cache",
        "api>db,cache",
        "web>api#tier=front",
        "docs#tier=front",
    ]));
    let g = ReleaseGraph::build(&s.releases).unwrap();
    let sel = vec![Selector::parse("tier=front").unwrap()];
    let picked = select_releases(&s.releases, &sel);
    assert_eq!(ids(&s, &picked), ["default/web", "default/docs"]);
    assert_eq!(
        ids(&s, &g.order(&g.with_needs(&picked))),
        [
            "default/db",
            "default/cache",
            "default/api",
            "default/web",
            "default/docs"
        ]
    );
}

#[test]
fn selectors_match_labels_builtins_and_unions() {
    let (_d, s) = stack(&releases(&[
        "db:data#tier=data",
        "api#tier=app",
        "web#tier=front",
        "x:ops",
    ]));
    let pick = |sels: &[&str]| {
        let sels: Vec<Selector> = sels.iter().map(|t| Selector::parse(t).unwrap()).collect();
        ids(&s, &select_releases(&s.releases, &sels))
    };
    assert_eq!(pick(&["tier=app"]), ["default/api"]);
    assert_eq!(pick(&["tier!=app"]), ["data/db", "default/web", "ops/x"]);
    assert_eq!(pick(&["namespace=default,tier!=front"]), ["default/api"]);
    assert_eq!(pick(&["name=db", "name=x"]), ["data/db", "ops/x"]);
    assert_eq!(pick(&["chart=chart,namespace=ops"]), ["ops/x"]);
    assert_eq!(pick(&[]).len(), 4);
}

#[test]
fn renders_text_dot_and_mermaid() {
    let (_d, s) = stack(&releases(&["db:data", "api>data/db"]));
    let g = ReleaseGraph::build(&s.releases).unwrap();
    assert_eq!(
        render_graph(&g, &all(&s), GraphFormat::Text),
        "  1. data/db\n  2. default/api  <- data/db\n"
    );
    assert_eq!(
        render_graph(&g, &all(&s), GraphFormat::Dot),
        "digraph rstack {\n  rankdir=LR;\n  node [shape=box];\n  \"data/db\";\n  \"default/api\";\n  \"data/db\" -> \"default/api\";\n}\n"
    );
    assert_eq!(
        render_graph(&g, &all(&s), GraphFormat::Mermaid),
        "flowchart LR\n  r0[\"data/db\"]\n  r1[\"default/api\"]\n  r0 --> r1\n"
    );
}

/// 500 releases in 10 namespaces, each needing up to three earlier ones.
fn generated(n: usize, cycle: bool) -> String {
    let mut specs = Vec::new();
    for i in 0..n {
        let ns = format!("ns{}", i % 10);
        let needs: Vec<String> = [i / 2, i / 3, i.saturating_sub(7)]
            .into_iter()
            .filter(|&j| j < i)
            .map(|j| format!("ns{}/r{j}", j % 10))
            .collect();
        let mut needs = needs.join(",");
        if cycle && i == 0 {
            needs = format!("ns{}/r{}", (n - 1) % 10, n - 1);
        }
        specs.push(format!("r{i}:{ns}>{needs}"));
    }
    let specs: Vec<&str> = specs.iter().map(|s| s.trim_end_matches('>')).collect();
    releases(&specs)
}

#[test]
fn a_generated_500_release_stack_orders_every_need_first() {
    let (_d, s) = stack(&generated(500, false));
    let g = ReleaseGraph::build(&s.releases).unwrap();
    let order = g.order(&all(&s));
    assert_eq!(order.len(), 500);
    let mut position = vec![0; 500];
    for (p, &i) in order.iter().enumerate() {
        position[i] = p;
    }
    for i in 0..500 {
        for n in g.needs(i) {
            assert!(
                position[n] < position[i],
                "{} before its need {}",
                g.id(i),
                g.id(n)
            );
        }
    }
}

#[test]
fn a_cycle_hidden_in_500_releases_is_found() {
    let (_d, s) = stack(&generated(500, true));
    let err = ReleaseGraph::build(&s.releases).unwrap_err();
    assert_eq!(err.0.len(), 1);
    assert!(
        err.0[0].message.starts_with("dependency cycle: ns0/r0 -> "),
        "{}",
        err.0[0].message
    );
    assert!(err.0[0].message.ends_with(" -> ns0/r0"));
}
