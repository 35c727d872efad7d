//! The client-credentials flow shared by both credentials: the token requests, one cached token
//! per scope, and one request in flight however many calls need a token.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;
use reqwest::Url;

use super::cache::Slot;
use super::endpoint::{Endpoint, Proof, http_client};
use super::token::AccessToken;
use crate::error::AuthError;
use crate::http::{Proxy, is_loopback};

/// The most scopes a credential caches tokens for; past it, idle ones are forgotten.
const MAX_SCOPES: usize = 64;
/// The client-credentials flow shared by both credentials: the token request, the cache and
/// the single flight.
pub(super) struct ClientCredentials {
    pub(super) token_url: Url,
    client_id: String,
    proof: Proof,
    http: reqwest::Client,
    /// Tokens and flights by scope.
    slots: Mutex<HashMap<String, Arc<Slot>>>,
}

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
    pub(super) fn new(
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

    pub(super) fn with_proxy(mut self, proxy: &Proxy) -> Result<Self, AuthError> {
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
    pub(super) fn principal(&self) -> Option<String> {
        Some(format!("{} {}", self.token_url, self.client_id))
    }

    pub(super) fn get_token<'a>(
        &'a self,
        scope: &'a str,
    ) -> BoxFuture<'a, Result<AccessToken, AuthError>> {
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
        let endpoint = Endpoint {
            http: &self.http,
            token_url: &self.token_url,
            client_id: &self.client_id,
            proof: &self.proof,
        };
        let result = endpoint.request(scope).await;
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

    pub(super) fn refresh<'a>(
        &'a self,
        scope: &'a str,
        stale: &'a AccessToken,
    ) -> BoxFuture<'a, Result<Option<AccessToken>, AuthError>> {
        Box::pin(async move {
            let slot = self.slot(scope);
            let seen = slot.flights.load(Ordering::Acquire);
            let mut failure = slot.flight.lock().await;
            // Another call may have refreshed already: then its token is the answer.
            if let Some(token) = slot.unexpired().filter(|t| t.header() != stale.header()) {
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

pub(super) use {delegate_credential, proxy_settings};
