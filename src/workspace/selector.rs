//! Release selectors: `-l key=value,key!=value`, as in helmfile.
//!
//! Terms inside one selector must all hold; several `-l` flags select the union. Besides
//! the release labels, `name`, `namespace` and `chart` are always available. A `!=` term
//! also matches a release that lacks the label.

use std::fmt;

use super::load::Release;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Term {
    key: String,
    equal: bool,
    value: String,
}

/// One `-l` argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selector {
    terms: Vec<Term>,
    text: String,
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Selector {
    /// Parses `key=value,key!=value`.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut terms = Vec::new();
        for part in text.split(',') {
            let (key, equal, value) = if let Some((k, v)) = part.split_once("!=") {
                (k, false, v)
            } else if let Some((k, v)) = part.split_once('=') {
                (k, true, v.strip_prefix('=').unwrap_or(v))
            } else {
                return Err(format!(
                    "bad selector `{text}`: `{part}` is not `key=value` or `key!=value`"
                ));
            };
            let key = key.trim();
            if key.is_empty() || key.contains(char::is_whitespace) {
                return Err(format!(
                    "bad selector `{text}`: `{part}` has no valid label key"
                ));
            }
            terms.push(Term {
                key: key.to_string(),
                equal,
                value: value.trim().to_string(),
            });
        }
        Ok(Selector {
            terms,
            text: text.to_string(),
        })
    }

    pub fn matches(&self, release: &Release) -> bool {
        self.terms.iter().all(|t| {
            let actual = match t.key.as_str() {
                "name" => Some(release.name.as_str()),
                "namespace" => Some(release.namespace.as_str()),
                "chart" => Some(chart_name(&release.chart)),
                key => release.labels.get(key).map(String::as_str),
            };
            (actual == Some(t.value.as_str())) == t.equal
        })
    }
}

/// The chart's own name: the last path segment without a `.tgz` suffix.
fn chart_name(chart: &str) -> &str {
    let last = chart
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(chart);
    last.strip_suffix(".tgz").unwrap_or(last)
}

/// Indexes of the releases any selector matches (all releases when there is none).
pub fn select_releases(releases: &[Release], selectors: &[Selector]) -> Vec<usize> {
    (0..releases.len())
        .filter(|&i| selectors.is_empty() || selectors.iter().any(|s| s.matches(&releases[i])))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_terms_and_rejects_garbage() {
        assert!(Selector::parse("tier=db,env!=prod").is_ok());
        assert!(Selector::parse("tier").is_err());
        assert!(Selector::parse("=x").is_err());
    }

    #[test]
    fn chart_name_is_the_last_segment() {
        assert_eq!(chart_name("./charts/web/"), "web");
        assert_eq!(chart_name("bitnami/redis"), "redis");
        assert_eq!(chart_name("oci://r.io/x/app"), "app");
        assert_eq!(chart_name("./a/b-1.0.0.tgz"), "b-1.0.0");
    }
}
