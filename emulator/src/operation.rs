//! Actions and functions, as functions of a [`Request`]: every bound operation of the metadata
//! answers. The method must be the operation's (`POST` for an action, `GET` for a function),
//! the binding entity must exist, and the parameters are validated against the metadata
//! ([`validate_parameters`]); then the answer has the declared shape: `204` without a result,
//! else `200` with a value of the result's type (a stream's bytes for `Edm.Stream`).
//!
//! Some do what Graph does, observably through the other routes:
//! - `assign` replaces the binding entity's `assignments` with those it is given;
//! - `delta` on a collection reads its changes ([`crate::delta`]);
//! - an action on an entity with `deviceActionResults` (a managed device's `syncDevice`,
//!   `rebootNow`, `remoteLock`, `retire`, `wipe` …) records a `deviceActionResult`, `pending`
//!   until the device is next read, then `done`; `syncDevice` sets `lastSyncDateTime`.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use graph_entity_schema::{Clouds, OperationDef, OperationKind, Schema, TypeKind, TypeRef};
use serde_json::{Map, Value};

use crate::edm::{now_date_time_offset, zero};
use crate::filter::{Tok, lex};
use crate::lock::lock;
use crate::request::{Request, key_name, type_of};
use crate::respond::{Answer, bad_request, invalid, json_response, no_content, not_allowed};
use crate::routing::{Kind, Target};
use crate::store::{Refused, Store};
use crate::validate::validate_parameters;
use crate::write::refused;

/// The navigation `assign` replaces.
const ASSIGNMENTS: &str = "assignments";
/// The property device actions record their results in.
const DEVICE_ACTION_RESULTS: &str = "deviceActionResults";
/// How deep a result's sample value fills complex values.
const SAMPLE_DEPTH: usize = 4;

pub(crate) fn invoke(request: &Request<'_>, method: &str) -> Answer {
    let target = request.target;
    let Kind::Operation { key, on_collection, name, call } = &target.kind else {
        return Err(bad_request(request.ids, "Not an operation.".into()));
    };
    let schema = request.schema;
    let parameters = match call.as_deref() {
        Some(call) if !call.is_empty() => Some(
            function_parameters(call)
                .and_then(|(mut parameters, aliases)| {
                    resolve_aliases(&mut parameters, &aliases, request.uri.query())?;
                    Ok(parameters)
                })
                .map_err(|message| {
                    bad_request(
                        request.ids,
                        format!("The parameters in '{call}' are not valid: {message}."),
                    )
                })?,
        ),
        _ => None,
    };
    let Some(operation) = overload(schema, target.ty(), *on_collection, name, parameters.as_ref())
    else {
        return Err(bad_request(
            request.ids,
            format!("No overload of '{name}' takes the parameters given."),
        ));
    };
    let short = operation.short_name();
    let (expected, what) = match operation.kind {
        OperationKind::Action => ("POST", "an action"),
        OperationKind::Function => ("GET", "a function"),
    };
    if method != expected {
        return Err(not_allowed(
            request.ids,
            format!("'{short}' is {what}: invoke it with {expected}, not {method}."),
        ));
    }
    binding_exists(request, key.as_deref())?;
    let arguments = match operation.kind {
        OperationKind::Action if request.body.iter().all(u8::is_ascii_whitespace) => Value::Null,
        OperationKind::Action => serde_json::from_slice::<Value>(request.body).map_err(|e| {
            bad_request(request.ids, format!("The request body is not valid JSON: {e}."))
        })?,
        OperationKind::Function => Value::Object(parameters.unwrap_or_default()),
    };
    let problems = validate_parameters(schema, operation, &arguments);
    if !problems.is_empty() {
        return Err(invalid(request.ids, &problems));
    }
    // A collection's changes, from the store's versions.
    if *on_collection && schema.delta(target.ty()).is_some_and(|d| std::ptr::eq(d, operation)) {
        return crate::delta::answer(request);
    }
    let acted = match key {
        Some(key) => act(request, operation, key, &arguments)?,
        None => None,
    };
    Ok(result(request, operation, acted))
}

/// The operation of that name bound there whose parameters are those given (a function may be
/// overloaded); an action's, or a function's without parameters given, is the first.
fn overload<'s>(
    schema: &'s Schema,
    ty: &str,
    on_collection: bool,
    name: &str,
    given: Option<&Map<String, Value>>,
) -> Option<&'s OperationDef> {
    let candidates: Vec<&OperationDef> =
        schema.bound_operations(ty, on_collection).into_iter().filter(|o| o.name == name).collect();
    match given {
        None => candidates.into_iter().min_by_key(|o| o.required(Clouds::GLOBAL).count()),
        Some(given) => candidates.into_iter().find(|o| {
            given.keys().all(|k| o.parameters.iter().any(|p| &p.name == k))
                && o.required(Clouds::GLOBAL).all(|p| given.contains_key(&p.name))
        }),
    }
}

/// Graph's `404` when the binding entity (or a parent on the way) does not exist.
fn binding_exists(request: &Request<'_>, key: Option<&str>) -> Result<(), Response> {
    let store = lock(&request.state.store);
    request.parents_exist(&store)?;
    if let Some(key) = key {
        let found = store.get(&request.target.address, key).filter(|e| request.fits_cast(e));
        if found.is_none() {
            return Err(request.not_found(&request.target.declared, key));
        }
    }
    Ok(())
}

/// What the action does to the binding entity `key`, beyond answering; the result's value when
/// it is what the action made (the assignments `assign` stored, where it returns them).
fn act(
    request: &Request<'_>,
    operation: &OperationDef,
    key: &str,
    arguments: &Value,
) -> Result<Option<Value>, Response> {
    let schema = request.schema;
    let mut answer = None;
    let target = request.target;
    let ty = {
        let store = lock(&request.state.store);
        let entity = store.get(&target.address, key);
        entity.map_or(target.ty().to_owned(), |e| type_of(e, target.ty()).to_owned())
    };
    if operation.short_name() == "assign" {
        if let Some((navigation, items)) = assignments(schema, &ty, operation, arguments) {
            let mut store = lock(&request.state.store);
            let mut collection = target.address.clone();
            collection.extend([key.to_owned(), navigation.to_owned()]);
            replace(schema, &mut store, collection.clone(), items)
                .map_err(|r| refused(request, r, key))?;
            // Beta's `assign` of Settings Catalog returns the assignments it made.
            let returned = operation.returns.as_ref().is_some_and(|r| {
                r.collection
                    && schema
                        .navigation(&ty, navigation)
                        .is_some_and(|n| schema.is_derived_from(&n.ty.name, &r.name))
            });
            if returned {
                let stored =
                    store.list(&collection).iter().map(|l| Value::Object(l.body.clone())).collect();
                answer = Some(Value::Array(stored));
            }
        }
    }
    if schema.property(&ty, DEVICE_ACTION_RESULTS).is_some()
        && operation.kind == OperationKind::Action
    {
        let now = Value::String(now_date_time_offset());
        let record = serde_json::json!({
            "actionName": operation.short_name(),
            "actionState": "pending",
            "startDateTime": now,
            "lastUpdatedDateTime": now,
        });
        let sync = operation.short_name() == "syncDevice"
            && schema.property(&ty, "lastSyncDateTime").is_some();
        let mut store = lock(&request.state.store);
        store
            .update(&target.address, key, |device| {
                let results =
                    device.entry(DEVICE_ACTION_RESULTS).or_insert_with(|| Value::Array(Vec::new()));
                if !results.is_array() {
                    *results = Value::Array(Vec::new());
                }
                if let Value::Array(results) = results {
                    results.push(record);
                }
                if sync {
                    device.insert("lastSyncDateTime".into(), now);
                }
            })
            .map_err(|r| refused(request, r, key))?;
    }
    Ok(answer)
}

/// For `assign` on a type with an `assignments` collection: the navigation's name and the items
/// of the parameter that holds its entities.
fn assignments<'v>(
    schema: &Schema,
    ty: &str,
    operation: &OperationDef,
    arguments: &'v Value,
) -> Option<(&'static str, &'v [Value])> {
    let navigation = schema.navigation(ty, ASSIGNMENTS).filter(|n| n.contains_target)?;
    let parameter = operation.parameters.iter().find(|p| {
        p.ty.collection
            && (schema.is_derived_from(&p.ty.name, &navigation.ty.name)
                || schema.is_derived_from(&navigation.ty.name, &p.ty.name))
    })?;
    let items = arguments.get(&parameter.name)?.as_array()?;
    Some((ASSIGNMENTS, items.as_slice()))
}

/// Replaces every entity of `collection` with `items`, each with its `@odata.type` and a key
/// (the one given, or a new one).
fn replace(
    schema: &Schema,
    store: &mut Store,
    collection: Vec<String>,
    items: &[Value],
) -> Result<(), Refused> {
    let existing: Vec<String> = store.list(&collection).iter().map(|l| l.key.to_owned()).collect();
    for key in existing {
        store.remove(&collection, &key);
    }
    for item in items {
        let Value::Object(fields) = item else { continue };
        let declared = fields.get("@odata.type").and_then(Value::as_str).map(crate::edm::type_name);
        let key_property = declared.map_or("id", |ty| key_name(schema, ty)).to_owned();
        let key = match fields.get(&key_property) {
            Some(Value::String(key)) if !key.is_empty() => key.clone(),
            _ => uuid::Uuid::new_v4().to_string(),
        };
        let mut entity = Map::new();
        if let Some(ty) = declared {
            entity.insert("@odata.type".into(), Value::String(format!("#{ty}")));
        }
        entity.insert(key_property.clone(), Value::String(key.clone()));
        for (name, value) in fields {
            if name != &key_property && !name.contains('@') {
                entity.insert(name.clone(), value.clone());
            }
        }
        store.insert(collection.clone(), key, entity)?;
    }
    Ok(())
}

/// The answer: `204` without a result, the bytes of a stream, else what the action made or the
/// result's type's sample value (the body for an entity, `value` otherwise).
fn result(request: &Request<'_>, operation: &OperationDef, acted: Option<Value>) -> Response {
    let Some(ty) = &operation.returns else { return no_content() };
    if ty.name == "Edm.Stream" && !ty.collection {
        let body = format!("{} report from the graph-entity emulator\n", operation.short_name());
        return (StatusCode::OK, [(header::CONTENT_TYPE, "application/octet-stream")], body)
            .into_response();
    }
    let schema = request.schema;
    let context = request.context(&match schema.get(&ty.name) {
        _ if ty.collection => format!("Collection({})", ty.name),
        _ => ty.name.clone(),
    });
    let is_entity = schema.get(&ty.name).is_some_and(|t| t.kind == TypeKind::Entity);
    let mut body = Map::new();
    body.insert("@odata.context".into(), context);
    match acted.unwrap_or_else(|| sample(schema, ty, SAMPLE_DEPTH)) {
        Value::Object(entity) if is_entity && !ty.collection => body.extend(entity),
        value => {
            body.insert("value".into(), value);
        }
    }
    json_response(StatusCode::OK, &Value::Object(body))
}

/// A value of `ty`: an empty collection, a primitive's zero, a complex or entity value with its
/// `@odata.type` and its non-nullable properties (a concrete type for an abstract one).
fn sample(schema: &Schema, ty: &TypeRef, depth: usize) -> Value {
    if ty.collection {
        return Value::Array(Vec::new());
    }
    let Some(def) = schema.get(&ty.name).filter(|t| t.kind != TypeKind::Enum) else {
        return zero(schema, ty);
    };
    if def.name == graph_entity_schema::ANY_JSON {
        return Value::Null;
    }
    let concrete = schema.concrete(&def.name).into_iter().next().unwrap_or(def);
    let mut object = Map::new();
    object.insert("@odata.type".into(), Value::String(format!("#{}", concrete.name)));
    for property in schema.properties(&concrete.name) {
        if property.nullable {
            continue;
        }
        let value = match schema.get(&property.ty.name) {
            Some(t) if t.kind != TypeKind::Enum && depth > 0 && !property.ty.collection => {
                sample(schema, &property.ty, depth - 1)
            }
            _ if property.name == "id" => Value::String(uuid::Uuid::new_v4().to_string()),
            _ => zero(schema, &property.ty),
        };
        object.insert(property.name.clone(), value);
    }
    Value::Object(object)
}

/// A function's parameters as written in its segment: `a='x',b=2,c=true,d=@p1`, each an OData
/// literal, read by the `$filter` lexer (a string in single quotes, `''` for a quote; a number,
/// `true`, `false`, `null`; a GUID, a date or an enum member as written; `duration'…'`,
/// `binary'…'`) or a parameter alias. Read as JSON values for validation; the aliases apart,
/// (parameter, alias).
fn function_parameters(call: &str) -> Result<(Map<String, Value>, Aliases), String> {
    let tokens = lex(call).map_err(|e| e.into_answer().2)?;
    let mut out = Map::new();
    let mut aliases = Vec::new();
    let mut tokens = tokens.into_iter().map(|t| t.tok).peekable();
    while let Some(tok) = tokens.next() {
        let Tok::Word(name) = tok else {
            return Err(format!("a parameter's name is expected, not `{tok:?}`"));
        };
        if tokens.next() != Some(Tok::Equals) {
            return Err(format!("`{name}` is not followed by `=`"));
        }
        let value = match tokens.next() {
            Some(Tok::Str(text) | Tok::Typed(_, text)) => Value::String(text),
            Some(Tok::Raw(raw)) => serde_json::from_str::<serde_json::Number>(&raw)
                .map_or(Value::String(raw), Value::Number),
            Some(Tok::Word(word)) => match word.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                _ => {
                    if word.starts_with('@') {
                        aliases.push((name.clone(), word.clone()));
                    }
                    Value::String(word)
                }
            },
            other => return Err(format!("`{name}` has no value (`{other:?}`)")),
        };
        if out.insert(name.clone(), value).is_some() {
            return Err(format!("`{name}` is given twice"));
        }
        match tokens.next() {
            None => break,
            Some(Tok::Comma) => {}
            Some(other) => return Err(format!("`{other:?}` follows the value of `{name}`")),
        }
    }
    Ok((out, aliases))
}

/// The parameters written as aliases: (parameter, alias).
type Aliases = Vec<(String, String)>;

/// Replaces each alias (`@p1`) with its value from the query string, where it is JSON
/// (`?@p1=["a","b"]`), percent-decoded.
fn resolve_aliases(
    parameters: &mut Map<String, Value>,
    aliases: &[(String, String)],
    query: Option<&str>,
) -> Result<(), String> {
    for (parameter, alias) in aliases {
        let written = query
            .unwrap_or_default()
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| {
                percent_encoding::percent_decode_str(name).decode_utf8_lossy() == alias.as_str()
            })
            .map(|(_, value)| percent_encoding::percent_decode_str(value).decode_utf8_lossy())
            .ok_or_else(|| {
                format!("the alias `{alias}` of `{parameter}` has no value in the query string")
            })?;
        let value: Value = serde_json::from_str(&written)
            .map_err(|e| format!("the value of `{alias}` is not JSON: {e}"))?;
        parameters.insert(parameter.clone(), value);
    }
    Ok(())
}

/// Completes the actions recorded on the entity a read just answered: `pending` becomes
/// `done`, so that the read after shows them finished.
pub(crate) fn settle(store: &mut Store, target: &Target, key: &str) {
    let pending = store.get(&target.address, key).is_some_and(|device| {
        device.get(DEVICE_ACTION_RESULTS).and_then(Value::as_array).is_some_and(|results| {
            results.iter().any(|r| r.get("actionState") == Some(&Value::from("pending")))
        })
    });
    if !pending {
        return;
    }
    let now = Value::String(now_date_time_offset());
    // A store that is full keeps them pending: nothing else changes.
    let _ = store.update(&target.address, key, |device| {
        if let Some(Value::Array(results)) = device.get_mut(DEVICE_ACTION_RESULTS) {
            for result in results {
                if result.get("actionState") == Some(&Value::from("pending")) {
                    result["actionState"] = Value::from("done");
                    result["lastUpdatedDateTime"] = now.clone();
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn function_parameters_are_read_as_odata_literals() {
        let (p, aliases) =
            function_parameters("period='D7',top=5,ok=true,none=null,q='it''s, fine'").unwrap();
        assert!(aliases.is_empty());
        assert_eq!(p["period"], "D7");
        assert_eq!(p["top"], 5);
        assert_eq!(p["ok"], true);
        assert!(p["none"].is_null());
        assert_eq!(p["q"], "it's, fine");
        let (p, _) = function_parameters(
            "date=2026-12-01, id=3f2504e0-4f89-11d3-9a0c-0305e82c3301, d=duration'PT1H'",
        )
        .unwrap();
        assert_eq!(p["date"], "2026-12-01");
        assert_eq!(p["d"], "PT1H");
        let (mut p, aliases) = function_parameters("ids=@p1,n=2").unwrap();
        assert_eq!(aliases, [("ids".to_owned(), "@p1".to_owned())]);
        resolve_aliases(&mut p, &aliases, Some("@p1=%5B%22a%22%2C%22b%22%5D")).unwrap();
        assert_eq!(p["ids"], serde_json::json!(["a", "b"]));
        assert!(resolve_aliases(&mut p, &aliases, None).is_err());
        for bad in ["x", "='a'", "a='open", "a='x' b=1", "a=1,a=2"] {
            assert!(function_parameters(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn samples_have_the_declared_shape() {
        let schema = Schema::v1();
        let result = sample(
            schema,
            &TypeRef { name: "microsoft.graph.deviceActionResult".into(), collection: false },
            SAMPLE_DEPTH,
        );
        assert_eq!(result["@odata.type"], "#microsoft.graph.deviceActionResult");
        let list = sample(schema, &TypeRef { name: "Edm.String".into(), collection: true }, 1);
        assert_eq!(list, Value::Array(Vec::new()));
    }
}
