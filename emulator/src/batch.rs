//! `POST /{version}/$batch`: JSON batching as Graph does it.
//!
//! At most 20 requests with unique ids; `dependsOn` sequencing, with `424 Failed Dependency`
//! when a dependency failed; each request runs through the emulator's own routes (so it is
//! authorized, validated and exposed to faults one by one); the outer status is `200` whenever
//! the batch itself is well formed; responses come back in an order of their own.

use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode, header};
use axum::response::Response;
use serde_json::{Map, Value, json};
use tower::ServiceExt as _;

use crate::bounded::{Budget, encoded_len};
use crate::lock::lock;
use crate::respond::{Ids, graph_error, json_response, too_large};
use crate::state::AppState;

/// Marks a request run from inside a `$batch` (for the limits, which count each on its own),
/// with its share of the batch's response budget.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BatchItem {
    pub(crate) budget: Budget,
}

/// The bytes kept aside for each request of a batch, so that a refusal always fits: an error
/// answer with its id, status and headers.
const RESERVE: usize = 2048;

/// Graph's limit on requests in one batch.
const MAX_REQUESTS: usize = 20;

pub(crate) async fn run(
    state: &AppState,
    router: &axum::Router,
    ids: &Ids,
    version: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Response {
    let bad =
        |message: String| graph_error(ids, StatusCode::BAD_REQUEST, "BadRequest", message, &[]);
    let Ok(Value::Object(mut payload)) = serde_json::from_slice::<Value>(body) else {
        return bad("The batch request body must be a JSON object with `requests`.".into());
    };
    let Some(Value::Array(requests)) = payload.remove("requests") else {
        return bad("The batch request body must have a `requests` array.".into());
    };
    if requests.is_empty() || requests.len() > MAX_REQUESTS {
        return bad(format!(
            "A batch holds 1 to {MAX_REQUESTS} requests; this one has {}.",
            requests.len()
        ));
    }
    let mut steps = Vec::with_capacity(requests.len());
    let mut seen: Vec<String> = Vec::new();
    for (position, request) in requests.iter().enumerate() {
        match Step::parse(request, &seen) {
            Ok(step) => {
                seen.push(step.id.to_lowercase());
                steps.push(step);
            }
            Err(message) => return bad(format!("Request {position} of the batch: {message}")),
        }
    }
    let mut statuses: HashMap<String, u16> = HashMap::new();
    let mut responses = Vec::with_capacity(steps.len());
    // One budget for every answer: each read gets what is left, but for a reserve for each
    // request after it; a write's answer is never withheld, only counted.
    let limit = state.settings.ceilings.response_bytes;
    let mut left = limit.saturating_sub(encoded_len(&json!({ "responses": [] })));
    let count = steps.len();
    for (index, step) in steps.into_iter().enumerate() {
        let reserve = RESERVE * (count - index - 1);
        let share = left.saturating_sub(reserve);
        let read = step.method == Method::GET;
        let failed = step
            .depends_on
            .iter()
            .find(|d| statuses.get(&d.to_lowercase()).is_none_or(|s| *s >= 400));
        let (status, response_headers, body) = match failed {
            Some(dependency) => {
                let body = json!({"error": {"code": "FailedDependency", "message": format!("The request depends on request '{dependency}', which failed.")}});
                (424, json!({"Content-Type": "application/json"}), body)
            }
            None => {
                // Room for the answer's id, status and headers besides its body.
                let budget =
                    Budget::new(limit, if read { share.saturating_sub(512) } else { usize::MAX });
                step.execute(router, version, headers, budget).await
            }
        };
        let mut response =
            json!({"id": step.id, "status": status, "headers": response_headers, "body": body});
        let mut status = status;
        let mut size = encoded_len(&response) + 1;
        if read && size > share {
            // Not expected (the read kept to its share), but the budget holds whatever it did.
            status = 400;
            let body = json!({"error": {"code": "BadRequest", "message": too_large(limit)}});
            let headers = json!({"Content-Type": "application/json"});
            response = json!({"id": step.id, "status": status, "headers": headers, "body": body});
            size = encoded_len(&response) + 1;
        }
        left = left.saturating_sub(size);
        statuses.insert(step.id.to_lowercase(), status);
        responses.push(response);
    }
    // Graph returns sub-responses in any order: so does the emulator.
    lock(&state.shuffle).shuffle(&mut responses);
    json_response(StatusCode::OK, &json!({ "responses": responses }))
}

struct Step {
    id: String,
    method: Method,
    url: String,
    headers: Map<String, Value>,
    body: Option<Value>,
    depends_on: Vec<String>,
}

impl Step {
    fn parse(request: &Value, seen: &[String]) -> Result<Self, String> {
        let field = |name: &str| request.get(name).and_then(Value::as_str).map(str::to_owned);
        let id =
            field("id").filter(|id| !id.is_empty()).ok_or("`id` must be a non-empty string")?;
        if seen.contains(&id.to_lowercase()) {
            return Err(format!("the id '{id}' is used twice; ids must be unique"));
        }
        let method = field("method").ok_or("`method` is missing")?;
        let method = Method::from_bytes(method.to_uppercase().as_bytes())
            .map_err(|_| format!("invalid method '{method}'"))?;
        let url = field("url").ok_or("`url` is missing")?;
        if !url.starts_with('/')
            || url.starts_with("//")
            || url.starts_with("/v1.0/")
            || url.starts_with("/beta/")
        {
            return Err(format!(
                "`url` must be relative to the version root, such as '/users', not '{url}'"
            ));
        }
        let headers = match request.get("headers") {
            None => Map::new(),
            Some(Value::Object(headers)) => headers.clone(),
            Some(_) => return Err("`headers` must be an object".into()),
        };
        let body = request.get("body").cloned();
        if body.is_some() && !headers.keys().any(|k| k.eq_ignore_ascii_case("content-type")) {
            return Err("a request with a `body` needs a `Content-Type` header".into());
        }
        let depends_on = match request.get("dependsOn") {
            None => Vec::new(),
            Some(Value::Array(ids)) => ids
                .iter()
                .map(|d| d.as_str().map(str::to_owned).ok_or("`dependsOn` holds ids"))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err("`dependsOn` must be an array of ids".into()),
        };
        if let Some(unknown) = depends_on.iter().find(|d| !seen.contains(&d.to_lowercase())) {
            return Err(format!(
                "`dependsOn` names '{unknown}', which is not an earlier request of the batch"
            ));
        }
        Ok(Self { id, method, url, headers, body, depends_on })
    }

    /// Runs the request through the emulator's routes with the batch's credentials.
    async fn execute(
        &self,
        router: &axum::Router,
        version: &str,
        outer: &HeaderMap,
        budget: Budget,
    ) -> (u16, Value, Value) {
        let mut request = Request::builder()
            .method(self.method.clone())
            .uri(format!("/{version}{}", self.url))
            .extension(BatchItem { budget });
        if let Some(headers) = request.headers_mut() {
            for (name, value) in &self.headers {
                let value = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
                if let (Ok(name), Ok(value)) =
                    (HeaderName::try_from(name.as_str()), HeaderValue::try_from(value))
                {
                    headers.insert(name, value);
                }
            }
            // The batch's credentials, always: an item is checked against the token the batch
            // was authenticated with, never one of its own.
            headers.remove(header::AUTHORIZATION);
            if let Some(value) = outer.get(header::AUTHORIZATION) {
                headers.insert(header::AUTHORIZATION, value.clone());
            }
            // The batch's client-request-id and host (for the links of answers), unless the
            // item has its own.
            for name in [HeaderName::from_static("client-request-id"), header::HOST] {
                if let (Some(value), false) = (outer.get(&name), headers.contains_key(&name)) {
                    headers.insert(name, value.clone());
                }
            }
        }
        let body = self.body.as_ref().map_or_else(Body::empty, |b| Body::from(b.to_string()));
        let Ok(request) = request.body(body) else {
            return (
                400,
                json!({}),
                json!({"error": {"code": "BadRequest", "message": "The request could not be built."}}),
            );
        };
        let response = match router.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let status = response.status().as_u16();
        let mut headers = Map::new();
        for name in [header::CONTENT_TYPE, header::RETRY_AFTER, header::LOCATION] {
            if let Some(value) = response.headers().get(&name).and_then(|v| v.to_str().ok()) {
                headers.insert(name.as_str().to_owned(), Value::String(value.to_owned()));
            }
        }
        let bytes =
            axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap_or_default();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, Value::Object(headers), body)
    }
}
