//! HTTP clients for repositories: TLS (rustls, verified by default, a custom CA file,
//! `insecureSkipTLSVerify` only when asked), credentials from environment variables,
//! timeouts, conditional GET, and bounded downloads.
//!
//! Credentials go only to the repository's own origin (scheme, host and port), like
//! Helm without `--pass-credentials`: an index may point its `urls` at another host, and
//! that host must not receive the repository password.

use std::path::Path;
use std::time::Duration;

use reqwest::header::{
    ETAG, HeaderMap, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use reqwest::{StatusCode, Url};

use crate::workspace::schema::Repository;

use super::cache::Validators;
use super::{Error, Result};

/// Credentials read from the environment.
#[derive(Clone, Debug)]
pub enum Auth {
    Basic { username: String, password: String },
    Bearer(String),
}

impl Auth {
    /// The credentials a repository names, read from the environment now.
    pub fn from_env(repo: &Repository) -> Result<Option<Auth>> {
        let read = |var: &String| {
            std::env::var(var).map_err(|_| Error::MissingEnv {
                repo: repo.name.clone(),
                var: var.clone(),
            })
        };
        if let Some(var) = &repo.token_env {
            return Ok(Some(Auth::Bearer(read(var)?)));
        }
        if repo.username_env.is_none() && repo.password_env.is_none() {
            return Ok(None);
        }
        let username = repo.username_env.as_ref().map(read).transpose()?;
        let password = repo.password_env.as_ref().map(read).transpose()?;
        Ok(Some(Auth::Basic {
            username: username.unwrap_or_default(),
            password: password.unwrap_or_default(),
        }))
    }

    pub fn apply(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            Auth::Basic { username, password } => req.basic_auth(username, Some(password)),
            Auth::Bearer(token) => req.bearer_auth(token),
        }
    }
}

/// A client bound to one repository's TLS settings and credentials.
#[derive(Clone, Debug)]
pub struct HttpClient {
    client: reqwest::Client,
    auth: Option<Auth>,
    /// `scheme://host:port` that may receive `auth`.
    origin: Option<String>,
    timeout: Duration,
}

/// Largest index accepted (big public repositories serve ~20 MB).
pub const MAX_INDEX_SIZE: u64 = 256 * 1024 * 1024;

/// Conditional GET result.
pub enum Fetched {
    NotModified,
    Body {
        data: Vec<u8>,
        validators: Validators,
    },
}

fn origin(url: &str) -> Option<String> {
    let u = Url::parse(url).ok()?;
    Some(format!(
        "{}://{}:{}",
        u.scheme(),
        u.host_str()?,
        u.port_or_known_default()?
    ))
}

impl HttpClient {
    /// A client for `repo` (or an anonymous one), with its CA file resolved against `dir`.
    pub fn new(repo: Option<&Repository>, dir: &Path, timeout: Duration) -> Result<HttpClient> {
        let mut builder = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("rstack/", env!("CARGO_PKG_VERSION")));
        let mut auth = None;
        let mut origin_url = None;
        if let Some(repo) = repo {
            if let Some(ca) = &repo.ca_file {
                let path = dir.join(ca);
                let pem = std::fs::read(&path).map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
                let certs =
                    reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| Error::Tls {
                        repo: repo.name.clone(),
                        message: format!("cannot read caFile {}: {e}", path.display()),
                    })?;
                if certs.is_empty() {
                    return Err(Error::Tls {
                        repo: repo.name.clone(),
                        message: format!("caFile {} holds no certificate", path.display()),
                    });
                }
                for cert in certs {
                    builder = builder.add_root_certificate(cert);
                }
            }
            if repo.insecure_skip_tls_verify {
                tracing::warn!(
                    repository = %repo.name,
                    "TLS certificates are not verified (insecureSkipTLSVerify)"
                );
                builder = builder.danger_accept_invalid_certs(true);
            }
            auth = Auth::from_env(repo)?;
            origin_url = repo.url.as_deref().map(|u| {
                // oci:// registries are reached over https (or http on loopback).
                let u = u.replacen("oci://", "https://", 1);
                origin(&u).unwrap_or_default()
            });
        }
        let client = builder.build().map_err(|e| Error::Tls {
            repo: repo.map_or_else(String::new, |r| r.name.clone()),
            message: e.to_string(),
        })?;
        Ok(HttpClient {
            client,
            auth,
            origin: origin_url,
            timeout,
        })
    }

    pub fn auth(&self) -> Option<&Auth> {
        self.auth.as_ref()
    }

    pub fn raw(&self) -> &reqwest::Client {
        &self.client
    }

    /// A GET with the repository's credentials when `url` is on its origin.
    pub fn get(&self, url: &str) -> reqwest::RequestBuilder {
        let req = self.client.get(url);
        match (&self.auth, &self.origin) {
            (Some(auth), Some(o)) if origin(url).as_deref() == Some(o.as_str()) => auth.apply(req),
            _ => req,
        }
    }

    /// Sends a request, mapping transport failures to clear errors.
    pub async fn send(&self, url: &str, req: reqwest::RequestBuilder) -> Result<reqwest::Response> {
        req.send().await.map_err(|e| self.transport_error(url, e))
    }

    pub fn transport_error(&self, url: &str, e: reqwest::Error) -> Error {
        if e.is_timeout() {
            return Error::Timeout {
                url: url.to_string(),
                secs: self.timeout.as_secs().max(1),
            };
        }
        // The innermost cause says what happened (refused, DNS, certificate).
        let mut reason = e.to_string();
        let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(&e);
        while let Some(c) = cause {
            reason = c.to_string();
            cause = c.source();
        }
        Error::Unreachable {
            url: url.to_string(),
            reason,
        }
    }

    /// GET `url` unless it still matches `validators` (ETag / Last-Modified).
    pub async fn get_conditional(
        &self,
        url: &str,
        validators: Option<&Validators>,
    ) -> Result<Fetched> {
        let mut headers = HeaderMap::new();
        if let Some(v) = validators {
            if let Some(etag) = v
                .etag
                .as_deref()
                .and_then(|e| HeaderValue::from_str(e).ok())
            {
                headers.insert(IF_NONE_MATCH, etag);
            }
            if let Some(lm) = v
                .last_modified
                .as_deref()
                .and_then(|e| HeaderValue::from_str(e).ok())
            {
                headers.insert(IF_MODIFIED_SINCE, lm);
            }
        }
        let resp = self.send(url, self.get(url).headers(headers)).await?;
        if resp.status() == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        let resp = check_status(url, resp)?;
        let header = |name| {
            resp.headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        let validators = Validators {
            etag: header(ETAG),
            last_modified: header(LAST_MODIFIED),
        };
        let data = self.read_body(url, resp, MAX_INDEX_SIZE).await?;
        Ok(Fetched::Body { data, validators })
    }

    /// GET `url` and read at most `max` bytes.
    pub async fn get_bytes(&self, url: &str, max: u64) -> Result<Vec<u8>> {
        let resp = self.send(url, self.get(url)).await?;
        let resp = check_status(url, resp)?;
        self.read_body(url, resp, max).await
    }

    pub async fn read_body(
        &self,
        url: &str,
        mut resp: reqwest::Response,
        max: u64,
    ) -> Result<Vec<u8>> {
        let mut data = Vec::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| self.transport_error(url, e))?
        {
            data.extend_from_slice(&chunk);
            if data.len() as u64 > max {
                return Err(Error::Registry {
                    url: url.to_string(),
                    message: format!("the response is larger than {max} bytes"),
                });
            }
        }
        Ok(data)
    }
}

/// A non-success status as an error naming the URL.
pub fn check_status(url: &str, resp: reqwest::Response) -> Result<reqwest::Response> {
    if resp.status().is_success() {
        Ok(resp)
    } else {
        Err(Error::Status {
            url: url.to_string(),
            status: resp.status().to_string(),
        })
    }
}

/// Resolves a chart URL from an index against the repository URL (Helm's
/// `ResolveReferenceURL`: the base is treated as a folder).
pub fn resolve_url(repo_url: &str, reference: &str) -> Result<String> {
    let mut base = Url::parse(repo_url).map_err(|e| Error::BadReference {
        chart: repo_url.to_string(),
        message: e.to_string(),
    })?;
    if !base.path().ends_with('/') {
        let p = format!("{}/", base.path());
        base.set_path(&p);
    }
    base.join(reference)
        .map(String::from)
        .map_err(|e| Error::BadReference {
            chart: reference.to_string(),
            message: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_resolve_against_the_repo_folder() {
        assert_eq!(
            resolve_url("http://h/charts", "web-1.0.0.tgz").unwrap(),
            "http://h/charts/web-1.0.0.tgz"
        );
        assert_eq!(
            resolve_url("http://h/charts/", "sub/web.tgz").unwrap(),
            "http://h/charts/sub/web.tgz"
        );
        assert_eq!(
            resolve_url("http://h/charts", "https://cdn/x.tgz").unwrap(),
            "https://cdn/x.tgz"
        );
        assert_eq!(origin("http://h:80/x").as_deref(), Some("http://h:80"));
        assert_eq!(origin("http://h/x"), origin("http://h:80/y"));
    }
}
