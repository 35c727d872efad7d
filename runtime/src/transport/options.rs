//! The options of one call: [`RequestOptions`].

use crate::auth::AccessToken;
use crate::entity::RequestPermissions;
use crate::error::{Error, MissingPermission};
use crate::retry::RetryPolicy;

/// Options of one call.
///
/// ```
/// use graph_entity_runtime::client::{RequestOptions, RetryPolicy};
///
/// // This POST carries a key the service deduplicates on: resending it is safe.
/// let options = RequestOptions::default().idempotent(true).retry(RetryPolicy::default().max_retries(5));
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestOptions {
    pub(crate) idempotent: bool,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) if_match: Option<String>,
    /// `ConsistencyLevel: eventual`, which `$count` and `$search` on directory objects need.
    pub(crate) eventual: bool,
    /// What one attempt counts against the throttling limit, when not its method's default (a
    /// `$batch` counts its items).
    pub(crate) permits: Option<u32>,
    /// The documented limit of the service the request's entity belongs to: its writes are
    /// paced with that service's.
    pub(crate) throttling: Option<crate::entity::Throttling>,
    /// The success body is handed over unread, to be read as it arrives (an `Edm.Stream`
    /// result), rather than read whole within the client's response limit.
    pub(crate) stream: bool,
    /// What the request needs by Microsoft's permissions reference: checked against the
    /// token's claims before anything is sent.
    pub(crate) needs: Option<Needs>,
}

/// A request's method and path template, and the permissions that work for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Needs {
    pub(crate) method: &'static str,
    pub(crate) path: &'static str,
    /// What follows the template, such as `/delta`.
    pub(crate) suffix: &'static str,
    pub(crate) permissions: RequestPermissions,
}

impl Needs {
    pub(crate) fn new(
        method: &'static str,
        path: &'static str,
        permissions: RequestPermissions,
    ) -> Option<Needs> {
        permissions.is_known().then_some(Needs { method, path, suffix: "", permissions })
    }

    /// The same, for the path with `suffix` after the template.
    pub(crate) fn suffix(self, suffix: &'static str) -> Needs {
        Needs { suffix, ..self }
    }

    /// [`Error::MissingPermission`] when `token` says what it grants and holds none of the
    /// permissions that work; `Ok` for an opaque token.
    pub(crate) fn check(&self, token: &AccessToken) -> Result<(), Error> {
        let Some(granted) = token.granted() else { return Ok(()) };
        if granted.holds_one_of(&self.permissions) {
            return Ok(());
        }
        Err(Error::MissingPermission(Box::new(MissingPermission {
            method: self.method,
            path: format!("{}{}", self.path, self.suffix),
            least: granted.least(&self.permissions),
            works: granted.that_work(&self.permissions),
            held: granted.names().to_vec(),
            application: granted.is_application(),
        })))
    }
}

impl RequestOptions {
    /// Declares the request safe to send twice (for a `POST`: the service deduplicates it,
    /// for example on a client-supplied key). Then a `POST` whose answer was lost is resent,
    /// and a `504` is retried, as for a `GET`.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// The retry policy of this call, instead of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// `If-Match: etag`: the service applies an update or delete only if the entity is still
    /// at this version (its `@odata.etag`), and answers `412` otherwise, so that a change made
    /// in between is not overwritten.
    pub fn if_match(mut self, etag: impl Into<String>) -> Self {
        self.if_match = Some(etag.into());
        self
    }

    /// `If-Match` with the `@odata.etag` `entity` was read with (its `#[graph(etag)]` field),
    /// when it has one: the update or delete applies only to that version.
    pub fn if_match_of<E: crate::GraphEntity>(mut self, entity: &E) -> Self {
        if let Some(etag) = entity.etag() {
            self.if_match = Some(etag.to_owned());
        }
        self
    }
}
