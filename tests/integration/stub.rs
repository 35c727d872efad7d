//! A loopback HTTP server that records each request and answers with a canned response.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Response, StatusCode};

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub(crate) struct Seen {
    pub(crate) method: Method,
    /// The path and query exactly as sent (still percent-encoded).
    pub(crate) path: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// A canned answer.
#[derive(Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Vec<u8>,
    /// How long to wait before answering.
    pub(crate) delay: Duration,
}

impl Reply {
    pub(crate) fn json(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.as_bytes().to_vec(),
            delay: Duration::ZERO,
        }
    }

    pub(crate) fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    pub(crate) fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }
}

pub(crate) struct Stub {
    pub(crate) base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Stub {
    /// Starts a server on `127.0.0.1:0` answering every request with `reply(request)`.
    pub(crate) async fn start(reply: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        let reply = Arc::new(reply);
        let app = axum::Router::new().fallback(
            move |method: Method, uri: axum::http::Uri, headers: HeaderMap, body: Bytes| {
                let record = Arc::clone(&record);
                let reply = Arc::clone(&reply);
                async move {
                    let path = uri.path_and_query().map(ToString::to_string).unwrap_or_default();
                    let request = Seen { method, path, headers, body };
                    let answer = reply(&request);
                    record.lock().unwrap().push(request);
                    tokio::time::sleep(answer.delay).await;
                    let mut response =
                        Response::builder().status(StatusCode::from_u16(answer.status).unwrap());
                    for (name, value) in answer.headers {
                        response = response.header(name, value);
                    }
                    response.body(Body::from(answer.body)).unwrap()
                }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { base_url: format!("http://{address}/v1.0"), seen }
    }

    pub(crate) fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub(crate) fn client(&self) -> graph_entity::Client {
        graph_entity::Client::builder()
            .base_url(&self.base_url)
            .bearer_token("test-token")
            .build()
            .unwrap()
    }
}

/// A loopback TCP server that answers each connection with raw bytes, for answers an HTTP
/// server would not send (a body cut short, a proxy's answer to `CONNECT`), and keeps what each
/// connection sent, up to the end of its head and body.
pub(crate) struct RawStub {
    pub(crate) url: String,
    seen: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl RawStub {
    pub(crate) async fn start(answer: &'static [u8]) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&seen);
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else { return };
                let record = Arc::clone(&record);
                tokio::spawn(async move {
                    let request = read_request(&mut socket).await;
                    record.lock().unwrap().push(request);
                    let _ = socket.write_all(answer).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Self { url: format!("http://{address}"), seen }
    }

    /// What each connection sent, as text.
    pub(crate) fn requests(&self) -> Vec<String> {
        self.seen.lock().unwrap().iter().map(|r| String::from_utf8_lossy(r).into_owned()).collect()
    }
}

/// Reads a request head and as much body as its `Content-Length` says (bounded).
async fn read_request(socket: &mut tokio::net::TcpStream) -> Vec<u8> {
    let mut data = Vec::new();
    let mut buffer = [0; 4096];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|n| n.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length.min(1 << 20) {
                return data;
            }
        }
        match tokio::time::timeout_at(deadline, socket.read(&mut buffer)).await {
            Ok(Ok(n)) if n > 0 => data.extend_from_slice(&buffer[..n]),
            _ => return data,
        }
    }
}
