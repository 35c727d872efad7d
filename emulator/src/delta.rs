//! A collection's `delta` function, from the store's versions: a first round lists every entity;
//! its last page's `@odata.deltaLink` holds the store's version when the round began, and the
//! round from that link lists what was removed (`@removed`) and what was created or changed
//! since, up to the version when it began, and so on.
//!
//! A round's pages go by keyset (removals by the version of their removal, then entities by
//! creation order), so that a change made while a round is read is never lost: an entity
//! changed meanwhile leaves the round and comes in the next one. The collection's removals are
//! remembered from its first round on, at most so many (`Emulator::delta_removals`); a link
//! from before the oldest one forgotten is Graph's `410 Gone` (`syncStateNotFound`).
//!
//! Directory objects (users, groups …) are restored for 30 days after a delete in Graph: their
//! removal says `changed`; other entities' say `deleted`.

use axum::http::StatusCode;
use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::bounded::encoded_len;
use crate::lock::lock;
use crate::query::{self, DeltaToken, Use};
use crate::request::{Request, key_name, with_etag};
use crate::respond::{Answer, bad_request, graph_error, json_response, too_large};
use crate::special::DIRECTORY_OBJECT;

/// Where a round is: the version its changes start after (`since`) and the one they go up to
/// (`upto`), whether removals are done, and the last removal's version or entity's sequence
/// number given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Position {
    since: u64,
    upto: u64,
    /// Removals are listed first (none in a first round), then changes.
    removals_done: bool,
    after: u64,
}

impl Position {
    fn encode(self) -> String {
        let phase = if self.removals_done { 'c' } else { 'r' };
        let text = format!("{}.{}.{phase}.{}", self.since, self.upto, self.after);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
    }

    fn decode(token: &str) -> Option<Position> {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let mut parts = text.split('.');
        let since = parts.next()?.parse().ok()?;
        let upto = parts.next()?.parse().ok()?;
        let removals_done = match parts.next()? {
            "r" => false,
            "c" => true,
            _ => return None,
        };
        let after = parts.next()?.parse().ok()?;
        (parts.next().is_none() && since <= upto).then_some(Position {
            since,
            upto,
            removals_done,
            after,
        })
    }
}

/// The token of the round after the one that went up to `upto`.
fn delta_token(upto: u64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("v{upto}"))
}

fn read_delta_token(token: &str) -> Option<u64> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token).ok()?;
    String::from_utf8(bytes).ok()?.strip_prefix('v')?.parse().ok()
}

/// One page of a round of the changes of the request's collection.
pub(crate) fn answer(request: &Request<'_>) -> Answer {
    let query = request.query(Use::Delta)?;
    let mut store = lock(&request.state.store);
    request.parents_exist(&store)?;
    let address = &request.target.address;
    let invalid = || bad_request(request.ids, "The delta or skip token is not valid.".into());
    let position = match &query.delta {
        None => {
            store.track(address);
            let upto = store.version_now();
            Position { since: 0, upto, removals_done: true, after: 0 }
        }
        Some(DeltaToken::Delta(token)) => {
            let since = read_delta_token(token).ok_or_else(invalid)?;
            Position { since, upto: store.version_now(), removals_done: false, after: 0 }
        }
        Some(DeltaToken::Skip(token)) => Position::decode(token).ok_or_else(invalid)?,
    };
    // The removals since the round before must all be remembered (a first round has none to
    // list; the changes come from the entities' versions, which are never forgotten).
    if !position.removals_done && !store.tracked_since(address, position.since) {
        return Err(graph_error(
            request.ids,
            StatusCode::GONE,
            "syncStateNotFound",
            "The sync state of the delta token was not found: it expired. Start a new round without a token."
                .into(),
            &[],
        ));
    }
    let ty = request.target.ty();
    let key = key_name(request.schema, ty);
    let select = query.select.as_deref();
    let reason =
        if request.schema.is_derived_from(ty, DIRECTORY_OBJECT) { "changed" } else { "deleted" };
    let page_size = request.state.settings.page_size;
    let mut body = Map::new();
    body.insert("@odata.context".into(), request.context(&request.target.context));
    let base = request.next_link_base(&query);
    let mut budget = request.budget;
    // The envelope with the longest link it may end with.
    let longest =
        Position { since: u64::MAX, upto: u64::MAX, removals_done: false, after: u64::MAX };
    let envelope = encoded_len(&body)
        + base.len()
        + "$skiptoken=".len()
        + longest.encode().len()
        + r#","@odata.nextLink":"","value":[]"#.len();
    if !budget.take(envelope) {
        return Err(bad_request(request.ids, too_large(request.budget.limit)));
    }
    let mut value = Vec::new();
    let mut at = position;
    let mut more = false;
    if !at.removals_done {
        for (version, removed) in store.removed(address, at.since, at.upto, at.after) {
            if value.len() == page_size {
                more = true;
                break;
            }
            let item = json!({ key: removed, "@removed": { "reason": reason } });
            if !budget.take(encoded_len(&item) + 1) {
                more = true;
                break;
            }
            value.push(item);
            at.after = version;
        }
        if !more {
            at = Position { removals_done: true, after: 0, ..at };
        }
    }
    if at.removals_done && !more {
        for (sequence, entity) in store.changed(address, at.since, at.upto, at.after) {
            if value.len() == page_size {
                more = true;
                break;
            }
            let mut projected = query::project(entity.body, select, ty);
            if !projected.contains_key(key) {
                projected.insert(key.to_owned(), Value::String(entity.key.to_owned()));
            }
            let item = Value::Object(with_etag(entity.version, projected));
            if !budget.take(encoded_len(&item) + 1) {
                more = true;
                break;
            }
            value.push(item);
            at.after = sequence;
        }
    }
    if more && value.is_empty() {
        return Err(bad_request(request.ids, too_large(request.budget.limit)));
    }
    let link = if more {
        ("@odata.nextLink", format!("{base}$skiptoken={}", at.encode()))
    } else {
        ("@odata.deltaLink", format!("{base}$deltatoken={}", delta_token(at.upto)))
    };
    body.insert(link.0.into(), Value::String(link.1));
    body.insert("value".into(), Value::Array(value));
    Ok(json_response(StatusCode::OK, &Value::Object(body)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_position_reads_back_and_nothing_else_does() {
        let position = Position { since: 3, upto: 9, removals_done: false, after: 4 };
        assert_eq!(Position::decode(&position.encode()), Some(position));
        let done = Position { removals_done: true, ..position };
        assert_eq!(Position::decode(&done.encode()), Some(done));
        for token in ["", "abc", "MS4yLngu", &delta_token(5)] {
            assert_eq!(Position::decode(token), None, "{token}");
        }
        // `since` after `upto` is no round.
        let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("9.3.r.0");
        assert_eq!(Position::decode(&text), None);
        assert_eq!(read_delta_token(&delta_token(42)), Some(42));
        assert_eq!(read_delta_token(&position.encode()), None);
    }
}
