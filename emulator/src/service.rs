//! Graph itself, from the metadata: every path under `/{version}/` is resolved
//! ([`crate::routing`]), authorized ([`crate::auth`]) and served from the one store
//! ([`crate::store`]): reads here, writes in [`crate::write`].

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use graph_entity_schema::{Schema, TypeKind};
use serde_json::{Map, Value, json};

use crate::bounded::{Budget, MAX_EXPANDED, encoded_len};
use crate::filter::QueryError;
use crate::lock::lock;
use crate::query::{self, DIRECTORY_OBJECT, Expand, Query, Use};
use crate::respond::{
    Answer, Ids, bad_request, graph_error, json_response, no_content, not_allowed, not_implemented,
    text_response, too_large,
};
use crate::routing::{self, Kind, Refusal, Target};
use crate::state::AppState;
use crate::store::{Listed, Store, etag};

/// Everything but unreserved characters is escaped in path segments written into links.
pub(crate) const SEGMENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
/// Query option values in links keep OData's punctuation readable.
const VALUE: &percent_encoding::AsciiSet =
    &SEGMENT.remove(b'\'').remove(b'(').remove(b')').remove(b',').remove(b':').remove(b'/');

/// What the frame passes on about a request besides its method, URI, headers and body.
pub(crate) struct Frame<'a> {
    pub(crate) ids: &'a Ids,
    /// The origin the request named (`http://localhost:8080`), for links.
    pub(crate) root: &'a str,
    /// The bytes the answer to a read may take.
    pub(crate) budget: Budget,
}

/// Serves a Graph call (the frame has bounded and logged it, and injected any fault).
pub(crate) fn serve(
    state: &AppState,
    frame: &Frame<'_>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Response {
    match dispatch(state, frame, method, uri, headers, body) {
        Ok(response) | Err(response) => response,
    }
}

fn dispatch(
    state: &AppState,
    frame: &Frame<'_>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Answer {
    let Frame { ids, root, budget } = *frame;
    let path = uri.path().strip_prefix('/').unwrap_or(uri.path());
    let (version, rest) = path.split_once('/').unwrap_or((path, ""));
    let Some(schema) = state.schema(version) else {
        return Err(bad_request(
            ids,
            format!("Invalid version: '{version}'. Use 'v1.0' or 'beta'."),
        ));
    };
    let roles = crate::auth::authenticate(state, ids, headers)?;
    if rest.is_empty() || rest.starts_with('$') && !rest.contains('/') {
        return Err(not_implemented(
            ids,
            format!(
                "'/{version}/{rest}' (the service document, $metadata …) is not served by the emulator."
            ),
        ));
    }
    let target = routing::resolve(schema, &routing::segments(rest)).map_err(|r| refused(ids, r))?;
    let write = *method != Method::GET;
    crate::auth::permit(ids, &roles, &target.shape, write)?;
    let request =
        Request { state, ids, root, budget, schema, version, target: &target, uri, headers, body };
    match (method.as_str(), &target.kind) {
        ("GET", Kind::Collection) => request.list(),
        ("GET", Kind::Count) => request.count(),
        ("GET", Kind::Member { .. } | Kind::Single { .. }) => request.get(),
        ("GET", Kind::Property { .. }) => request.property(),
        ("POST", Kind::Collection) => request.create(),
        ("PATCH", Kind::Member { .. } | Kind::Single { .. }) => request.update(),
        ("DELETE", Kind::Member { .. }) => request.delete(),
        ("DELETE", Kind::Single { .. }) => Err(not_allowed(
            ids,
            format!(
                "'{}' is a single entity that exists with its parent: it cannot be deleted.",
                target.context
            ),
        )),
        ("PUT", _) => {
            Err(not_allowed(ids, "PUT is not served by the emulator: update with PATCH.".into()))
        }
        (method, _) => Err(not_allowed(
            ids,
            format!("The method '{method}' is not allowed on '{}'.", target.context),
        )),
    }
}

fn refused(ids: &Ids, refusal: Refusal) -> Response {
    match refusal {
        Refusal::BadRequest(message) => bad_request(ids, message),
        Refusal::NotServed(message) => not_implemented(ids, message),
    }
}

pub(crate) fn query_error(ids: &Ids, error: QueryError) -> Response {
    match error {
        QueryError::Invalid(message) => bad_request(ids, message),
        QueryError::Unsupported(message) => not_implemented(ids, message),
        QueryError::Coded(code, message) => {
            graph_error(ids, StatusCode::BAD_REQUEST, code, message, &[])
        }
    }
}

/// One request being served.
pub(crate) struct Request<'a> {
    pub(crate) state: &'a AppState,
    pub(crate) ids: &'a Ids,
    /// The origin the client addressed (`http://localhost:8080`), for links.
    pub(crate) root: &'a str,
    /// The bytes the answer to a read may take.
    pub(crate) budget: Budget,
    pub(crate) schema: &'a Schema,
    pub(crate) version: &'a str,
    pub(crate) target: &'a Target,
    pub(crate) uri: &'a Uri,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a Bytes,
}

/// The key property of an entity type (`id` for nearly all).
pub(crate) fn key_name<'s>(schema: &'s Schema, ty: &str) -> &'s str {
    schema.ancestry(ty).find_map(|t| t.key.first()).map_or("id", String::as_str)
}

/// The type an entity is, by its `@odata.type`.
pub(crate) fn type_of<'e>(entity: &'e Map<String, Value>, declared: &'e str) -> &'e str {
    match entity.get("@odata.type") {
        Some(Value::String(ty)) => ty.strip_prefix('#').unwrap_or(ty),
        _ => declared,
    }
}

impl Request<'_> {
    pub(crate) fn context(&self, fragment: &str) -> Value {
        Value::String(format!("{}/{}/$metadata#{fragment}", self.root, self.version))
    }

    fn query(&self, use_: Use) -> Result<Query, Response> {
        let eventual = self
            .headers
            .get("consistencylevel")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("eventual"));
        query::parse(self.schema, self.target.ty(), self.uri.query(), use_, eventual)
            .map_err(|e| query_error(self.ids, e))
    }

    /// Graph's `404` for a missing entity.
    pub(crate) fn not_found(&self, ty: &str, key: &str) -> Response {
        if self.schema.is_derived_from(ty, DIRECTORY_OBJECT) {
            return graph_error(
                self.ids,
                StatusCode::NOT_FOUND,
                "Request_ResourceNotFound",
                format!(
                    "Resource '{key}' does not exist or one of its queried reference-property objects are not present."
                ),
                &[],
            );
        }
        let short = ty.rsplit('.').next().unwrap_or(ty);
        graph_error(
            self.ids,
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            format!("The {short} with id '{key}' does not exist."),
            &[],
        )
    }

    /// Every keyed entity on the way must exist.
    pub(crate) fn parents_exist(&self, store: &Store) -> Result<(), Response> {
        for parent in &self.target.parents {
            if !store.contains(&parent.collection, &parent.key) {
                return Err(self.not_found(&parent.ty, &parent.key));
            }
        }
        Ok(())
    }

    /// Whether an entity is of the cast's type (if the path has one).
    fn fits_cast(&self, entity: &Map<String, Value>) -> bool {
        self.target.cast.as_deref().is_none_or(|cast| {
            self.schema.is_derived_from(type_of(entity, &self.target.declared), cast)
        })
    }

    /// A singleton or single-valued navigation as it stands: what was written to it, or its
    /// initial state.
    pub(crate) fn single(&self, store: &Store) -> Map<String, Value> {
        store.single(&self.target.address).cloned().unwrap_or_else(|| initial_single(self.target))
    }

    fn list(&self) -> Answer {
        let query = self.query(Use::List)?;
        let store = lock(&self.state.store);
        self.parents_exist(&store)?;
        let mut items: Vec<Listed<'_>> = store
            .list(&self.target.address)
            .into_iter()
            .filter(|e| self.fits_cast(e.body) && query.keeps(e.body))
            .collect();
        if !query.order_by.is_empty() {
            let mut order: Vec<&Map<String, Value>> = items.iter().map(|e| e.body).collect();
            query.sort(&mut order);
            let listed: std::collections::HashMap<*const Map<String, Value>, Listed<'_>> =
                items.iter().map(|e| (e.body as *const _, *e)).collect();
            items =
                order.into_iter().filter_map(|e| listed.get(&(e as *const _)).copied()).collect();
        }
        let total = items.len();
        let page_size = query
            .top
            .map_or(self.state.settings.page_size, |top| top.min(self.state.settings.page_size));
        let start = query.skip.saturating_add(query.skip_token);
        let select = query.select.as_deref();
        let mut fragment = self.target.context.clone();
        if let Some(names) = select {
            fragment.push_str(&format!("({})", names.join(",")));
        }
        let mut body = Map::new();
        body.insert("@odata.context".into(), self.context(&fragment));
        if query.count {
            body.insert("@odata.count".into(), json!(total));
        }
        // The page, as long as it fits the budget with its envelope (and the longest next link):
        // a page that would pass it ends early, and its next link goes on from there.
        let mut budget = self.budget;
        let envelope = encoded_len(&body)
            + encoded_len(&self.next_link(&query, page_size, usize::MAX))
            + r#","@odata.nextLink":,"value":[]"#.len();
        if !budget.take(envelope) {
            return Err(self.too_large());
        }
        let mut value = Vec::new();
        for item in items.iter().skip(start).take(page_size) {
            let mut projected =
                with_etag(item.version, query::project(item.body, select, self.target.ty()));
            let fits =
                self.expand(&store, &query.expand, item.key, item.body, &mut projected, budget)
                    && budget.take(encoded_len(&projected) + 1);
            if !fits {
                if value.is_empty() {
                    return Err(self.too_large());
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
                Value::String(self.next_link(&query, page_size, next)),
            );
        }
        body.insert("value".into(), Value::Array(value));
        Ok(json_response(StatusCode::OK, &Value::Object(body)))
    }

    /// Graph's `400` for an answer that would pass the budget.
    fn too_large(&self) -> Response {
        bad_request(self.ids, too_large(self.budget.limit))
    }

    fn next_link(&self, query: &Query, page_size: usize, next: usize) -> String {
        let path: Vec<String> = self
            .target
            .segments
            .iter()
            .map(|s| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string())
            .collect();
        let mut link = format!("{}/{}/{}?", self.root, self.version, path.join("/"));
        for (name, value) in &query.carried {
            link.push_str(name);
            link.push('=');
            link.extend(percent_encoding::utf8_percent_encode(value, VALUE));
            link.push('&');
        }
        link.push_str(&format!("$top={page_size}&$skiptoken={next}"));
        link
    }

    fn count(&self) -> Answer {
        let query = self.query(Use::Count)?;
        let store = lock(&self.state.store);
        self.parents_exist(&store)?;
        let count = store
            .list(&self.target.address)
            .into_iter()
            .filter(|e| self.fits_cast(e.body) && query.keeps(e.body))
            .count();
        Ok(text_response(StatusCode::OK, count.to_string()))
    }

    /// The entity a member or single target addresses, and its key.
    pub(crate) fn entity(&self, store: &Store) -> Result<(String, Map<String, Value>), Response> {
        self.parents_exist(store)?;
        let key = match &self.target.kind {
            Kind::Member { key } | Kind::Property { key: Some(key), .. } => key,
            _ => return Ok((String::new(), self.single(store))),
        };
        match store.get(&self.target.address, key) {
            Some(entity) if self.fits_cast(entity) => Ok((key.clone(), entity.clone())),
            _ => Err(self.not_found(&self.target.declared, key)),
        }
    }

    /// The version of the entity a member or single target addresses (`key` for a member).
    pub(crate) fn entity_version(&self, store: &Store, key: &str) -> u64 {
        match &self.target.kind {
            Kind::Member { .. } | Kind::Property { key: Some(_), .. } => {
                store.version(&self.target.address, key).unwrap_or_default()
            }
            _ => store.single_version(&self.target.address),
        }
    }

    fn get(&self) -> Answer {
        let query = self.query(Use::Entity)?;
        let store = lock(&self.state.store);
        let (key, entity) = self.entity(&store)?;
        let version = self.entity_version(&store, &key);
        let select = query.select.as_deref();
        let mut body = Map::new();
        let mut fragment = self.target.context.clone();
        if let Some(names) = select {
            fragment.push_str(&format!("({})", names.join(",")));
        }
        if matches!(self.target.kind, Kind::Member { .. } | Kind::Single { singleton: false }) {
            fragment.push_str("/$entity");
        }
        body.insert("@odata.context".into(), self.context(&fragment));
        let mut projected = with_etag(version, query::project(&entity, select, self.target.ty()));
        let mut budget = self.budget;
        let fits = budget.take(encoded_len(&body) + encoded_len(&projected))
            && self.expand(&store, &query.expand, &key, &entity, &mut projected, budget);
        if !fits {
            return Err(self.too_large());
        }
        body.extend(projected);
        Ok(json_response(StatusCode::OK, &Value::Object(body)))
    }

    fn property(&self) -> Answer {
        let store = lock(&self.state.store);
        let (_, entity) = self.entity(&store)?;
        let Kind::Property { name, .. } = &self.target.kind else {
            return Err(bad_request(self.ids, "Not a property.".into()));
        };
        match entity.get(name) {
            None | Some(Value::Null) => Ok(no_content()),
            Some(value) => {
                let body =
                    json!({"@odata.context": self.context(&self.target.context), "value": value});
                if encoded_len(&body) > self.budget.left() {
                    return Err(self.too_large());
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
        &self,
        store: &Store,
        expands: &[Expand],
        key: &str,
        entity: &Map<String, Value>,
        out: &mut Map<String, Value>,
        mut budget: Budget,
    ) -> bool {
        let ty = type_of(entity, &self.target.declared).to_owned();
        for expand in expands {
            let Some(navigation) = self.schema.navigation(&ty, &expand.navigation) else {
                continue;
            };
            let mut address = self.target.address.clone();
            if matches!(self.target.kind, Kind::Collection | Kind::Member { .. }) {
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
}

/// An entity as answered: `@odata.etag` first, then its (projected) properties. `$select`
/// never removes it.
pub(crate) fn with_etag(version: u64, entity: Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("@odata.etag".into(), Value::String(etag(version)));
    out.extend(entity);
    out
}

/// A singleton's or single-valued navigation's state before anything is written to it.
pub(crate) fn initial_single(target: &Target) -> Map<String, Value> {
    let name = target.address.last().map_or("", String::as_str);
    initial(&target.declared, name)
}

fn initial(ty: &str, name: &str) -> Map<String, Value> {
    let mut entity = Map::new();
    entity.insert("@odata.type".into(), Value::String(format!("#{ty}")));
    entity.insert("id".into(), Value::String(name.to_owned()));
    entity
}

/// The entities of a collection path (`/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses`,
/// segments percent-encoded), in creation order; `None` when the path is not a collection of
/// v1.0 or a parent does not exist.
pub(crate) fn entities(state: &AppState, path: &str) -> Option<Vec<Value>> {
    let schema = state.schema("v1.0")?;
    let target = routing::resolve(schema, &routing::segments(path)).ok()?;
    if target.kind != Kind::Collection {
        return None;
    }
    let store = lock(&state.store);
    if target.parents.iter().any(|p| !store.contains(&p.collection, &p.key)) {
        return None;
    }
    let fits = |e: &Map<String, Value>| {
        target
            .cast
            .as_deref()
            .is_none_or(|c| schema.is_derived_from(type_of(e, &target.declared), c))
    };
    Some(
        store
            .list(&target.address)
            .into_iter()
            .filter(|e| fits(e.body))
            .map(|e| Value::Object(e.body.clone()))
            .collect(),
    )
}

/// Whether `ty` names an entity type of the schema.
pub(crate) fn is_entity(schema: &Schema, ty: &str) -> bool {
    schema.get(ty).is_some_and(|t| t.kind == TypeKind::Entity)
}
