//! [`ClientSecretCredential`]: client credentials with a client secret.

use super::endpoint::Proof;
use super::flow::{ClientCredentials, delegate_credential, proxy_settings};
use super::token::{AccessToken, TokenCredential};
use crate::error::AuthError;
use crate::http::Proxy;
use futures_util::future::BoxFuture;

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
