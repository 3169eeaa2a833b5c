//! Choosing a version the way Helm does (HELM-SEMANTICS.md §5.6, §5.10), mirroring
//! helm `pkg/repo` `IndexFile.Get` and `pkg/registry` `GetTagMatchingVersionOrConstraint`:
//!
//! - an empty request means `*`: the highest *stable* version (pre-releases only match a
//!   constraint that itself names a pre-release);
//! - a request equal to a listed version's text picks it, even a pre-release;
//! - otherwise the highest version satisfying the constraint.
//!
//! The constraint is parsed before the exact match is tried, as `IndexFile.Get` does, so
//! an unparsable request fails even when some version's text equals it.

use crate::chart::semver::{Constraint, Version};

use super::{Error, Result};

/// Parses a request (`None`/empty = `*`).
pub fn resolve_version(requested: Option<&str>) -> Result<Constraint> {
    let text = requested
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .unwrap_or("*");
    Constraint::parse(text).map_err(|e| Error::BadConstraint {
        constraint: text.to_string(),
        message: e.to_string(),
    })
}

/// The position in `versions` (highest first, as index entries are sorted) of the version
/// Helm would pick for `requested`, or `None` when nothing matches.
pub fn select_version<'a>(
    versions: impl IntoIterator<Item = (&'a str, &'a Version)> + Clone,
    requested: Option<&str>,
    constraint: &Constraint,
) -> Option<usize> {
    if let Some(req) = requested.filter(|r| !r.is_empty())
        && let Some(i) = versions
            .clone()
            .into_iter()
            .position(|(text, _)| text == req)
    {
        return Some(i);
    }
    versions
        .into_iter()
        .position(|(_, parsed)| constraint.matches(parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(list: &[&str], req: &str) -> Option<String> {
        let mut parsed: Vec<(String, Version)> = list
            .iter()
            .map(|v| (v.to_string(), Version::parse(v).unwrap()))
            .collect();
        parsed.sort_by(|a, b| b.1.cmp(&a.1));
        let req = Some(req).filter(|r| !r.is_empty());
        let c = resolve_version(req).unwrap();
        select_version(parsed.iter().map(|(t, v)| (t.as_str(), v)), req, &c)
            .map(|i| parsed[i].0.clone())
    }

    #[test]
    fn helm_rules() {
        let list = [
            "1.0.0",
            "1.2.0",
            "1.2.5",
            "1.3.0-beta.1",
            "2.0.0",
            "2.1.0-rc.1",
        ];
        assert_eq!(pick(&list, "").as_deref(), Some("2.0.0"));
        assert_eq!(pick(&list, "~1.2").as_deref(), Some("1.2.5"));
        assert_eq!(pick(&list, "^1").as_deref(), Some("1.2.5"));
        assert_eq!(pick(&list, ">=1.3.0-0").as_deref(), Some("2.1.0-rc.1"));
        assert_eq!(pick(&list, "1.3.0-beta.1").as_deref(), Some("1.3.0-beta.1"));
        assert_eq!(pick(&list, "3.x"), None);
        assert!(resolve_version(Some("not a constraint")).is_err());
    }
}
