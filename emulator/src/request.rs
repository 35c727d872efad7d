//! One request being served ([`Request`]): what the frame and the routing found out about it,
//! and what every handler asks of it (its context URL, its query options, the entity it
//! addresses and the parents on the way, Graph's `404`). The reads ([`crate::read`]) and the
//! writes ([`crate::write`]) are functions of it; they do not add to it.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use graph_entity_schema::{Schema, TypeKind};
use serde_json::{Map, Value};

use crate::bounded::Budget;
use crate::edm;
use crate::filter::QueryError;
use crate::query::{self, Query, Use};
use crate::respond::{Ids, graph_error};
use crate::routing::{Kind, Target};
use crate::special::DIRECTORY_OBJECT;
use crate::state::AppState;
use crate::store::{Store, etag};

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
        Some(Value::String(ty)) => edm::type_name(ty),
        _ => declared,
    }
}

/// Everything but unreserved characters is escaped in path segments written into links.
const SEGMENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
/// Query option values in links keep OData's punctuation readable.
const VALUE: &percent_encoding::AsciiSet =
    &SEGMENT.remove(b'\'').remove(b'(').remove(b')').remove(b',').remove(b':').remove(b'/');

impl Request<'_> {
    /// A link to more of what the request reads: its path, as sent, and the options a next
    /// link carries on, ready for the link's own options (`…/users?$select=id&`).
    pub(crate) fn next_link_base(&self, query: &Query) -> String {
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
        link
    }

    pub(crate) fn context(&self, fragment: &str) -> Value {
        Value::String(format!("{}/{}/$metadata#{fragment}", self.root, self.version))
    }

    pub(crate) fn query(&self, use_: Use) -> Result<Query, Response> {
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
    pub(crate) fn fits_cast(&self, entity: &Map<String, Value>) -> bool {
        fits_cast(self.schema, self.target, entity)
    }

    /// A singleton or single-valued navigation as it stands: what was written to it, or its
    /// initial state.
    pub(crate) fn single(&self, store: &Store) -> Map<String, Value> {
        store.single(&self.target.address).cloned().unwrap_or_else(|| initial_single(self.target))
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
}

pub(crate) fn query_error(ids: &Ids, error: QueryError) -> Response {
    let (status, code, message) = error.into_answer();
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    graph_error(ids, status, code, message, &[])
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

pub(crate) fn initial(ty: &str, name: &str) -> Map<String, Value> {
    let mut entity = Map::new();
    entity.insert("@odata.type".into(), Value::String(format!("#{ty}")));
    entity.insert("id".into(), Value::String(name.to_owned()));
    entity
}

/// Whether an entity is of the type a target's cast segment names (if it has one).
pub(crate) fn fits_cast(schema: &Schema, target: &Target, entity: &Map<String, Value>) -> bool {
    target
        .cast
        .as_deref()
        .is_none_or(|cast| schema.is_derived_from(type_of(entity, &target.declared), cast))
}

/// Whether `ty` names an entity type of the schema.
pub(crate) fn is_entity(schema: &Schema, ty: &str) -> bool {
    schema.get(ty).is_some_and(|t| t.kind == TypeKind::Entity)
}
