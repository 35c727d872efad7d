//! The HTTP client: [`Client`] and its builder, the options of one call ([`RequestOptions`],
//! [`RetryPolicy`]), collections read page by page ([`List`]), their changes
//! ([`Delta`]), actions ([`Invoke`]), functions ([`Call`]), results that are streams
//! ([`ByteStream`]) and bulk operations ([`BulkOptions`]).

mod bulk;
mod call;
mod delta;
mod invoke;
mod operations;
mod pages;
mod result;
mod single;

pub use crate::pace::{Pacing, Rate};
pub use crate::retry::RetryPolicy;
pub use crate::stream::ByteStream;
pub use crate::transport::options::RequestOptions;
pub use bulk::{BulkOptions, MAX_BATCH_SIZE, Progress};
pub use call::Call;
pub use delta::{Change, Delta, DeltaLink, DeltaOperations, RemovedReason};
pub use invoke::Invoke;
pub use operations::Operations;
pub use pages::List;
pub use single::SingleOperations;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

use crate::auth::{StaticToken, TokenCredential};
use crate::cloud::{ApiVersion, NationalCloud};
use crate::entity::{Availability, GraphEntity};
use crate::error::Error;
use crate::http::{Proxy, check_base_url};
use crate::transport::Transport;

/// The default service root: global Microsoft Graph, API version `v1.0`.
pub const DEFAULT_BASE_URL: &str = "https://graph.microsoft.com/v1.0";
/// The default largest success body read, in bytes.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// The default most pages read of one collection: 10,000 pages of up to 999 entities.
pub const DEFAULT_MAX_PAGES: usize = 10_000;

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
/// use graph_entity_runtime::{Client, NationalCloud, cloud::ApiVersion};
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
    /// The service root, the credential, the retry policy: what sending needs.
    transport: Transport,
    max_pages: usize,
    /// The national cloud, when the service root is the cloud's (not a custom base URL).
    cloud: Option<NationalCloud>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.transport.base_url)
            .field("scope", &self.inner.transport.scope)
            .field("credential", &self.inner.transport.credential)
            .field("max_response_bytes", &self.inner.transport.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The service root of the client's default version, such as
    /// `https://graph.microsoft.com/v1.0`: where `unchecked` declarations and untyped calls go.
    /// A checked declaration goes to its own version's root (`PathTemplate::version`), this one
    /// with its version segment swapped.
    pub fn base_url(&self) -> &str {
        &self.inner.transport.base_url
    }

    /// The client's retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.transport.retry
    }

    /// The scope tokens are requested for, such as `https://graph.microsoft.com/.default`.
    pub fn scope(&self) -> &str {
        &self.inner.transport.scope
    }

    /// What the client's access token grants, as its claims say (`roles` for an app-only
    /// token, `scp` for a delegated one; read, not verified): the permissions requests are
    /// checked against before they are sent ([`ClientBuilder::check_permissions`]). Gets a
    /// token from the credential (its cache first); `None` for an opaque token or one without
    /// either claim.
    ///
    /// # Errors
    ///
    /// [`Error::Auth`] when no token can be had.
    pub async fn granted(&self) -> Result<Option<crate::auth::Granted>, Error> {
        let transport = &self.inner.transport;
        let token = transport.credential.get_token(&transport.scope).await?;
        Ok(token.granted().cloned())
    }

    /// The national cloud of the client's service root; `None` for a custom base URL.
    pub fn cloud(&self) -> Option<NationalCloud> {
        self.inner.cloud
    }

    /// The most pages a collection read follows.
    pub(crate) fn max_pages(&self) -> usize {
        self.inner.max_pages
    }

    /// The one path every request takes: sending, retries, redirects and reading the answer.
    pub(crate) fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// [`Error::NotInCloud`] when the client's cloud lacks part of `E`'s declaration; nothing
    /// to check for a custom base URL.
    pub(crate) fn available<E: GraphEntity>(&self) -> Result<(), Error> {
        self.available_in(E::AVAILABILITY)
    }

    /// [`Error::NotInCloud`] when the client's cloud is not among `availability`'s; nothing to
    /// check for a custom base URL.
    pub(crate) fn available_in(&self, availability: Availability) -> Result<(), Error> {
        match self.inner.cloud {
            Some(cloud) => {
                availability.check(cloud).map_err(|missing| Error::NotInCloud { cloud, missing })
            }
            None => Ok(()),
        }
    }
}

/// Builds a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    cloud: NationalCloud,
    api_version: ApiVersion,
    base_url: Option<String>,
    credential: Option<Result<Arc<dyn TokenCredential>, crate::error::AuthError>>,
    scope: Option<String>,
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    max_response_bytes: Option<usize>,
    max_pages: Option<usize>,
    proxy: Option<Result<Proxy, String>>,
    pacing: Pacing,
    /// Off when `true`: the default is to check.
    unchecked_permissions: bool,
}

impl ClientBuilder {
    /// The national cloud (default [`NationalCloud::Global`]): sets the service root and the
    /// token scope.
    pub fn cloud(mut self, cloud: NationalCloud) -> Self {
        self.cloud = cloud;
        self
    }

    /// The default API version (default [`ApiVersion::V1`]): the one `unchecked` declarations
    /// and untyped calls use. A checked declaration always goes to the version it was checked
    /// against (`v1.0`, or `beta` when declared `beta`), whatever this says.
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.api_version = version;
        self
    }

    /// A service root including the API version, instead of the cloud's: a loopback
    /// `http://127.0.0.1:PORT/v1.0` for a local emulator, or a proxy. When its last path
    /// segment is `v1.0` or `beta`, declarations of the other version go to the same root with
    /// that segment swapped; otherwise only the builder's [`api_version`](Self::api_version)
    /// can be reached through it.
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
    /// [`ClientSecretCredential`](crate::auth::ClientSecretCredential).
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

    /// Paces every write of this client, single calls and bulk alike, to `rate`, whatever its
    /// service: `pacing(Pacing::Rate(rate))`.
    pub fn rate(self, rate: Rate) -> Self {
        self.pacing(Pacing::Rate(rate))
    }

    /// How the client paces its writes, single calls and bulk alike: requests wait for room
    /// under the limit instead of meeting `429`s. [`Pacing::documented`] paces each write at the
    /// documented limit of its entity's service (Intune applications 100 writes in 20 s, Intune
    /// devices 200 …), each service apart, as Graph counts them. A pacer lowers its limit when
    /// the service throttles anyway, and climbs back. Clients of the same service root whose
    /// credentials name the same tenant and application share their pacers
    /// ([`TokenCredential::principal`]), as Graph limits per application per tenant. Default:
    /// [`Pacing::Off`] (throttled requests are retried after `Retry-After`).
    ///
    /// ```
    /// use graph_entity_runtime::{Client, client::Pacing};
    ///
    /// let client = Client::builder().pacing(Pacing::documented()).bearer_token("t").build()?;
    /// # Ok::<(), graph_entity_runtime::Error>(())
    /// ```
    pub fn pacing(mut self, pacing: Pacing) -> Self {
        self.pacing = pacing;
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

    /// Whether a request fails before it is sent when the access token clearly cannot make it
    /// (default `true`): the token's claims (`roles` for an app-only token, `scp` for a
    /// delegated one, read without verifying the token) hold none of the permissions that work
    /// for the request by Microsoft's permissions reference, which the declaration carries
    /// ([`GraphEntity::PERMISSIONS`]). The call then returns
    /// [`Error::MissingPermission`], naming the least privileged permission and what the token
    /// holds, instead of Graph's `403`. Opaque tokens, tokens without either claim and requests
    /// the reference lists no permission of the token's scheme for are never refused.
    ///
    /// Turn it off for an application Graph grants more than its token's `roles` say: a
    /// directory role assigned to its service principal (the token's `wids`), Teams'
    /// resource-specific consent, Exchange's role-based access control for applications; or
    /// where the reference is wrong for your tenant (and tell us).
    ///
    /// ```
    /// use graph_entity_runtime::Client;
    ///
    /// let client = Client::builder().check_permissions(false).bearer_token("t").build()?;
    /// # Ok::<(), graph_entity_runtime::Error>(())
    /// ```
    pub fn check_permissions(mut self, check: bool) -> Self {
        self.unchecked_permissions = !check;
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
        // Redirects are followed by `Transport::attempt`, which knows the method and the origin.
        let http = crate::http::builder(&target, &proxy)
            .timeout(self.timeout.unwrap_or(Duration::from_secs(100)))
            .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(30)))
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        // A declaration pinned to a version goes to that version's root: the base URL with its
        // last path segment swapped, when that segment names one.
        let named = target.path_segments().and_then(|mut s| s.next_back()).and_then(|last| {
            [ApiVersion::V1, ApiVersion::Beta].into_iter().find(|v| v.as_str() == last)
        });
        let (service_root, api_version) = match named {
            Some(version) => {
                let root = base_url.strip_suffix(version.as_str()).map(|r| r.trim_end_matches('/'));
                (root.map(str::to_owned), version)
            }
            None => (None, self.api_version),
        };
        // The service's throttling is per app and tenant, whatever the version asked.
        let pacers = crate::pace::Pacers::new(
            service_root.as_deref().unwrap_or(&base_url),
            credential.principal(),
            self.pacing,
        );
        Ok(Client {
            inner: Arc::new(Inner {
                transport: Transport {
                    http,
                    base_url,
                    roots: service_root.map(|root| {
                        [ApiVersion::V1, ApiVersion::Beta].map(|v| format!("{root}/{}", v.as_str()))
                    }),
                    api_version,
                    origin,
                    credential,
                    scope: self.scope.unwrap_or_else(|| self.cloud.default_scope().to_owned()),
                    retry: self.retry.unwrap_or_default(),
                    max_response_bytes: self
                        .max_response_bytes
                        .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                    pacers,
                    check_permissions: !self.unchecked_permissions,
                },
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
    fn a_listing_stops_at_ten_thousand_pages_unless_told_otherwise() {
        // The figure the documentation states; the cap itself is exercised in
        // `tests/integration/paging.rs`.
        assert_eq!(DEFAULT_MAX_PAGES, 10_000);
        let client = Client::builder().bearer_token("t").build().unwrap();
        assert_eq!(client.inner.max_pages, DEFAULT_MAX_PAGES);
        let client = Client::builder().bearer_token("t").max_pages(5).build().unwrap();
        assert_eq!(client.inner.max_pages, 5);
    }

    #[test]
    fn a_bad_base_url_is_a_configuration_error() {
        for bad in ["http://10.0.0.1/v1.0", "not a url", "https://graph.microsoft.com/v1.0#x"] {
            let error = Client::builder().base_url(bad).bearer_token("t").build().unwrap_err();
            assert!(matches!(error, Error::Config(_)), "{bad}: {error}");
        }
    }

    #[test]
    fn a_declaration_pinned_to_a_version_goes_to_its_root_whatever_the_default() {
        let root = |base: &str, version| {
            let client = Client::builder().base_url(base).bearer_token("t").build().unwrap();
            client.transport().root_of(version).map(str::to_owned)
        };
        let v1 = "https://graph.microsoft.us/v1.0";
        assert_eq!(root(v1, Some(ApiVersion::Beta)).unwrap(), "https://graph.microsoft.us/beta");
        assert_eq!(root(v1, Some(ApiVersion::V1)).unwrap(), v1);
        assert_eq!(root(v1, None).unwrap(), v1);
        // A host named like a version is not one.
        let host = "https://beta";
        assert_eq!(root(host, None).unwrap(), host);
        assert!(root(host, Some(ApiVersion::Beta)).is_err());
        let beta = "http://127.0.0.1:9/graph/beta/";
        assert_eq!(root(beta, Some(ApiVersion::V1)).unwrap(), "http://127.0.0.1:9/graph/v1.0");
        assert_eq!(root(beta, None).unwrap(), "http://127.0.0.1:9/graph/beta");
        // The cloud's own root, with the builder's version.
        let client = Client::builder()
            .cloud(NationalCloud::China)
            .api_version(ApiVersion::Beta)
            .bearer_token("t")
            .build()
            .unwrap();
        let transport = client.transport();
        assert_eq!(
            transport.root_of(Some(ApiVersion::V1)).unwrap(),
            "https://microsoftgraph.chinacloudapi.cn/v1.0"
        );
        // A base URL that names no version serves unchecked declarations and its builder's
        // version; another version cannot be reached through it, and says so before any I/O.
        let proxy = "https://proxy.contoso.com/graph";
        assert_eq!(root(proxy, Some(ApiVersion::V1)).unwrap(), proxy);
        let error = root(proxy, Some(ApiVersion::Beta)).unwrap_err();
        assert!(matches!(&error, Error::Config(m) if m.contains("`beta`")), "{error}");
    }
}
