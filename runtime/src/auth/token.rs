//! Bearer tokens and where they come from: [`AccessToken`], [`TokenCredential`], and the
//! simplest credential, [`StaticToken`].

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use reqwest::header::HeaderValue;

use super::claims::Granted;
use crate::error::AuthError;

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
    /// What its claims grant, read once when it is made.
    granted: Option<Arc<Granted>>,
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
        let granted = Granted::of_token(token).map(Arc::new);
        Ok(Self { header, expires_at, refresh_at, granted })
    }

    /// The `Authorization` header value.
    pub(crate) fn header(&self) -> &HeaderValue {
        &self.header
    }

    /// The token itself. Handle with care: it grants access.
    pub fn secret(&self) -> &str {
        self.header.to_str().ok().and_then(|h| h.strip_prefix("Bearer ")).unwrap_or_default()
    }

    /// The permissions the token's claims grant (`roles` or `scp`), read without verifying
    /// it; `None` for an opaque token or one without either claim.
    ///
    /// ```
    /// use graph_entity_runtime::auth::{AccessToken, Granted};
    ///
    /// // An app-only token with one application permission (header and signature elided).
    /// let token = AccessToken::new("e30.eyJyb2xlcyI6WyJVc2VyLlJlYWQuQWxsIl19.c2ln", None)?;
    /// assert_eq!(token.granted(), Some(&Granted::Application(vec!["User.Read.All".into()])));
    /// assert_eq!(AccessToken::new("opaque", None)?.granted(), None);
    /// # Ok::<(), graph_entity_runtime::error::AuthError>(())
    /// ```
    pub fn granted(&self) -> Option<&Granted> {
        self.granted.as_deref()
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
            .field("granted", &self.granted)
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
