//! Routes, handlers and the state they share.
//!
//! Handlers return `Result<Response, Response>` so that checks read as `?`; a `Response` is moved
//! once per request, so its size as an error costs nothing worth boxing.
#![allow(clippy::result_large_err)]

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use crate::bounded::{Deadlines, Limits, RequestLog};
use crate::faults::{FaultState, Faults, Injected, drop_connection};
use crate::validate::{Problem, validate_create, validate_create_in_excerpt};
use crate::{Emulator, Registration};
use graph_entity_schema::{Clouds, Schema};

/// The permission the user status endpoints need to write; reading also accepts `Read.All`.
pub(crate) const WRITE_ROLE: &str = "DeviceManagementApps.ReadWrite.All";
const READ_ROLE: &str = "DeviceManagementApps.Read.All";
const USER_STATUS: &str = "managedDeviceMobileAppConfigurationUserStatus";
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const CONFIGURATION: &str = "managedDeviceMobileAppConfiguration";
/// Properties of a configuration the service computes.
const CONFIGURATION_COMPUTED: &[&str] = &["createdDateTime", "lastModifiedDateTime", "version"];
/// Graph's content type for JSON responses.
const GRAPH_JSON: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

pub(crate) struct Settings {
    pub(crate) page_size: usize,
    pub(crate) token_ttl: Duration,
    pub(crate) max_body_bytes: usize,
    pub(crate) tenant: String,
    pub(crate) clients: Vec<Registration>,
    pub(crate) faults: Faults,
    pub(crate) limits: Limits,
}

pub(crate) struct AppState {
    pub(crate) settings: Settings,
    /// `http://127.0.0.1:PORT`, for links in responses.
    pub(crate) root: String,
    /// Microsoft Graph v1.0, all of its metadata.
    v1: &'static Schema,
    /// An excerpt of the beta metadata, for the endpoints served under `/beta`.
    beta: Schema,
    pub(crate) store: Mutex<Store>,
    /// Issued tokens: when each expires, and its roles.
    tokens: Mutex<Deadlines<Vec<String>>>,
    log: Mutex<RequestLog>,
    pub(crate) faults: FaultState,
    /// Orders `$batch` responses.
    pub(crate) shuffle: Mutex<fastrand::Rng>,
}

/// Everything stored, in memory.
#[derive(Default)]
pub(crate) struct Store {
    configurations: HashMap<String, Configuration>,
}

struct Configuration {
    body: Map<String, Value>,
    /// User statuses in creation order, and their index by id.
    statuses: Vec<Map<String, Value>>,
    index: HashMap<String, usize>,
}

/// Locks a mutex; a panic while holding it cannot leave this data half-written (every update is
/// a single insert), so a poisoned lock is used as is.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl AppState {
    pub(crate) fn new(settings: Settings, root: String) -> Result<Self, String> {
        let limits = settings.limits;
        let faults = FaultState::new(settings.faults.clone(), limits.throttled_clients);
        let shuffle = Mutex::new(fastrand::Rng::with_seed(settings.faults.seed ^ 0xba7c4));
        Ok(Self {
            faults,
            shuffle,
            settings,
            root,
            v1: Schema::v1(),
            beta: Schema::from_csdl(include_str!("../metadata/beta.xml"), Clouds::GLOBAL)?,
            store: Mutex::new(Store::default()),
            tokens: Mutex::new(Deadlines::new(limits.tokens)),
            log: Mutex::new(RequestLog::new(limits.logged_requests, limits.logged_bytes)),
        })
    }

    /// A new token valid for `ttl`, at most [`Emulator::MAX_TOKEN_TTL`]. Tokens expired for
    /// longer than the grace period are forgotten; past the cap, the soonest to expire are.
    pub(crate) fn issue_token(&self, roles: &[String], ttl: Duration) -> String {
        let token = format!("emulator.{}", uuid::Uuid::new_v4().simple());
        let now = Instant::now();
        // Ten years fit in an `Instant` on every platform; were they not to, the token would
        // be born expired rather than the call panic.
        let expires_at = now.checked_add(ttl.min(Emulator::MAX_TOKEN_TTL)).unwrap_or(now);
        let mut tokens = lock(&self.tokens);
        if let Some(forgotten) = now.checked_sub(self.settings.limits.expired_token_grace) {
            tokens.purge(forgotten);
        }
        tokens.insert(token.clone(), expires_at, roles.to_vec());
        token
    }

    pub(crate) fn requests(&self) -> Vec<crate::RecordedRequest> {
        lock(&self.log).to_vec()
    }

    pub(crate) fn user_statuses(&self, configuration_id: &str) -> Option<Vec<Value>> {
        let store = lock(&self.store);
        let configuration = store.configurations.get(configuration_id)?;
        Some(configuration.statuses.iter().cloned().map(Value::Object).collect())
    }

    fn schema(&self, version: &str) -> Option<&Schema> {
        match version {
            "v1.0" => Some(self.v1),
            "beta" => Some(&self.beta),
            _ => None,
        }
    }
}

pub(crate) type Shared = Arc<AppState>;

pub(crate) fn router(state: Shared) -> Router {
    let graph = "/{root}/deviceAppManagement/mobileAppConfigurations";
    Router::new()
        .route("/{root}/oauth2/v2.0/token", post(token))
        .route("/{root}/$batch", post(batch))
        .route(graph, post(create_configuration).get(list_configurations))
        .route(&format!("{graph}/{{configuration_id}}"), get(get_configuration))
        .route(
            &format!("{graph}/{{configuration_id}}/userStatuses"),
            post(create_user_status).get(list_user_statuses),
        )
        .route(
            &format!("{graph}/{{configuration_id}}/userStatuses/{{status_id}}"),
            get(get_user_status),
        )
        .fallback(unknown_segment)
        .method_not_allowed_fallback(method_not_allowed)
        // One body limit, `max_body_bytes`, enforced by `frame` with Graph's error; not axum's
        // default of 2 MiB with a plain-text one.
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn_with_state(Arc::clone(&state), frame))
        .with_state(state)
}

/// What every request gets: a bounded body, a `request-id`, the echoed `client-request-id`, a
/// `Date`, and a line in the request log.
#[derive(Clone)]
pub(crate) struct Ids {
    request_id: String,
    client_request_id: String,
}

/// The routes, for `$batch` to run its requests through (an extension outside the routes, so
/// that the state does not hold the router that holds the state).
#[derive(Clone)]
pub(crate) struct Routes(pub(crate) Router);

async fn frame(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let client_request_id = request
        .headers()
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| request_id.clone(), str::to_owned);
    let ids = Ids { request_id, client_request_id };
    let (mut parts, body) = request.into_parts();
    let limit = state.settings.max_body_bytes;
    let mut response = match axum::body::to_bytes(body, limit).await {
        Err(_) => graph_error(
            &ids,
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            format!("The request body exceeds the limit of {limit} bytes."),
            &[],
        ),
        Ok(bytes) => {
            record(&state, &parts.method, &parts.uri, &parts.headers, &bytes);
            match inject(&state, &ids, parts.uri.path()).await {
                Some(response) => response,
                None => {
                    parts.extensions.insert(ids.clone());
                    next.run(Request::from_parts(parts, Body::from(bytes))).await
                }
            }
        }
    };
    let headers = response.headers_mut();
    for (name, value) in
        [("request-id", &ids.request_id), ("client-request-id", &ids.client_request_id)]
    {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
    if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(SystemTime::now())) {
        headers.insert(header::DATE, date);
    }
    headers.insert("Cache-Control", HeaderValue::from_static("no-store"));
    response
}

/// The configured faults of a Graph call (not of the token endpoint), answered before the
/// service acts.
async fn inject(state: &AppState, ids: &Ids, path: &str) -> Option<Response> {
    if path.ends_with("/oauth2/v2.0/token") {
        return None;
    }
    if let Some(latency) = state.faults.latency() {
        tokio::time::sleep(latency).await;
    }
    let Injected::Status { status, retry_after } =
        state.faults.before_handler(&ids.client_request_id)?;
    let (code, message) = match status {
        429 => ("TooManyRequests", "Please retry again later."),
        503 => {
            ("serviceNotAvailable", "The service is temporarily unavailable. Please retry later.")
        }
        _ => ("GatewayTimeout", "The gateway did not receive a timely response."),
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let mut response = graph_error(ids, status, code, message.to_owned(), &[]);
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    Some(response)
}

fn record(
    state: &AppState,
    method: &Method,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &Bytes,
) {
    let headers = headers
        .iter()
        .map(|(name, value)| {
            let value = if name == header::AUTHORIZATION {
                redacted_authorization(value.to_str().ok())
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name.as_str().to_owned(), value)
        })
        .collect();
    let body = if uri.path().ends_with("/oauth2/v2.0/token") {
        // The form carries the client secret.
        Cow::Borrowed(&b"<redacted>"[..])
    } else if uri.path().ends_with("/$batch") {
        redact_batch(body)
    } else {
        Cow::Borrowed(&body[..])
    };
    let path = uri.path_and_query().map(ToString::to_string).unwrap_or_default();
    lock(&state.log).push(method.as_str(), path, headers, &body);
}

/// An `Authorization` value as the log keeps it.
fn redacted_authorization(value: Option<&str>) -> String {
    match value {
        Some(v) if v.starts_with("Bearer ") => "Bearer <redacted>".to_owned(),
        _ => "<redacted>".to_owned(),
    }
}

/// A `$batch` body as the log keeps it: the `Authorization` headers of its requests (names in
/// any case) redacted, and then re-serialized; unchanged when it has none. A body that is not
/// JSON cannot be searched reliably, so it is not kept.
fn redact_batch(body: &[u8]) -> Cow<'_, [u8]> {
    let Ok(mut batch) = serde_json::from_slice::<Value>(body) else {
        return Cow::Borrowed(&b"<redacted: not JSON>"[..]);
    };
    let mut redacted = false;
    let requests = batch.get_mut("requests").and_then(Value::as_array_mut);
    for request in requests.into_iter().flatten() {
        let headers = request.get_mut("headers").and_then(Value::as_object_mut);
        for (name, value) in headers.into_iter().flatten() {
            if name.eq_ignore_ascii_case("authorization") {
                *value = Value::String(redacted_authorization(value.as_str()));
                redacted = true;
            }
        }
    }
    if redacted { Cow::Owned(batch.to_string().into_bytes()) } else { Cow::Borrowed(body) }
}

/// Graph's error body: `{"error": {"code", "message", "details"?, "innerError": {…}}}`.
pub(crate) fn graph_error(
    ids: &Ids,
    status: StatusCode,
    code: &str,
    message: String,
    problems: &[Problem],
) -> Response {
    let mut error = json!({
        "code": code,
        "message": message,
        "innerError": {
            "date": utc_now_without_offset(),
            "request-id": ids.request_id,
            "client-request-id": ids.client_request_id,
        }
    });
    if !problems.is_empty() {
        error["details"] = problems
            .iter()
            .map(|p| json!({"code": p.code, "message": p.message, "target": p.target}))
            .collect();
    }
    json_response(status, &json!({ "error": error }))
}

pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(GRAPH_JSON));
    response
}

/// `innerError.date` as Graph writes it: UTC, no offset, no fraction.
fn utc_now_without_offset() -> String {
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let rest = seconds % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The token check of every Graph route and of `$batch`: Graph's 401 for a missing, unknown or
/// expired bearer token; the token's roles otherwise.
fn authenticate(state: &AppState, ids: &Ids, headers: &HeaderMap) -> Result<Vec<String>, Response> {
    let unauthorized = |message: &str| {
        graph_error(
            ids,
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message.to_owned(),
            &[],
        )
    };
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let Some(token) = token else { return Err(unauthorized("Access token is empty.")) };
    let tokens = lock(&state.tokens);
    let Some((expires_at, roles)) = tokens.get(token) else {
        return Err(unauthorized("Access token validation failure. Invalid audience."));
    };
    if *expires_at <= Instant::now() {
        return Err(unauthorized("Lifetime validation failed, the token is expired."));
    }
    Ok(roles.clone())
}

/// The permission check of every Graph route, with Graph's 401 and 403 bodies.
fn authorize(
    state: &AppState,
    ids: &Ids,
    headers: &HeaderMap,
    write: bool,
) -> Result<(), Response> {
    let roles = authenticate(state, ids, headers)?;
    let allowed = roles.iter().any(|r| r == WRITE_ROLE || (!write && r == READ_ROLE));
    if !allowed {
        let needed =
            if write { WRITE_ROLE.to_owned() } else { format!("{READ_ROLE}, {WRITE_ROLE}") };
        return Err(graph_error(
            ids,
            StatusCode::FORBIDDEN,
            "Forbidden",
            format!(
                "Application is not authorized to perform this operation. Application must have one of the following scopes: {needed}"
            ),
            &[],
        ));
    }
    Ok(())
}

/// The version segment must be `v1.0` or `beta`.
fn schema_for<'a>(state: &'a AppState, ids: &Ids, version: &str) -> Result<&'a Schema, Response> {
    state.schema(version).ok_or_else(|| {
        graph_error(
            ids,
            StatusCode::BAD_REQUEST,
            "BadRequest",
            format!("Invalid version: '{version}'. Use 'v1.0' or 'beta'."),
            &[],
        )
    })
}

fn parse_body(ids: &Ids, body: &Bytes) -> Result<Value, Response> {
    serde_json::from_slice(body).map_err(|e| {
        graph_error(
            ids,
            StatusCode::BAD_REQUEST,
            "BadRequest",
            format!("The request body is not valid JSON: {e}."),
            &[],
        )
    })
}

fn invalid(ids: &Ids, problems: &[Problem]) -> Response {
    let mut message = problems.first().map(|p| p.message.clone()).unwrap_or_default();
    if problems.len() > 1 {
        message.push_str(&format!(" (and {} more problems: see details)", problems.len() - 1));
    }
    graph_error(ids, StatusCode::BAD_REQUEST, "BadRequest", message, problems)
}

fn not_found(ids: &Ids, what: &str, id: &str) -> Response {
    graph_error(
        ids,
        StatusCode::NOT_FOUND,
        "ResourceNotFound",
        format!("The {what} with id '{id}' does not exist."),
        &[],
    )
}

/// Checks a create body against the version's metadata: all of v1.0's, or beta's excerpt.
fn validate_body(
    version: &str,
    schema: &Schema,
    name: &str,
    body: &Value,
    server_assigned: &[&str],
) -> Vec<Problem> {
    if version == "beta" {
        validate_create_in_excerpt(schema, name, body, server_assigned)
    } else {
        validate_create(schema, name, body, server_assigned)
    }
}

fn context_url(state: &AppState, version: &str, fragment: &str) -> String {
    format!("{}/{version}/$metadata#{fragment}", state.root)
}

async fn create_configuration(
    State(state): State<Shared>,
    axum::Extension(ids): axum::Extension<Ids>,
    Path(version): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    let schema = schema_for(&state, &ids, &version)?;
    authorize(&state, &ids, &headers, true)?;
    let value = parse_body(&ids, &body)?;
    let problems = validate_body(&version, schema, CONFIGURATION, &value, CONFIGURATION_COMPUTED);
    if !problems.is_empty() {
        return Err(invalid(&ids, &problems));
    }
    let Value::Object(mut entity) = value else { return Err(invalid(&ids, &[])) };
    let id = uuid::Uuid::new_v4().to_string();
    let now = Value::String(format!("{}Z", utc_now_without_offset()));
    entity.insert("id".into(), Value::String(id.clone()));
    entity.insert("createdDateTime".into(), now.clone());
    entity.insert("lastModifiedDateTime".into(), now);
    entity.insert("version".into(), json!(1));
    lock(&state.store).configurations.insert(
        id,
        Configuration { body: entity.clone(), statuses: Vec::new(), index: HashMap::new() },
    );
    let mut response = entity;
    response.insert(
        "@odata.context".into(),
        Value::String(context_url(
            &state,
            &version,
            "deviceAppManagement/mobileAppConfigurations/$entity",
        )),
    );
    Ok(json_response(StatusCode::CREATED, &Value::Object(response)))
}

async fn list_configurations(
    State(state): State<Shared>,
    axum::Extension(ids): axum::Extension<Ids>,
    Path(version): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    schema_for(&state, &ids, &version)?;
    authorize(&state, &ids, &headers, false)?;
    let store = lock(&state.store);
    let mut values: Vec<&Map<String, Value>> =
        store.configurations.values().map(|c| &c.body).collect();
    values.sort_by(|a, b| {
        a.get("id").and_then(Value::as_str).cmp(&b.get("id").and_then(Value::as_str))
    });
    let body = json!({
        "@odata.context": context_url(&state, &version, "deviceAppManagement/mobileAppConfigurations"),
        "value": values,
    });
    Ok(json_response(StatusCode::OK, &body))
}

async fn get_configuration(
    State(state): State<Shared>,
    axum::Extension(ids): axum::Extension<Ids>,
    Path((version, configuration_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    schema_for(&state, &ids, &version)?;
    authorize(&state, &ids, &headers, false)?;
    let store = lock(&state.store);
    match store.configurations.get(&configuration_id) {
        None => Err(not_found(&ids, "managedDeviceMobileAppConfiguration", &configuration_id)),
        Some(configuration) => {
            let mut body = configuration.body.clone();
            body.insert(
                "@odata.context".into(),
                Value::String(context_url(
                    &state,
                    &version,
                    "deviceAppManagement/mobileAppConfigurations/$entity",
                )),
            );
            Ok(json_response(StatusCode::OK, &Value::Object(body)))
        }
    }
}

async fn create_user_status(
    State(state): State<Shared>,
    axum::Extension(ids): axum::Extension<Ids>,
    Path((version, configuration_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    let schema = schema_for(&state, &ids, &version)?;
    authorize(&state, &ids, &headers, true)?;
    if !lock(&state.store).configurations.contains_key(&configuration_id) {
        return Err(not_found(&ids, "managedDeviceMobileAppConfiguration", &configuration_id));
    }
    let value = parse_body(&ids, &body)?;
    let problems = validate_body(&version, schema, USER_STATUS, &value, &[]);
    if !problems.is_empty() {
        return Err(invalid(&ids, &problems));
    }
    let Value::Object(fields) = value else { return Err(invalid(&ids, &[])) };
    let id = uuid::Uuid::new_v4().to_string();
    // The stored entity: the type, the new key, then the properties as sent.
    let mut entity = Map::new();
    entity.insert("@odata.type".into(), Value::String(format!("#microsoft.graph.{USER_STATUS}")));
    entity.insert("id".into(), Value::String(id.clone()));
    for (name, value) in fields {
        if name != "id" && name != "@odata.type" {
            entity.insert(name, value);
        }
    }
    {
        let mut store = lock(&state.store);
        // The configuration was checked above; it cannot be deleted in this emulator.
        let Some(configuration) = store.configurations.get_mut(&configuration_id) else {
            return Err(not_found(&ids, "managedDeviceMobileAppConfiguration", &configuration_id));
        };
        configuration.index.insert(id, configuration.statuses.len());
        configuration.statuses.push(entity.clone());
    }
    if state.faults.drop_after_store() {
        drop_connection();
    }
    let mut response = Map::new();
    response.insert(
        "@odata.context".into(),
        Value::String(context_url(
            &state,
            &version,
            &format!("deviceAppManagement/mobileAppConfigurations('{configuration_id}')/userStatuses/$entity"),
        )),
    );
    response.extend(entity);
    Ok(json_response(StatusCode::CREATED, &Value::Object(response)))
}

#[derive(serde::Deserialize)]
struct Paging {
    #[serde(rename = "$top")]
    top: Option<String>,
    #[serde(rename = "$skiptoken")]
    skiptoken: Option<String>,
}

/// `GET …/userStatuses`: pages of at most the page size (`$top` asks for less), linked by
/// `@odata.nextLink` with a numeric `$skiptoken`. A skiptoken at or past the end, however large,
/// is an empty page without a next link; one that is not a number is a `400`.
async fn list_user_statuses(
    State(state): State<Shared>,
    axum::Extension(ids): axum::Extension<Ids>,
    Path((version, configuration_id)): Path<(String, String)>,
    Query(paging): Query<Paging>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    schema_for(&state, &ids, &version)?;
    authorize(&state, &ids, &headers, false)?;
    let bad =
        |message: String| graph_error(&ids, StatusCode::BAD_REQUEST, "BadRequest", message, &[]);
    let page_size = match paging.top.as_deref().map(str::parse::<usize>) {
        None => state.settings.page_size,
        Some(Ok(top)) if top > 0 => top.min(state.settings.page_size),
        Some(_) => return Err(bad("Invalid value for $top: expected a positive integer.".into())),
    };
    let skip = match paging.skiptoken.as_deref().map(str::parse::<usize>) {
        None => 0,
        Some(Ok(skip)) => skip,
        Some(Err(_)) => return Err(bad("Invalid $skiptoken.".into())),
    };
    let store = lock(&state.store);
    let Some(configuration) = store.configurations.get(&configuration_id) else {
        return Err(not_found(&ids, "managedDeviceMobileAppConfiguration", &configuration_id));
    };
    let page: Vec<&Map<String, Value>> =
        configuration.statuses.iter().skip(skip).take(page_size).collect();
    let collection =
        format!("deviceAppManagement/mobileAppConfigurations('{configuration_id}')/userStatuses");
    let mut body = json!({
        "@odata.context": context_url(&state, &version, &collection),
        "value": page,
    });
    // A skiptoken at or past the end is an empty page without a next link.
    let next = skip.saturating_add(page_size);
    if next < configuration.statuses.len() {
        let encoded: String = url_segment(&configuration_id);
        body["@odata.nextLink"] = Value::String(format!(
            "{}/{version}/deviceAppManagement/mobileAppConfigurations/{encoded}/userStatuses?$top={page_size}&$skiptoken={next}",
            state.root
        ));
    }
    Ok(json_response(StatusCode::OK, &body))
}

/// Everything but unreserved characters is escaped in ids written into links.
const SEGMENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

fn url_segment(id: &str) -> String {
    percent_encoding::utf8_percent_encode(id, SEGMENT).to_string()
}

async fn get_user_status(
    State(state): State<Shared>,
    axum::Extension(ids): axum::Extension<Ids>,
    Path((version, configuration_id, status_id)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, Response> {
    schema_for(&state, &ids, &version)?;
    authorize(&state, &ids, &headers, false)?;
    let store = lock(&state.store);
    let Some(configuration) = store.configurations.get(&configuration_id) else {
        return Err(not_found(&ids, "managedDeviceMobileAppConfiguration", &configuration_id));
    };
    let Some(entity) =
        configuration.index.get(&status_id).and_then(|&i| configuration.statuses.get(i))
    else {
        return Err(not_found(&ids, USER_STATUS, &status_id));
    };
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        Value::String(context_url(
            &state,
            &version,
            &format!("deviceAppManagement/mobileAppConfigurations('{configuration_id}')/userStatuses/$entity"),
        )),
    );
    body.extend(entity.clone());
    Ok(json_response(StatusCode::OK, &Value::Object(body)))
}

/// `POST /{version}/$batch`: the outer token is checked (`401` without a valid one), then the
/// requests run one by one through the routes.
async fn batch(
    State(state): State<Shared>,
    axum::Extension(ids): axum::Extension<Ids>,
    routes: Option<axum::Extension<Routes>>,
    Path(version): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Response> {
    schema_for(&state, &ids, &version)?;
    // The batch itself needs a valid token before any of its requests runs; each request is
    // then authorized on its own.
    authenticate(&state, &ids, &headers)?;
    let Some(axum::Extension(Routes(routes))) = routes else {
        return Err(graph_error(
            &ids,
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "A batch cannot contain a batch.".into(),
            &[],
        ));
    };
    Ok(crate::batch::run(&state, &routes, &ids, &version, &headers, &body).await)
}

#[derive(Default)]
struct TokenForm {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    client_assertion_type: Option<String>,
    client_assertion: Option<String>,
    scope: Option<String>,
}

/// `POST /{tenant}/oauth2/v2.0/token`, client credentials, with Microsoft Entra ID's error format.
async fn token(State(state): State<Shared>, Path(tenant): Path<String>, body: Bytes) -> Response {
    let aad_error = |status: StatusCode, error: &str, code: u32, description: &str| {
        let body = json!({
            "error": error,
            "error_description": format!("AADSTS{code}: {description}"),
            "error_codes": [code],
            "timestamp": format!("{}Z", utc_now_without_offset()),
            "trace_id": uuid::Uuid::new_v4().to_string(),
            "correlation_id": uuid::Uuid::new_v4().to_string(),
        });
        let mut response = (status, body.to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        response
    };
    let form = parse_token_form(&body);
    if tenant != state.settings.tenant {
        return aad_error(
            StatusCode::BAD_REQUEST,
            "invalid_tenant",
            90_002,
            &format!("Tenant '{tenant}' not found."),
        );
    }
    if form.grant_type.as_deref() != Some("client_credentials") {
        return aad_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70_003,
            "The app requested an unsupported grant type; the emulator supports 'client_credentials'.",
        );
    }
    let client_id = form.client_id.unwrap_or_default();
    let Some(client) = state.settings.clients.iter().find(|c| c.client_id == client_id) else {
        return aad_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700_016,
            &format!(
                "Application with identifier '{client_id}' was not found in the directory '{tenant}'."
            ),
        );
    };
    let audience = format!("{}/{tenant}/oauth2/v2.0/token", state.root);
    let proof = match (&form.client_secret, &form.client_assertion) {
        (Some(secret), _) if client.client_secret.as_deref() == Some(secret.as_str()) => Ok(()),
        (Some(_), _) => Err((
            7_000_215,
            format!("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."),
        )),
        (None, Some(assertion)) => {
            if form.client_assertion_type.as_deref() != Some(JWT_BEARER) {
                Err((700_027, format!("client_assertion_type must be '{JWT_BEARER}'.")))
            } else {
                crate::assertion::verify(assertion, client, &audience)
            }
        }
        (None, None) => Err((
            7_000_218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.".to_owned(),
        )),
    };
    if let Err((code, description)) = proof {
        return aad_error(StatusCode::UNAUTHORIZED, "invalid_client", code, &description);
    }
    let scope = form.scope.unwrap_or_default();
    if !scope.ends_with("/.default") {
        return aad_error(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            1_002_012,
            &format!(
                "The provided value for scope '{scope}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier."
            ),
        );
    }
    let ttl = state.settings.token_ttl;
    let token = state.issue_token(&client.roles, ttl);
    let seconds = ttl.as_secs();
    let mut response = (
        StatusCode::OK,
        json!({
            "token_type": "Bearer",
            "expires_in": seconds,
            "ext_expires_in": seconds,
            "access_token": token,
        })
        .to_string(),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    response
}

/// Reads the keys the token endpoint uses from an `application/x-www-form-urlencoded` body.
fn parse_token_form(body: &Bytes) -> TokenForm {
    let mut form = TokenForm::default();
    for (key, value) in url::form_urlencoded::parse(body) {
        let slot = match key.as_ref() {
            "grant_type" => &mut form.grant_type,
            "client_id" => &mut form.client_id,
            "client_secret" => &mut form.client_secret,
            "client_assertion_type" => &mut form.client_assertion_type,
            "client_assertion" => &mut form.client_assertion,
            "scope" => &mut form.scope,
            _ => continue,
        };
        *slot = Some(value.into_owned());
    }
    form
}

async fn unknown_segment(request: Request) -> Response {
    let ids = request
        .extensions()
        .get::<Ids>()
        .cloned()
        .unwrap_or(Ids { request_id: String::new(), client_request_id: String::new() });
    let path = request.uri().path().to_owned();
    graph_error(
        &ids,
        StatusCode::BAD_REQUEST,
        "BadRequest",
        format!(
            "Resource not found for the segment in '{path}': the emulator serves deviceAppManagement/mobileAppConfigurations and its userStatuses."
        ),
        &[],
    )
}

async fn method_not_allowed(request: Request) -> Response {
    let ids = request
        .extensions()
        .get::<Ids>()
        .cloned()
        .unwrap_or(Ids { request_id: String::new(), client_request_id: String::new() });
    graph_error(
        &ids,
        StatusCode::METHOD_NOT_ALLOWED,
        "BadRequest",
        format!("The method '{}' is not supported on this resource.", request.method()),
        &[],
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn app(limits: Limits) -> AppState {
        let settings = Settings {
            page_size: 100,
            token_ttl: Duration::from_secs(60),
            max_body_bytes: 1024,
            tenant: "t".into(),
            clients: Vec::new(),
            faults: Faults::default(),
            limits,
        };
        AppState::new(settings, "http://127.0.0.1:1".into()).unwrap()
    }

    #[test]
    fn tokens_past_the_cap_evict_the_soonest_to_expire() {
        let state = app(Limits { tokens: 4, ..Limits::default() });
        let tokens: Vec<String> =
            (0..20).map(|n| state.issue_token(&[], Duration::from_secs(100 + n))).collect();
        let kept = lock(&state.tokens);
        assert_eq!(kept.len(), 4);
        for (n, token) in tokens.iter().enumerate() {
            assert_eq!(kept.get(token).is_some(), n >= 16, "{n}");
        }
    }

    #[test]
    fn expired_tokens_are_forgotten_after_the_grace_period() {
        let state = app(Limits::default());
        let expired = state.issue_token(&[], Duration::ZERO);
        let _ = state.issue_token(&[], Duration::from_secs(60));
        assert!(lock(&state.tokens).get(&expired).is_some(), "still answered 'expired'");

        let state = app(Limits { expired_token_grace: Duration::ZERO, ..Limits::default() });
        for _ in 0..10 {
            let _ = state.issue_token(&[], Duration::ZERO);
            assert_eq!(lock(&state.tokens).len(), 1, "the previous ones were purged");
        }
        let live = state.issue_token(&[], Duration::from_secs(60));
        let tokens = lock(&state.tokens);
        assert_eq!(tokens.len(), 1);
        assert!(tokens.get(&live).is_some());
    }

    #[test]
    fn the_request_log_is_bounded() {
        let state = app(Limits { logged_requests: 3, logged_bytes: 1000, ..Limits::default() });
        let uri: axum::http::Uri = "/v1.0/x".parse().unwrap();
        for n in 0..10u8 {
            record(&state, &Method::POST, &uri, &HeaderMap::new(), &Bytes::from(vec![n; 100]));
        }
        let bodies: Vec<u8> = state.requests().iter().map(|r| r.body[0]).collect();
        assert_eq!(bodies, [7, 8, 9]);
        record(&state, &Method::POST, &uri, &HeaderMap::new(), &Bytes::from(vec![0; 5000]));
        let requests = state.requests();
        assert_eq!(requests.len(), 1);
        assert!(requests[0].body.len() < 1000);
    }

    #[test]
    fn batch_bodies_are_redacted_only_where_needed() {
        let plain = br#"{"requests": [{"id": "1", "headers": {"Content-Type": "a"}}]}"#;
        assert!(matches!(redact_batch(plain), Cow::Borrowed(b) if b == plain), "kept as sent");
        let with = br#"{"requests": [{"headers": {"aUtHoRiZaTiOn": "Basic c2VjcmV0"}}, 1]}"#;
        let redacted: Value = serde_json::from_slice(&redact_batch(with)).unwrap();
        assert_eq!(redacted["requests"][0]["headers"]["aUtHoRiZaTiOn"], json!("<redacted>"));
        assert_eq!(&*redact_batch(b"{not json Authorization"), b"<redacted: not JSON>");
    }
}
