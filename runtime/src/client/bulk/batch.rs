//! JSON batching on the wire: the `$batch` request body for some prepared items, and each item's
//! answer found in the response, or why it cannot be found with certainty.

use std::collections::HashMap;

use bytes::Bytes;
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::Error;

/// One input, ready to send.
pub(super) struct Prepared {
    pub(super) method: Method,
    /// The path below the service root, such as `/deviceAppManagement/…/userStatuses`.
    pub(super) path: String,
    /// The body; `None` for a `DELETE`.
    pub(super) body: Option<Bytes>,
    /// Stable across rounds, so the service can tell a retry of this item.
    pub(super) client_request_id: String,
}

/// `{"requests": [...]}` for the items `chunk`, each with its index as id; the entity bodies
/// are embedded as they were encoded, not encoded again.
pub(super) fn body(chunk: &[usize], prepared: &[Option<Prepared>]) -> Bytes {
    let items: Vec<(usize, &Prepared)> =
        chunk.iter().filter_map(|&i| prepared[i].as_ref().map(|item| (i, item))).collect();
    let size: usize = items
        .iter()
        .map(|(_, item)| item.body.as_ref().map_or(0, Bytes::len) + item.path.len() + 160)
        .sum();
    let mut out = Vec::with_capacity(size + 16);
    out.extend_from_slice(br#"{"requests":["#);
    for (n, (index, item)) in items.into_iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(br#"{"id":""#);
        out.extend_from_slice(index.to_string().as_bytes());
        out.extend_from_slice(br#"","method":""#);
        out.extend_from_slice(item.method.as_str().as_bytes());
        out.extend_from_slice(br#"","url":"#);
        // Paths are percent-encoded ASCII; serde_json writes them as a JSON string.
        out.extend_from_slice(serde_json::to_string(&item.path).unwrap_or_default().as_bytes());
        out.extend_from_slice(br#","headers":{"#);
        if item.body.is_some() {
            out.extend_from_slice(br#""Content-Type":"application/json","#);
        }
        out.extend_from_slice(br#""client-request-id":""#);
        out.extend_from_slice(item.client_request_id.as_bytes());
        out.extend_from_slice(br#""}"#);
        if let Some(body) = &item.body {
            out.extend_from_slice(br#","body":"#);
            out.extend_from_slice(body);
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
    Bytes::from(out)
}

/// One item's answer inside a `$batch` response.
pub(super) struct SubResponse<'a> {
    pub(super) status: u16,
    pub(super) headers: HeaderMap,
    /// The body as sent (JSON), empty when there was none.
    pub(super) body: &'a [u8],
}

impl SubResponse<'_> {
    /// The `Location` header, when there was one.
    pub(super) fn location(&self) -> Option<String> {
        self.headers.get("location").and_then(|v| v.to_str().ok()).map(str::to_owned)
    }
}

#[derive(Deserialize)]
struct Response<'a> {
    #[serde(borrow)]
    responses: Vec<Raw<'a>>,
}

#[derive(Deserialize)]
struct Raw<'a> {
    id: String,
    status: u16,
    #[serde(default)]
    headers: serde_json::Map<String, serde_json::Value>,
    #[serde(borrow, default)]
    body: Option<&'a RawValue>,
}

/// The answers of a `$batch` response body, or why it cannot be read.
pub(super) fn parse(body: &[u8]) -> Result<Vec<(String, SubResponse<'_>)>, serde_json::Error> {
    let response: Response<'_> = serde_json::from_slice(body)?;
    Ok(response
        .responses
        .into_iter()
        .map(|raw| {
            let mut headers = HeaderMap::new();
            for (name, value) in &raw.headers {
                let value = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
                if let (Ok(name), Ok(value)) =
                    (HeaderName::try_from(name.as_str()), HeaderValue::try_from(value))
                {
                    headers.insert(name, value);
                }
            }
            let body = raw.body.map_or(&b""[..], |raw| raw.get().as_bytes());
            (raw.id, SubResponse { status: raw.status, headers, body })
        })
        .collect())
}

/// Each item's answer, by its id: the exact decimal index it was sent with. An item answered
/// twice, or under another spelling of its id (`"+0"`, `"00"`), is ambiguous; an item not
/// answered is missing; both may or may not have taken effect, and neither is resent. An
/// answer with an id that was not sent could be any unanswered item's: an item that did not
/// succeed is then ambiguous too.
pub(super) fn match_responses<'a>(
    chunk: &[usize],
    responses: Vec<(String, SubResponse<'a>)>,
) -> Vec<(usize, Result<SubResponse<'a>, Error>)> {
    let mut by_index: HashMap<usize, Vec<SubResponse<'a>>> = HashMap::with_capacity(chunk.len());
    let mut aliased: HashMap<usize, String> = HashMap::new();
    let mut stray: Option<String> = None;
    for (id, response) in responses {
        // Read leniently (`" +00"` is 0), so that another spelling of an id is caught.
        let loose = id.trim().trim_start_matches('+').parse::<usize>().ok();
        match loose.filter(|index| chunk.contains(index)) {
            Some(index) if id == index.to_string() => {
                by_index.entry(index).or_default().push(response);
            }
            Some(index) => {
                aliased.insert(index, id);
            }
            None => {
                tracing::warn!(%id, "a $batch response names an id that was not sent");
                stray.get_or_insert(id);
            }
        }
    }
    chunk
        .iter()
        .map(|&index| {
            let answers = by_index.remove(&index).unwrap_or_default();
            let ambiguous = |reason: String| Err(Error::AmbiguousSubResponse { reason });
            let answer = if let Some(alias) = aliased.remove(&index) {
                ambiguous(format!("an answer has the id `{alias}`, another spelling of `{index}`"))
            } else if answers.len() > 1 {
                ambiguous(format!("the id `{index}` is answered {} times", answers.len()))
            } else {
                match (answers.into_iter().next(), &stray) {
                    (None, _) => Err(Error::MissingSubResponse),
                    // A success is this item's own: one request creates once.
                    (Some(answer), None) => Ok(answer),
                    (Some(answer), Some(_)) if (200..300).contains(&answer.status) => Ok(answer),
                    (Some(_), Some(id)) => ambiguous(format!(
                        "the batch also answered an id that was not sent, `{id}`, which may be this item's"
                    )),
                }
            };
            (index, answer)
        })
        .collect()
}
