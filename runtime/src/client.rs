//! The HTTP client.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::{Method, Url};

use tracing::Instrument as _;

use crate::auth::{AccessToken, StaticToken, TokenCredential};
use crate::cloud::{ApiVersion, NationalCloud};
use crate::entity::GraphEntity;
use crate::error::{Error, GiveUp, TransportError};
use crate::http::{Proxy, USER_AGENT, check_base_url};
use crate::response::{Answer, header, read_error, read_limited};
use crate::retry::{
    RequestOptions, RetryPolicy, StatusRule, may_have_acted, retry_after, status_rule,
};

/// The default service root: global Microsoft Graph, API version `v1.0`.
pub const DEFAULT_BASE_URL: &str = "https://graph.microsoft.com/v1.0";
/// The default largest success body read, in bytes.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// The default most pages read of one collection: 10,000 pages of up to 999 entities.
pub const DEFAULT_MAX_PAGES: usize = 10_000;

const JSON: HeaderValue = HeaderValue::from_static("application/json");
const SDK_VERSION: HeaderValue = HeaderValue::from_static(USER_AGENT);

/// A Microsoft Graph client: a service root, a credential and an HTTP connection pool.
///
/// Cheap to clone (it is an `Arc`); share one per application. `Debug` never shows a token.
///
/// Every request carries `Authorization: Bearer …`, `Accept: application/json`,
/// `Content-Type: application/json` when it has a body, a fresh `client-request-id` GUID
/// (quote it with the `request-id` of the answer when asking Microsoft for help), and
/// `User-Agent` and `SdkVersion` naming this library. Throttled and failed requests are
/// retried as its [`RetryPolicy`] says, with the same `client-request-id`. Each attempt is a
/// `tracing` span `graph.request` with the method, the path template, the attempt, the status
/// and the `request-id`; never a token.
///
/// ```
/// use graph_entity_runtime::{ApiVersion, Client, NationalCloud};
///
/// let client = Client::builder()
///     .cloud(NationalCloud::UsGovL4)
///     .api_version(ApiVersion::Beta)
///     .bearer_token("eyJ0eXAi...")
///     .build()?;
/// assert_eq!(client.base_url(), "https://graph.microsoft.us/beta");
/// assert_eq!(client.scope(), "https://graph.microsoft.us/.default");
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
    origin: url::Origin,
    credential: Arc<dyn TokenCredential>,
    scope: String,
    retry: RetryPolicy,
    max_response_bytes: usize,
    max_pages: usize,
    /// The national cloud, when the service root is the cloud's (not a custom base URL).
    cloud: Option<NationalCloud>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("scope", &self.inner.scope)
            .field("credential", &self.inner.credential)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .finish_non_exhaustive()
    }
}

/// One page of a collection.
#[derive(serde::Deserialize)]
#[serde(bound = "E: serde::de::DeserializeOwned")]
struct Page<E> {
    value: Vec<E>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
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

    /// The client's retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The scope tokens are requested for, such as `https://graph.microsoft.com/.default`.
    pub fn scope(&self) -> &str {
        &self.inner.scope
    }

    /// Creates `entity` in the collection at `E::TEMPLATE` filled with `path_args`: validates
    /// it, sends `POST` with its JSON, and returns the entity the service created.
    ///
    /// The generated `create` method of each entity calls this with checked arguments; call it
    /// directly from code that is generic over entities.
    ///
    /// Throttled (`429`) and unavailable (`503`) answers are retried as the client's
    /// [`RetryPolicy`] says: the service did not act on them. A `POST` whose answer was lost,
    /// or that a gateway answered `504`, is not resent, as it may have created the entity: that
    /// is [`Error::UnknownOutcome`]. A `201` whose body cannot be read is
    /// [`Error::UnreadableSuccess`]: the entity exists. [`Error::outcome`] tells the three apart.
    ///
    /// # Errors
    ///
    /// [`Error::NotInCloud`], [`Error::Validation`] or [`Error::Path`] before any I/O;
    /// otherwise the error of the credential, of the request or of its response (see
    /// [`Error`]).
    pub async fn create<E: GraphEntity>(&self, entity: &E, path_args: &[&str]) -> Result<E, Error> {
        self.create_with(entity, path_args, &RequestOptions::default()).await
    }

    /// [`create`](Self::create) with options for this call: its retry policy, and whether the
    /// `POST` is safe to resend when its answer is lost.
    ///
    /// # Errors
    ///
    /// As [`create`](Self::create).
    pub async fn create_with<E: GraphEntity>(
        &self,
        entity: &E,
        path_args: &[&str],
        options: &RequestOptions,
    ) -> Result<E, Error> {
        self.available::<E>()?;
        entity.validate()?;
        let path = E::TEMPLATE.render(path_args)?;
        let body = serde_json::to_vec(&crate::entity::Body(entity)).map_err(Error::Encode)?;
        let body = Bytes::from(body);
        let url = format!("{}{path}", self.inner.base_url);
        let answer =
            self.execute(Method::POST, E::TEMPLATE.as_str(), url, Some(body), options).await?;
        answer.decode_written()
    }

    /// Reads the entity with key `id` from the collection at `E::TEMPLATE` filled with
    /// `path_args`: `GET {path}/{id}`.
    ///
    /// # Errors
    ///
    /// [`Error::Path`] before any I/O (an empty `id` included); otherwise the error of the
    /// request or of its response.
    pub async fn get<E: GraphEntity>(&self, path_args: &[&str], id: &str) -> Result<E, Error> {
        self.available::<E>()?;
        let mut path = E::TEMPLATE.render(path_args)?;
        crate::path::push_segment(&mut path, "id", id)?;
        let url = format!("{}{path}", self.inner.base_url);
        self.execute(Method::GET, E::TEMPLATE.as_str(), url, None, &RequestOptions::default())
            .await?
            .decode()
    }

    /// Reads the whole collection at `E::TEMPLATE` filled with `path_args`, following
    /// `@odata.nextLink` from page to page.
    ///
    /// A next link to another origin than the client's service root is not followed (the
    /// token would go with it): that is [`Error::UntrustedNextLink`]. A next link that repeats
    /// a page already read, or more pages than [`ClientBuilder::max_pages`], stop the paging
    /// with [`Error::Paging`] rather than loop forever.
    ///
    /// # Errors
    ///
    /// [`Error::Path`] before any I/O; otherwise the error of a request or of its response.
    pub async fn list<E: GraphEntity>(&self, path_args: &[&str]) -> Result<Vec<E>, Error> {
        self.available::<E>()?;
        let path = E::TEMPLATE.render(path_args)?;
        let mut url = format!("{}{path}", self.inner.base_url);
        let mut items = Vec::new();
        // Links already followed, by hash: bounded by the page cap.
        let mut seen = std::collections::HashSet::from([hash(&url)]);
        let mut pages = 0;
        loop {
            pages += 1;
            let page: Page<E> = self
                .execute(Method::GET, E::TEMPLATE.as_str(), url, None, &RequestOptions::default())
                .await?
                .decode()?;
            items.extend(page.value);
            let Some(link) = page.next_link else { return Ok(items) };
            let trusted = Url::parse(&link).is_ok_and(|u| u.origin() == self.inner.origin);
            if !trusted {
                return Err(Error::UntrustedNextLink { link });
            }
            if pages >= self.inner.max_pages {
                return Err(Error::Paging {
                    pages,
                    reason: format!(
                        "the collection has more than {} pages (ClientBuilder::max_pages)",
                        self.inner.max_pages
                    ),
                });
            }
            if !seen.insert(hash(&link)) {
                return Err(Error::Paging {
                    pages,
                    reason: format!("`@odata.nextLink` repeats a page already read: {link}"),
                });
            }
            url = link;
        }
    }

    /// The national cloud of the client's service root; `None` for a custom base URL.
    pub fn cloud(&self) -> Option<NationalCloud> {
        self.inner.cloud
    }

    /// [`Error::NotInCloud`] when the client's cloud lacks part of `E`'s declaration; nothing
    /// to check for a custom base URL.
    pub(crate) fn available<E: GraphEntity>(&self) -> Result<(), Error> {
        match self.inner.cloud {
            Some(cloud) => {
                E::AVAILABILITY.check(cloud).map_err(|missing| Error::NotInCloud { cloud, missing })
            }
            None => Ok(()),
        }
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
        let policy = options.retry.as_ref().unwrap_or(&self.inner.retry);
        let repeatable = options.idempotent || method == Method::GET;
        let scope = self.inner.scope.as_str();
        let mut token = self.inner.credential.get_token(scope).await.map_err(Error::Auth)?;
        let mut refreshed = false;
        // Whether an earlier attempt of this write may have acted (a lost answer, a `504`).
        let mut uncertain = false;
        let mut waited = Duration::ZERO;
        let mut attempt: u32 = 1;
        loop {
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
                attempt,
            };
            let failure = match self.attempt(request).instrument(span).await {
                Ok(success) => return Ok(success),
                Err(failure) => failure,
            };
            let (retry_after, error) = match failure {
                Failure::Final(error) => return Err(error),
                Failure::Status { error, retry_after } => {
                    let status = error.status().unwrap_or_default();
                    if status == 401 && !refreshed && is_invalid_token(&error) {
                        // An expired or revoked token: refresh once and try again at once.
                        refreshed = true;
                        match self
                            .inner
                            .credential
                            .refresh(scope, &token)
                            .await
                            .map_err(Error::Auth)?
                        {
                            Some(fresh) => {
                                token = fresh;
                                attempt += 1;
                                continue;
                            }
                            None => return Err(error),
                        }
                    }
                    match status_rule(status, repeatable) {
                        StatusRule::Retry => {}
                        StatusRule::UnknownOutcome => {
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
            return match read_limited(response, self.inner.max_response_bytes, true).await {
                Ok(body) => Ok(Answer { status, location, body }),
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
            .inner
            .http
            .request(request.method.clone(), url)
            .header(AUTHORIZATION, request.token.header().clone())
            .header(ACCEPT, JSON)
            .header("client-request-id", request.client_request_id.clone())
            .header("SdkVersion", SDK_VERSION);
        if request.attempt > 1 {
            builder = builder.header("Retry-Attempt", request.attempt - 1);
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
        if target.origin() != self.inner.origin {
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

/// A link's hash, to recognise it again without keeping it.
fn hash(link: &str) -> u64 {
    use std::hash::{BuildHasher as _, BuildHasherDefault};
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(link)
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
    attempt: u32,
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

/// Builds a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    cloud: NationalCloud,
    api_version: ApiVersion,
    base_url: Option<String>,
    credential: Option<Result<Arc<dyn TokenCredential>, crate::AuthError>>,
    scope: Option<String>,
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_response_bytes: Option<usize>,
    max_pages: Option<usize>,
    proxy: Option<Result<Proxy, String>>,
}

impl ClientBuilder {
    /// The national cloud (default [`NationalCloud::Global`]): sets the service root and the
    /// token scope.
    pub fn cloud(mut self, cloud: NationalCloud) -> Self {
        self.cloud = cloud;
        self
    }

    /// The API version (default [`ApiVersion::V1`]).
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.api_version = version;
        self
    }

    /// A service root including the API version, instead of the cloud's: a loopback
    /// `http://127.0.0.1:PORT/v1.0` for a local emulator, or a proxy.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// A bearer token obtained elsewhere, sent as is on every request.
    pub fn bearer_token(mut self, token: impl AsRef<str>) -> Self {
        self.credential =
            Some(StaticToken::new(token.as_ref()).map(|t| Arc::new(t) as Arc<dyn TokenCredential>));
        self
    }

    /// The credential that provides tokens, such as a
    /// [`ClientSecretCredential`](crate::ClientSecretCredential).
    pub fn credential(mut self, credential: impl TokenCredential + 'static) -> Self {
        self.credential = Some(Ok(Arc::new(credential)));
        self
    }

    /// The token scope, instead of the cloud's `.default` scope.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// How requests are retried (default [`RetryPolicy::default`]; [`RetryPolicy::none`] turns
    /// retries off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The longest a request may take, from sending to the end of the body (default 100 s, as
    /// the official SDKs).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The longest connecting may take (default 30 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The largest success body read, in bytes (default 16 MiB); a larger one is
    /// [`Error::ResponseTooLarge`], not buffered.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// The most pages [`Client::list`] reads of one collection (default
    /// [`DEFAULT_MAX_PAGES`]); past it the listing fails with [`Error::Paging`] rather than
    /// grow without bound.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = Some(pages.max(1));
        self
    }

    /// Sends every request through this proxy (`http://host:port`, with `user:password@` if it
    /// needs them), instead of the one the environment names. Requests to loopback never go
    /// through a proxy. Requests to Graph are `https`, tunnelled through the proxy, so it never
    /// sees the token.
    ///
    /// By default the environment decides, as curl and the Azure SDKs read it: `HTTPS_PROXY`
    /// (or `ALL_PROXY`), minus the hosts in `NO_PROXY`.
    ///
    /// ```
    /// # use graph_entity_runtime::Client;
    /// let client = Client::builder().proxy("http://proxy.contoso.com:3128").bearer_token("t").build()?;
    /// # Ok::<(), graph_entity_runtime::Error>(())
    /// ```
    pub fn proxy(mut self, url: impl AsRef<str>) -> Self {
        self.proxy = Some(Proxy::parse(url.as_ref()));
        self
    }

    /// Sends every request directly, whatever proxy the environment names.
    pub fn no_proxy(mut self) -> Self {
        self.proxy = Some(Ok(Proxy::Direct));
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for a base URL that does not parse, has a query, fragment or user
    /// info, or would send the token over plain `http` to a host other than loopback, for a
    /// proxy URL that is not `http` or `https`, and for a missing credential; [`Error::Auth`]
    /// for a malformed token.
    pub fn build(self) -> Result<Client, Error> {
        let raw = match &self.base_url {
            Some(url) => url.clone(),
            None => format!("{}/{}", self.cloud.graph_root(), self.api_version.as_str()),
        };
        let (base_url, origin) = check_base_url(&raw).map_err(Error::Config)?;
        let proxy = match self.proxy {
            None => Proxy::Environment,
            Some(proxy) => proxy.map_err(Error::Config)?,
        };
        let credential = match self.credential {
            Some(credential) => credential.map_err(Error::Auth)?,
            None => {
                return Err(Error::Config(
                    "no credential: set a bearer token or a credential".to_owned(),
                ));
            }
        };
        let target = Url::parse(&base_url)
            .map_err(|e| Error::Config(format!("base URL `{raw}` does not parse: {e}")))?;
        // Redirects are followed by `Client::attempt`, which knows the method and the origin.
        let http = crate::http::builder(&target, &proxy)
            .timeout(self.timeout.unwrap_or(Duration::from_secs(100)))
            .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(30)))
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                origin,
                credential,
                scope: self.scope.unwrap_or_else(|| self.cloud.default_scope().to_owned()),
                retry: self.retry.unwrap_or_default(),
                max_response_bytes: self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                max_pages: self.max_pages.unwrap_or(DEFAULT_MAX_PAGES),
                cloud: self.base_url.is_none().then_some(self.cloud),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_the_token() {
        let secret = "s3cr3t-token-value";
        let client = Client::builder().bearer_token(secret).build().unwrap();
        assert!(!format!("{client:?}").contains(secret));
        let builder = Client::builder().bearer_token(secret);
        assert!(!format!("{builder:?}").contains(secret));
        let error = Client::builder().bearer_token(format!("{secret}\n")).build().unwrap_err();
        assert!(matches!(error, Error::Auth(_)), "{error}");
        assert!(!error.to_string().contains(secret) && !format!("{error:?}").contains(secret));
    }

    #[test]
    fn a_bad_base_url_is_a_configuration_error() {
        for bad in ["http://10.0.0.1/v1.0", "not a url", "https://graph.microsoft.com/v1.0#x"] {
            let error = Client::builder().base_url(bad).bearer_token("t").build().unwrap_err();
            assert!(matches!(error, Error::Config(_)), "{bad}: {error}");
        }
    }
}
