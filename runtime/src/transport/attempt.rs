//! One attempt of a request: the headers, the exchange on the wire, redirects within the
//! origin, and what came of it ([`Reply`]), classified for the retry rule but not judged.

use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue, LOCATION};
use reqwest::{Method, Url};

use super::Transport;
use super::options::RequestOptions;
use super::response::{Answer, REQUEST_ID, header, read_error, read_limited};
use crate::auth::AccessToken;
use crate::error::{Error, TransportError};
use crate::http::USER_AGENT;
use crate::retry::retry_after;

const JSON: HeaderValue = HeaderValue::from_static("application/json");
const SDK_VERSION: HeaderValue = HeaderValue::from_static(USER_AGENT);
// Graph's header names, known at compile time rather than parsed on every request.
const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
const SDK_VERSION_NAME: HeaderName = HeaderName::from_static("sdkversion");
const RETRY_ATTEMPT: HeaderName = HeaderName::from_static("retry-attempt");
const IF_MATCH: HeaderName = HeaderName::from_static("if-match");
const CONSISTENCY_LEVEL: HeaderName = HeaderName::from_static("consistencylevel");

/// The most redirects followed for one attempt, as the official SDKs.
const MAX_REDIRECTS: usize = 5;

/// What one attempt needs.
pub(super) struct Attempt<'a> {
    pub(super) method: &'a Method,
    pub(super) url: &'a str,
    pub(super) body: Option<Bytes>,
    pub(super) token: &'a AccessToken,
    pub(super) client_request_id: &'a HeaderValue,
    /// The call's own headers (`If-Match`, `ConsistencyLevel`).
    pub(super) headers: &'a [(HeaderName, HeaderValue)],
    /// 1 for the first attempt.
    pub(super) attempt: u32,
    /// A success's body is handed over unread.
    pub(super) stream: bool,
}

/// What came of an attempt.
pub(super) enum Reply {
    /// A success status and its body.
    Success(Answer),
    /// A success status whose body could not be read: cut short, or over the size limit.
    Unreadable { status: u16, location: Option<String>, error: Error },
    /// An error status, as Graph's error or the body as it came, with the `Retry-After` asked.
    Refused { error: Error, retry_after: Option<std::time::Duration> },
    /// A redirect that is not followed (to another origin, one that would change the method …).
    Unfollowed(Error),
    /// Connecting failed: nothing was sent.
    NotSent(TransportError),
    /// The request left and no answer came.
    Lost(TransportError),
}

impl Transport {
    /// One attempt, redirects within the client's origin followed (at most [`MAX_REDIRECTS`],
    /// each keeping the method).
    pub(super) async fn attempt(&self, request: Attempt<'_>) -> Reply {
        let mut url = request.url.to_owned();
        let mut hops = 0;
        loop {
            let response = match self.send(&request, &url).await {
                Ok(response) => response,
                Err(error) if error.is_connect() => {
                    return Reply::NotSent(TransportError::new(error));
                }
                Err(error) => return Reply::Lost(TransportError::new(error)),
            };
            let status = response.status().as_u16();
            let span = tracing::Span::current();
            span.record("status", status);
            if let Some(id) = response.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()) {
                span.record("request_id", id);
            }
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let location = header(response.headers(), LOCATION).unwrap_or_default();
                match self.follow(request.method, &url, status, &location, hops) {
                    Ok(next) => {
                        tracing::debug!(status, "following a redirect within the origin");
                        url = next;
                        hops += 1;
                        continue;
                    }
                    Err(error) => return Reply::Unfollowed(error),
                }
            }
            if !response.status().is_success() {
                let retry_after = retry_after(response.headers());
                // The status arrived: it decides, even when the body is cut.
                let error = read_error(response).await;
                tracing::debug!(%error, "graph request failed");
                return Reply::Refused { error, retry_after };
            }
            let location = header(response.headers(), LOCATION);
            if request.stream {
                let (body, unread) = (Vec::new(), Some(response));
                return Reply::Success(Answer { status, location, body, resent: false, unread });
            }
            return match read_limited(response, self.max_response_bytes, true).await {
                Ok(body) => {
                    Reply::Success(Answer { status, location, body, resent: false, unread: None })
                }
                Err(error) => Reply::Unreadable { status, location, error },
            };
        }
    }

    /// Sends one request of an attempt to `url`.
    async fn send(
        &self,
        request: &Attempt<'_>,
        url: &str,
    ) -> Result<reqwest::Response, reqwest::Error> {
        let mut builder = self
            .http
            .request(request.method.clone(), url)
            .header(AUTHORIZATION, request.token.header().clone())
            .header(ACCEPT, JSON)
            .header(CLIENT_REQUEST_ID, request.client_request_id.clone())
            .header(SDK_VERSION_NAME, SDK_VERSION);
        if request.attempt > 1 {
            builder = builder.header(RETRY_ATTEMPT, request.attempt - 1);
        }
        for (name, value) in request.headers {
            builder = builder.header(name.clone(), value.clone());
        }
        if let Some(body) = &request.body {
            builder = builder.header(CONTENT_TYPE, JSON).body(body.clone());
        }
        builder.send().await
    }

    /// Where a redirect from `from` leads, if it may be followed: within the client's origin
    /// (every request carries the token), keeping the method (a write is never turned into a
    /// `GET`), at most [`MAX_REDIRECTS`] times.
    fn follow(
        &self,
        method: &Method,
        from: &str,
        status: u16,
        location: &str,
        hops: usize,
    ) -> Result<String, Error> {
        let refuse =
            |reason: String| Error::Redirect { status, location: location.to_owned(), reason };
        let target = Url::parse(from).ok().filter(|_| !location.trim().is_empty());
        let Some(target) = target.and_then(|base| base.join(location).ok()) else {
            return Err(refuse("it has no usable `Location`".to_owned()));
        };
        if target.origin() != self.origin {
            return Err(refuse(
                "it leads to another origin, and the request carries the token".to_owned(),
            ));
        }
        if *method != Method::GET && !matches!(status, 307 | 308) {
            return Err(refuse(format!(
                "following it would turn the {method} into a GET; only 307 and 308 keep the method"
            )));
        }
        if hops >= MAX_REDIRECTS {
            return Err(refuse(format!("more than {MAX_REDIRECTS} redirects in a row")));
        }
        Ok(target.into())
    }
}

/// The headers a call's options ask for; an `If-Match` that is not a valid header value (a line
/// break in it) is an error before anything is sent, never a request without its precondition.
pub(super) fn headers(options: &RequestOptions) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
    let mut headers = Vec::new();
    if let Some(etag) = options.if_match.as_deref() {
        let value = HeaderValue::from_str(etag).map_err(|_| {
            Error::Config(format!("the `If-Match` etag is not a valid header value: {etag:?}"))
        })?;
        headers.push((IF_MATCH, value));
    }
    if options.eventual {
        headers.push((CONSISTENCY_LEVEL, HeaderValue::from_static("eventual")));
    }
    Ok(headers)
}

/// A fresh `client-request-id`: a random (version 4) GUID. It must be unique, not secret, so it
/// comes from a fast thread-local generator rather than the operating system's (a system call
/// per request).
pub(crate) fn client_request_id() -> HeaderValue {
    let id = uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
    let mut buffer = [0; uuid::fmt::Hyphenated::LENGTH];
    let text = id.hyphenated().encode_lower(&mut buffer);
    HeaderValue::from_str(text)
        .unwrap_or_else(|_| HeaderValue::from_static("00000000-0000-4000-8000-000000000000"))
}
