//! Helm's two ways of combining values (HELM-SEMANTICS.md §4.1, §4.2).
//!
//! * [`merge_values`]: how user-supplied sources stack up (`-f` files, stack layers):
//!   maps merge key by key, anything else (lists too) is replaced, and `null`s are kept so
//!   that they can delete a chart default later.
//! * [`coalesce_values`]: how the merged user values meet a chart's defaults: the user
//!   wins, a user `null` deletes the default, a user map over a default scalar wins with a
//!   warning.

use std::sync::Arc;

use crate::chart::helm_log;
use crate::chart::template::format::format_value;
use crate::chart::values::{Map, Value};

/// Merges `src` over `dst`: maps recursively, every other value replaced; nulls kept.
pub fn merge_values(dst: &mut Map, src: &Map) {
    for (key, value) in src {
        match (dst.get_mut(key), value) {
            (Some(Value::Map(d)), Value::Map(s)) => merge_values(Arc::make_mut(d), s),
            _ => {
                dst.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Coalesces user values with a chart's defaults, returning the values templates see
/// and Helm's warnings, as the log lines helm prints
/// (`level=INFO msg="warning: skipped value for a.b: Not a table."`).
///
/// `prefix` names the chart's position for warnings (empty for the root chart).
pub fn coalesce_values(defaults: &Map, user: Map, prefix: &str) -> (Map, Vec<helm_log::Line>) {
    let mut warnings = Vec::new();
    let mut out = user;
    coalesce_into(&mut out, defaults, prefix, true, &mut warnings);
    (out, warnings)
}

/// `top`: the chart's top-level map (Helm's `coalesceValues`) rather than a nested table
/// (`coalesceTablesFullKey`); their null and warning rules differ.
fn coalesce_into(
    user: &mut Map,
    defaults: &Map,
    prefix: &str,
    top: bool,
    warnings: &mut Vec<helm_log::Line>,
) {
    for (key, default) in defaults {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match user.get_mut(key) {
            None => {
                user.insert(key.clone(), default.clone());
            }
            // Helm's `coalesceValues` drops a top-level user null whatever the default;
            // below the top (`coalesceTablesFullKey`) only a non-null default is removed,
            // and a null over a null default stays.
            Some(Value::Nil) if top || !default.is_nil() => {
                user.remove(key);
            }
            Some(Value::Nil) => {}
            Some(Value::Map(u)) => match default {
                Value::Map(d) => coalesce_into(Arc::make_mut(u), d, &path, false, warnings),
                Value::Nil => {}
                _ if top => warnings.push(helm_log::info(format!(
                    "warning: skipped value for {path}: Not a table."
                ))),
                other => warnings.push(helm_log::info(format!(
                    "warning: destination for {path} is a table. Ignoring non-table value ({})",
                    format_value(other)
                ))),
            },
            Some(_) if !top && matches!(default, Value::Map(_)) => {
                warnings.push(helm_log::info(format!(
                    "warning: cannot overwrite table with non table for {path} ({})",
                    format_value(default)
                )))
            }
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::values::parse_values;

    fn v(src: &str) -> Map {
        parse_values(src).unwrap()
    }

    #[test]
    fn user_null_deletes_a_default_at_any_depth() {
        let (m, _) = coalesce_values(
            &v("a: 1\nb: {c: 1, d: 2}\n"),
            v("a: null\nb: {d: null}\n"),
            "",
        );
        assert_eq!(m, v("b: {c: 1}\n"));
    }

    #[test]
    fn nested_null_over_a_null_default_stays_top_level_goes() {
        let (m, _) = coalesce_values(
            &v("t: null\nh: {x: null, k: 1}\n"),
            v("t: null\nh: {x: null}\n"),
            "",
        );
        assert_eq!(m, v("h: {x: null, k: 1}\n"));
    }

    #[test]
    fn null_without_default_stays() {
        let (m, _) = coalesce_values(&v("a: 1\n"), v("x: null\n"), "");
        assert_eq!(m, v("a: 1\nx: null\n"));
        assert!(m.contains_key("x"));
    }

    #[test]
    fn lists_replace_and_maps_merge() {
        let (m, _) = coalesce_values(&v("l: [1, 2]\nm: {a: 1}\n"), v("l: [3]\nm: {b: 2}\n"), "");
        assert_eq!(m, v("l: [3]\nm: {a: 1, b: 2}\n"));
    }

    #[test]
    fn map_over_scalar_warns() {
        let (m, w) = coalesce_values(&v("a: 1\n"), v("a: {c: 1}\n"), "");
        assert_eq!(m, v("a: {c: 1}\n"));
        assert_eq!(
            w,
            vec![helm_log::info("warning: skipped value for a: Not a table.")]
        );
        let (_, w) = coalesce_values(&v("a: {b: 1}\n"), v("a: {b: {c: 1}}\n"), "");
        assert_eq!(
            w,
            vec![helm_log::info(
                "warning: destination for a.b is a table. Ignoring non-table value (1)"
            )]
        );
    }

    #[test]
    fn merge_keeps_nulls_for_later_deletion() {
        let mut dst = v("a: {b: 1, c: 2}\n");
        merge_values(&mut dst, &v("a: {b: null}\n"));
        assert_eq!(dst, v("a: {b: null, c: 2}\n"));
    }
}
