//! `graph-emulator`: a local Microsoft Graph v1.0 and beta, served from Microsoft's own metadata.
//!
//! Every entity set, singleton and containment navigation of the v1.0 metadata (read by
//! `graph-entity-schema`) is served from one in-memory store, on loopback, under `/v1.0`; and
//! every one of the beta metadata (as `graph-entity-schema` reconstructs it from Microsoft's
//! sources, decoded on the first `/beta` request) under `/beta`, from the same store (one
//! service, two views of it):
//!
//! - `POST` to a collection (an entity set such as `/groups`, or a contained collection such as
//!   `/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses` or
//!   `/users/{id}/todo/lists/{id}/tasks`): the body is validated against the metadata (types,
//!   nullability, enum members, complex values and collections in depth, unknown properties,
//!   `@odata.type` derived from the declared type, abstract types refused); the key is assigned
//!   (a GUID) when absent, `createdDateTime`/`lastModifiedDateTime` set when the type has them;
//!   `201` with the entity and `@odata.context`. Parents must exist (`404` otherwise);
//!   singletons always do.
//! - `GET` of an entity by key (`$select`, `$expand` of contained navigations, at most 20
//!   entities of an expanded collection) and of a collection, with `$filter` (`eq ne gt ge lt
//!   le and or not`, parentheses, `in`, `startswith`, `endswith`, `contains`), `$orderby` (a
//!   total order: nulls first; `Edm.Double`'s `NaN`, `-INF`, numbers, `INF` as .NET orders
//!   them), `$top`, `$skip`, `$count` and `/$count`, `$search` (directory objects and
//!   messages), and `@odata.nextLink` paging; directory objects need `ConsistencyLevel:
//!   eventual` for `$count`, `$search` and advanced operators, as Graph.
//! - `PATCH` (a merge of the given properties, validated; computed properties refused; `204`)
//!   and `DELETE` (`204`, with everything the entity contains).
//! - Optimistic concurrency: every entity answered carries `@odata.etag`, which changes on each
//!   `PATCH`; `PATCH` and `DELETE` honour `If-Match` (`*`, or the current etag, weak or strong)
//!   with `412 PreconditionFailed` otherwise, and Planner's entities require it.
//! - `405` where the metadata's restrictions forbid an operation; Graph's `400` for an unknown
//!   segment; `501` for what the emulator does not serve (navigation that does not contain its
//!   targets, `$ref`, deep inserts).
//! - Every bound action (`POST`) and function (`GET`, parameters as OData literals or aliases):
//!   `405` for the other method, `404` without the binding entity, parameters validated against
//!   the metadata, `204` or a result of the declared shape. `assign` replaces the assignments;
//!   device actions record a `deviceActionResult`; `delta` on a collection reads its changes
//!   from the store: every entity first, then what was created, changed or removed
//!   (`@removed`) since a round's `@odata.deltaLink` (`410 syncStateNotFound` once the
//!   removals since were forgotten, see [`Emulator::delta_removals`]).
//! - `POST /{tenant}/oauth2/v2.0/token` (client credentials, with a client secret or a
//!   certificate-signed client assertion) issuing expiring bearer tokens in Microsoft Entra ID's
//!   form (a JSON Web Token whose `roles` claim holds the application's permissions), checked
//!   on every Graph call: `401` without, with an unknown or an expired token, `403` without one
//!   of the application permissions Microsoft's permissions reference lists for the path and
//!   method, naming the least privileged first (a path it does not list takes any valid
//!   token).
//! - `POST /$batch`: JSON batching of up to 20 of these requests, with `dependsOn` and `424`.
//!
//! Faults can be injected (see [`Faults`]): throttling with or without `Retry-After`, `503`,
//! `504`, latency, a second `429` for a client that retries too early, and connections dropped
//! after the entity was stored; each is counted ([`RunningEmulator::fault_counts`]).
//!
//! Throttling can also follow the service's documented limits (see [`Limits`];
//! [`Limits::intune`]): sliding windows per application per tenant and per tenant, for writes
//! and for any request, kept for each Intune service apart (the services and their entity types
//! of Microsoft's throttling-limits page, from `graph_entity_schema::throttling`; a request of no
//! Intune service is not limited), each `$batch` request counted on its own, a `429` with
//! `Retry-After` in whole or fractional seconds (rounded up: a client that waits what it is
//! told is never early) or none, windows that a time scale shortens (a 20 s window in 200 ms at
//! `100.0`), limits changed while running ([`RunningEmulator::set_limits`]) and counted
//! ([`RunningEmulator::throttle_counts`]).
//!
//! Every answer carries Graph's headers (`request-id`, the echoed `client-request-id`, `Date`,
//! `Content-Type`) and errors use Graph's body `{"error": {"code", "message", "details",
//! "innerError"}}`. The absolute URLs it writes (`@odata.context`, `@odata.nextLink`) are in the
//! origin the request named (its `Host`), so that a client configured with
//! `http://localhost:PORT` is given links it may follow; so is the audience client assertions
//! are checked against. All state is in memory and safe under concurrent requests.
//!
//! # Bounds
//!
//! No input makes the emulator panic (the connections that [`Faults::drop_after_store_rate`]
//! drops on purpose aside), and what it keeps in memory, besides the entities it stores, has a
//! ceiling:
//!
//! - request bodies: at most [`Emulator::max_body_bytes`] (default 1 MiB, any size allowed),
//!   one limit for every route, answered `413 RequestEntityTooLarge` in Graph's format;
//! - `$filter`: nested (parentheses, `not`, `tolower`) at most 64 deep and at most 10,000
//!   operands, past either Graph's `400` naming the problem; chains of `and` and `or` of any
//!   length are evaluated without recursion;
//! - answers: the answer to a read at most [`Emulator::max_response_bytes`] (default 16 MiB,
//!   the client's own default limit), and the answers of a `$batch` together as much: a page
//!   ends before it would pass it (its `@odata.nextLink` goes on from there), and an answer that
//!   cannot fit is Graph's `400` naming the limit (a write's answer is never withheld); an
//!   expanded collection holds at most 20 entities and no next link, as Graph documents for
//!   `$expand`;
//! - `$skiptoken`: one at or past the end of a collection, however large, gets an empty page
//!   without `@odata.nextLink`;
//! - `Retry-After`: at most [`RetryAfter::MAX_SECONDS`] (a day); longer waits are answered as a
//!   day;
//! - token lifetimes: at most [`Emulator::MAX_TOKEN_TTL`] (ten years); longer ones are clamped;
//! - tokens: at most 100,000 kept; a token is forgotten an hour after it expired (until then it
//!   is answered "expired"), and past the cap the soonest to expire are forgotten first;
//! - throttled clients (by `client-request-id`, for the second `429` of a client back too
//!   early): at most 100,000, forgotten once their `Retry-After` has passed, the soonest first
//!   past the cap;
//! - the windows of the [`Limits`]: at most 10,000 sets per (tenant, application, service)
//!   and 10,000 per (tenant, service), each forgotten once its windows are empty, and past the
//!   cap those that would empty soonest first; a window keeps at most its limit of arrival
//!   times (after a limit was lowered, the former one until they leave; [`Window::MAX_REQUESTS`]
//!   at most), and lasts at most a day;
//! - the request log ([`RunningEmulator::requests`]): the latest 10,000 requests and at most
//!   64 MiB (method, path, headers and bodies), the oldest evicted first; a single request larger
//!   than that keeps the start of its body;
//! - the store: at most [`Emulator::max_entities`] entities (default 1,000,000) and 1 GiB of
//!   them, each entity counting for the length of its JSON encoding as stored (a `PATCH` counts
//!   the new size instead of the former one; a `DELETE` takes back what the entity and all it
//!   contains counted); a write past either is answered with Graph's
//!   `400 Directory_QuotaExceeded`.
//!
//! The log redacts credentials: `Authorization` headers (also those of the requests inside a
//! `$batch` body), and token endpoint bodies.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let emulator = graph_emulator::Emulator::builder().page_size(50).start().await?;
//! assert!(emulator.graph_url("v1.0").starts_with("http://127.0.0.1:"));
//! let (client_id, _secret) = emulator.default_client();
//! assert_eq!(client_id, graph_emulator::DEFAULT_CLIENT_ID);
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```

#![deny(missing_docs)]
// Handlers return `Result<Response, Response>` so that checks read as `?`; a `Response` is moved
// once per request, so its size as an error costs nothing worth boxing.
#![allow(clippy::result_large_err)]

mod assertion;
mod auth;
mod batch;
mod bounded;
mod delta;
mod edm;
mod faults;
mod filter;
mod jwt;
mod limits;
mod lock;
mod operation;
mod precondition;
mod query;
mod read;
mod request;
mod respond;
mod retry_after;
mod routing;
mod search;
mod server;
mod service;
mod special;
mod state;
mod store;
mod token;
mod validate;
mod write;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;

pub use faults::{FaultCounts, Faults};
pub use graph_entity_schema::Schema;
pub use limits::{LimitScope, Limits, ServiceLimits, ThrottleCounts, Window, Windows};
pub use retry_after::{LimitsRetryAfter, RetryAfter};
pub use validate::{Problem, Validation, validate, validate_parameters};

use crate::bounded::Ceilings;
use crate::state::{AppState, Settings};

/// For the fuzz target `emulator_filter` only, not an API: reads `filter` (and `order_by`) as the
/// `$filter` (and `$orderby`) of a collection of the v1.0 entity type `ty` (qualified), evaluates
/// it on `entities` and sorts those it keeps; how many it kept, or Graph's answer to the query
/// (status, code, message).
#[doc(hidden)]
pub fn fuzz_query(
    ty: &str,
    filter: &str,
    order_by: Option<&str>,
    entities: &[serde_json::Value],
) -> Result<usize, (u16, &'static str, String)> {
    query::fuzz(ty, filter, order_by, entities)
}

/// The tenant the emulator's token endpoint accepts by default.
pub const DEFAULT_TENANT: &str = "emulator";
/// The client id of the application registered by default.
pub const DEFAULT_CLIENT_ID: &str = "00000000-0000-0000-0000-00000000e001";
/// The client secret of the application registered by default. Not a secret: it is printed
/// by the binary and written here, like Azurite's well-known development key.
pub const DEFAULT_CLIENT_SECRET: &str = "graph-emulator-development-secret";

/// The application permissions (app roles) of the application registered by default: the
/// write permissions of Intune's areas (apps, configuration, managed devices and their
/// privileged operations, RBAC, service configuration), of the directory (users, groups,
/// applications, devices) and of users' To Do tasks, mail, calendars and contacts. A call
/// elsewhere is answered `403` naming the permission Microsoft's reference lists for it: register
/// an application holding it ([`Emulator::client`], or `--roles` on the command line), or
/// [`application_permissions`] for all of them.
pub const DEFAULT_ROLES: &[&str] = &[
    "Application.ReadWrite.All",
    "Calendars.ReadWrite",
    "Contacts.ReadWrite",
    "Device.ReadWrite.All",
    "DeviceManagementApps.ReadWrite.All",
    "DeviceManagementConfiguration.ReadWrite.All",
    "DeviceManagementManagedDevices.PrivilegedOperations.All",
    "DeviceManagementManagedDevices.ReadWrite.All",
    "DeviceManagementRBAC.ReadWrite.All",
    "DeviceManagementServiceConfig.ReadWrite.All",
    "Directory.ReadWrite.All",
    "Group.ReadWrite.All",
    "Mail.ReadWrite",
    "Tasks.ReadWrite.All",
    "User.ReadWrite.All",
];

/// Every application permission Microsoft's permissions reference names, sorted: for a
/// registration (or [`RunningEmulator::issue_token`]) that may call anything the emulator serves.
///
/// ```
/// let all = graph_emulator::application_permissions();
/// assert!(all.contains(&"Sites.ReadWrite.All"));
/// ```
pub fn application_permissions() -> Vec<&'static str> {
    use graph_entity_schema::permissions::{Permissions, Scheme};
    Permissions::get().names(Scheme::Application)
}

/// An application the token endpoint knows: its credentials and its application permissions.
#[derive(Clone)]
pub struct Registration {
    /// The application (client) id.
    pub client_id: String,
    /// Its client secret, if it has one.
    pub client_secret: Option<String>,
    /// Its certificate, if it has one: client assertions signed with the certificate's key are
    /// accepted.
    pub certificate: Option<ClientCertificate>,
    /// Application permissions (roles) carried by its tokens.
    pub roles: Vec<String>,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "<redacted>"))
            .field("certificate", &self.certificate.is_some())
            .field("roles", &self.roles)
            .finish()
    }
}

/// A certificate registered for an application, as uploaded to Microsoft Entra ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCertificate {
    /// The certificate, DER: assertions name it by its SHA-1 (`x5t`) or SHA-256 (`x5t#S256`)
    /// thumbprint.
    pub der: Vec<u8>,
    /// Its RSA public key as a DER `RSAPublicKey` (PKCS#1), which verifies the assertions. (The
    /// emulator takes it apart from the certificate so that it needs no X.509 parser.)
    pub public_key: Vec<u8>,
}

/// A request as the emulator received it, with credentials redacted: the `Authorization`
/// header, those of the requests of a `$batch` body, and token-endpoint bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The method, such as `POST`.
    pub method: String,
    /// The path and query, still percent-encoded, as sent.
    pub path: String,
    /// Header names (lowercase) and values, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first value of a header, by lowercase name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Configures an emulator.
#[derive(Debug)]
pub struct Emulator {
    address: SocketAddr,
    page_size: usize,
    token_ttl: Duration,
    max_body_bytes: usize,
    tenant: String,
    clients: Vec<Registration>,
    faults: Faults,
    limits: Limits,
    max_entities: usize,
    max_response_bytes: usize,
    delta_removals: usize,
}

impl Emulator {
    /// The longest token lifetime: ten years (of 365 days). Longer ones are clamped to it.
    pub const MAX_TOKEN_TTL: Duration = Duration::from_secs(10 * 365 * 86_400);

    /// The defaults: `127.0.0.1`, a free port, pages of 100, tokens valid for an hour, bodies
    /// up to 1 MiB, at most 1,000,000 stored entities, tenant [`DEFAULT_TENANT`] and one
    /// application ([`DEFAULT_CLIENT_ID`]) holding the write permission of every area of the
    /// permissions table (`DeviceManagementApps.ReadWrite.All`, `User.ReadWrite.All`,
    /// `Group.ReadWrite.All`, `Tasks.ReadWrite.All` …).
    pub fn builder() -> Self {
        Self {
            address: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            page_size: 100,
            token_ttl: Duration::from_secs(3599),
            max_body_bytes: 1024 * 1024,
            tenant: DEFAULT_TENANT.to_owned(),
            clients: vec![Registration {
                client_id: DEFAULT_CLIENT_ID.to_owned(),
                client_secret: Some(DEFAULT_CLIENT_SECRET.to_owned()),
                certificate: None,
                roles: DEFAULT_ROLES.iter().map(|r| (*r).to_owned()).collect(),
            }],
            faults: Faults::default(),
            limits: Limits::none(),
            max_entities: bounded::MAX_ENTITIES,
            max_response_bytes: bounded::MAX_RESPONSE_BYTES,
            delta_removals: bounded::MAX_DELTA_REMOVALS,
        }
    }

    /// The most entities stored at once (default 1,000,000; at least 1): a create past it is
    /// answered with Graph's `400 Directory_QuotaExceeded`, until something is deleted.
    pub fn max_entities(mut self, cap: usize) -> Self {
        self.max_entities = cap.max(1);
        self
    }

    /// The most bytes the answer to a read may take, and the answers of a `$batch` together
    /// (default 16 MiB, the client's own default limit on a response; at least 64 KiB): a page
    /// ends before it would pass it (its `@odata.nextLink` goes on from there), and an answer that
    /// cannot fit is Graph's `400`. A write's answer is never withheld (the request-body limit
    /// bounds it).
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes.max(bounded::MIN_RESPONSE_BYTES);
        self
    }

    /// The most removals remembered per collection whose changes are read through `delta`
    /// (default 10,000): a delta link from before the oldest removal forgotten has expired, and
    /// gets Graph's `410 Gone` (`syncStateNotFound`), as a link Graph no longer knows does.
    pub fn delta_removals(mut self, removals: usize) -> Self {
        self.delta_removals = removals;
        self
    }

    /// Faults to inject (default: none).
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// The service's throttling limits (default [`Limits::none`]); they can be changed while
    /// running with [`RunningEmulator::set_limits`].
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The address to listen on (default `127.0.0.1:0`, a free port).
    pub fn address(mut self, address: SocketAddr) -> Self {
        self.address = address;
        self
    }

    /// The largest page of a collection (default 100); `$top` can ask for less.
    pub fn page_size(mut self, size: usize) -> Self {
        self.page_size = size.max(1);
        self
    }

    /// How long issued tokens are valid (default 3599 s, as Microsoft Entra ID), at most
    /// [`Emulator::MAX_TOKEN_TTL`].
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl.min(Self::MAX_TOKEN_TTL);
        self
    }

    /// The largest request body accepted (default 1 MiB, any size allowed); a larger one gets
    /// Graph's `413 RequestEntityTooLarge`.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// The tenant the token endpoint accepts (default [`DEFAULT_TENANT`]).
    pub fn tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = tenant.into();
        self
    }

    /// The application permissions of the application registered by default (default
    /// [`DEFAULT_ROLES`]): what its tokens carry in their `roles` claim.
    ///
    /// ```
    /// # async fn run() -> std::io::Result<()> {
    /// // An application that may only read Intune's apps.
    /// let emulator = graph_emulator::Emulator::builder()
    ///     .default_roles(["DeviceManagementApps.Read.All"])
    ///     .start()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn default_roles<I, S>(mut self, roles: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let roles: Vec<String> = roles.into_iter().map(Into::into).collect();
        if let Some(default) = self.clients.iter_mut().find(|c| c.client_id == DEFAULT_CLIENT_ID) {
            default.roles = roles;
        }
        self
    }

    /// Registers another application.
    pub fn client(mut self, registration: Registration) -> Self {
        self.clients.push(registration);
        self
    }

    /// Binds and starts serving in the background on the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// The error of binding the address.
    pub async fn start(self) -> std::io::Result<RunningEmulator> {
        let listener = tokio::net::TcpListener::bind(self.address).await?;
        let address = listener.local_addr()?;
        let settings = Settings {
            page_size: self.page_size,
            token_ttl: self.token_ttl,
            max_body_bytes: self.max_body_bytes,
            tenant: self.tenant,
            clients: self.clients,
            faults: self.faults,
            limits: self.limits,
            ceilings: Ceilings {
                entities: self.max_entities,
                response_bytes: self.max_response_bytes,
                delta_removals: self.delta_removals,
                ..Ceilings::default()
            },
        };
        let root = format!("http://{address}");
        let state = Arc::new(AppState::new(settings, root.clone()).map_err(std::io::Error::other)?);
        let routes = server::router(Arc::clone(&state));
        let app = routes.clone().layer(axum::Extension(server::Routes(routes)));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            if let Err(error) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
                eprintln!("graph-emulator: server error: {error}");
            }
        });
        Ok(RunningEmulator { address, root, state, stop: Some(stop), task: Some(task) })
    }
}

/// A running emulator. Dropping it stops the server.
pub struct RunningEmulator {
    address: SocketAddr,
    root: String,
    state: Arc<AppState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for RunningEmulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningEmulator").field("address", &self.address).finish_non_exhaustive()
    }
}

impl RunningEmulator {
    /// The address it listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// `http://127.0.0.1:PORT`: the authority of the token endpoint.
    pub fn root_url(&self) -> &str {
        &self.root
    }

    /// The Graph service root for `version` (`v1.0` or `beta`), such as
    /// `http://127.0.0.1:PORT/v1.0`.
    pub fn graph_url(&self, version: &str) -> String {
        format!("{}/{version}", self.root)
    }

    /// The tenant the token endpoint accepts.
    pub fn tenant(&self) -> &str {
        &self.state.settings.tenant
    }

    /// The client id and secret of the application registered by default.
    pub fn default_client(&self) -> (&'static str, &'static str) {
        (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    }

    /// Issues a token directly, with these roles and lifetime (`Duration::ZERO`: already
    /// expired; at most [`Emulator::MAX_TOKEN_TTL`]), as if the token endpoint had issued it to
    /// the default application ([`DEFAULT_CLIENT_ID`], whose [`Limits`] windows it counts in).
    pub fn issue_token(&self, roles: &[&str], ttl: Duration) -> String {
        self.issue_token_for(DEFAULT_CLIENT_ID, roles, ttl)
    }

    /// Issues a token directly to application `client_id` (registered or not), with these roles
    /// and lifetime: its calls count in that application's [`Limits`] windows.
    pub fn issue_token_for(&self, client_id: &str, roles: &[&str], ttl: Duration) -> String {
        let roles: Vec<String> = roles.iter().map(|r| (*r).to_owned()).collect();
        self.state.issue_token(client_id, &roles, ttl)
    }

    /// Issues a delegated token directly, as if a user (work or school account) of the default
    /// application had signed in and consented to these `scopes` (the token's `scp`): each call
    /// then needs one of the delegated permissions Microsoft's reference lists for it. `/me` is
    /// still refused: the emulator has no signed-in user.
    pub fn issue_delegated_token(&self, scopes: &[&str], ttl: Duration) -> String {
        let scopes: Vec<String> = scopes.iter().map(|r| (*r).to_owned()).collect();
        self.state.issue_token_to(jwt::GRAPH_AUDIENCE, DEFAULT_CLIENT_ID, (&scopes, true), ttl)
    }

    /// The requests received so far (the last 10,000, and at most 64 MiB of them), oldest
    /// first, credentials redacted.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.requests()
    }

    /// The entities stored in a collection, in creation order, as the emulator holds them (with
    /// their `@odata.type`): `path` is any v1.0 or beta collection path with its keys, each segment
    /// percent-encoded as in a URL, such as `/users/{id}/todo/lists/{id}/tasks` or
    /// `/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses`; a type cast segment
    /// keeps the entities of that type. `None` when the path is not a collection or one of its
    /// parents does not exist.
    pub fn entities(&self, path: &str) -> Option<Vec<serde_json::Value>> {
        read::entities(&self.state, path)
    }

    /// How many faults were injected so far, by kind.
    pub fn fault_counts(&self) -> FaultCounts {
        self.state.faults.counts()
    }

    /// The throttling limits in force.
    pub fn limits(&self) -> Limits {
        self.state.limiter.limits()
    }

    /// Replaces the throttling limits, from the next request on (to halve them mid-way, say).
    /// The windows keep the arrival times they hold: a smaller limit refuses until they have
    /// drained below it; a window set to `None` forgets its arrivals.
    pub fn set_limits(&self, limits: Limits) {
        self.state.limiter.set(limits);
    }

    /// Multiplies the count of every window in force by `factor` (`0.5` halves them), from the
    /// next request on; see [`Limits::scaled`].
    pub fn scale_limits(&self, factor: f64) {
        self.state.limiter.scale(factor);
    }

    /// How many requests the [`Limits`] refused (single and inside `$batch`, apart) and let
    /// through so far.
    pub fn throttle_counts(&self) -> ThrottleCounts {
        self.state.limiter.counts()
    }

    /// Stops the server and waits for it to finish.
    pub async fn shutdown(mut self) {
        self.stop().await;
    }

    /// Stops serving (connections close; new ones are refused) but keeps the state, so that
    /// what was stored can still be read: for tests of a service that goes away mid-way.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Serves until Ctrl-C, then stops.
    pub async fn run_until_ctrl_c(self) {
        let _ = tokio::signal::ctrl_c().await;
        self.shutdown().await;
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
