//! A small HTTP/1.1 server on loopback for repository tests and benches: one thread per
//! connection, one request per connection, every request logged so tests can count them.
//!
//! [`TestServer::static_dir`] serves a folder with ETag and Last-Modified validators
//! (answering 304 to a matching conditional GET) and replaces `{{BASE}}` in `index.yaml`
//! files with the server's address. [`TestServer::start`] takes any handler (the fake OCI
//! registry uses it). [`silent_server`] accepts connections and never answers (timeouts).

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the support code"
)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

pub struct Request {
    pub method: String,
    /// Path and query.
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Response {
        self.headers.push((name.to_string(), value.into()));
        self
    }
}

type Handler = dyn Fn(&Request, &str) -> Response + Send + Sync;

pub struct TestServer {
    pub addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl TestServer {
    /// Serves `handler(request, base_url)`.
    pub fn start(
        handler: impl Fn(&Request, &str) -> Response + Send + Sync + 'static,
    ) -> TestServer {
        TestServer::listen("http", Arc::new(handler), |conn, serve_on| serve_on(conn))
    }

    /// Serves `handler` over TLS with this certificate chain and key (DER).
    pub fn start_tls(
        cert_chain: Vec<Vec<u8>>,
        key_der: Vec<u8>,
        handler: impl Fn(&Request, &str) -> Response + Send + Sync + 'static,
    ) -> TestServer {
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                cert_chain.into_iter().map(CertificateDer::from).collect(),
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key_der)),
            )
            .expect("server certificate");
        let config = Arc::new(config);
        TestServer::listen("https", Arc::new(handler), move |conn, serve_on| {
            if let Ok(tls) = rustls::ServerConnection::new(config.clone()) {
                serve_on(rustls::StreamOwned::new(tls, conn));
            }
        })
    }

    /// Accepts connections on a loopback port; `wrap` turns each into a stream (plain or
    /// TLS) and hands it to the request loop, on its own thread.
    fn listen<S: Read + Write>(
        scheme: &str,
        handler: Arc<Handler>,
        wrap: impl Fn(TcpStream, &dyn Fn(S)) + Send + Sync + 'static,
    ) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let base = format!("{scheme}://{addr}");
        let wrap = Arc::new(wrap);
        {
            let (log, stop) = (log.clone(), stop.clone());
            thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let (log, handler, base, wrap) =
                        (log.clone(), handler.clone(), base.clone(), wrap.clone());
                    thread::spawn(move || {
                        wrap(conn, &|stream| serve(stream, &log, &*handler, &base));
                    });
                }
            });
        }
        TestServer { addr, log, stop }
    }

    /// Serves the files under `root`.
    pub fn static_dir(root: PathBuf) -> TestServer {
        TestServer::start(move |req, base| static_file(&root, req, base))
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `GET /path` lines, in arrival order.
    pub fn requests(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    pub fn count(&self) -> usize {
        self.requests().len()
    }

    /// Requests whose path ends with `suffix`.
    pub fn count_path(&self, suffix: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.ends_with(suffix))
            .count()
    }

    pub fn reset(&self) {
        if let Ok(mut l) = self.log.lock() {
            l.clear();
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(mut conn: impl Read + Write, log: &Mutex<Vec<String>>, handler: &Handler, base: &str) {
    // The head, byte by byte up to the blank line (requests here are small).
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match conn.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
        if head.len() > 64 * 1024 {
            return;
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let mut parts = lines.next().unwrap_or_default().split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    let mut content_length = 0usize;
    for h in lines.filter(|l| !l.is_empty()) {
        if let Some((n, v)) = h.split_once(':') {
            if n.eq_ignore_ascii_case("content-length") {
                content_length = v.trim().parse().unwrap_or(0);
            }
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    let mut body = vec![0; content_length.min(1 << 20)];
    let _ = conn.read_exact(&mut body);
    if let Ok(mut l) = log.lock() {
        l.push(format!("{method} {path}"));
    }
    let req = Request {
        method,
        path,
        headers,
    };
    let resp = handler(&req, base);
    let mut out = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (n, v) in &resp.headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        resp.body.len()
    ));
    let _ = conn.write_all(out.as_bytes());
    if req.method != "HEAD" {
        let _ = conn.write_all(&resp.body);
    }
    let _ = conn.flush();
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        304 => "Not Modified",
        401 => "Unauthorized",
        404 => "Not Found",
        _ => "Status",
    }
}

/// A file of `root`, with validators; `{{BASE}}` replaced in `index.yaml`.
pub fn static_file(root: &std::path::Path, req: &Request, base: &str) -> Response {
    let rel = req.path.split('?').next().unwrap_or_default();
    let rel = rel.trim_start_matches('/');
    if rel.split('/').any(|p| p == "..") {
        return Response::new(404, "not found");
    }
    let Ok(mut data) = std::fs::read(root.join(rel)) else {
        return Response::new(404, "not found");
    };
    if rel.ends_with("index.yaml") {
        data = String::from_utf8_lossy(&data)
            .replace("{{BASE}}", base)
            .into_bytes();
    }
    let etag = format!("\"{:016x}\"", fnv(&data));
    let last_modified = "Thu, 01 Jan 2026 00:00:00 GMT";
    if req.header("If-None-Match") == Some(etag.as_str()) {
        return Response::new(304, Vec::new()).header("ETag", etag);
    }
    Response::new(200, data)
        .header("ETag", etag)
        .header("Last-Modified", last_modified)
}

fn fnv(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    })
}

/// A loopback port that accepts connections and never answers; kept open while the
/// returned guard lives.
pub fn silent_server() -> (SocketAddr, Arc<AtomicBool>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    let stop = Arc::new(AtomicBool::new(false));
    let s = stop.clone();
    thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming() {
            if s.load(Ordering::SeqCst) {
                break;
            }
            if let Ok(c) = conn {
                held.push(c);
            }
        }
    });
    (addr, stop)
}

/// A loopback port nothing listens on.
pub fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.local_addr().expect("local addr")
}

/// The repository fixtures copied to a fresh folder (tests may change them).
pub fn fixture_copy() -> tempfile::TempDir {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repo");
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&src, dir.path());
    dir
}

pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read fixtures") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}
