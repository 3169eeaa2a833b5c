//! OCI registries (HELM-SEMANTICS.md §5.7) over the registry HTTP API v2: tag listing for
//! constraints, the manifest, and the chart layer
//! (`application/vnd.cncf.helm.chart.content.v1.tar+gzip`).
//!
//! Auth follows the Docker token flow: a request answered 401 with
//! `WWW-Authenticate: Bearer realm=…,service=…,scope=…` is retried with a token from the
//! realm (asked anonymously, or with the repository's basic credentials); a `Basic`
//! challenge is retried with the basic credentials. A `tokenEnv` token is sent as a bearer
//! token from the start. Registries on loopback are reached over plain HTTP (as Docker
//! treats `localhost`), every other registry over HTTPS.

use std::sync::Mutex;

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, WWW_AUTHENTICATE};

use crate::chart::semver::Version;

use super::http::{Auth, HttpClient, check_status};
use super::resolve::{resolve_version, select_version};
use super::source::OciRef;
use super::{Error, Result};

pub const CHART_LAYER: &str = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
const MANIFEST_TYPES: &str = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

/// A registry session for one chart repository.
pub struct OciClient<'a> {
    http: &'a HttpClient,
    reference: &'a OciRef,
    base: String,
    /// The bearer token obtained for this repository, reused for every request.
    token: Mutex<Option<String>>,
}

/// The chart layer of a manifest.
pub struct ChartLayer {
    /// Hex SHA-256 (without `sha256:`).
    pub digest: String,
    pub size: u64,
}

fn is_loopback(registry: &str) -> bool {
    let host = registry
        .rsplit_once(':')
        .filter(|(h, p)| !h.ends_with(']') || p.chars().all(|c| c.is_ascii_digit()))
        .map_or(registry, |(h, _)| h);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `1.2.3`, `1.2.3-rc.1+b`: a full version, used as a tag without listing (Helm pulls
/// such a version directly; anything else is a constraint matched against the tags).
fn is_strict_version(s: &str) -> bool {
    let core = s.split(['-', '+']).next().unwrap_or_default();
    core.split('.').count() == 3
        && core
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && Version::parse(s).is_ok()
}

impl<'a> OciClient<'a> {
    /// `token`: one obtained earlier in the run for this repository, if any.
    pub fn new(
        http: &'a HttpClient,
        reference: &'a OciRef,
        token: Option<String>,
    ) -> OciClient<'a> {
        let scheme = if is_loopback(&reference.registry) {
            "http"
        } else {
            "https"
        };
        OciClient {
            http,
            reference,
            base: format!(
                "{scheme}://{}/v2/{}",
                reference.registry, reference.repository
            ),
            token: Mutex::new(token.or_else(|| match http.auth() {
                Some(Auth::Bearer(t)) => Some(t.clone()),
                _ => None,
            })),
        }
    }

    /// The bearer token in use, to hand to the next client for the same repository.
    pub fn token(&self) -> Option<String> {
        self.current_token()
    }

    fn current_token(&self) -> Option<String> {
        self.token.lock().ok().and_then(|t| t.clone())
    }

    /// GET with auth, answering one challenge.
    async fn get(&self, url: &str, accept: Option<&str>) -> Result<reqwest::Response> {
        let build = |token: Option<String>, basic: bool| {
            let mut req = self.http.raw().get(url);
            if let Some(a) = accept {
                req = req.header(ACCEPT, a);
            }
            if let Some(t) = token {
                req = req.bearer_auth(t);
            } else if basic && let Some(auth @ Auth::Basic { .. }) = self.http.auth() {
                req = auth.apply(req);
            }
            req
        };
        let resp = self
            .http
            .send(url, build(self.current_token(), false))
            .await?;
        if resp.status() != StatusCode::UNAUTHORIZED {
            return Ok(resp);
        }
        let challenge = resp
            .headers()
            .get(WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let retry = if challenge.to_ascii_lowercase().starts_with("bearer") {
            let token = self.fetch_token(&challenge).await?;
            if let Ok(mut t) = self.token.lock() {
                *t = Some(token.clone());
            }
            build(Some(token), false)
        } else {
            build(None, true)
        };
        self.http.send(url, retry).await
    }

    /// The token endpoint of a Bearer challenge.
    async fn fetch_token(&self, challenge: &str) -> Result<String> {
        let params = parse_challenge(challenge);
        let get = |k: &str| {
            params
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.clone())
        };
        let realm = get("realm").ok_or_else(|| Error::Registry {
            url: self.base.clone(),
            message: format!("the registry's auth challenge has no realm: {challenge}"),
        })?;
        let mut url = reqwest::Url::parse(&realm).map_err(|e| Error::Registry {
            url: realm.clone(),
            message: format!("invalid token realm: {e}"),
        })?;
        {
            let mut q = url.query_pairs_mut();
            if let Some(service) = get("service") {
                q.append_pair("service", &service);
            }
            let scope = get("scope")
                .unwrap_or_else(|| format!("repository:{}:pull", self.reference.repository));
            q.append_pair("scope", &scope);
        }
        let url = url.to_string();
        let mut req = self.http.raw().get(&url);
        if let Some(auth @ Auth::Basic { .. }) = self.http.auth() {
            req = auth.apply(req);
        }
        let resp = check_status(&url, self.http.send(&url, req).await?)?;
        let body = self.http.read_body(&url, resp, 1024 * 1024).await?;
        let json: serde_json::Value =
            serde_json::from_slice(&body).map_err(|e| Error::Registry {
                url: url.clone(),
                message: format!("the token answer is not JSON: {e}"),
            })?;
        json.get("token")
            .or_else(|| json.get("access_token"))
            .and_then(|t| t.as_str())
            .map(str::to_string)
            .ok_or_else(|| Error::Registry {
                url,
                message: "the token answer has no `token`".into(),
            })
    }

    /// Every tag, `_` turned back into `+` (OCI tags cannot hold `+`), following pages.
    pub async fn tags(&self) -> Result<Vec<String>> {
        let mut url = format!("{}/tags/list", self.base);
        let mut tags = Vec::new();
        for _ in 0..1000 {
            let resp = check_status(&url, self.get(&url, None).await?)?;
            let next = resp
                .headers()
                .get(reqwest::header::LINK)
                .and_then(|v| v.to_str().ok())
                .and_then(next_link);
            let body = self.http.read_body(&url, resp, 64 * 1024 * 1024).await?;
            let json: serde_json::Value =
                serde_json::from_slice(&body).map_err(|e| Error::Registry {
                    url: url.clone(),
                    message: format!("the tag list is not JSON: {e}"),
                })?;
            if let Some(list) = json.get("tags").and_then(|t| t.as_array()) {
                tags.extend(
                    list.iter()
                        .filter_map(|t| t.as_str())
                        .map(|t| t.replace('_', "+")),
                );
            }
            match next {
                Some(n) => {
                    url = reqwest::Url::parse(&self.base)
                        .and_then(|b| b.join(&n))
                        .map(String::from)
                        .unwrap_or(n);
                }
                None => break,
            }
        }
        Ok(tags)
    }

    /// The version to pull for `requested` (Helm's `GetTagMatchingVersionOrConstraint`).
    pub async fn resolve(&self, requested: Option<&str>) -> Result<String> {
        let requested = requested.map(str::trim).filter(|r| !r.is_empty());
        if let Some(r) = requested.filter(|r| is_strict_version(r)) {
            return Ok(r.to_string());
        }
        let tags = self.tags().await?;
        if let Some(r) = requested.filter(|r| tags.iter().any(|t| t == r)) {
            return Ok(r.to_string());
        }
        let mut versions: Vec<(String, Version)> = tags
            .iter()
            .filter_map(|t| Version::parse(t).ok().map(|v| (t.clone(), v)))
            .collect();
        versions.sort_by(|a, b| b.1.cmp(&a.1));
        let constraint = resolve_version(requested)?;
        // The exact-text rule was applied above, against the raw tags.
        match select_version(
            versions.iter().map(|(t, v)| (t.as_str(), v)),
            None,
            &constraint,
        ) {
            Some(i) => Ok(versions[i].0.clone()),
            None => Err(Error::NoVersion {
                chart: self.reference.to_string(),
                constraint: requested.unwrap_or("*").to_string(),
                available: versions.into_iter().map(|(t, _)| t).collect(),
            }),
        }
    }

    /// The chart layer of `version`'s manifest.
    pub async fn chart_layer(&self, version: &str) -> Result<ChartLayer> {
        let url = format!("{}/manifests/{}", self.base, version.replace('+', "_"));
        let resp = self.get(&url, Some(MANIFEST_TYPES)).await?;
        if resp.status() == StatusCode::NOT_FOUND {
            return Err(Error::Registry {
                url,
                message: format!("{} has no version `{version}`", self.reference),
            });
        }
        let resp = check_status(&url, resp)?;
        let body = self.http.read_body(&url, resp, 4 * 1024 * 1024).await?;
        let json: serde_json::Value =
            serde_json::from_slice(&body).map_err(|e| Error::Registry {
                url: url.clone(),
                message: format!("the manifest is not JSON: {e}"),
            })?;
        let layer = json
            .get("layers")
            .and_then(|l| l.as_array())
            .into_iter()
            .flatten()
            .find(|l| l.get("mediaType").and_then(|m| m.as_str()) == Some(CHART_LAYER))
            .ok_or_else(|| Error::Registry {
                url: url.clone(),
                message: format!("not a Helm chart: the manifest has no `{CHART_LAYER}` layer"),
            })?;
        let digest = layer
            .get("digest")
            .and_then(|d| d.as_str())
            .and_then(|d| d.strip_prefix("sha256:"))
            .filter(|d| d.len() == 64 && d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| Error::Registry {
                url: url.clone(),
                message: "the chart layer has no sha256 digest".into(),
            })?;
        Ok(ChartLayer {
            digest: digest.to_ascii_lowercase(),
            size: layer.get("size").and_then(|s| s.as_u64()).unwrap_or(0),
        })
    }

    /// The blob with this digest (not yet verified).
    pub async fn blob(&self, digest: &str, max: u64) -> Result<(String, Vec<u8>)> {
        let url = format!("{}/blobs/sha256:{digest}", self.base);
        let resp = check_status(&url, self.get(&url, None).await?)?;
        let data = self.http.read_body(&url, resp, max).await?;
        Ok((url, data))
    }
}

/// `key="value"` pairs of a `WWW-Authenticate` header (after the scheme).
fn parse_challenge(header: &str) -> Vec<(String, String)> {
    let rest = header.split_once(' ').map_or("", |(_, r)| r);
    let mut out = Vec::new();
    let mut chars = rest.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
            chars.next();
        }
        let key: String = chars.by_ref().take_while(|c| *c != '=').collect();
        if key.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            while let Some(c) = chars.peek().copied().filter(|c| *c != ',') {
                value.push(c);
                chars.next();
            }
        }
        out.push((key.trim().to_string(), value));
    }
    out
}

/// The `rel="next"` target of a `Link` header.
fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        params.contains("rel=\"next\"").then(|| {
            target
                .trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_and_links() {
        let p = parse_challenge(
            r#"Bearer realm="http://a/token",service="reg",scope="repository:c/w:pull""#,
        );
        assert_eq!(
            p,
            [
                ("realm".to_string(), "http://a/token".to_string()),
                ("service".into(), "reg".into()),
                ("scope".into(), "repository:c/w:pull".into())
            ]
        );
        assert_eq!(
            next_link(r#"</v2/c/tags/list?n=2&last=b>; rel="next""#).as_deref(),
            Some("/v2/c/tags/list?n=2&last=b")
        );
        assert!(is_loopback("127.0.0.1:5000"));
        assert!(is_loopback("localhost"));
        assert!(is_loopback("[::1]:5000"));
        assert!(!is_loopback("ghcr.io"));
        assert!(is_strict_version("1.2.3-rc.1+b"));
        assert!(!is_strict_version("1.2"));
        assert!(!is_strict_version("v1.2.3"));
        assert!(!is_strict_version("~1.2.3"));
    }
}
