//! Reading what the service answered: success bodies within their bound and decoded, and error
//! answers turned into [`Error::Graph`] or [`Error::UnexpectedResponse`]. Single calls and the
//! items of a `$batch` read their answers here.

use reqwest::header::{AsHeaderName, CONTENT_TYPE, HeaderMap, HeaderName};
use serde_json::Value;

use crate::error::{Error, ErrorDetail, GraphError, TransportError, snippet};
use crate::http::{BodyError, read_body};
use crate::retry::retry_after;
use crate::wire::from_slice;

/// The most bytes read of an error body: Graph's errors are small.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// A success answer: its status, its `Location` and its body.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) location: Option<String>,
    pub(crate) body: Vec<u8>,
    /// The request was sent again after an attempt that may have acted (a lost answer, a
    /// `504`): for a `$batch`, each of its items may have been applied by that attempt.
    pub(crate) resent: bool,
    /// For a request whose options ask for a stream: the response, its body unread (`body` is
    /// then empty).
    pub(crate) unread: Option<reqwest::Response>,
}

impl Answer {
    /// Decodes the answer to a read: a body that does not match is [`Error::Decode`].
    pub(crate) fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        decode(self.status, &self.body)
    }

    /// Decodes the answer to a write, which took effect: a body that does not match is
    /// [`Error::UnreadableSuccess`], with the new entity's id when it can be found.
    pub(crate) fn decode_written<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        written(self.status, &self.body, self.location)
    }

    /// Decodes the answer to an update: `None` for `204 No Content` (or no body), else the
    /// entity, as [`decode_written`](Self::decode_written).
    pub(crate) fn decode_updated<T: serde::de::DeserializeOwned>(self) -> Result<Option<T>, Error> {
        updated(self.status, &self.body, self.location)
    }
}

/// The body of a write's success, which took effect: one that does not match is
/// [`Error::UnreadableSuccess`]. For single calls and `$batch` items alike.
pub(crate) fn written<T: serde::de::DeserializeOwned>(
    status: u16,
    body: &[u8],
    location: Option<String>,
) -> Result<T, Error> {
    decode(status, body).map_err(|error| unreadable(status, location, body, error))
}

/// The body of an update's success: `None` for `204 No Content` (or no body), else as
/// [`written`].
pub(crate) fn updated<T: serde::de::DeserializeOwned>(
    status: u16,
    body: &[u8],
    location: Option<String>,
) -> Result<Option<T>, Error> {
    if status == 204 || body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    written(status, body, location).map(Some)
}

/// A write's success whose body could not be read, with the `id` found in it, if any.
pub(crate) fn unreadable(
    status: u16,
    location: Option<String>,
    body: &[u8],
    error: Error,
) -> Error {
    #[derive(serde::Deserialize)]
    struct Key {
        id: String,
    }
    let id = serde_json::from_slice::<Key>(body).ok().map(|key| key.id);
    Error::UnreadableSuccess { status, location, id, source: Box::new(error) }
}

/// Decodes a success body, keeping the status in the error.
pub(crate) fn decode<T: serde::de::DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, Error> {
    from_slice::<T>(body).map_err(|mut error| {
        error.status = Some(status);
        Error::from(error)
    })
}

fn transport(error: reqwest::Error) -> Error {
    Error::Transport(TransportError::new(error))
}

/// Reads at most `limit` bytes of a success body; a larger one is [`Error::ResponseTooLarge`].
pub(crate) async fn read_limited(
    response: reqwest::Response,
    limit: usize,
    strict: bool,
) -> Result<Vec<u8>, Error> {
    let status = response.status().as_u16();
    read_body(response, limit, strict).await.map_err(|error| match error {
        BodyError::TooLarge => Error::ResponseTooLarge { status, limit },
        BodyError::Read(error) => transport(error),
    })
}

/// Turns a non-success response into [`Error::Graph`], or [`Error::UnexpectedResponse`] when the
/// body is not Graph's error format (a body cut short included: the status stands).
pub(crate) async fn read_error(response: reqwest::Response) -> Error {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    match read_limited(response, MAX_ERROR_BODY_BYTES, false).await {
        Ok(body) => parse_error(status, &headers, &body),
        Err(error) => error,
    }
}

pub(crate) fn parse_error(status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
    match graph_error(status, headers, body) {
        Some(error) => Error::from(error),
        None => Error::UnexpectedResponse {
            status,
            content_type: header(headers, CONTENT_TYPE.as_str()),
            snippet: snippet(body),
        },
    }
}

fn graph_error(status: u16, headers: &HeaderMap, body: &[u8]) -> Option<GraphError> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let error = value.get("error")?.as_object()?;
    let code = error.get("code")?.as_str()?.to_owned();
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
    let error_value = value.get("error")?;
    let inner = error.get("innerError").or_else(|| error.get("innererror"));
    let inner_text = |key: &str| inner.and_then(|i| text(i, key));
    let details = error
        .get("details")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|d| ErrorDetail {
                    code: text(d, "code").unwrap_or_default(),
                    message: text(d, "message").unwrap_or_default(),
                    target: text(d, "target"),
                })
                .collect()
        })
        .unwrap_or_default();
    Some(GraphError {
        status,
        code,
        message: text(error_value, "message").unwrap_or_default(),
        target: text(error_value, "target"),
        details,
        request_id: header(headers, REQUEST_ID).or_else(|| inner_text("request-id")),
        client_request_id: header(headers, "client-request-id")
            .or_else(|| inner_text("client-request-id")),
        date: inner_text("date").or_else(|| header(headers, "date")),
        retry_after: retry_after(headers),
    })
}

pub(crate) fn header(headers: &HeaderMap, name: impl AsHeaderName) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// Graph's `request-id` answer header, known at compile time.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("request-id");

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use reqwest::header::HeaderValue;

    use super::*;

    #[test]
    fn graph_errors_carry_retry_after() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("2.128"));
        let body = br#"{"error":{"code":"TooManyRequests","message":"Please retry again later."}}"#;
        let Error::Graph(e) = parse_error(429, &headers, body) else { panic!() };
        assert_eq!(e.retry_after, Some(Duration::from_millis(2128)));
    }

    #[test]
    fn parses_graph_errors_and_keeps_other_bodies() {
        let mut headers = HeaderMap::new();
        headers.insert("request-id", HeaderValue::from_static("rid-header"));
        let body = br#"{"error":{"code":"TooManyRequests","message":"Please retry again later.","details":[{"code":"a","message":"b"}],"innerError":{"code":"429","date":"2020-08-18T12:51:51","request-id":"rid-body","client-request-id":"cid"}}}"#;
        let Error::Graph(e) = parse_error(429, &headers, body) else { panic!() };
        assert_eq!(
            (e.status, e.code.as_str(), e.message.as_str()),
            (429, "TooManyRequests", "Please retry again later.")
        );
        assert_eq!(e.request_id.as_deref(), Some("rid-header"));
        assert_eq!(e.client_request_id.as_deref(), Some("cid"));
        assert_eq!(e.date.as_deref(), Some("2020-08-18T12:51:51"));
        assert_eq!(e.details.len(), 1);

        let html = b"<html><body>502 Bad Gateway</body></html>";
        let error = parse_error(502, &HeaderMap::new(), html);
        assert!(
            matches!(&error, Error::UnexpectedResponse { status: 502, snippet, .. } if snippet.contains("Bad Gateway"))
        );
        for not_graph in
            [&b""[..], b"{}", br#"{"error":"x"}"#, br#"{"error":{"message":"no code"}}"#, b"[1"]
        {
            assert!(matches!(
                parse_error(500, &HeaderMap::new(), not_graph),
                Error::UnexpectedResponse { .. }
            ));
        }
        let huge = vec![b'x'; 100_000];
        let Error::UnexpectedResponse { snippet, .. } = parse_error(500, &HeaderMap::new(), &huge)
        else {
            panic!()
        };
        assert!(snippet.len() <= crate::error::SNIPPET_LEN + 4);
    }
}
