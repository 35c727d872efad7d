//! Reads: a collection's page (with its query options and next link), its `$count`, an entity
//! (with `$select` and `$expand`), a structural property; and the entities of a collection for
//! the in-process accessor. Each answer keeps to the request's budget.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::bounded::{Budget, MAX_EXPANDED, encoded_len};
use crate::lock::lock;
use crate::query::{self, Expand, Query, Use};
use crate::request::{Request, fits_cast, initial, type_of, with_etag};
use crate::respond::{Answer, bad_request, json_response, no_content, text_response, too_large};
use crate::routing::{self, Kind};
use crate::state::AppState;
use crate::store::{Listed, Store};

pub(crate) fn list(request: &Request<'_>) -> Answer {
    let query = request.query(Use::List)?;
    let store = lock(&request.state.store);
    request.parents_exist(&store)?;
    let mut items: Vec<Listed<'_>> = store
        .list(&request.target.address)
        .into_iter()
        .filter(|e| request.fits_cast(e.body) && query.keeps(e.body))
        .collect();
    if !query.order_by.is_empty() {
        let mut order: Vec<&Map<String, Value>> = items.iter().map(|e| e.body).collect();
        query.sort(&mut order);
        let listed: std::collections::HashMap<*const Map<String, Value>, Listed<'_>> =
            items.iter().map(|e| (e.body as *const _, *e)).collect();
        items = order.into_iter().filter_map(|e| listed.get(&(e as *const _)).copied()).collect();
    }
    let total = items.len();
    let page_size = query
        .top
        .map_or(request.state.settings.page_size, |top| top.min(request.state.settings.page_size));
    let start = query.skip.saturating_add(query.skip_token);
    let select = query.select.as_deref();
    let mut fragment = request.target.context.clone();
    if let Some(names) = select {
        fragment.push_str(&format!("({})", names.join(",")));
    }
    let mut body = Map::new();
    body.insert("@odata.context".into(), request.context(&fragment));
    if query.count {
        body.insert("@odata.count".into(), json!(total));
    }
    // The page, as long as it fits the budget with its envelope (and the longest next link):
    // a page that would pass it ends early, and its next link goes on from there.
    let mut budget = request.budget;
    let envelope = encoded_len(&body)
        + encoded_len(&next_link(request, &query, page_size, usize::MAX))
        + r#","@odata.nextLink":,"value":[]"#.len();
    if !budget.take(envelope) {
        return Err(refused_as_too_large(request));
    }
    let mut value = Vec::new();
    for item in items.iter().skip(start).take(page_size) {
        let mut projected =
            with_etag(item.version, query::project(item.body, select, request.target.ty()));
        let fits =
            expand(request, &store, &query.expand, item.key, item.body, &mut projected, budget)
                && budget.take(encoded_len(&projected) + 1);
        if !fits {
            if value.is_empty() {
                return Err(refused_as_too_large(request));
            }
            break;
        }
        value.push(Value::Object(projected));
    }
    // A skiptoken at or past the end is an empty page without a next link.
    let next = start.saturating_add(value.len());
    if next < total {
        body.insert(
            "@odata.nextLink".into(),
            Value::String(next_link(request, &query, page_size, next)),
        );
    }
    body.insert("value".into(), Value::Array(value));
    Ok(json_response(StatusCode::OK, &Value::Object(body)))
}

/// Graph's `400` for an answer that would pass the budget.
fn refused_as_too_large(request: &Request<'_>) -> Response {
    bad_request(request.ids, too_large(request.budget.limit))
}

fn next_link(request: &Request<'_>, query: &Query, page_size: usize, next: usize) -> String {
    format!("{}$top={page_size}&$skiptoken={next}", request.next_link_base(query))
}

pub(crate) fn count(request: &Request<'_>) -> Answer {
    let query = request.query(Use::Count)?;
    let store = lock(&request.state.store);
    request.parents_exist(&store)?;
    let count = store
        .list(&request.target.address)
        .into_iter()
        .filter(|e| request.fits_cast(e.body) && query.keeps(e.body))
        .count();
    Ok(text_response(StatusCode::OK, count.to_string()))
}

pub(crate) fn get(request: &Request<'_>) -> Answer {
    let query = request.query(Use::Entity)?;
    let mut store = lock(&request.state.store);
    let (key, entity) = request.entity(&store)?;
    let version = request.entity_version(&store, &key);
    let select = query.select.as_deref();
    let mut body = Map::new();
    let mut fragment = request.target.context.clone();
    if let Some(names) = select {
        fragment.push_str(&format!("({})", names.join(",")));
    }
    if matches!(request.target.kind, Kind::Member { .. } | Kind::Single { singleton: false }) {
        fragment.push_str("/$entity");
    }
    body.insert("@odata.context".into(), request.context(&fragment));
    let mut projected = with_etag(version, query::project(&entity, select, request.target.ty()));
    let mut budget = request.budget;
    let fits = budget.take(encoded_len(&body) + encoded_len(&projected))
        && expand(request, &store, &query.expand, &key, &entity, &mut projected, budget);
    if !fits {
        return Err(refused_as_too_large(request));
    }
    body.extend(projected);
    if matches!(request.target.kind, Kind::Member { .. }) {
        crate::operation::settle(&mut store, request.target, &key);
    }
    Ok(json_response(StatusCode::OK, &Value::Object(body)))
}

pub(crate) fn property(request: &Request<'_>) -> Answer {
    let store = lock(&request.state.store);
    let (_, entity) = request.entity(&store)?;
    let Kind::Property { name, .. } = &request.target.kind else {
        return Err(bad_request(request.ids, "Not a property.".into()));
    };
    match entity.get(name) {
        None | Some(Value::Null) => Ok(no_content()),
        Some(value) => {
            let body =
                json!({"@odata.context": request.context(&request.target.context), "value": value});
            if encoded_len(&body) > request.budget.left() {
                return Err(refused_as_too_large(request));
            }
            Ok(json_response(StatusCode::OK, &body))
        }
    }
}

/// Adds the expanded navigations of an entity (`key` in the target's collection, or the
/// single entity) to its projection: at most [`MAX_EXPANDED`] entities of a collection, as
/// Graph, without a next link. Whether what it added fits in `budget` (it stops adding as
/// soon as it does not).
fn expand(
    request: &Request<'_>,
    store: &Store,
    expands: &[Expand],
    key: &str,
    entity: &Map<String, Value>,
    out: &mut Map<String, Value>,
    mut budget: Budget,
) -> bool {
    let ty = type_of(entity, &request.target.declared).to_owned();
    for expand in expands {
        let Some(navigation) = request.schema.navigation(&ty, &expand.navigation) else {
            continue;
        };
        let mut address = request.target.address.clone();
        if matches!(request.target.kind, Kind::Collection | Kind::Member { .. }) {
            address.push(key.to_owned());
        }
        address.push(expand.navigation.clone());
        let declared = navigation.ty.name.as_str();
        let select = expand.select.as_deref();
        let mut answer = |version: u64, entity: &Map<String, Value>| {
            let projected = with_etag(version, query::project(entity, select, declared));
            budget.take(encoded_len(&projected) + 1).then_some(Value::Object(projected))
        };
        let value = if navigation.ty.collection {
            let mut items = Vec::new();
            for e in store.list(&address).into_iter().take(MAX_EXPANDED) {
                let Some(item) = answer(e.version, e.body) else { return false };
                items.push(item);
            }
            Value::Array(items)
        } else {
            let single = store
                .single(&address)
                .cloned()
                .unwrap_or_else(|| initial(declared, &expand.navigation));
            let Some(item) = answer(store.single_version(&address), &single) else {
                return false;
            };
            item
        };
        if !budget.take(encoded_len(&expand.navigation) + 2) {
            return false;
        }
        out.insert(expand.navigation.clone(), value);
    }
    true
}

/// The entities of a collection path (`/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses`,
/// segments percent-encoded), in creation order; `None` when the path is not a collection of
/// v1.0 or beta (v1.0's reading first), or a parent does not exist.
pub(crate) fn entities(state: &AppState, path: &str) -> Option<Vec<Value>> {
    let segments = routing::segments(path);
    let (schema, target) = ["v1.0", "beta"].into_iter().find_map(|version| {
        let schema = state.schema(version)?;
        routing::resolve(schema, &segments).ok().map(|target| (schema, target))
    })?;
    if target.kind != Kind::Collection {
        return None;
    }
    let store = lock(&state.store);
    if target.parents.iter().any(|p| !store.contains(&p.collection, &p.key)) {
        return None;
    }
    Some(
        store
            .list(&target.address)
            .into_iter()
            .filter(|e| fits_cast(schema, &target, e.body))
            .map(|e| Value::Object(e.body.clone()))
            .collect(),
    )
}
