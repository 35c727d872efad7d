//! Graph-style answers: the error body, JSON and text responses, and the identifiers every
//! answer carries. Shared by the routes, `$batch`, faults and the store's handlers.

use axum::http::uri::Authority;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::validate::Problem;

/// Graph's content type for JSON responses.
pub(crate) const GRAPH_JSON: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/// What a handler returns: an answer, or an error answer (both are responses, so that checks
/// read as `?`).
pub(crate) type Answer = Result<Response, Response>;

/// The identifiers of one request: Graph's `request-id`, and the `client-request-id` it echoes.
#[derive(Clone, Debug)]
pub(crate) struct Ids {
    pub(crate) request_id: String,
    pub(crate) client_request_id: String,
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
            "date": crate::edm::utc_now_without_offset(),
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

/// The origin the client addressed, for the absolute URLs written into answers
/// (`@odata.context`, `@odata.nextLink`) and the audience of client assertions: `http://` and the
/// request's authority (of an absolute-form target, else its `Host` header), so that a client
/// configured with `http://localhost:PORT` gets links it may follow; `bound` (the address the
/// emulator listens on) when the request names no usable one.
pub(crate) fn origin(uri: &Uri, headers: &HeaderMap, bound: &str) -> String {
    let named = match uri.authority() {
        Some(authority) => Some(authority.clone()),
        None => headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<Authority>().ok()),
    };
    match named {
        // User information has no place in a link.
        Some(authority) if !authority.as_str().contains('@') => format!("http://{authority}"),
        _ => bound.to_owned(),
    }
}

/// `400 BadRequest` with this message.
pub(crate) fn bad_request(ids: &Ids, message: String) -> Response {
    graph_error(ids, StatusCode::BAD_REQUEST, "BadRequest", message, &[])
}

/// `400` naming every problem of a body, the first in the message.
pub(crate) fn invalid(ids: &Ids, problems: &[Problem]) -> Response {
    let mut message = problems.first().map(|p| p.message.clone()).unwrap_or_default();
    if problems.len() > 1 {
        message.push_str(&format!(" (and {} more problems: see details)", problems.len() - 1));
    }
    graph_error(ids, StatusCode::BAD_REQUEST, "BadRequest", message, problems)
}

/// Why an answer was withheld: it would pass the response budget of `limit` bytes.
pub(crate) fn too_large(limit: usize) -> String {
    format!(
        "The answer would pass the emulator's limit of {limit} bytes on the answer to a read (the answers of a $batch share it; max_response_bytes, --max-response-bytes): select fewer properties ($select), expand less, or ask for fewer entities ($top)."
    )
}

/// `405` for an operation the resource does not allow.
pub(crate) fn not_allowed(ids: &Ids, message: String) -> Response {
    graph_error(ids, StatusCode::METHOD_NOT_ALLOWED, "BadRequest", message, &[])
}

/// `501` for what Graph serves and the emulator does not.
pub(crate) fn not_implemented(ids: &Ids, message: String) -> Response {
    graph_error(ids, StatusCode::NOT_IMPLEMENTED, "NotImplemented", message, &[])
}

pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(GRAPH_JSON));
    response
}

/// A `text/plain` answer, as `/$count` is.
pub(crate) fn text_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain;charset=utf-8"));
    response
}

/// `204 No Content`.
pub(crate) fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_origin_is_the_host_the_client_named() {
        let bound = "http://127.0.0.1:1";
        let with_host = |host: &[u8]| {
            let mut headers = HeaderMap::new();
            if let Ok(value) = HeaderValue::from_bytes(host) {
                headers.insert(header::HOST, value);
            }
            origin(&Uri::from_static("/v1.0/users"), &headers, bound)
        };
        assert_eq!(with_host(b"localhost:8080"), "http://localhost:8080");
        assert_eq!(with_host(b"[::1]:8080"), "http://[::1]:8080");
        assert_eq!(with_host(b"emulator"), "http://emulator");
        for odd in [&b""[..], b"a b", b"user@host:1", b"host/path", b"\xff"] {
            assert_eq!(with_host(odd), bound, "{odd:?}");
        }
        let absolute = Uri::from_static("http://example.test:9/v1.0/users");
        assert_eq!(origin(&absolute, &HeaderMap::new(), bound), "http://example.test:9");
    }
}
