//! Writes, as functions of a [`Request`]: `POST` to a collection, `PATCH` of an entity (a
//! merge), `DELETE` of an entity and what it contains; each validated against the metadata and
//! held to its restrictions.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};

use crate::edm::{mark_types, now_date_time_offset, type_name};
use crate::faults::drop_connection;
use crate::lock::lock;
use crate::precondition;
use crate::request::{Request, initial_single, is_entity, key_name, type_of, with_etag};
use crate::respond::{
    Answer, bad_request, graph_error, invalid, json_response, no_content, not_allowed,
    not_implemented,
};
use crate::routing::Kind;
use crate::store::{Refused, Store, etag};
use crate::validate::{Problem, Validation, validate};

/// Areas whose services refuse a create without every non-nullable property (Intune's), as the
/// emulator always has for the seed; elsewhere a missing non-nullable property gets its type's
/// zero value, as Graph fills in defaults.
const STRICT: &[&str] = &["deviceAppManagement", "deviceManagement"];
/// Set by the service on create whatever the body says (when the type has them).
const SERVER_SET: &[&str] = &["createdDateTime", "lastModifiedDateTime", "version"];
/// Properties Graph requires on create although the metadata lets them be null, by path shape.
const REQUIRED: &[(&[&str], &[&str])] = &[
    (&["groups"], &["displayName", "mailEnabled", "mailNickname", "securityEnabled"]),
    (
        &["users"],
        &["accountEnabled", "displayName", "mailNickname", "passwordProfile", "userPrincipalName"],
    ),
    (&["applications"], &["displayName"]),
    (&["servicePrincipals"], &["appId"]),
    (&["users", "todo", "lists"], &["displayName"]),
    (&["users", "todo", "lists", "tasks"], &["title"]),
];

fn parse_body(request: &Request<'_>) -> Result<Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(request.body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(bad_request(request.ids, "The request body must be a JSON object.".into())),
        Err(e) => {
            Err(bad_request(request.ids, format!("The request body is not valid JSON: {e}.")))
        }
    }
}

pub(crate) fn refused(request: &Request<'_>, refusal: Refused, key: &str) -> Response {
    match refusal {
        Refused::Full { entities, bytes } => graph_error(
            request.ids,
            StatusCode::BAD_REQUEST,
            "Directory_QuotaExceeded",
            format!(
                "The directory object quota limit for the Tenant has been exceeded. Please ask your administrator to increase the quota limit or delete objects to reduce the used quota. (The emulator stores at most {entities} entities and {bytes} bytes.)"
            ),
            &[],
        ),
        Refused::Conflict => graph_error(
            request.ids,
            StatusCode::CONFLICT,
            "Conflict",
            format!("Another object with the same value for property id ('{key}') already exists."),
            &[],
        ),
        Refused::Missing => request.not_found(&request.target.declared, key),
    }
}

/// `If-Match` against the current etag of the entity the target addresses (which exists):
/// `412` when it does not hold, or when Planner requires it and it is absent.
fn check_precondition(request: &Request<'_>, store: &Store, key: &str) -> Result<(), Response> {
    let current = etag(request.entity_version(store, key));
    let required = precondition::required(&request.target.declared);
    precondition::check(request.headers, &current, required)
        .map_err(|failed| precondition::failed(request.ids, failed))
}

/// Navigation properties in a body would be a deep insert or update: not served.
fn no_navigation(
    request: &Request<'_>,
    ty: &str,
    fields: &Map<String, Value>,
) -> Result<(), Response> {
    match fields.keys().find(|name| request.schema.navigation(ty, name).is_some()) {
        Some(name) => Err(not_implemented(
            request.ids,
            format!(
                "'{name}' is a navigation property: deep inserts and updates are not served by the emulator; write it through its own path."
            ),
        )),
        None => Ok(()),
    }
}

/// Graph's `405` when the metadata's restriction (`restriction`, such as
/// `InsertRestrictions/Insertable`) forbids what the request does (`doing`, such as `Creating
/// in`).
fn allowed(
    request: &Request<'_>,
    allowed: bool,
    doing: &str,
    restriction: &str,
) -> Result<(), Response> {
    if allowed {
        return Ok(());
    }
    Err(not_allowed(
        request.ids,
        format!(
            "{doing} '{}' is not allowed: the metadata restricts it ({restriction} is false).",
            request.target.context
        ),
    ))
}

pub(crate) fn create(request: &Request<'_>) -> Answer {
    let target = request.target;
    allowed(
        request,
        target.restrictions.insertable,
        "Creating in",
        "InsertRestrictions/Insertable",
    )?;
    request.parents_exist(&lock(&request.state.store))?;
    let fields = parse_body(request)?;
    let declared = target.ty();
    let named = match fields.get("@odata.type") {
        Some(Value::String(named)) => Some(type_name(named)),
        _ => None,
    };
    let instance = named
        .filter(|named| {
            is_entity(request.schema, named) && request.schema.is_derived_from(named, declared)
        })
        .and_then(|named| request.schema.get(named))
        .map_or(declared, |t| t.name.as_str());
    let properties = request.schema.properties(instance);
    // Beta's non-nullable properties are not required: its reconstruction takes most
    // nullability from the SDK's typings, which say a value is never `null`, not that a create
    // must carry it (Graph fills many, such as booleans, itself).
    let strict = request.version == "v1.0"
        && target.shape.first().is_some_and(|root| STRICT.contains(&root.as_str()));
    let assigned: Vec<&str> = properties
        .iter()
        .filter(|p| !strict || p.computed || SERVER_SET.contains(&p.name.as_str()))
        .map(|p| p.name.as_str())
        .collect();
    let body = Value::Object(fields);
    let mut problems = validate(request.schema, declared, &body, Validation::create(&assigned));
    let Value::Object(fields) = body else { return Err(invalid(request.ids, &problems)) };
    problems.extend(required(request, &fields));
    if !problems.is_empty() {
        return Err(invalid(request.ids, &problems));
    }
    no_navigation(request, instance, &fields)?;
    let key_property = key_name(request.schema, instance).to_owned();
    let key = match fields.get(&key_property) {
        Some(Value::String(key)) if !key.is_empty() => key.clone(),
        None | Some(Value::Null) => uuid::Uuid::new_v4().to_string(),
        Some(_) => {
            return Err(bad_request(
                request.ids,
                format!("The key property '{key_property}' must be a non-empty string."),
            ));
        }
    };
    // The stored entity: the type, the key, then the properties as sent, then what the
    // service sets.
    let mut entity = Map::new();
    entity.insert("@odata.type".into(), Value::String(format!("#{instance}")));
    entity.insert(key_property.clone(), Value::String(key.clone()));
    for (name, mut value) in fields {
        if name != key_property && !name.contains('@') {
            mark_types(&mut value);
            entity.insert(name, value);
        }
    }
    let now = Value::String(now_date_time_offset());
    for property in &properties {
        let name = property.name.as_str();
        let timestamp = property.ty.name == "Edm.DateTimeOffset" && !property.ty.collection;
        if timestamp && (name == "createdDateTime" || name == "lastModifiedDateTime") {
            entity.insert(name.to_owned(), now.clone());
        } else if name == "version" && property.ty.name == "Edm.Int32" {
            entity.entry(name).or_insert(Value::from(1));
        } else if !property.nullable && !entity.contains_key(name) {
            entity.insert(name.to_owned(), crate::edm::zero(request.schema, &property.ty));
        }
    }
    let version = {
        let mut store = lock(&request.state.store);
        request.parents_exist(&store)?;
        store
            .insert(target.address.clone(), key.clone(), entity.clone())
            .map_err(|r| refused(request, r, &key))?
    };
    // Creations under a parent entity (user statuses …) may lose their answer; the
    // collections they hang off are created reliably.
    if !target.parents.is_empty() && request.state.faults.drop_after_store() {
        drop_connection();
    }
    let mut response = Map::new();
    response
        .insert("@odata.context".into(), request.context(&format!("{}/$entity", target.context)));
    response.extend(with_etag(version, entity));
    Ok(json_response(StatusCode::CREATED, &Value::Object(response)))
}

/// What Graph requires on create beyond the metadata's non-nullable properties.
fn required(request: &Request<'_>, fields: &Map<String, Value>) -> Vec<Problem> {
    let shape: Vec<&str> = request.target.shape.iter().map(String::as_str).collect();
    let Some((_, names)) = REQUIRED.iter().find(|(s, _)| *s == shape.as_slice()) else {
        return Vec::new();
    };
    let short = request.target.declared.rsplit('.').next().unwrap_or_default();
    names
        .iter()
        .filter(|name| fields.get(**name).is_none_or(Value::is_null))
        .map(|name| Problem {
            code: "MissingProperty",
            target: (*name).to_owned(),
            message: format!("Invalid value specified for property '{name}' of resource '{short}': it is required."),
        })
        .collect()
}

pub(crate) fn update(request: &Request<'_>) -> Answer {
    let target = request.target;
    allowed(request, target.restrictions.updatable, "Updating", "UpdateRestrictions/Updatable")?;
    // Parsed outside the lock; a body that is not JSON is answered after the precondition,
    // which is evaluated before the content is acted on (RFC 9110 §13.2.1).
    let fields = parse_body(request);
    let mut store = lock(&request.state.store);
    let (key, entity) = request.entity(&store)?;
    check_precondition(request, &store, &key)?;
    let fields = fields?;
    let ty = type_of(&entity, target.ty()).to_owned();
    let body = Value::Object(fields);
    let mut problems = validate(request.schema, &ty, &body, Validation::update());
    let Value::Object(fields) = body else { return Err(invalid(request.ids, &problems)) };
    let key_property = key_name(request.schema, &ty);
    if let Some(sent) = fields.get(key_property)
        && entity.get(key_property) != Some(sent)
    {
        problems.push(Problem {
            code: "InvalidProperty",
            target: key_property.to_owned(),
            message: format!("The key property '{key_property}' cannot be changed."),
        });
    }
    if !problems.is_empty() {
        return Err(invalid(request.ids, &problems));
    }
    no_navigation(request, &ty, &fields)?;
    let modified = request
        .schema
        .property(&ty, "lastModifiedDateTime")
        .is_some_and(|p| p.ty.name == "Edm.DateTimeOffset")
        .then(now_date_time_offset);
    // Computed properties given are ignored, as OData requires (Part 1, 11.4.3).
    let computed = |name: &str| request.schema.property(&ty, name).is_some_and(|p| p.computed);
    let change = |entity: &mut Map<String, Value>| {
        for (name, mut value) in fields {
            if !name.contains('@') && !computed(&name) {
                mark_types(&mut value);
                entity.insert(name, value);
            }
        }
        if let Some(now) = modified {
            entity.insert("lastModifiedDateTime".into(), Value::String(now));
        }
    };
    let result = match &target.kind {
        Kind::Member { .. } => store.update(&target.address, &key, change),
        _ => store.update_single(target.address.clone(), initial_single(target), change),
    };
    result.map_err(|r| refused(request, r, &key))?;
    Ok(no_content())
}

pub(crate) fn delete(request: &Request<'_>) -> Answer {
    let target = request.target;
    allowed(
        request,
        target.restrictions.deletable,
        "Deleting from",
        "DeleteRestrictions/Deletable",
    )?;
    let mut store = lock(&request.state.store);
    let (key, _) = request.entity(&store)?;
    check_precondition(request, &store, &key)?;
    if !store.remove(&target.address, &key) {
        return Err(request.not_found(&target.declared, &key));
    }
    Ok(no_content())
}
