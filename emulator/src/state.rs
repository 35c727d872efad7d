//! The state every route shares: settings, the schemas, the store, tokens, the request log and
//! the faults.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use graph_entity_schema::Schema;

use crate::bounded::{Ceilings, Deadlines, RequestLog};
use crate::faults::{FaultState, Faults};
use crate::limits::{Limiter, Limits};
use crate::lock::lock;
use crate::store::Store;
use crate::{Emulator, RecordedRequest, Registration};

pub(crate) struct Settings {
    pub(crate) page_size: usize,
    pub(crate) token_ttl: Duration,
    pub(crate) max_body_bytes: usize,
    pub(crate) tenant: String,
    pub(crate) clients: Vec<Registration>,
    pub(crate) faults: Faults,
    pub(crate) limits: Limits,
    pub(crate) ceilings: Ceilings,
}

/// What a token grants: the application it was issued to, and its roles.
pub(crate) struct Grant {
    pub(crate) client_id: String,
    /// Application permissions, or delegated ones (scopes) when `delegated`.
    pub(crate) roles: Vec<String>,
    pub(crate) delegated: bool,
}

pub(crate) struct AppState {
    pub(crate) settings: Settings,
    /// `http://127.0.0.1:PORT`: the bound address, for links when a request names no host.
    pub(crate) root: String,
    /// Every entity, both versions' (one service, two views of it).
    pub(crate) store: Mutex<Store>,
    /// Issued tokens: when each expires, its application and its roles.
    pub(crate) tokens: Mutex<Deadlines<Arc<Grant>>>,
    /// Signs the tokens issued.
    token_key: aws_lc_rs::hmac::Key,
    pub(crate) log: Mutex<RequestLog>,
    pub(crate) faults: FaultState,
    /// The documented throttling limits, and the windows of what they accepted.
    pub(crate) limiter: Limiter,
    /// Orders `$batch` responses.
    pub(crate) shuffle: Mutex<fastrand::Rng>,
}

pub(crate) type Shared = Arc<AppState>;

impl AppState {
    pub(crate) fn new(settings: Settings, root: String) -> Result<Self, String> {
        let ceilings = settings.ceilings;
        let faults = FaultState::new(settings.faults.clone(), ceilings.throttled_clients);
        let shuffle = Mutex::new(fastrand::Rng::with_seed(settings.faults.seed ^ 0xba7c4));
        let limiter = Limiter::new(settings.limits.clone(), ceilings.limited_keys);
        Ok(Self {
            faults,
            limiter,
            shuffle,
            root,
            store: Mutex::new(
                Store::new(ceilings.entities, ceilings.stored_bytes)
                    .remembering(ceilings.delta_removals),
            ),
            tokens: Mutex::new(Deadlines::new(ceilings.tokens)),
            token_key: crate::jwt::key(),
            log: Mutex::new(RequestLog::new(ceilings.logged_requests, ceilings.logged_bytes)),
            settings,
        })
    }

    /// A new token of application `client_id`, valid for `ttl`, at most
    /// [`Emulator::MAX_TOKEN_TTL`]. Tokens expired for longer than the grace period are
    /// forgotten; past the cap, the soonest to expire are.
    pub(crate) fn issue_token(&self, client_id: &str, roles: &[String], ttl: Duration) -> String {
        self.issue_token_to(crate::jwt::GRAPH_AUDIENCE, client_id, (roles, false), ttl)
    }

    /// [`issue_token`](Self::issue_token) for `audience` (the resource of the scope asked).
    pub(crate) fn issue_token_to(
        &self,
        audience: &str,
        client_id: &str,
        (roles, delegated): (&[String], bool),
        ttl: Duration,
    ) -> String {
        let ttl = ttl.min(Emulator::MAX_TOKEN_TTL);
        let tenant = &self.settings.tenant;
        let claims = crate::jwt::Claims { tenant, client_id, audience, roles, delegated, ttl };
        let token = crate::jwt::issue(&self.token_key, &claims);
        let now = Instant::now();
        // Ten years fit in an `Instant` on every platform; were they not to, the token would
        // be born expired rather than the call panic.
        let expires_at = now.checked_add(ttl).unwrap_or(now);
        let mut tokens = lock(&self.tokens);
        if let Some(forgotten) = now.checked_sub(self.settings.ceilings.expired_token_grace) {
            tokens.purge(forgotten);
        }
        tokens.insert(
            token.clone(),
            expires_at,
            Arc::new(Grant { client_id: client_id.to_owned(), roles: roles.to_vec(), delegated }),
        );
        token
    }

    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.log).to_vec()
    }

    /// The schema of a version segment, which its paths resolve against and its bodies are
    /// checked against: v1.0's, or beta's (decoded on the first `/beta` request); `None` for
    /// another version.
    pub(crate) fn schema(&self, version: &str) -> Option<&'static Schema> {
        match version {
            "v1.0" => Some(Schema::v1()),
            "beta" => Some(Schema::beta()),
            _ => None,
        }
    }
}
