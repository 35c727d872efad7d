//! Credentials: where bearer tokens come from.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use reqwest::Url;
use reqwest::header::HeaderValue;
use serde::Deserialize;

use crate::client::is_loopback;

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
/// use graph_entity_runtime::{ClientSecretCredential, NationalCloud};
///
/// let credential = ClientSecretCredential::new(NationalCloud::UsGovL4.login_host(), "contoso.onmicrosoft.com", "app-id", "s3cret")?;
/// assert!(!format!("{credential:?}").contains("s3cret"));
/// # Ok::<(), graph_entity_runtime::AuthError>(())
/// ```
pub struct ClientSecretCredential {
    token_url: Url,
    client_id: String,
    client_secret: String,
    http: reqwest::Client,
    cache: tokio::sync::Mutex<Option<AccessToken>>,
}

impl fmt::Debug for ClientSecretCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientSecretCredential")
            .field("token_url", &self.token_url.as_str())
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish_non_exhaustive()
    }
}

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
        let config = |message: String| AuthError::new(None, "invalid_configuration", message);
        let mut url = Url::parse(authority)
            .map_err(|e| config(format!("authority `{authority}` does not parse: {e}")))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            _ => {
                return Err(config(format!(
                    "authority `{authority}` is not https: the client secret would travel unencrypted"
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
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(crate::client::USER_AGENT)
            .build()
            .map_err(|e| config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            token_url: url,
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            http,
            cache: tokio::sync::Mutex::new(None),
        })
    }

    /// The token endpoint this credential posts to.
    pub fn token_url(&self) -> &str {
        self.token_url.as_str()
    }

    async fn request(&self, scope: &str) -> Result<AccessToken, AuthError> {
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", &self.client_id)
            .append_pair("scope", scope)
            .append_pair("client_secret", &self.client_secret)
            .append_pair("grant_type", "client_credentials")
            .finish();
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
        let body = response.bytes().await.map_err(|e| {
            AuthError::new(
                Some(status),
                "request_failed",
                format!("reading the token response failed: {}", e.without_url()),
            )
        })?;
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
        let expires_at = sent + Duration::from_secs(token.expires_in.seconds());
        AccessToken::new(&token.access_token, Some(expires_at))
    }
}

impl TokenCredential for ClientSecretCredential {
    fn refresh<'a>(
        &'a self,
        scope: &'a str,
        stale: &'a AccessToken,
    ) -> BoxFuture<'a, Result<Option<AccessToken>, AuthError>> {
        Box::pin(async move {
            let mut cache = self.cache.lock().await;
            // Another call may have refreshed already: then its token is the answer.
            if let Some(token) = cache.as_ref().filter(|t| t.header != stale.header) {
                return Ok(Some(token.clone()));
            }
            let token = self.request(scope).await?;
            *cache = Some(token.clone());
            Ok(Some(token))
        })
    }

    fn get_token<'a>(&'a self, scope: &'a str) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
        Box::pin(async move {
            // Holding the lock across the request makes concurrent callers wait for this
            // refresh instead of sending their own.
            let mut cache = self.cache.lock().await;
            if let Some(token) = cache.as_ref().filter(|t| !t.needs_refresh()) {
                return Ok(token.clone());
            }
            let token = self.request(scope).await?;
            *cache = Some(token.clone());
            Ok(token)
        })
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    token_type: String,
    expires_in: Seconds,
    access_token: String,
}

/// `expires_in` is a number in v2.0 responses and a string in some older ones.
#[derive(Deserialize)]
#[serde(untagged)]
enum Seconds {
    Number(u64),
    Text(String),
}

impl Seconds {
    fn seconds(&self) -> u64 {
        match self {
            Seconds::Number(n) => *n,
            Seconds::Text(t) => t.trim().parse().unwrap_or(0),
        }
    }
}

#[derive(Deserialize)]
struct AadError {
    error: String,
    error_description: Option<String>,
}

/// Authentication failed: the token endpoint's error (`invalid_client`, `invalid_scope` …) with
/// its description, or why no token could be had. Never contains a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("authentication failed: {code}: {description}")]
#[non_exhaustive]
pub struct AuthError {
    /// The HTTP status of the token endpoint's answer, when there was one.
    pub status: Option<u16>,
    /// The OAuth error code, such as `invalid_client`.
    pub code: String,
    /// The description, such as `AADSTS7000215: Invalid client secret provided …`.
    pub description: String,
}

impl AuthError {
    /// An error with this status, code and description.
    pub fn new(
        status: Option<u16>,
        code: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Self { status, code: code.into(), description: description.into() }
    }
}
