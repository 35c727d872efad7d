//! Sending requests: the one path every call takes, single or `$batch`. Headers, the token and
//! its one refresh after a `401`, retries as the [`RetryPolicy`] and [`status_rule`] say,
//! redirects within the origin, and a `tracing` span per attempt.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::{Method, Url};
use tracing::Instrument as _;

use crate::auth::{AccessToken, TokenCredential};
use crate::error::{Error, GiveUp, TransportError};
use crate::http::USER_AGENT;
use crate::pace::Pacer;
use crate::response::{Answer, header, read_error, read_limited};
use crate::retry::{
    RequestOptions, RetryPolicy, StatusRule, may_have_acted, retry_after, status_rule,
};

const JSON: HeaderValue = HeaderValue::from_static("application/json");
const SDK_VERSION: HeaderValue = HeaderValue::from_static(USER_AGENT);

/// What sending needs: the HTTP connection pool, the service root, the credential and its
/// scope, the retry policy and the largest success body. A [`Client`](crate::Client) holds one.
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    /// Without a trailing `/`.
    pub(crate) base_url: String,
    /// The service root's: redirects and next links are followed within it only.
    pub(crate) origin: url::Origin,
    pub(crate) credential: Arc<dyn TokenCredential>,
    pub(crate) scope: String,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: usize,
    /// Every write waits for room under the throttling limit, when one is set: shared by the
    /// clients of one service root and one application (Graph limits per app per tenant).
    pub(crate) pacer: Arc<Pacer>,
}

impl Transport {
    /// The URL of `path` below the service root.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Sends a request, retrying as the call's policy allows, and returns the success answer,
    /// or the error.
    pub(crate) async fn execute(
        &self,
        method: Method,
        template: &'static str,
        url: String,
        body: Option<Bytes>,
        options: &RequestOptions,
    ) -> Result<Answer, Error> {
        let client_request_id = client_request_id();
        let policy = options.retry.as_ref().unwrap_or(&self.retry);
        // Reads, deletes and absolute property updates leave the same state however often
        // they are applied; a `POST` only when the caller says the service deduplicates it.
        let repeatable = options.idempotent
            || matches!(
                method,
                Method::GET | Method::HEAD | Method::PUT | Method::PATCH | Method::DELETE
            );
        let headers = headers(options)?;
        let scope = self.scope.as_str();
        let mut token = self.credential.get_token(scope).await.map_err(Error::Auth)?;
        let mut refreshed = false;
        // Whether an earlier attempt of this write may have acted (a lost answer, a `504`).
        let mut uncertain = false;
        let mut waited = Duration::ZERO;
        let mut attempt: u32 = 1;
        // What each attempt counts against the throttling limit: a write one request, a
        // `$batch` its items (the caller says), a read nothing.
        let permits = options.permits.unwrap_or(u32::from(is_write(&method)));
        loop {
            let permit = if permits > 0 { Some(self.pacer.acquire(permits).await) } else { None };
            let span = tracing::info_span!(
                "graph.request",
                method = %method,
                path = template,
                attempt,
                client_request_id = client_request_id.to_str().unwrap_or_default(),
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            let request = Attempt {
                method: &method,
                url: &url,
                body: body.clone(),
                token: &token,
                client_request_id: &client_request_id,
                headers: &headers,
                attempt,
            };
            let outcome = self.attempt(request).instrument(span).await;
            if let Some(permit) = permit {
                // Counted by the service from its answer on, unless it refused them.
                let refused = matches!(&outcome, Err(Failure::Status { error, .. }) if error.status() == Some(429));
                self.pacer.settle(permit, if refused { 0 } else { permits });
            }
            let failure = match outcome {
                Ok(mut success) => {
                    success.resent = uncertain;
                    return Ok(success);
                }
                Err(failure) => failure,
            };
            let (retry_after, error) = match failure {
                Failure::Final(error) => return Err(error),
                Failure::Status { error, retry_after } => {
                    let status = error.status().unwrap_or_default();
                    if status == 401 && !refreshed && is_invalid_token(&error) {
                        // An expired or revoked token: refresh once and try again at once.
                        refreshed = true;
                        match self.credential.refresh(scope, &token).await.map_err(Error::Auth)? {
                            Some(fresh) => {
                                token = fresh;
                                attempt += 1;
                                continue;
                            }
                            None => return Err(error),
                        }
                    }
                    if status == 429 {
                        self.pacer.throttled(retry_after, 0);
                    }
                    match status_rule(status, is_write(&method), repeatable) {
                        StatusRule::Retry => {}
                        StatusRule::UnknownOutcome => {
                            return Err(Error::UnknownOutcome {
                                attempts: attempt,
                                source: Box::new(error),
                            });
                        }
                        // A `DELETE` resent after an attempt that may have acted finds the
                        // entity gone: that attempt deleted it.
                        StatusRule::Fail
                            if status == 404 && method == Method::DELETE && uncertain =>
                        {
                            tracing::debug!("the entity is gone after a resent DELETE: deleted");
                            return Ok(Answer {
                                status: 204,
                                location: None,
                                body: Vec::new(),
                                resent: true,
                            });
                        }
                        // A write resent after an attempt that may have acted, then refused:
                        // the refusal may be that attempt's doing (a `412` once it changed
                        // the etag), so whether the change took effect is not known.
                        StatusRule::Fail if uncertain && is_write(&method) => {
                            return Err(Error::UnknownOutcome {
                                attempts: attempt,
                                source: Box::new(error),
                            });
                        }
                        StatusRule::Fail => return Err(error),
                    }
                    // A gateway timeout retried: the earlier attempt may have acted.
                    uncertain |= method != Method::GET && may_have_acted(status);
                    (retry_after, error)
                }
                Failure::NotSent(transport) => (None, Error::Transport(transport)),
                Failure::Lost(transport) if repeatable => {
                    uncertain |= method != Method::GET;
                    (None, Error::Transport(transport))
                }
                Failure::Lost(transport) => {
                    return Err(Error::UnknownOutcome {
                        attempts: attempt,
                        source: Box::new(Error::Transport(transport)),
                    });
                }
            };
            match policy.wait(attempt, retry_after, waited) {
                Ok(wait) => {
                    tracing::debug!(attempt, wait_ms = wait.as_millis(), %error, "retrying");
                    tokio::time::sleep(wait).await;
                    waited += wait;
                    attempt += 1;
                }
                Err(reason) => {
                    let error = match reason {
                        // Retries are off: the error as it came.
                        GiveUp::MaxRetries { max_retries: 0 } => error,
                        reason => Error::RetriesExhausted {
                            attempts: attempt,
                            reason,
                            last: Box::new(error),
                        },
                    };
                    // A write declared idempotent was resent after an attempt that may have
                    // acted: resending was safe, but whether it took effect is not known.
                    return Err(if uncertain {
                        Error::UnknownOutcome { attempts: attempt, source: Box::new(error) }
                    } else {
                        error
                    });
                }
            }
        }
    }

    /// One attempt: the success answer, or why it failed. Redirects within the client's origin
    /// are followed here (at most [`MAX_REDIRECTS`]), as long as they keep the method.
    async fn attempt(&self, request: Attempt<'_>) -> Result<Answer, Failure> {
        let mut url = request.url.to_owned();
        let mut hops = 0;
        loop {
            let response = self.send(&request, &url).await?;
            let status = response.status().as_u16();
            let span = tracing::Span::current();
            span.record("status", status);
            if let Some(id) = response.headers().get("request-id").and_then(|v| v.to_str().ok()) {
                span.record("request_id", id);
            }
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let location = header(response.headers(), "location").unwrap_or_default();
                match self.follow(request.method, &url, status, &location, hops) {
                    Ok(next) => {
                        tracing::debug!(status, "following a redirect within the origin");
                        url = next;
                        hops += 1;
                        continue;
                    }
                    Err(error)
                        if !matches!(status, 307 | 308) && *request.method != Method::GET =>
                    {
                        // `303 See Other` answers a write the service acted on; `301` and `302`
                        // too, in the old Post/Redirect/Get pattern. Only `307` and `308` say
                        // "send it there instead".
                        return Err(Failure::Final(Error::UnknownOutcome {
                            attempts: request.attempt,
                            source: Box::new(error),
                        }));
                    }
                    Err(error) => return Err(Failure::Final(error)),
                }
            }
            if !response.status().is_success() {
                let retry_after = retry_after(response.headers());
                // The status arrived: it decides, even when the body is cut.
                let error = read_error(response).await;
                tracing::debug!(%error, "graph request failed");
                return Err(Failure::Status { error, retry_after });
            }
            let location = header(response.headers(), "location");
            return match read_limited(response, self.max_response_bytes, true).await {
                Ok(body) => Ok(Answer { status, location, body, resent: false }),
                // A write answered with success took effect, whatever became of its body.
                Err(error) if *request.method != Method::GET => {
                    Err(Failure::Final(Error::UnreadableSuccess {
                        status,
                        location,
                        id: None,
                        source: Box::new(error),
                    }))
                }
                Err(Error::Transport(transport)) => Err(Failure::Lost(transport)),
                Err(error) => Err(Failure::Final(error)),
            };
        }
    }

    /// Sends one request of an attempt to `url`.
    async fn send(&self, request: &Attempt<'_>, url: &str) -> Result<reqwest::Response, Failure> {
        let mut builder = self
            .http
            .request(request.method.clone(), url)
            .header(AUTHORIZATION, request.token.header().clone())
            .header(ACCEPT, JSON)
            .header("client-request-id", request.client_request_id.clone())
            .header("SdkVersion", SDK_VERSION);
        if request.attempt > 1 {
            builder = builder.header("Retry-Attempt", request.attempt - 1);
        }
        for (name, value) in request.headers {
            builder = builder.header(*name, value.clone());
        }
        if let Some(body) = &request.body {
            builder = builder.header(CONTENT_TYPE, JSON).body(body.clone());
        }
        builder.send().await.map_err(classify)
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

/// Whether the method changes something: what throttling limits for writes count.
pub(crate) fn is_write(method: &Method) -> bool {
    matches!(*method, Method::POST | Method::PUT | Method::PATCH | Method::DELETE)
}

/// The most redirects followed for one attempt, as the official SDKs.
const MAX_REDIRECTS: usize = 5;

/// What one attempt needs.
struct Attempt<'a> {
    method: &'a Method,
    url: &'a str,
    body: Option<Bytes>,
    token: &'a AccessToken,
    client_request_id: &'a HeaderValue,
    /// The call's own headers (`If-Match`, `ConsistencyLevel`).
    headers: &'a [(&'static str, HeaderValue)],
    attempt: u32,
}

/// The headers a call's options ask for; an `If-Match` that is not a valid header value (a line
/// break in it) is an error before anything is sent, never a request without its precondition.
fn headers(options: &RequestOptions) -> Result<Vec<(&'static str, HeaderValue)>, Error> {
    let mut headers = Vec::new();
    if let Some(etag) = options.if_match.as_deref() {
        let value = HeaderValue::from_str(etag).map_err(|_| {
            Error::Config(format!("the `If-Match` etag is not a valid header value: {etag:?}"))
        })?;
        headers.push(("If-Match", value));
    }
    if options.eventual {
        headers.push(("ConsistencyLevel", HeaderValue::from_static("eventual")));
    }
    Ok(headers)
}

/// Why an attempt failed.
enum Failure {
    /// The service answered with an error status.
    Status { error: Error, retry_after: Option<Duration> },
    /// The request did not leave: connecting failed.
    NotSent(TransportError),
    /// The request left and no complete answer came: the service may have acted.
    Lost(TransportError),
    /// Nothing to retry.
    Final(Error),
}

fn classify(error: reqwest::Error) -> Failure {
    if error.is_connect() {
        Failure::NotSent(TransportError::new(error))
    } else {
        Failure::Lost(TransportError::new(error))
    }
}

/// A `401` that a fresh token may cure.
fn is_invalid_token(error: &Error) -> bool {
    error
        .as_graph()
        .is_none_or(|graph| graph.code.eq_ignore_ascii_case("InvalidAuthenticationToken"))
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
