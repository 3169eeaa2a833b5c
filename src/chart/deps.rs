//! Subcharts at render time (HELM-SEMANTICS.md §4.2, §4.3, §4.5–4.7, §5.4): the presence
//! check, enablement by `condition`/`tags`, aliases, `import-values`, library subcharts,
//! and the chart-level coalescing of values (subchart scoping and globals).
//!
//! Mirrors helm `pkg/chart/v2/util/dependencies.go` (`processDependencyEnabled`,
//! `processImportValues`) and `pkg/chart/common/util/coalesce.go` (`coalesce`,
//! `coalesceDeps`, `coalesceGlobals`), including their quirks: conditions of nested charts
//! are looked up in the root's values under the chart's path, and every chart with declared
//! dependencies gets its defaults rewritten to include its subcharts' defaults.
//! Map-level rules (user wins, `null` deletes) come from [`crate::chart::values`].

use std::collections::BTreeSet;

use crate::chart::helm_log;
use crate::chart::model::{Chart, Dependency};
use crate::chart::semver::{Constraint, Version};
use crate::chart::values::{Map, Value, coalesce_values, merge_values};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DepsError {
    /// Helm's wording, printed by `helm template` as is.
    #[error(
        "an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
        missing.join(", ")
    )]
    Missing { missing: Vec<String> },
    /// The values under a subchart's key are not a map.
    #[error("type mismatch on {name}: {shown}")]
    TypeMismatch { name: String, shown: String },
}

pub type Result<T, E = DepsError> = std::result::Result<T, E>;

/// Helm's `CheckDependencies` on the root chart: every declared dependency name must be
/// the name of a loaded subchart.
pub fn check_dependencies(chart: &Chart) -> Result<()> {
    let missing: Vec<String> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|req| {
            !chart
                .dependencies
                .iter()
                .any(|d| d.metadata.name == req.name)
        })
        .map(|req| req.name.clone())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(DepsError::Missing { missing })
    }
}

/// Helm's `ProcessDependenciesWithMerge`: removes disabled subcharts, applies aliases, then
/// imports values from children into parents (children first). `user` is the merged user
/// values. Warnings Helm would log are appended to `warnings`.
pub fn process_dependencies(
    chart: &mut Chart,
    user: &Map,
    warnings: &mut Vec<helm_log::Line>,
) -> Result<()> {
    process_enabled(chart, user, "", warnings)?;
    import_values_tree(chart, warnings)?;
    for dep in &mut chart.dependencies {
        strip_library_templates(dep);
    }
    Ok(())
}

/// Helm's `CoalesceValues(chart, user)`: the values the templates see.
pub fn coalesce_chart_values(
    chart: &Chart,
    user: &Map,
    warnings: &mut Vec<helm_log::Line>,
) -> Result<Map> {
    coalesce(chart, user.clone(), "", false, warnings)
}

/// `IsCompatibleRange(constraint, version)` of Masterminds semver: false when either does
/// not parse (an empty constraint included), so such a declaration binds to nothing and the
/// loaded chart renders as an undeclared subchart.
fn version_allowed(constraint: &str, version: &str) -> bool {
    match (Constraint::parse(constraint), Version::parse(version)) {
        (Ok(c), Ok(v)) => c.matches(&v),
        _ => false,
    }
}

/// Helm's `getAliasDependency`: a copy of the loaded chart a declaration binds to, renamed
/// to its alias.
fn bind_dependency(loaded: &[Chart], req: &Dependency) -> Option<Chart> {
    let found = loaded.iter().find(|c| {
        c.metadata.name == req.name && version_allowed(&req.version, &c.metadata.version)
    })?;
    let mut out = found.clone();
    if !req.alias.is_empty() {
        out.metadata.name = req.alias.clone();
    }
    Some(out)
}

fn process_enabled(
    chart: &mut Chart,
    values: &Map,
    path: &str,
    warnings: &mut Vec<helm_log::Line>,
) -> Result<()> {
    if chart.metadata.dependencies.is_empty() {
        return Ok(());
    }
    // Loaded subcharts no declaration binds to are kept under their own name, first.
    let mut bound: Vec<Chart> = chart
        .dependencies
        .iter()
        .filter(|existing| {
            !chart.metadata.dependencies.iter().any(|req| {
                existing.metadata.name == req.name
                    && version_allowed(&req.version, &existing.metadata.version)
            })
        })
        .cloned()
        .collect();
    for req in &mut chart.metadata.dependencies {
        if let Some(dep) = bind_dependency(&chart.dependencies, req) {
            bound.push(dep);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
        req.enabled = true;
    }
    chart.dependencies = bound;

    let cvals = coalesce_chart_values(chart, values, warnings)?;
    apply_tags(&mut chart.metadata.dependencies, &cvals, warnings);
    apply_conditions(&mut chart.metadata.dependencies, &cvals, path, warnings);

    let removed: BTreeSet<String> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| r.name.clone())
        .collect();
    chart
        .dependencies
        .retain(|d| !removed.contains(&d.metadata.name));
    chart
        .metadata
        .dependencies
        .retain(|r| !removed.contains(&r.name));
    for dep in &mut chart.dependencies {
        let sub_path = format!("{path}{}.", dep.metadata.name);
        process_enabled(dep, &cvals, &sub_path, warnings)?;
    }
    Ok(())
}

/// Tags (§4.5): any `true` tag enables, else any `false` tag disables, else enabled.
fn apply_tags(reqs: &mut [Dependency], cvals: &Map, warnings: &mut Vec<helm_log::Line>) {
    let Some(Value::Map(tags)) = cvals.get("tags") else {
        return;
    };
    for req in reqs {
        let (mut has_true, mut has_false) = (false, false);
        for tag in &req.tags {
            match tags.get(tag) {
                Some(Value::Bool(true)) => has_true = true,
                Some(Value::Bool(false)) => has_false = true,
                Some(_) => warnings.push(helm_log::warn(
                    "returned non-bool value",
                    &[("tag", tag), ("chart", &req.name)],
                )),
                None => {}
            }
        }
        req.enabled = has_true || !has_false;
    }
}

/// Conditions (§4.5): the first listed path holding a bool decides; evaluated after tags.
fn apply_conditions(
    reqs: &mut [Dependency],
    cvals: &Map,
    path: &str,
    warnings: &mut Vec<helm_log::Line>,
) {
    for req in reqs {
        for cond in req.condition.trim().split(',') {
            if cond.is_empty() {
                continue;
            }
            match path_value(cvals, &format!("{path}{cond}")) {
                Some(Value::Bool(b)) => {
                    req.enabled = *b;
                    break;
                }
                Some(_) => warnings.push(helm_log::warn(
                    "returned non-bool value",
                    &[("path", cond), ("chart", &req.name)],
                )),
                None => {}
            }
        }
    }
}

/// Helm's `Values.Table`: the map at a dotted path.
fn table<'a>(values: &'a Map, path: &str) -> Option<&'a Map> {
    let mut cur = values;
    for part in path.split('.') {
        cur = cur.get(part)?.as_map()?;
    }
    Some(cur)
}

/// The segment of `path` where [`table`] fails: helm's `ErrNoTable` names it.
fn missing_table<'a>(values: &Map, path: &'a str) -> &'a str {
    let mut cur = values;
    for part in path.split('.') {
        match cur.get(part).and_then(Value::as_map) {
            Some(next) => cur = next,
            None => return part,
        }
    }
    ""
}

/// Helm's `Values.PathValue`: the non-map value at a dotted path.
fn path_value<'a>(values: &'a Map, path: &str) -> Option<&'a Value> {
    let (parent, key) = match path.rsplit_once('.') {
        Some((parent, key)) => (table(values, parent)?, key),
        None => (values, path),
    };
    parent.get(key).filter(|v| v.as_map().is_none())
}

/// `processDependencyImportValues`: children first, then this chart.
fn import_values_tree(chart: &mut Chart, warnings: &mut Vec<helm_log::Line>) -> Result<()> {
    for dep in &mut chart.dependencies {
        import_values_tree(dep, warnings)?;
    }
    import_values(chart, warnings)
}

/// `processImportValues` (merge flavour): the chart's defaults become its values merged
/// with its subcharts' defaults, with imported tables underneath (the chart's own values
/// win over imported ones; earlier imports win over later ones).
fn import_values(chart: &mut Chart, warnings: &mut Vec<helm_log::Line>) -> Result<()> {
    if chart.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let cvals = coalesce(chart, Map::new(), "", true, warnings)?;
    let mut imported = Map::new();
    for req in &mut chart.metadata.dependencies {
        // Helm rewrites each entry it understands into its `{child, parent}` form (what
        // `.Chart.Dependencies` shows afterwards) and drops the others.
        let mut rewritten = Vec::new();
        for spec in &req.import_values {
            let (child, parent) = match spec {
                serde_json::Value::Object(o) => {
                    (go_sprint(o.get("child")), go_sprint(o.get("parent")))
                }
                serde_json::Value::String(s) => (format!("exports.{s}"), ".".to_string()),
                _ => continue,
            };
            rewritten.push(serde_json::json!({"child": child, "parent": parent}));
            let path = format!("{}.{child}", req.name);
            let Some(found) = table(&cvals, &path) else {
                let missing = missing_table(&cvals, &path);
                let error = format!(
                    "{} is not a table",
                    crate::chart::template::format::quote(missing)
                );
                warnings.push(match spec {
                    serde_json::Value::String(_) => {
                        helm_log::warn("ImportValues missing table", &[("error", &error)])
                    }
                    _ => helm_log::warn(
                        "ImportValues missing table from chart",
                        &[("chart", &req.name), ("error", &error)],
                    ),
                });
                continue;
            };
            let mut incoming = path_to_map(&parent, found.clone());
            merge_values(&mut incoming, &imported);
            imported = incoming;
        }
        req.import_values = rewritten;
    }
    merge_values(&mut imported, &cvals);
    chart.values = imported;
    Ok(())
}

/// Helm's `pathToMap`: nests `data` under a dotted path (`.` = the root).
fn path_to_map(path: &str, data: Map) -> Map {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for part in path.split('.').rev() {
        cur = Map::from([(part.to_string(), Value::map(cur))]);
    }
    cur
}

/// Go's `fmt.Sprintf("%v", x)` for the scalar fields of an import-values entry.
fn go_sprint(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "<nil>".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        Some(other) => other.to_string(),
    }
}

/// A library subchart contributes only its partials (`_*` files) to rendering.
fn strip_library_templates(chart: &mut Chart) {
    if chart.metadata.chart_type == "library" {
        chart.templates.retain(|t| {
            t.name
                .rsplit('/')
                .next()
                .is_some_and(|base| base.starts_with('_'))
        });
    }
    for dep in &mut chart.dependencies {
        strip_library_templates(dep);
    }
}

/// Go's `concatPrefix`.
fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

/// Helm's `coalesce`: this chart's defaults under `dest`, then each subchart's under its key.
fn coalesce(
    chart: &Chart,
    dest: Map,
    prefix: &str,
    merge: bool,
    warnings: &mut Vec<helm_log::Line>,
) -> Result<Map> {
    let dest = coalesce_own(chart, dest, prefix, merge, warnings);
    coalesce_deps(chart, dest, prefix, merge, warnings)
}

/// Helm's `coalesceValues`. A subchart's section is merged without deleting nulls
/// (`childChartMergeTrue`), so a user `null` survives to delete the subchart's own default.
fn coalesce_own(
    chart: &Chart,
    mut dest: Map,
    prefix: &str,
    merge: bool,
    warnings: &mut Vec<helm_log::Line>,
) -> Map {
    if merge {
        let mut out = chart.values.clone();
        merge_values(&mut out, &dest);
        return out;
    }
    let mut defaults = chart.values.clone();
    for dep in &chart.dependencies {
        let name = &dep.metadata.name;
        if let (Some(Value::Map(d)), Some(Value::Map(u))) = (defaults.get(name), dest.get(name)) {
            let mut merged = (**d).clone();
            merge_values(&mut merged, u);
            dest.insert(name.clone(), Value::map(merged));
            defaults.remove(name);
        }
    }
    let (out, warned) = coalesce_values(
        &defaults,
        dest,
        &concat_prefix(prefix, &chart.metadata.name),
    );
    warnings.extend(warned);
    out
}

/// Helm's `coalesceDeps`.
fn coalesce_deps(
    chart: &Chart,
    mut dest: Map,
    prefix: &str,
    merge: bool,
    warnings: &mut Vec<helm_log::Line>,
) -> Result<Map> {
    let sub_prefix = concat_prefix(prefix, &chart.metadata.name);
    for dep in &chart.dependencies {
        let name = dep.metadata.name.clone();
        let mut section = match dest.remove(&name) {
            None => Map::new(),
            Some(Value::Map(m)) => std::sync::Arc::unwrap_or_clone(m),
            Some(other) => {
                return Err(DepsError::TypeMismatch {
                    name,
                    shown: go_bad_verb_t(&other),
                });
            }
        };
        coalesce_globals(&mut section, &dest, &sub_prefix, warnings);
        if !merge {
            // Helm's import-values pass has already copied the subchart's coalesced
            // defaults into the parent's values, so a top-level `null` default reaches
            // this point as if the user had written it, and is deleted like one.
            for (key, default) in &dep.values {
                if default.is_nil() {
                    section.entry(key.clone()).or_insert(Value::Nil);
                }
            }
        }
        let section = coalesce(dep, section, &sub_prefix, merge, warnings)?;
        dest.insert(name, Value::map(section));
    }
    Ok(dest)
}

/// Go's `%t` applied to a non-bool (`%!t(string=x)`), as in Helm's type-mismatch error.
fn go_bad_verb_t(v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Nil => "%!t(<nil>)".into(),
        Value::String(s) => format!("%!t(string={s})"),
        Value::Float(f) => format!("%!t(float64={f})"),
        Value::Int(i) => format!("%!t(int={i})"),
        Value::Int64(i) => format!("%!t(int64={i})"),
        other => format!("%!t({})", other.type_name()),
    }
}

/// Helm's `coalesceGlobals`: the parent's `global` flows into the subchart's, parent
/// entries winning (maps merged recursively); nothing flows back up.
fn coalesce_globals(
    dest: &mut Map,
    parent: &Map,
    prefix: &str,
    warnings: &mut Vec<helm_log::Line>,
) {
    let mut dg = match dest.get("global") {
        None => Map::new(),
        Some(Value::Map(m)) => (**m).clone(),
        Some(_) => {
            warnings.push(helm_log::info(
                "warning: skipping globals because destination global is not a table.",
            ));
            return;
        }
    };
    let sg = match parent.get("global") {
        None => Map::new(),
        Some(Value::Map(m)) => (**m).clone(),
        Some(_) => {
            warnings.push(helm_log::info(
                "warning: skipping globals because source global is not a table.",
            ));
            return;
        }
    };
    for (key, val) in sg {
        match (&val, dg.get(&key)) {
            (Value::Map(pv), None) => {
                dg.insert(key, Value::Map(pv.clone()));
            }
            (Value::Map(pv), Some(Value::Map(dv))) => {
                let mut merged = (**dv).clone();
                merge_values(&mut merged, pv);
                dg.insert(key, Value::map(merged));
            }
            (Value::Map(_), Some(_)) => warnings.push(helm_log::info(format!(
                "Conflict: cannot merge map onto non-map for {:?}. Skipping.",
                concat_prefix(prefix, &key)
            ))),
            (_, Some(Value::Map(_))) => {
                warnings.push(helm_log::info(format!("key {key} is table. Skipping")))
            }
            _ => {
                dg.insert(key, val);
            }
        }
    }
    dest.insert("global".into(), Value::map(dg));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::model::{ChartFile, Metadata};
    use crate::chart::values::parse_values;

    fn v(src: &str) -> Map {
        parse_values(src).unwrap()
    }

    fn chart(name: &str, values: &str, deps: Vec<Chart>, reqs: &str) -> Chart {
        let mut metadata = Metadata {
            name: name.into(),
            version: "1.0.0".into(),
            api_version: "v2".into(),
            ..Default::default()
        };
        if !reqs.is_empty() {
            crate::chart::meta::parse_requirements(reqs, &mut metadata).unwrap();
            // Test declarations without a version accept any (`*`); see `unversioned_*`.
            for d in &mut metadata.dependencies {
                if d.version.is_empty() {
                    d.version = "*".into();
                }
            }
        }
        Chart {
            metadata,
            values: v(values),
            dependencies: deps,
            templates: vec![
                ChartFile {
                    name: "templates/_h.tpl".into(),
                    data: b""[..].into(),
                },
                ChartFile {
                    name: "templates/t.yaml".into(),
                    data: b""[..].into(),
                },
            ],
            ..Default::default()
        }
    }

    fn names(c: &Chart) -> Vec<&str> {
        c.dependencies
            .iter()
            .map(|d| d.metadata.name.as_str())
            .collect()
    }

    fn process(c: &mut Chart, user: &str) -> Map {
        let mut w = Vec::new();
        let user = v(user);
        process_dependencies(c, &user, &mut w).unwrap();
        coalesce_chart_values(c, &user, &mut w).unwrap()
    }

    #[test]
    fn missing_dependencies_are_named() {
        let c = chart("c", "", vec![], "dependencies:\n- name: nothere\n");
        assert_eq!(
            check_dependencies(&c).unwrap_err().to_string(),
            "an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: nothere"
        );
    }

    #[test]
    fn conditions_win_over_tags() {
        let subs = vec![
            chart("a", "", vec![], ""),
            chart("b", "", vec![], ""),
            chart("d", "", vec![], ""),
        ];
        let mut c = chart(
            "c",
            "a: {enabled: true}\ntags: {t: false}\n",
            subs,
            "dependencies:\n- name: a\n  condition: a.enabled\n  tags: [t]\n- name: b\n  tags: [t]\n- name: d\n  condition: nope.enabled,d.flag\n",
        );
        let values = process(&mut c, "d: {flag: false}\n");
        assert_eq!(names(&c), ["a"]);
        // A disabled chart's user values stay as given; its defaults are not coalesced.
        assert_eq!(values["d"], Value::map(v("flag: false\n")));
    }

    #[test]
    fn non_bool_conditions_fall_through() {
        let mut c = chart(
            "c",
            "p: 'yes'\nq: false\n",
            vec![chart("a", "", vec![], "")],
            "dependencies:\n- name: a\n  condition: p,q\n",
        );
        let mut w = Vec::new();
        process_dependencies(&mut c, &Map::new(), &mut w).unwrap();
        assert!(c.dependencies.is_empty());
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn aliases_copy_and_rename() {
        let sub = chart("sub", "x: 1\n", vec![], "");
        let mut c = chart(
            "c",
            "",
            vec![sub],
            "dependencies:\n- name: sub\n  alias: one\n- name: sub\n  alias: two\n",
        );
        let values = process(&mut c, "two: {x: 2}\n");
        assert_eq!(names(&c), ["one", "two"]);
        assert_eq!(values["one"], Value::map(v("x: 1\nglobal: {}\n")));
        assert_eq!(values["two"], Value::map(v("x: 2\nglobal: {}\n")));
    }

    #[test]
    fn unversioned_or_mismatched_declarations_bind_nothing() {
        let mut c = chart(
            "c",
            "",
            vec![chart("sub", "", vec![], ""), chart("other", "", vec![], "")],
            "dependencies:\n- name: sub\n  alias: ali\n  version: none\n- name: other\n  version: ^2.0.0\n  alias: o\n",
        );
        process(&mut c, "");
        assert_eq!(names(&c), ["sub", "other"]);
    }

    #[test]
    fn undeclared_subcharts_come_first() {
        let mut c = chart(
            "c",
            "",
            vec![chart("a", "", vec![], ""), chart("z", "", vec![], "")],
            "dependencies:\n- name: a\n",
        );
        process(&mut c, "");
        assert_eq!(names(&c), ["z", "a"]);
    }

    #[test]
    fn import_values_sit_under_parent_values() {
        let sub = chart(
            "sub",
            "exports: {data: {e: 1}}\nimported: {a: 1, b: 2}\n",
            vec![],
            "",
        );
        let mut c = chart(
            "c",
            "imported: {b: 99}\n",
            vec![sub],
            "dependencies:\n- name: sub\n  import-values:\n  - data\n  - child: imported\n    parent: imported\n  - child: missing\n    parent: x\n",
        );
        let values = process(&mut c, "");
        assert_eq!(
            c.metadata.dependencies[0].import_values[0],
            serde_json::json!({"child": "exports.data", "parent": "."})
        );
        assert_eq!(values["imported"], Value::map(v("a: 1\nb: 99\n")));
        assert_eq!(values["e"], Value::Float(1.0));
        assert!(!values.contains_key("x"));
    }

    #[test]
    fn globals_flow_down_only() {
        let sub = chart("sub", "global: {a: 9, b: 2}\n", vec![], "");
        let mut c = chart("c", "global: {a: 1}\n", vec![sub], "");
        let values = process(&mut c, "");
        assert_eq!(values["global"], Value::map(v("a: 1\n")));
        assert_eq!(
            values["sub"].as_map().unwrap()["global"],
            Value::map(v("a: 1\nb: 2\n"))
        );
    }

    #[test]
    fn user_null_deletes_a_subchart_default() {
        let sub = chart("sub", "x: 1\ny: 2\n", vec![], "");
        let mut c = chart(
            "c",
            "sub: {y: 3}\n",
            vec![sub],
            "dependencies:\n- name: sub\n",
        );
        let values = process(&mut c, "sub: {x: null}\n");
        assert_eq!(values["sub"], Value::map(v("y: 3\nglobal: {}\n")));
    }

    /// helm 4.1.4 keeps a nested null that the subchart's own defaults also hold (its
    /// `coalesceTablesFullKey` deletes a user null only over a non-null default), and drops
    /// a top-level one. Verified against helm4 with a `toJson .Values` template.
    #[test]
    fn subchart_default_nulls_survive_when_nested() {
        let sub = chart("sub", "h: {x: null, k: 1}\nt: null\n", vec![], "");
        let mut c = chart("c", "", vec![sub], "dependencies:\n- name: sub\n");
        let values = process(&mut c, "");
        assert_eq!(
            values["sub"],
            Value::map(v("global: {}\nh: {x: null, k: 1}\n"))
        );
    }

    #[test]
    fn non_map_subchart_values_are_an_error() {
        let c = chart("c", "", vec![chart("sub", "", vec![], "")], "");
        let err = coalesce_chart_values(&c, &v("sub: text\n"), &mut Vec::new()).unwrap_err();
        assert_eq!(err.to_string(), "type mismatch on sub: %!t(string=text)");
    }

    #[test]
    fn library_subcharts_keep_only_partials() {
        let mut lib = chart("lib", "", vec![], "");
        lib.metadata.chart_type = "library".into();
        let mut c = chart("c", "", vec![lib], "dependencies:\n- name: lib\n");
        process(&mut c, "");
        let t: Vec<_> = c.dependencies[0]
            .templates
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(t, ["templates/_h.tpl"]);
        assert_eq!(c.templates.len(), 2);
    }

    #[test]
    fn nested_conditions_use_the_parents_path() {
        let inner = chart("inner", "", vec![], "");
        let mid = chart(
            "mid",
            "",
            vec![inner],
            "dependencies:\n- name: inner\n  condition: inner.flag\n",
        );
        let mut c = chart("c", "", vec![mid], "dependencies:\n- name: mid\n");
        process(&mut c, "mid: {inner: {flag: false}}\n");
        assert!(c.dependencies[0].dependencies.is_empty());
    }
}
