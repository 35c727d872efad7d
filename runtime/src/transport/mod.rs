//! Sending requests: the one path every call takes, single or `$batch`. The token and its
//! refresh, the pacer, a `tracing` span per attempt, and after each attempt what the retry rule
//! ([`crate::retry::rule`]) decides.

mod attempt;
pub(crate) mod options;
pub(crate) mod response;

use std::sync::Arc;

use bytes::Bytes;
use reqwest::Method;
use tracing::Instrument as _;

use crate::auth::TokenCredential;
use crate::cloud::ApiVersion;
use crate::entity::PathTemplate;
use crate::error::Error;
use crate::pace::Pacers;
use crate::retry::RetryPolicy;
use crate::retry::rule::{Decision, Event, Exchange, Request};

pub(crate) use attempt::client_request_id;
use attempt::{Attempt, Reply};
use options::RequestOptions;
use response::Answer;

/// What sending needs: the HTTP connection pool, the service root, the credential and its
/// scope, the retry policy and the largest success body. A [`Client`](crate::Client) holds one.
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    /// Without a trailing `/`: the client's default version's root.
    pub(crate) base_url: String,
    /// When the base URL ends in a version segment (`…/v1.0`, `…/beta`): the roots of `v1.0`
    /// and `beta` beside it, where declarations pinned to either go.
    pub(crate) roots: Option<[String; 2]>,
    /// The version the base URL serves: its last segment's, else the builder's.
    pub(crate) api_version: ApiVersion,
    /// The service root's: redirects and next links are followed within it only.
    pub(crate) origin: url::Origin,
    pub(crate) credential: Arc<dyn TokenCredential>,
    pub(crate) scope: String,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: usize,
    /// Every write waits for room under the throttling limit of its service, when the client
    /// paces: shared by the clients of one service root and one application (Graph limits per
    /// app per tenant).
    pub(crate) pacers: Pacers,
    /// Whether a request the token's claims cannot make fails before it is sent.
    pub(crate) check_permissions: bool,
}

impl Transport {
    /// The root of `version` (`None`: the client's default): the base URL, or for another
    /// version the same service root with that version's segment.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when another version is asked of a base URL that names none.
    pub(crate) fn root_of(&self, version: Option<ApiVersion>) -> Result<&str, Error> {
        match (version, &self.roots) {
            (None, _) => Ok(&self.base_url),
            (Some(version), _) if version == self.api_version => Ok(&self.base_url),
            (Some(ApiVersion::V1), Some([v1, _])) => Ok(v1),
            (Some(_), Some([_, beta])) => Ok(beta),
            (Some(version), None) => Err(Error::Config(format!(
                "the base URL `{}` does not end in a Graph version (`/v1.0` or `/beta`), so a declaration of Graph `{}` cannot be sent through it",
                self.base_url,
                version.as_str()
            ))),
        }
    }

    /// The URL of `template` filled with `args`, below the root of the template's version
    /// (the client's default for an unchecked declaration): rendered in place.
    pub(crate) fn path_url(&self, template: &PathTemplate, args: &[&str]) -> Result<String, Error> {
        let root = self.root_of(template.version())?;
        let arguments: usize = args.iter().map(|a| a.len() * 3).sum();
        let mut url = String::with_capacity(root.len() + template.as_str().len() + arguments + 40);
        url.push_str(root);
        template.render_into(&mut url, args).map_err(Error::Path)?;
        Ok(url)
    }

    /// [`Error::MissingPermission`] when the token the credential gives now holds none of the
    /// permissions that work for `needs` (see [`options::Needs::check`]); nothing is sent.
    pub(crate) async fn permitted(&self, needs: Option<&options::Needs>) -> Result<(), Error> {
        match needs.filter(|_| self.check_permissions) {
            Some(needs) => {
                let token = self.credential.get_token(&self.scope).await.map_err(Error::Auth)?;
                needs.check(&token)
            }
            None => Ok(()),
        }
    }

    /// Sends a request, retrying as the call's policy and the retry rule allow, and returns
    /// the success answer, or the error.
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
        let request = request(&method, options.idempotent);
        let headers = attempt::headers(options)?;
        let scope = self.scope.as_str();
        let mut token = self.credential.get_token(scope).await.map_err(Error::Auth)?;
        if let Some(needs) = options.needs.as_ref().filter(|_| self.check_permissions) {
            needs.check(&token)?;
        }
        let mut exchange = Exchange::new(request);
        // What each attempt counts against the throttling limit: a write one request, a
        // `$batch` its items (the caller says), a read nothing.
        let permits = options.permits.unwrap_or(u32::from(request.write));
        let pacer = if permits > 0 { self.pacers.get(options.throttling) } else { None };
        loop {
            let permit = match &pacer {
                Some(pacer) => Some((pacer, pacer.acquire(permits).await)),
                None => None,
            };
            let span = tracing::info_span!(
                "graph.request",
                method = %method,
                path = template,
                attempt = exchange.attempt(),
                client_request_id = client_request_id.to_str().unwrap_or_default(),
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
            );
            let reply = self
                .attempt(Attempt {
                    method: &method,
                    url: &url,
                    body: body.clone(),
                    token: &token,
                    client_request_id: &client_request_id,
                    headers: &headers,
                    attempt: exchange.attempt(),
                    stream: options.stream,
                })
                .instrument(span)
                .await;
            let (event, outcome) = match reply {
                Reply::Success(answer) => (Event::Succeeded, Ok(answer)),
                Reply::Unreadable { status, location, error } if request.write => {
                    let source = Box::new(error);
                    let error = Error::UnreadableSuccess { status, location, id: None, source };
                    (Event::BodyLost, Err(error))
                }
                // A read cut short is read again; too large a read is its error.
                Reply::Unreadable { error: error @ Error::Transport(_), .. } => {
                    (Event::BodyLost, Err(error))
                }
                Reply::Unreadable { error, .. } => return Err(error),
                Reply::Refused { error, retry_after } => {
                    let status = error.status().unwrap_or_default();
                    let expired_token = status == 401 && is_invalid_token(&error);
                    (Event::Refused { status, retry_after, expired_token }, Err(error))
                }
                Reply::Unfollowed(error) => {
                    let status = error.status().unwrap_or_default();
                    (Event::Redirected { status }, Err(error))
                }
                Reply::NotSent(error) => (Event::NotSent, Err(Error::Transport(error))),
                Reply::Lost(error) => (Event::Lost, Err(Error::Transport(error))),
            };
            if let Some((pacer, permit)) = permit {
                let throttled = matches!(event, Event::Refused { status: 429, .. });
                // Counted by the service from its answer on, unless it refused them.
                permit.settle(if throttled { 0 } else { permits });
                if let Event::Refused { status: 429, retry_after, .. } = event {
                    // A write's refusal lowers the write limit (a read's does not: reads have
                    // a budget of their own) and pauses the writers that share the pacer, for
                    // no longer than this call would wait.
                    pacer.throttled(retry_after.map(|d| d.min(policy.max_delay_value())), 0);
                }
            }
            match exchange.decide(event, policy) {
                Decision::Done { resent } => {
                    return outcome.map(|answer| Answer { resent, ..answer });
                }
                Decision::Gone => {
                    tracing::debug!("the entity is gone after a resent DELETE: deleted");
                    return Ok(Answer {
                        status: 204,
                        location: None,
                        body: Vec::new(),
                        resent: true,
                        unread: None,
                    });
                }
                Decision::Refresh => {
                    // An expired or revoked token: refresh once and try again at once.
                    match self.credential.refresh(scope, &token).await.map_err(Error::Auth)? {
                        Some(fresh) => token = fresh,
                        None => return outcome,
                    }
                }
                Decision::Resend { after } => {
                    if let Err(error) = &outcome {
                        tracing::debug!(
                            attempt = exchange.attempt(),
                            wait_ms = after.as_millis(),
                            %error,
                            "retrying"
                        );
                    }
                    tokio::time::sleep(after).await;
                }
                Decision::GiveUp(verdict) => return outcome.map_err(|error| verdict.apply(error)),
            }
        }
    }
}

/// What the rule needs to know of a request's method.
fn request(method: &Method, idempotent: bool) -> Request {
    match *method {
        Method::DELETE => Request::DELETE,
        // Absolute values: applying them twice leaves the same entity.
        Method::PUT | Method::PATCH => Request::write(true),
        Method::POST => Request::write(idempotent),
        _ => Request::READ,
    }
}

/// A `401` that a fresh token may cure.
fn is_invalid_token(error: &Error) -> bool {
    error
        .as_graph()
        .is_none_or(|graph| graph.code.eq_ignore_ascii_case("InvalidAuthenticationToken"))
}
