//! A loopback HTTP server that records each request and answers with a canned response.

use std::sync::{Arc, Mutex};

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
}

impl Reply {
    pub(crate) fn json(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: vec![("content-type", "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
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
