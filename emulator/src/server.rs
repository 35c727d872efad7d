//! The routes: the token endpoint, `$batch`, and everything else under a version segment served
//! by [`crate::service`]; and the frame every request passes through (a bounded body, Graph's
//! headers, the request log, injected faults).

use std::borrow::Cow;
use std::sync::Arc;
use std::time::SystemTime;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::post;
use graph_entity_schema::throttling::Service;
use serde_json::Value;

use crate::bounded::Budget;
use crate::faults::Injected;
use crate::limits::Arrival;
use crate::lock::lock;
use crate::respond::{Answer, Ids, bad_request, graph_error};
use crate::service::Frame;
use crate::state::{AppState, Shared};

pub(crate) fn router(state: Shared) -> Router {
    Router::new()
        .route("/{root}/oauth2/v2.0/token", post(crate::token::token))
        .route("/{root}/$batch", post(batch))
        .fallback(graph)
        // One body limit, `max_body_bytes`, enforced by `frame` with Graph's error; not axum's
        // default of 2 MiB with a plain-text one.
        .layer(DefaultBodyLimit::disable())
        .layer(middleware::from_fn_with_state(Arc::clone(&state), frame))
        .with_state(state)
}

/// The routes, for `$batch` to run its requests through (an extension outside the routes, so
/// that the state does not hold the router that holds the state).
#[derive(Clone)]
pub(crate) struct Routes(pub(crate) Router);

/// Every Graph call but `$batch`: served from the metadata and the store.
async fn graph(State(state): State<Shared>, request: Request) -> Response {
    let ids = request
        .extensions()
        .get::<Ids>()
        .cloned()
        .unwrap_or(Ids { request_id: String::new(), client_request_id: String::new() });
    let (parts, body) = request.into_parts();
    // The frame has read the body already, within the limit.
    let body = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let root = crate::respond::origin(&parts.uri, &parts.headers, &state.root);
    let limit = state.settings.ceilings.response_bytes;
    let budget = parts
        .extensions
        .get::<crate::batch::BatchItem>()
        .map_or(Budget::new(limit, limit), |item| item.budget);
    let frame = Frame { ids: &ids, root: &root, budget };
    match crate::service::serve(&state, &frame, &parts.method, &parts.uri, &parts.headers, &body) {
        Ok(response) | Err(response) => response,
    }
}

/// What every request gets: a bounded body, a `request-id`, the echoed `client-request-id`, a
/// `Date`, and a line in the request log.
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
            let batch_item = parts.extensions.get::<crate::batch::BatchItem>().is_some();
            let call = Call {
                method: &parts.method,
                path: parts.uri.path(),
                headers: &parts.headers,
                batch_item,
            };
            match inject(&state, &ids, &call).await {
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

/// What the limits and the faults look at in a request.
struct Call<'a> {
    method: &'a Method,
    path: &'a str,
    headers: &'a HeaderMap,
    /// Whether it runs from inside a `$batch`.
    batch_item: bool,
}

/// The configured limits and faults of a Graph call (not of the token endpoint), answered
/// before the service acts.
async fn inject(state: &AppState, ids: &Ids, call: &Call<'_>) -> Option<Response> {
    if call.path.ends_with("/oauth2/v2.0/token") {
        return None;
    }
    if let Some(latency) = state.faults.latency() {
        tokio::time::sleep(latency).await;
    }
    if let Some(response) = limit(state, ids, call) {
        return Some(response);
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

/// The documented limits ([`crate::Limits`]) of a call from an application with a valid
/// token: `429 TooManyRequests` when one of its windows is full. Calls without a valid token
/// (answered `401` by the routes) and the outer `$batch` request count nowhere; the requests of
/// a `$batch` each count on their own.
fn limit(state: &AppState, ids: &Ids, call: &Call<'_>) -> Option<Response> {
    if !call.batch_item && call.path.ends_with("/$batch") {
        return None;
    }
    let app = crate::auth::caller(state, call.headers)?;
    let write = matches!(*call.method, Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    let service = if state.limiter.per_service() { intune_service(state, call.path) } else { None };
    let arrival = Arrival {
        tenant: &state.settings.tenant,
        app: &app,
        service: service.map(|s| s.name),
        write,
        batch_item: call.batch_item,
    };
    let retry_after = state.limiter.admit(arrival).err()?;
    let mut response = graph_error(
        ids,
        StatusCode::TOO_MANY_REQUESTS,
        "TooManyRequests",
        "Please retry again later.".to_owned(),
        &[],
    );
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    Some(response)
}

/// The Intune service of a Graph path (`/v1.0/…`), whose windows it counts in; `None` for a
/// path that does not resolve or belongs to no Intune service.
fn intune_service(state: &AppState, path: &str) -> Option<&'static Service> {
    let path = path.strip_prefix('/').unwrap_or(path);
    let (version, rest) = path.split_once('/')?;
    let schema = state.schema(version)?;
    let target = crate::routing::resolve(schema, &crate::routing::segments(rest)).ok()?;
    target.throttling_service(schema)
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

/// `POST /{version}/$batch`: the outer token is checked (`401` without a valid one), then the
/// requests run one by one through the routes.
async fn batch(
    State(state): State<Shared>,
    axum::Extension(ids): axum::Extension<Ids>,
    routes: Option<axum::Extension<Routes>>,
    Path(version): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    if state.schema(&version).is_none() {
        return Err(bad_request(
            &ids,
            format!("Invalid version: '{version}'. Use 'v1.0' or 'beta'."),
        ));
    }
    // The batch itself needs a valid token before any of its requests runs; each request is
    // then authorized on its own.
    crate::auth::authenticate(&state, &ids, &headers)?;
    let Some(axum::Extension(Routes(routes))) = routes else {
        return Err(bad_request(&ids, "A batch cannot contain a batch.".into()));
    };
    Ok(crate::batch::run(&state, &routes, &ids, &version, &headers, &body).await)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::bounded::Ceilings;
    use crate::faults::Faults;
    use crate::state::Settings;

    fn app(ceilings: Ceilings) -> AppState {
        let settings = Settings {
            page_size: 100,
            token_ttl: Duration::from_secs(60),
            max_body_bytes: 1024,
            tenant: "t".into(),
            clients: Vec::new(),
            faults: Faults::default(),
            limits: crate::Limits::none(),
            ceilings,
        };
        AppState::new(settings, "http://127.0.0.1:1".into()).unwrap()
    }

    #[test]
    fn tokens_past_the_cap_evict_the_soonest_to_expire() {
        let state = app(Ceilings { tokens: 4, ..Ceilings::default() });
        let tokens: Vec<String> =
            (0..20).map(|n| state.issue_token("app", &[], Duration::from_secs(100 + n))).collect();
        let kept = lock(&state.tokens);
        assert_eq!(kept.len(), 4);
        for (n, token) in tokens.iter().enumerate() {
            assert_eq!(kept.get(token).is_some(), n >= 16, "{n}");
        }
    }

    #[test]
    fn expired_tokens_are_forgotten_after_the_grace_period() {
        let state = app(Ceilings::default());
        let expired = state.issue_token("app", &[], Duration::ZERO);
        let _ = state.issue_token("app", &[], Duration::from_secs(60));
        assert!(lock(&state.tokens).get(&expired).is_some(), "still answered 'expired'");

        let state = app(Ceilings { expired_token_grace: Duration::ZERO, ..Ceilings::default() });
        for _ in 0..10 {
            let _ = state.issue_token("app", &[], Duration::ZERO);
            assert_eq!(lock(&state.tokens).len(), 1, "the previous ones were purged");
        }
        let live = state.issue_token("app", &[], Duration::from_secs(60));
        let tokens = lock(&state.tokens);
        assert_eq!(tokens.len(), 1);
        assert!(tokens.get(&live).is_some());
    }

    #[test]
    fn the_request_log_is_bounded() {
        let state = app(Ceilings { logged_requests: 3, logged_bytes: 1000, ..Ceilings::default() });
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
