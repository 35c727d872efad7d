//! The HTTP client.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Method, Url};
use serde_json::Value;

use crate::decode::from_slice;
use crate::entity::GraphEntity;
use crate::error::{Error, ErrorDetail, GraphError, TransportError, snippet};

/// The default service root: global Microsoft Graph, API version `v1.0`.
pub const DEFAULT_BASE_URL: &str = "https://graph.microsoft.com/v1.0";
/// The default largest success body read, in bytes.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// The most bytes read of an error body: Graph's errors are small.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// A Microsoft Graph client: a service root, credentials and an HTTP connection pool.
///
/// Cheap to clone (it is an `Arc`); share one per application. `Debug` never shows the token.
///
/// ```
/// use graph_entity_runtime::Client;
///
/// let client = Client::builder()
///     .base_url("http://127.0.0.1:8080/v1.0")
///     .bearer_token("eyJ0eXAi...")
///     .build()?;
/// assert!(!format!("{client:?}").contains("eyJ0eXAi"));
/// # Ok::<(), graph_entity_runtime::Error>(())
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Without a trailing `/`.
    base_url: String,
    authorization: HeaderValue,
    max_response_bytes: usize,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("authorization", &"Bearer <redacted>")
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The service root requests go to, such as `https://graph.microsoft.com/v1.0`.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Creates `entity` in the collection at `E::TEMPLATE` filled with `path_args`: validates
    /// it, sends `POST` with its JSON, and returns the entity the service created.
    ///
    /// The generated `create` method of each entity calls this with checked arguments; call it
    /// directly from code that is generic over entities.
    ///
    /// # Errors
    ///
    /// [`Error::Validation`] or [`Error::Path`] before any I/O; otherwise the error of the
    /// request or of its response (see [`Error`]).
    pub async fn create<E: GraphEntity>(&self, entity: &E, path_args: &[&str]) -> Result<E, Error> {
        entity.validate()?;
        let path = E::TEMPLATE.render(path_args)?;
        let body = serde_json::to_vec(entity).map_err(Error::Encode)?;
        let response = self.send(Method::POST, &path, Some(body)).await?;
        self.read_entity(response).await
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Result<reqwest::Response, Error> {
        let url = format!("{}{path}", self.inner.base_url);
        let mut request = self
            .inner
            .http
            .request(method, url)
            .header(AUTHORIZATION, self.inner.authorization.clone())
            .header(ACCEPT, JSON);
        if let Some(body) = body {
            request = request.header(CONTENT_TYPE, JSON).body(body);
        }
        request.send().await.map_err(transport)
    }

    async fn read_entity<E: GraphEntity>(&self, response: reqwest::Response) -> Result<E, Error> {
        let status = response.status().as_u16();
        if !response.status().is_success() {
            return Err(read_error(response).await);
        }
        let body = read_limited(response, self.inner.max_response_bytes, true).await?;
        from_slice::<E>(&body).map_err(|mut error| {
            error.status = Some(status);
            Error::from(error)
        })
    }
}

fn transport(error: reqwest::Error) -> Error {
    Error::Transport(TransportError::new(error))
}

/// Reads at most `limit` bytes of the body; more is an error when `strict`, cut otherwise.
async fn read_limited(
    mut response: reqwest::Response,
    limit: usize,
    strict: bool,
) -> Result<Vec<u8>, Error> {
    let status = response.status().as_u16();
    let too_large = Error::ResponseTooLarge { status, limit };
    let declared = response.content_length().and_then(|n| usize::try_from(n).ok());
    if strict && declared.is_some_and(|n| n > limit) {
        return Err(too_large);
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(0).min(limit));
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        let room = limit - body.len();
        if chunk.len() > room {
            if strict {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk[..room]);
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Turns a non-success response into [`Error::Graph`], or [`Error::UnexpectedResponse`] when the
/// body is not Graph's error format.
async fn read_error(response: reqwest::Response) -> Error {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = match read_limited(response, MAX_ERROR_BODY_BYTES, false).await {
        Ok(body) => body,
        Err(error) => return error,
    };
    parse_error(status, &headers, &body)
}

pub(crate) fn parse_error(status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
    match graph_error(status, headers, body) {
        Some(error) => Error::from(error),
        None => Error::UnexpectedResponse {
            status,
            content_type: header(headers, CONTENT_TYPE.as_str()),
            snippet: snippet(body),
        },
    }
}

fn graph_error(status: u16, headers: &HeaderMap, body: &[u8]) -> Option<GraphError> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let error = value.get("error")?.as_object()?;
    let code = error.get("code")?.as_str()?.to_owned();
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    let error_value = value.get("error")?;
    let inner = error.get("innerError").or_else(|| error.get("innererror"));
    let inner_text = |key: &str| inner.and_then(|i| text(i, key));
    let details = error
        .get("details")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|d| ErrorDetail {
                    code: text(d, "code").unwrap_or_default(),
                    message: text(d, "message").unwrap_or_default(),
                    target: text(d, "target"),
                })
                .collect()
        })
        .unwrap_or_default();
    Some(GraphError {
        status,
        code,
        message: text(error_value, "message").unwrap_or_default(),
        target: text(error_value, "target"),
        details,
        request_id: header(headers, "request-id").or_else(|| inner_text("request-id")),
        client_request_id: header(headers, "client-request-id")
            .or_else(|| inner_text("client-request-id")),
        date: inner_text("date").or_else(|| header(headers, "date")),
    })
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// Builds a [`Client`].
#[derive(Debug)]
pub struct ClientBuilder {
    base_url: String,
    token: Option<Token>,
    timeout: Duration,
    connect_timeout: Duration,
    max_response_bytes: usize,
}

/// A bearer token that never shows itself.
struct Token(String);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            token: None,
            // The official SDKs' defaults (kiota: 100 s total, 30 s to connect).
            timeout: Duration::from_secs(100),
            connect_timeout: Duration::from_secs(30),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

impl ClientBuilder {
    /// The service root, including the API version: `https://graph.microsoft.com/v1.0` by
    /// default; a loopback `http://127.0.0.1:PORT/v1.0` for a local emulator.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// A bearer token sent as `Authorization: Bearer <token>` on every request.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Token(token.into()));
        self
    }

    /// The longest a request may take, from sending to the end of the body (default 100 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting may take (default 30 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The largest success body read, in bytes (default 16 MiB); a larger one is
    /// [`Error::ResponseTooLarge`], not buffered.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for a base URL that does not parse, has a query, fragment or user
    /// info, or would send the token over plain `http` to a host other than loopback; for a
    /// missing or malformed token.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = check_base_url(&self.base_url)?;
        let Some(Token(token)) = self.token else {
            return Err(Error::Config("no credentials: set a bearer token".to_owned()));
        };
        let mut authorization = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
            Error::Config(
                "the bearer token has characters that are not allowed in an HTTP header".to_owned(),
            )
        })?;
        authorization.set_sensitive(true);
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            // Following redirects could carry the request somewhere the caller did not choose.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("graph-entity/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                authorization,
                max_response_bytes: self.max_response_bytes,
            }),
        })
    }
}

fn check_base_url(raw: &str) -> Result<String, Error> {
    let url = Url::parse(raw)
        .map_err(|e| Error::Config(format!("base URL `{raw}` does not parse: {e}")))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!("base URL `{raw}` must not have a query or fragment")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config("base URL must not contain user info".to_owned()));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(Error::Config(format!(
                "base URL `{raw}` uses plain http to a host that is not loopback: the bearer token would travel unencrypted; use https"
            )));
        }
        other => {
            return Err(Error::Config(format!("base URL scheme `{other}` is not http or https")));
        }
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// `localhost`, `127.0.0.0/8` or `::1`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_tokens_over_plain_http_except_to_loopback() {
        for ok in [
            "https://graph.microsoft.com/v1.0",
            "http://127.0.0.1:8080/v1.0",
            "http://127.1.2.3/v1.0/",
            "http://[::1]:9000/beta",
            "http://localhost:8080/v1.0",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://graph.microsoft.com/v1.0",
            "http://10.0.0.1/v1.0",
            "http://127.0.0.1.example.com/v1.0",
            "ftp://127.0.0.1/v1.0",
            "https://graph.microsoft.com/v1.0?x=1",
            "https://user:pass@graph.microsoft.com/v1.0",
            "not a url",
        ] {
            assert!(matches!(check_base_url(bad), Err(Error::Config(_))), "{bad}");
        }
        assert_eq!(check_base_url("http://127.0.0.1:1/v1.0/").unwrap(), "http://127.0.0.1:1/v1.0");
    }

    #[test]
    fn never_shows_the_token() {
        let secret = "s3cr3t-token-value";
        let client = Client::builder().bearer_token(secret).build().unwrap();
        assert!(!format!("{client:?}").contains(secret));
        let builder = Client::builder().bearer_token(secret);
        assert!(!format!("{builder:?}").contains(secret));
        let error = Client::builder().bearer_token(format!("{secret}\n")).build().unwrap_err();
        assert!(!error.to_string().contains(secret) && !format!("{error:?}").contains(secret));
    }

    #[test]
    fn parses_graph_errors_and_keeps_other_bodies() {
        let mut headers = HeaderMap::new();
        headers.insert("request-id", HeaderValue::from_static("rid-header"));
        let body = br#"{"error":{"code":"TooManyRequests","message":"Please retry again later.","details":[{"code":"a","message":"b"}],"innerError":{"code":"429","date":"2020-08-18T12:51:51","request-id":"rid-body","client-request-id":"cid"}}}"#;
        let Error::Graph(e) = parse_error(429, &headers, body) else { panic!() };
        assert_eq!(
            (e.status, e.code.as_str(), e.message.as_str()),
            (429, "TooManyRequests", "Please retry again later.")
        );
        assert_eq!(e.request_id.as_deref(), Some("rid-header"));
        assert_eq!(e.client_request_id.as_deref(), Some("cid"));
        assert_eq!(e.date.as_deref(), Some("2020-08-18T12:51:51"));
        assert_eq!(e.details.len(), 1);

        let html = b"<html><body>502 Bad Gateway</body></html>";
        let error = parse_error(502, &HeaderMap::new(), html);
        assert!(
            matches!(&error, Error::UnexpectedResponse { status: 502, snippet, .. } if snippet.contains("Bad Gateway"))
        );
        for not_graph in
            [&b""[..], b"{}", br#"{"error":"x"}"#, br#"{"error":{"message":"no code"}}"#, b"[1"]
        {
            assert!(matches!(
                parse_error(500, &HeaderMap::new(), not_graph),
                Error::UnexpectedResponse { .. }
            ));
        }
        let huge = vec![b'x'; 100_000];
        let Error::UnexpectedResponse { snippet, .. } = parse_error(500, &HeaderMap::new(), &huge)
        else {
            panic!()
        };
        assert!(snippet.len() <= crate::SNIPPET_LEN + 4);
    }
}
