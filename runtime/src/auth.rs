//! Credentials: where bearer tokens come from.

use crate::error::AuthError;

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use reqwest::Url;
use reqwest::header::HeaderValue;
use serde::Deserialize;

use crate::http::{BodyError, Proxy, is_loopback, read_body};

/// A boxed future, as returned by [`TokenCredential::get_token`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How early a cached token is refreshed before it expires, at most: five minutes, or half the
/// token's lifetime for a shorter-lived token.
const REFRESH_MARGIN: Duration = Duration::from_secs(5 * 60);

/// A bearer token and when it expires. `Debug` never shows the token.
#[derive(Clone)]
pub struct AccessToken {
    /// `Bearer <token>`, marked sensitive, built once.
    header: HeaderValue,
    expires_at: Option<Instant>,
    /// When a cache should replace it: before it expires.
    refresh_at: Option<Instant>,
}

impl AccessToken {
    /// A token that expires at `expires_at` (`None`: never, as far as the client knows).
    ///
    /// # Errors
    ///
    /// An [`AuthError`] when the token has characters that cannot appear in an HTTP header
    /// (the error does not contain the token).
    pub fn new(token: &str, expires_at: Option<Instant>) -> Result<Self, AuthError> {
        let mut header = HeaderValue::try_from(format!("Bearer {token}")).map_err(|_| {
            AuthError::new(
                None,
                "invalid_token",
                "the token has characters that are not allowed in an HTTP header",
            )
        })?;
        header.set_sensitive(true);
        let refresh_at = expires_at.map(|at| {
            let lifetime = at.saturating_duration_since(Instant::now());
            at.checked_sub(REFRESH_MARGIN.min(lifetime / 2)).unwrap_or(at)
        });
        Ok(Self { header, expires_at, refresh_at })
    }

    /// The `Authorization` header value.
    pub(crate) fn header(&self) -> &HeaderValue {
        &self.header
    }

    /// The token itself. Handle with care: it grants access.
    pub fn secret(&self) -> &str {
        self.header.to_str().ok().and_then(|h| h.strip_prefix("Bearer ")).unwrap_or_default()
    }

    /// When the token expires, when known.
    pub fn expires_at(&self) -> Option<Instant> {
        self.expires_at
    }

    /// Whether a cache should replace the token now: five minutes before it expires, or
    /// halfway through the lifetime of a shorter-lived token.
    pub fn needs_refresh(&self) -> bool {
        self.refresh_at.is_some_and(|at| at <= Instant::now())
    }

    /// Whether the token has expired: the service would refuse it.
    pub fn is_expired(&self) -> bool {
        self.expires_at.is_some_and(|at| at <= Instant::now())
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A source of bearer tokens: scope in, token and expiry out.
///
/// The client asks for a token before every request; implementations cache.
pub trait TokenCredential: Send + Sync + fmt::Debug {
    /// A token for `scope`, such as `https://graph.microsoft.com/.default`.
    fn get_token<'a>(&'a self, scope: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>>;

    /// A new token after the service refused `stale` (`401`), or `None` when this credential
    /// cannot get another one (the default). The client calls it once per call.
    fn refresh<'a>(
        &'a self,
        scope: &'a str,
        stale: &'a AccessToken,
    ) -> BoxFuture<'a, Result<Option<AccessToken>, AuthError>> {
        let _ = (scope, stale);
        Box::pin(std::future::ready(Ok(None)))
    }

    /// Who the tokens are for — the token endpoint (authority and tenant) and the application —
    /// or `None` when unknown (the default, and a static token's). Clients of the same service
    /// root whose credentials name the same principal share one throttling limiter, as Graph
    /// limits requests per application per tenant.
    fn principal(&self) -> Option<String> {
        None
    }
}

/// `TokenCredential` for a wrapper, by delegating to one of its fields.
macro_rules! delegate_credential {
    ($wrapper:ty, $field:tt) => {
        impl TokenCredential for $wrapper {
            fn get_token<'a>(
                &'a self,
                scope: &'a str,
            ) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
                self.$field.get_token(scope)
            }

            fn refresh<'a>(
                &'a self,
                scope: &'a str,
                stale: &'a AccessToken,
            ) -> BoxFuture<'a, Result<Option<AccessToken>, AuthError>> {
                self.$field.refresh(scope, stale)
            }

            fn principal(&self) -> Option<String> {
                self.$field.principal()
            }
        }
    };
}

/// The proxy settings of a credential that wraps [`ClientCredentials`].
macro_rules! proxy_settings {
    ($wrapper:ident) => {
        impl $wrapper {
            /// Sends token requests through this proxy (`http://host:port`), instead of the one
            /// the environment names (`HTTPS_PROXY`, `ALL_PROXY`, minus `NO_PROXY`). A loopback
            /// token endpoint is always reached directly.
            ///
            /// # Errors
            ///
            /// An [`AuthError`] when the proxy URL is not `http` or `https` (the error does not
            /// repeat the URL, which may hold a password).
            pub fn proxy(self, url: &str) -> Result<Self, AuthError> {
                let proxy = Proxy::parse(url)
                    .map_err(|message| AuthError::new(None, "invalid_configuration", message))?;
                self.0.with_proxy(&proxy).map(Self)
            }

            /// Sends token requests directly, whatever proxy the environment names.
            ///
            /// # Errors
            ///
            /// An [`AuthError`] when the HTTP client cannot be built.
            pub fn no_proxy(self) -> Result<Self, AuthError> {
                self.0.with_proxy(&Proxy::Direct).map(Self)
            }
        }
    };
}

/// A token obtained elsewhere (for example `GRAPH_TOKEN` from `az account get-access-token`).
#[derive(Debug, Clone)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// A token with no known expiry.
    ///
    /// # Errors
    ///
    /// See [`AccessToken::new`].
    pub fn new(token: &str) -> Result<Self, AuthError> {
        AccessToken::new(token, None).map(Self)
    }
}

impl TokenCredential for StaticToken {
    fn get_token<'a>(&'a self, _scope: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}

/// OAuth 2.0 client credentials with a client secret, against
/// `{authority}/{tenant}/oauth2/v2.0/token`.
///
/// Tokens are cached and refreshed five minutes before they expire (halfway through a shorter
/// lifetime); concurrent callers that find the token stale wait for one refresh instead of each
/// sending their own.
///
/// ```
/// use graph_entity_runtime::{NationalCloud, auth::ClientSecretCredential};
///
/// let credential = ClientSecretCredential::new(NationalCloud::UsGovL4.login_host(), "contoso.onmicrosoft.com", "app-id", "s3cret")?;
/// assert!(!format!("{credential:?}").contains("s3cret"));
/// # Ok::<(), graph_entity_runtime::error::AuthError>(())
/// ```
#[derive(Debug)]
pub struct ClientSecretCredential(ClientCredentials);

impl ClientSecretCredential {
    /// A credential for `tenant` (a GUID or a domain) at `authority`, such as
    /// [`NationalCloud::login_host`](crate::NationalCloud::login_host) or a local emulator's root.
    ///
    /// # Errors
    ///
    /// An [`AuthError`] when the authority does not parse, or is plain `http` to a host
    /// other than loopback (the secret would travel unencrypted), or the tenant is empty.
    pub fn new(
        authority: &str,
        tenant: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Result<Self, AuthError> {
        ClientCredentials::new(
            authority,
            tenant,
            client_id.into(),
            Proof::Secret(client_secret.into()),
        )
        .map(Self)
    }

    /// The token endpoint this credential posts to.
    pub fn token_url(&self) -> &str {
        self.0.token_url.as_str()
    }
}

proxy_settings!(ClientSecretCredential);
delegate_credential!(ClientSecretCredential, 0);

/// OAuth 2.0 client credentials with a certificate: each token request carries a client
/// assertion, a JWT signed (RS256) with the certificate's RSA private key and naming the
/// certificate by its SHA-1 and SHA-256 thumbprints (`x5t`, `x5t#S256`), as Microsoft's identity
/// platform accepts. Caching and refreshing are as for [`ClientSecretCredential`].
///
/// The private key never leaves the credential and never shows in `Debug`.
pub struct ClientCertificateCredential(ClientCredentials);

impl fmt::Debug for ClientCertificateCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ClientCertificateCredential").field(&self.0).finish()
    }
}

impl ClientCertificateCredential {
    /// A credential from a PEM certificate and a PEM RSA private key (PKCS#8 `PRIVATE KEY` or
    /// PKCS#1 `RSA PRIVATE KEY`); both may be in one buffer.
    ///
    /// # Errors
    ///
    /// An [`AuthError`] when the authority is not acceptable (see
    /// [`ClientSecretCredential::new`]) or the PEM holds no certificate or no usable RSA key;
    /// the error never contains key material.
    pub fn new(
        authority: &str,
        tenant: &str,
        client_id: impl Into<String>,
        certificate_pem: &[u8],
        private_key_pem: &[u8],
    ) -> Result<Self, AuthError> {
        let key = CertificateKey::from_pem(certificate_pem, private_key_pem)?;
        ClientCredentials::new(
            authority,
            tenant,
            client_id.into(),
            Proof::Certificate(Box::new(key)),
        )
        .map(Self)
    }

    /// A credential from a PEM file holding the certificate and its private key, as
    /// `AZURE_CLIENT_CERTIFICATE_PATH` names.
    ///
    /// # Errors
    ///
    /// As [`new`](Self::new), and when the file cannot be read.
    pub fn from_pem_file(
        authority: &str,
        tenant: &str,
        client_id: impl Into<String>,
        path: impl AsRef<std::path::Path>,
    ) -> Result<Self, AuthError> {
        let path = path.as_ref();
        let pem = std::fs::read(path).map_err(|e| {
            AuthError::new(
                None,
                "invalid_configuration",
                format!("cannot read the certificate file {}: {e}", path.display()),
            )
        })?;
        Self::new(authority, tenant, client_id, &pem, &pem)
    }

    /// The token endpoint this credential posts to.
    pub fn token_url(&self) -> &str {
        self.0.token_url.as_str()
    }
}

proxy_settings!(ClientCertificateCredential);
delegate_credential!(ClientCertificateCredential, 0);

/// How a client proves who it is.
enum Proof {
    Secret(String),
    Certificate(Box<CertificateKey>),
}

/// An RSA private key and the thumbprints of its certificate.
struct CertificateKey {
    key: aws_lc_rs::signature::RsaKeyPair,
    x5t: String,
    x5t_s256: String,
}

impl CertificateKey {
    fn from_pem(certificate_pem: &[u8], private_key_pem: &[u8]) -> Result<Self, AuthError> {
        use rustls_pki_types::pem::PemObject as _;
        use rustls_pki_types::{CertificateDer, PrivateKeyDer};

        let invalid = |message: &str| AuthError::new(None, "invalid_configuration", message);
        let certificate = CertificateDer::from_pem_slice(certificate_pem)
            .map_err(|_| invalid("no PEM certificate (`-----BEGIN CERTIFICATE-----`) was found"))?;
        let key = PrivateKeyDer::from_pem_slice(private_key_pem)
            .map_err(|_| invalid("no PEM private key (`-----BEGIN PRIVATE KEY-----`) was found"))?;
        let key = match &key {
            PrivateKeyDer::Pkcs8(der) => aws_lc_rs::signature::RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()),
            PrivateKeyDer::Pkcs1(der) => aws_lc_rs::signature::RsaKeyPair::from_der(der.secret_pkcs1_der()),
            _ => return Err(invalid("the private key is not a usable RSA key: Microsoft's identity platform expects RS256 assertions")),
        }
        .map_err(|_| {
            invalid("the private key is not a usable RSA key: Microsoft's identity platform expects RS256 assertions")
        })?;
        let thumbprint = |algorithm| {
            URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(algorithm, certificate.as_ref()))
        };
        Ok(Self {
            key,
            x5t: thumbprint(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY),
            x5t_s256: thumbprint(&aws_lc_rs::digest::SHA256),
        })
    }

    /// A client assertion for `audience` (the token endpoint), valid for ten minutes.
    fn assertion(&self, audience: &str, client_id: &str) -> Result<String, AuthError> {
        let header = serde_json::json!({"alg": "RS256", "typ": "JWT", "x5t": self.x5t, "x5t#S256": self.x5t_s256});
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let claims = serde_json::json!({
            "aud": audience,
            "iss": client_id,
            "sub": client_id,
            "jti": uuid::Uuid::new_v4().to_string(),
            "nbf": now,
            "iat": now,
            "exp": now + 600,
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0; self.key.public_modulus_len()];
        self.key
            .sign(
                &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                &aws_lc_rs::rand::SystemRandom::new(),
                signing_input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| {
                AuthError::new(None, "signing_failed", "signing the client assertion failed")
            })?;
        Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }
}

/// The client-credentials flow shared by both credentials: the token request, the cache and
/// the single flight.
struct ClientCredentials {
    token_url: Url,
    client_id: String,
    proof: Proof,
    http: reqwest::Client,
    /// Tokens and flights by scope.
    slots: Mutex<HashMap<String, Arc<Slot>>>,
}

/// The token of one scope and the single flight that renews it.
#[derive(Default)]
struct Slot {
    /// The newest token, readable without waiting for a flight.
    token: Mutex<Option<AccessToken>>,
    /// Held while a token request is under way; keeps the last request's failure.
    flight: tokio::sync::Mutex<Option<AuthError>>,
    /// Token requests finished, counted: a caller that waited through one takes its outcome.
    flights: AtomicU64,
    /// After a renewal failed while the token was still valid: no new attempt before this, so
    /// that calls are not each held up by a token endpoint that is down.
    renew_after: Mutex<Option<Instant>>,
}

impl Slot {
    fn current(&self) -> Option<AccessToken> {
        lock(&self.token).clone()
    }

    fn set(&self, token: Option<AccessToken>) {
        *lock(&self.token) = token;
    }

    /// The cached token while the service still accepts it.
    fn unexpired(&self) -> Option<AccessToken> {
        self.current().filter(|t| !t.is_expired())
    }

    /// The cached token if it needs no renewal now: fresh, or valid while renewals pause after
    /// a failure.
    fn usable(&self) -> Option<AccessToken> {
        let token = self.current()?;
        if !token.needs_refresh() {
            return Some(token);
        }
        let paused = lock(&self.renew_after).is_some_and(|at| Instant::now() < at);
        (paused && !token.is_expired()).then_some(token)
    }

    fn pause_renewals(&self, paused: bool) {
        *lock(&self.renew_after) = paused.then(|| Instant::now() + RENEWAL_PAUSE);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// How long renewals pause after one failed while the token was still valid.
const RENEWAL_PAUSE: Duration = Duration::from_secs(15);

/// The most scopes a credential caches tokens for; past it, idle ones are forgotten.
const MAX_SCOPES: usize = 64;
/// The largest token response read.
const MAX_TOKEN_RESPONSE_BYTES: usize = 64 * 1024;
/// The longest token lifetime believed: a year. A larger `expires_in` is taken as this.
const MAX_LIFETIME: Duration = Duration::from_secs(366 * 24 * 3600);

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let proof = match self.proof {
            Proof::Secret(_) => "client secret <redacted>",
            Proof::Certificate(_) => "certificate, private key <redacted>",
        };
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.token_url.as_str())
            .field("client_id", &self.client_id)
            .field("proof", &proof)
            .finish_non_exhaustive()
    }
}

impl ClientCredentials {
    fn new(
        authority: &str,
        tenant: &str,
        client_id: String,
        proof: Proof,
    ) -> Result<Self, AuthError> {
        let config = |message: String| AuthError::new(None, "invalid_configuration", message);
        let mut url = Url::parse(authority)
            .map_err(|e| config(format!("authority `{authority}` does not parse: {e}")))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            _ => {
                return Err(config(format!(
                    "authority `{authority}` is not https: the client's proof would travel unencrypted"
                )));
            }
        }
        if tenant.is_empty() {
            return Err(config("the tenant is empty".to_owned()));
        }
        url.path_segments_mut()
            .map_err(|()| config(format!("authority `{authority}` cannot have a path")))?
            .pop_if_empty()
            .extend([tenant, "oauth2", "v2.0", "token"]);
        let http = http_client(&url, &Proxy::Environment)?;
        Ok(Self { token_url: url, client_id, proof, http, slots: Mutex::default() })
    }

    fn with_proxy(mut self, proxy: &Proxy) -> Result<Self, AuthError> {
        self.http = http_client(&self.token_url, proxy)?;
        Ok(self)
    }

    fn slot(&self, scope: &str) -> Arc<Slot> {
        let mut slots = self.slots.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(slot) = slots.get(scope) {
            return Arc::clone(slot);
        }
        if slots.len() >= MAX_SCOPES {
            slots.retain(|_, slot| Arc::strong_count(slot) > 1);
        }
        let slot = Arc::new(Slot::default());
        slots.insert(scope.to_owned(), Arc::clone(&slot));
        slot
    }

    /// The token endpoint (authority and tenant) and the application.
    fn principal(&self) -> Option<String> {
        Some(format!("{} {}", self.token_url, self.client_id))
    }

    fn get_token<'a>(&'a self, scope: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(async move {
            let slot = self.slot(scope);
            if let Some(token) = slot.usable() {
                return Ok(token);
            }
            let seen = slot.flights.load(Ordering::Acquire);
            let mut failure = match slot.flight.try_lock() {
                Ok(guard) => guard,
                Err(_) => {
                    // A token request is under way: a token the service still accepts serves
                    // meanwhile; without one, wait for the request and take its outcome.
                    if let Some(token) = slot.unexpired() {
                        return Ok(token);
                    }
                    slot.flight.lock().await
                }
            };
            if let Some(token) = slot.usable() {
                return Ok(token);
            }
            if slot.flights.load(Ordering::Acquire) != seen {
                // A request finished while this call waited: take its outcome rather than send
                // another, its token however short-lived, or its failure.
                match (failure.as_ref(), slot.current()) {
                    (Some(error), _) => return slot.unexpired().ok_or_else(|| error.clone()),
                    (None, Some(token)) => return Ok(token),
                    (None, None) => {}
                }
            }
            match self.fly(&slot, scope, &mut failure).await {
                Ok(token) => Ok(token),
                Err(error) => match slot.unexpired() {
                    Some(token) => {
                        tracing::warn!(%error, "renewing the token failed; the current one serves until it expires");
                        slot.pause_renewals(true);
                        Ok(token)
                    }
                    None => Err(error),
                },
            }
        })
    }

    /// One token request, with the flight lock held (`failure` is its guarded value): counted,
    /// and its outcome kept for the callers that waited on it.
    async fn fly(
        &self,
        slot: &Slot,
        scope: &str,
        failure: &mut Option<AuthError>,
    ) -> Result<AccessToken, AuthError> {
        let result = self.request(scope).await;
        slot.flights.fetch_add(1, Ordering::Release);
        match &result {
            Ok(token) => {
                slot.set(Some(token.clone()));
                slot.pause_renewals(false);
                *failure = None;
            }
            Err(error) => *failure = Some(error.clone()),
        }
        result
    }

    fn refresh<'a>(
        &'a self,
        scope: &'a str,
        stale: &'a AccessToken,
    ) -> BoxFuture<'a, Result<Option<AccessToken>, AuthError>> {
        Box::pin(async move {
            let slot = self.slot(scope);
            let seen = slot.flights.load(Ordering::Acquire);
            let mut failure = slot.flight.lock().await;
            // Another call may have refreshed already: then its token is the answer.
            if let Some(token) = slot.unexpired().filter(|t| t.header != stale.header) {
                return Ok(Some(token));
            }
            // The service refused this token: never hand it out again.
            slot.set(None);
            if slot.flights.load(Ordering::Acquire) != seen {
                if let Some(error) = failure.as_ref() {
                    return Err(error.clone());
                }
            }
            self.fly(&slot, scope, &mut failure).await.map(Some)
        })
    }

    /// The token request's form: the client, the scope and its proof.
    fn form(&self, scope: &str) -> Result<String, AuthError> {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("client_id", &self.client_id)
            .append_pair("scope", scope)
            .append_pair("grant_type", "client_credentials");
        match &self.proof {
            Proof::Secret(secret) => {
                form.append_pair("client_secret", secret);
            }
            Proof::Certificate(key) => {
                let assertion = key.assertion(self.token_url.as_str(), &self.client_id)?;
                form.append_pair(
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                )
                .append_pair("client_assertion", &assertion);
            }
        }
        Ok(form.finish())
    }

    async fn request(&self, scope: &str) -> Result<AccessToken, AuthError> {
        let form = self.form(scope)?;
        let sent = Instant::now();
        let response = self
            .http
            .post(self.token_url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(form)
            .send()
            .await
            .map_err(|e| {
                AuthError::new(
                    None,
                    "request_failed",
                    format!("the token request failed: {}", e.without_url()),
                )
            })?;
        let status = response.status().as_u16();
        let body = read_bounded(response, status).await?;
        if !(200..300).contains(&status) {
            return Err(match serde_json::from_slice::<AadError>(&body) {
                Ok(error) => AuthError::new(
                    Some(status),
                    error.error,
                    error.error_description.unwrap_or_default(),
                ),
                Err(_) => AuthError::new(
                    Some(status),
                    "unexpected_response",
                    format!(
                        "the token endpoint answered HTTP {status} with {}",
                        crate::error::snippet(&body)
                    ),
                ),
            });
        }
        let token: TokenResponse = serde_json::from_slice(&body).map_err(|e| {
            AuthError::new(
                Some(status),
                "unexpected_response",
                format!("the token response does not parse: {e}"),
            )
        })?;
        if !token.token_type.eq_ignore_ascii_case("bearer") {
            return Err(AuthError::new(
                Some(status),
                "unexpected_response",
                format!("unsupported token type `{}`", token.token_type),
            ));
        }
        let Some(lifetime) = token.lifetime() else {
            return Err(AuthError::new(
                Some(status),
                "unexpected_response",
                "the token response's `expires_in` is not a number of seconds",
            ));
        };
        let lifetime = Duration::from_secs(lifetime).min(MAX_LIFETIME);
        AccessToken::new(&token.access_token, sent.checked_add(lifetime))
    }
}

fn http_client(token_url: &Url, proxy: &Proxy) -> Result<reqwest::Client, AuthError> {
    crate::http::builder(token_url, proxy).timeout(Duration::from_secs(30)).build().map_err(|e| {
        AuthError::new(
            None,
            "invalid_configuration",
            format!("cannot build the HTTP client: {}", e.without_url()),
        )
    })
}

/// The token endpoint's answer, up to [`MAX_TOKEN_RESPONSE_BYTES`].
async fn read_bounded(response: reqwest::Response, status: u16) -> Result<Vec<u8>, AuthError> {
    read_body(response, MAX_TOKEN_RESPONSE_BYTES, true).await.map_err(|error| {
        let message = match error {
            BodyError::TooLarge => {
                format!("the token response exceeds {MAX_TOKEN_RESPONSE_BYTES} bytes")
            }
            BodyError::Read(e) => format!("reading the token response failed: {}", e.without_url()),
        };
        AuthError::new(Some(status), "request_failed", message)
    })
}

#[derive(Deserialize)]
struct TokenResponse {
    token_type: String,
    /// A number in v2.0 responses, a string in some older ones: read either way.
    #[serde(default)]
    expires_in: serde_json::Value,
    access_token: String,
}

impl TokenResponse {
    /// `expires_in` in whole seconds, when it is one.
    fn lifetime(&self) -> Option<u64> {
        match &self.expires_in {
            // `3599.0` too: seconds written as a float (the cast saturates; the lifetime is capped
            // later).
            serde_json::Value::Number(n) => n
                .as_u64()
                .or_else(|| n.as_f64().filter(|s| s.is_finite() && *s >= 0.0).map(|s| s as u64)),
            serde_json::Value::String(text) => text.trim().parse().ok(),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct AadError {
    error: String,
    error_description: Option<String>,
}

/// A credential configured by the environment, with the variable names the Azure SDKs use:
///
/// | variable | meaning |
/// |---|---|
/// | `AZURE_TENANT_ID` | the tenant (required) |
/// | `AZURE_CLIENT_ID` | the application (client) id (required) |
/// | `AZURE_CLIENT_SECRET` | a client secret, or: |
/// | `AZURE_CLIENT_CERTIFICATE_PATH` | a PEM file with the certificate and its RSA private key |
/// | `AZURE_AUTHORITY_HOST` | the login host, instead of the cloud's |
/// | `GRAPH_CLOUD` | `global` (default), `usgovl4`, `usgovl5dod` or `china` |
///
/// ```
/// use graph_entity_runtime::{Client, NationalCloud, auth::EnvironmentCredential};
///
/// let vars = [("AZURE_TENANT_ID", "contoso.onmicrosoft.com"), ("AZURE_CLIENT_ID", "app"), ("AZURE_CLIENT_SECRET", "s"), ("GRAPH_CLOUD", "china")];
/// let credential = EnvironmentCredential::from_lookup(|name| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()))?;
/// assert_eq!(credential.cloud(), NationalCloud::China);
/// let client = Client::builder().cloud(credential.cloud()).credential(credential).build()?;
/// assert_eq!(client.base_url(), "https://microsoftgraph.chinacloudapi.cn/v1.0");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct EnvironmentCredential {
    inner: Box<dyn TokenCredential>,
    cloud: crate::NationalCloud,
}

impl EnvironmentCredential {
    /// Reads the process environment.
    ///
    /// # Errors
    ///
    /// An [`AuthError`] naming every missing or invalid variable.
    pub fn from_env() -> Result<Self, AuthError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads variables through `lookup` (for tests and for configuration kept elsewhere).
    ///
    /// # Errors
    ///
    /// As [`from_env`](Self::from_env).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, AuthError> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let invalid = |message: String| AuthError::new(None, "invalid_configuration", message);
        let cloud: crate::NationalCloud = match var("GRAPH_CLOUD") {
            Some(name) => name
                .parse()
                .map_err(|e: crate::cloud::UnknownCloud| invalid(format!("GRAPH_CLOUD: {e}")))?,
            None => crate::NationalCloud::Global,
        };
        let authority = match var("AZURE_AUTHORITY_HOST") {
            Some(host) if host.contains("://") => host,
            Some(host) => format!("https://{host}"),
            None => cloud.login_host().to_owned(),
        };
        let (tenant, client_id) = (var("AZURE_TENANT_ID"), var("AZURE_CLIENT_ID"));
        let (secret, certificate) =
            (var("AZURE_CLIENT_SECRET"), var("AZURE_CLIENT_CERTIFICATE_PATH"));
        let mut missing = Vec::new();
        if tenant.is_none() {
            missing.push("AZURE_TENANT_ID");
        }
        if client_id.is_none() {
            missing.push("AZURE_CLIENT_ID");
        }
        if secret.is_none() && certificate.is_none() {
            missing.push("AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH");
        }
        let (Some(tenant), Some(client_id)) = (tenant, client_id) else {
            return Err(invalid(format!("set {}", missing.join(", "))));
        };
        let inner: Box<dyn TokenCredential> = match (secret, certificate) {
            (Some(secret), _) => {
                Box::new(ClientSecretCredential::new(&authority, &tenant, client_id, secret)?)
            }
            (None, Some(path)) => Box::new(ClientCertificateCredential::from_pem_file(
                &authority, &tenant, client_id, path,
            )?),
            (None, None) => return Err(invalid(format!("set {}", missing.join(", ")))),
        };
        Ok(Self { inner, cloud })
    }

    /// The national cloud `GRAPH_CLOUD` named (default [`Global`](crate::NationalCloud::Global)).
    pub fn cloud(&self) -> crate::NationalCloud {
        self.cloud
    }
}

delegate_credential!(EnvironmentCredential, inner);
