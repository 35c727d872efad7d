//! Checks of a `#[graph_action]` or `#[graph_function]` against Microsoft's metadata: the path
//! ends in an action (a function) bound to what the rest of it addresses, every field is a
//! parameter of a fitting Rust type (an `Option` exactly where the parameter may be left out),
//! every parameter it requires is declared, and the result is declared exactly when the
//! metadata has one, of a fitting type. A function may be overloaded: the overload is the one
//! whose parameters the fields name.

use graph_entity_schema::naming::{to_lower_camel_case, to_snake_case};
use graph_entity_schema::permissions::Operation;
use graph_entity_schema::{
    Clouds, Inferred, OperationDef, OperationKind, ParameterDef, PropertyDef, Schema, TypeKind,
    TypeRef, suggest,
};
use proc_macro2::Span;
use syn::{DeriveInput, LitStr, Type};

use super::{availability_by, expected, needs, short, sort_field, type_mismatch, vec_element};
use crate::ctxt::Ctxt;
use crate::model::{
    CheckedAction, Expected, Field, ParameterWrite, ResultKind, TypeCheck, option_inner,
};

#[allow(clippy::too_many_arguments)]
pub(super) fn action<'a>(
    cx: &mut Ctxt,
    metadata: &super::Published,
    function: bool,
    path: &LitStr,
    returns: Option<&'a Type>,
    required_clouds: &[(Clouds, Span)],
    input: &DeriveInput,
    fields: &[Field<'a>],
) -> Option<CheckedAction<'a>> {
    let schema = metadata.schema();
    let written = path.value();
    let resolved = match schema.resolve_operation(&written) {
        Ok(resolved) => resolved,
        Err(problem) => {
            let beta = metadata.beta_hint(|beta| beta.resolve_operation(&written).is_ok());
            cx.error_spanned_by(path, format!("{problem}{beta}"));
            return None;
        }
    };
    // The clouds the declaration is for: those `clouds(...)` lists, else the global service's.
    let target = required_clouds.iter().fold(Clouds::NONE, |all, (cloud, _)| all.union(*cloud));
    let target = if target.is_empty() { Clouds::GLOBAL } else { target };
    let operation = overload(&resolved.overloads, fields, target);
    match (operation.kind, function) {
        (OperationKind::Function, false) => {
            cx.error_spanned_by(
                path,
                format!(
                    "`{}` is a function (invoked with `GET`, it changes nothing), not an action: declare it with `#[graph_function]`",
                    operation.short_name()
                ),
            );
            return None;
        }
        (OperationKind::Action, true) => {
            cx.error_spanned_by(
                path,
                format!(
                    "`{}` is an action (invoked with `POST`), not a function: declare it with `#[graph_action]`",
                    operation.short_name()
                ),
            );
            return None;
        }
        _ => {}
    }
    let mut writes = Vec::new();
    let mut enum_fields = Vec::new();
    let mut complex_fields = Vec::new();
    let mut type_checks = Vec::new();
    for field in fields.iter().filter(|f| f.is_property()) {
        let Some(parameter) = operation.parameters.iter().find(|p| p.name == field.json) else {
            unknown_parameter(cx, operation, field);
            continue;
        };
        let literal = !parameter.ty.collection
            && (parameter.ty.is_primitive()
                || schema.get(&parameter.ty.name).is_some_and(|t| t.kind == TypeKind::Enum));
        writes.push(ParameterWrite {
            field: field.ident,
            name: parameter.name.clone(),
            literal,
            option: option_inner(field.ty).is_some(),
            optional: parameter.optional,
        });
        if let Some(found) = check_parameter(cx, schema, operation, parameter, field) {
            let what = format!("parameter `{}`", parameter.name);
            match found {
                (name, TypeKind::Entity, collection) => {
                    let rust = option_inner(field.ty).unwrap_or(field.ty);
                    let element = if collection { vec_element(rust).unwrap_or(rust) } else { rust };
                    type_checks.push(entity_check(schema, element, what, &name));
                }
                found => sort_field(field, found, &mut enum_fields, &mut complex_fields),
            }
        }
    }
    let missing: Vec<&ParameterDef> = operation
        .required(target)
        .filter(|p| !fields.iter().any(|f| f.is_property() && f.json == p.name))
        .collect();
    for parameter in missing {
        let field = to_snake_case(&parameter.name);
        let rename = if to_lower_camel_case(&field) == parameter.name {
            String::new()
        } else {
            format!("#[graph(rename = \"{}\")] ", parameter.name)
        };
        cx.error_spanned_by(
            &input.ident,
            format!(
                "`{}` requires the parameter `{}` (`{}`): add the field `{rename}{field}: {}`",
                operation.short_name(),
                parameter.name,
                parameter.ty,
                rust_type_hint(schema, &parameter.ty)
            ),
        );
    }
    let result = check_result(cx, schema, path, operation, returns, &mut type_checks);
    // A composable function whose result is a collection of entities takes query options on
    // it: its element type is what they name.
    let entities = operation.returns.as_ref().is_some_and(|r| {
        r.collection && schema.get(&r.name).is_some_and(|t| t.kind == TypeKind::Entity)
    });
    let composable =
        (operation.kind == OperationKind::Function && operation.composable && entities)
            .then(|| returns.and_then(vec_element))
            .flatten();
    let segments = resolved.binding.as_ref().map_or(&[][..], |b| b.segments.as_slice());
    let availability = availability(segments, operation, fields);
    for &(cloud, span) in required_clouds {
        if let Some((_, missing)) = availability.1.iter().find(|(bit, _)| *bit == cloud.bits()) {
            cx.error_at(
                span,
                format!(
                    "{missing} does not exist in Microsoft Graph's metadata for `{}`, which `clouds(...)` requires",
                    cloud.names().next().unwrap_or_default()
                ),
            );
        }
    }
    // What the metadata only infers of the parameters declared and of the result, for the docs.
    let mut inferred: Vec<String> = fields
        .iter()
        .filter_map(|f| {
            let parameter = operation.parameters.iter().find(|p| p.name == f.json)?;
            super::inferred_phrase(&format!("`{}`", f.ident), parameter.inferred)
        })
        .collect();
    inferred.extend(super::inferred_phrase("the result", operation.returns_inferred));
    Some(CheckedAction {
        inferred,
        name: operation.name.clone(),
        composable,
        result: result?,
        enum_fields,
        complex_fields,
        type_checks,
        availability,
        // A function is a read: it counts against no write limit.
        throttling: graph_entity_schema::throttling::service_of_path(schema, &written)
            .filter(|_| !function)
            .map(|service| {
                (service.name, service.writes.per_app_per_tenant, service.window.as_secs())
            }),
        // An action is a `POST`, a function a `GET`, of the path as declared.
        permissions: if function { Operation::Call } else { Operation::Invoke }
            .request(&written, false, None)
            .map(|(method, path)| needs(method, &path))
            .unwrap_or_default(),
        writes,
    })
}

/// The overload the fields name: every field a parameter of it and every parameter it requires
/// declared; else the one whose parameters the most fields name (to report against).
fn overload<'s>(
    overloads: &[&'s OperationDef],
    fields: &[Field<'_>],
    clouds: Clouds,
) -> &'s OperationDef {
    let declared: Vec<&str> =
        fields.iter().filter(|f| f.is_property()).map(|f| f.json.as_str()).collect();
    let named = |o: &OperationDef| {
        declared.iter().filter(|d| o.parameters.iter().any(|p| p.name == **d)).count()
    };
    let fits = |o: &OperationDef| {
        named(o) == declared.len()
            && o.required(clouds).all(|p| declared.contains(&p.name.as_str()))
    };
    overloads
        .iter()
        .copied()
        .find(|o| fits(o))
        .or_else(|| overloads.iter().copied().max_by_key(|o| named(o)))
        .unwrap_or(overloads[0])
}

/// A field that names no parameter: the closest parameter's name, or the list of them.
fn unknown_parameter(cx: &mut Ctxt, operation: &OperationDef, field: &Field<'_>) {
    let names = operation.parameters.iter().map(|p| p.name.as_str());
    let message = match suggest(&field.json, names) {
        // `StartDateTime` is not what `start_date_time` becomes: name it with `rename`.
        Some(close) if to_lower_camel_case(&to_snake_case(close)) != close => format!(
            "`{}` has no parameter `{}`; did you mean `{close}`? Name it with `#[graph(rename = \"{close}\")]`",
            operation.short_name(),
            field.json,
        ),
        Some(close) => format!(
            "`{}` has no parameter `{}`; did you mean `{}`?",
            operation.short_name(),
            field.json,
            to_snake_case(close)
        ),
        None if operation.parameters.is_empty() => {
            format!("`{}` takes no parameters: remove `{}`", operation.short_name(), field.ident)
        }
        None => format!(
            "`{}` has no parameter `{}`; its parameters are {}",
            operation.short_name(),
            field.json,
            operation
                .parameters
                .iter()
                .map(|p| format!("`{}`", to_snake_case(&p.name)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    cx.error_spanned_by(field.ident, message);
}

/// Checks a parameter's field: an `Option` exactly where the parameter may be left out, of a
/// Rust type that fits; when it holds an enum, complex or entity type, its name, its kind and
/// whether it is a collection.
fn check_parameter(
    cx: &mut Ctxt,
    schema: &Schema,
    operation: &OperationDef,
    parameter: &ParameterDef,
    field: &Field<'_>,
) -> Option<(String, TypeKind, bool)> {
    let inner = option_inner(field.ty);
    let may_be_left_out = parameter.nullable || parameter.optional;
    // Where beta's metadata only infers nullability, a field without `Option` may be right.
    let inferred = !parameter.optional && parameter.inferred.contains(Inferred::NULLABLE);
    match (may_be_left_out, inner) {
        (true, None) if inferred => {}
        (true, None) => cx.error_spanned_by(
            field.ty,
            format!(
                "`{}` of `{}` may be left out ({}): declare the field as an `Option`",
                parameter.name,
                operation.short_name(),
                if parameter.optional { "`Core.V1.OptionalParameter`" } else { "it is nullable" }
            ),
        ),
        (false, Some(_)) => cx.error_spanned_by(
            field.ty,
            format!(
                "`{}` of `{}` is required (`{}`, not nullable): declare it as `{}`, not an `Option`",
                parameter.name,
                operation.short_name(),
                parameter.ty,
                rust_type_hint(schema, &parameter.ty)
            ),
        ),
        _ => {}
    }
    let property = parameter.as_property();
    if let Some(message) = type_mismatch(schema, &property, inner.unwrap_or(field.ty)) {
        cx.error_spanned_by(inner.unwrap_or(field.ty), message);
        return None;
    }
    schema
        .get(&parameter.ty.name)
        .filter(|t| t.name != graph_entity_schema::ANY_JSON)
        .map(|t| (t.name.clone(), t.kind, parameter.ty.collection))
}

/// The result: declared with `returns` exactly when the metadata has one, of a fitting type.
fn check_result<'a>(
    cx: &mut Ctxt,
    schema: &Schema,
    path: &LitStr,
    operation: &OperationDef,
    returns: Option<&'a Type>,
    type_checks: &mut Vec<TypeCheck<'a>>,
) -> Option<ResultKind> {
    let name = operation.short_name();
    let (declared, ty) = match (returns, &operation.returns) {
        (None, None) => return Some(ResultKind::None),
        (Some(declared), None) => {
            cx.error_spanned_by(
                declared,
                format!(
                    "`{name}` has no result (Graph answers `204 No Content`): remove `returns`"
                ),
            );
            return None;
        }
        (None, Some(ty)) => {
            cx.error_spanned_by(
                path,
                format!(
                    "`{name}` returns `{ty}`: declare its Rust type with `returns = {}`",
                    rust_type_hint(schema, ty)
                ),
            );
            return None;
        }
        (Some(declared), Some(ty)) => (declared, ty),
    };
    if ty.name == "Edm.Stream" {
        // Read as it arrives: the runtime's one stream type, by its name.
        let is_stream = matches!(declared, Type::Path(p) if p.qself.is_none()
            && p.path.segments.last().is_some_and(|s| s.ident == "ByteStream" && s.arguments.is_none()));
        if is_stream && !ty.collection {
            return Some(ResultKind::Stream);
        }
        cx.error_spanned_by(
            declared,
            format!("`{name}` returns a stream (`{ty}`): declare `returns = graph_entity::client::ByteStream`, whose bytes are read as they arrive"),
        );
        return None;
    }
    let inner = option_inner(declared);
    let nullable = operation.returns_nullable && !ty.collection;
    match (nullable, inner) {
        // Where beta's metadata only infers it, a result without `Option` may be right.
        (true, None) if operation.returns_inferred.contains(Inferred::NULLABLE) => {}
        (true, None) => cx.error_spanned_by(
            declared,
            format!("`{name}` may return `null` (its result is nullable): declare `returns = Option<...>`"),
        ),
        (false, Some(_)) => cx.error_spanned_by(
            declared,
            format!("`{name}` always returns a value (`{ty}`, not nullable): declare `returns` without `Option`"),
        ),
        _ => {}
    }
    let rust = inner.unwrap_or(declared);
    let property = PropertyDef {
        name: format!("the result of `{name}`"),
        ty: ty.clone(),
        nullable,
        computed: false,
        description: None,
        clouds: Clouds::ALL,
        inferred: operation.returns_inferred,
    };
    if type_mismatch(schema, &property, rust).is_some() {
        let hint = rust_type_hint(schema, ty);
        let hint = if nullable { format!("Option<{hint}>") } else { hint };
        cx.error_spanned_by(
            rust,
            format!("the result of `{name}` is `{ty}`: declare `returns = {hint}`"),
        );
        return None;
    }
    let element = if ty.collection { vec_element(rust).unwrap_or(rust) } else { rust };
    let what = "the result".to_owned();
    match schema.get(&ty.name).filter(|t| t.name != graph_entity_schema::ANY_JSON) {
        Some(t) if t.kind == TypeKind::Entity => {
            type_checks.push(entity_check(schema, element, what, &t.name));
        }
        Some(t) if t.kind == TypeKind::Enum => {
            type_checks.push(TypeCheck {
                ty: element,
                what,
                expected: Expected::Enum(t.name.clone()),
            });
        }
        Some(t) => {
            type_checks.push(TypeCheck {
                ty: element,
                what,
                expected: Expected::Complex(t.name.clone()),
            });
        }
        None => {}
    }
    let entity = schema.get(&ty.name).is_some_and(|t| t.kind == TypeKind::Entity);
    Some(match (ty.collection, entity) {
        (true, _) => ResultKind::Collection,
        (false, true) => ResultKind::Entity,
        (false, false) => ResultKind::Value,
    })
}

/// A `#[graph_entity]` of `graph` or of a type derived from it: its `@odata.type` is one of
/// theirs.
fn entity_check<'a>(schema: &Schema, ty: &'a Type, what: String, graph: &str) -> TypeCheck<'a> {
    let accepted = schema.concrete(graph).iter().map(|t| format!("#{}", t.name)).collect();
    TypeCheck { ty, what, expected: Expected::Entity(graph.to_owned(), accepted) }
}

/// The Rust type to write for a Graph type, in a message: `Vec<...>` around the element's.
fn rust_type_hint(schema: &Schema, ty: &TypeRef) -> String {
    let element = match schema.get(&ty.name) {
        None if ty.name == "Edm.Stream" => "graph_entity::client::ByteStream".to_owned(),
        Some(def) if def.name == graph_entity_schema::ANY_JSON => "Json".to_owned(),
        Some(def) => {
            let short = short(&def.name);
            let mut chars = short.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
        None => {
            let phrase = expected(schema, &TypeRef { name: ty.name.clone(), collection: false });
            phrase.trim_matches('`').to_owned()
        }
    };
    if ty.collection { format!("Vec<{element}>") } else { element }
}

/// The clouds whose metadata has every segment of the path, the action and every declared
/// parameter; for each other cloud, the first part it lacks.
fn availability(
    segments: &[(String, Clouds)],
    operation: &OperationDef,
    fields: &[Field<'_>],
) -> (u8, Vec<(u8, String)>) {
    availability_by(segments, |cloud| {
        let what = match operation.kind {
            OperationKind::Action => "action",
            OperationKind::Function => "function",
        };
        let action = (!operation.clouds.contains(cloud))
            .then(|| format!("{what} `{}`", operation.short_name()));
        action.or_else(|| {
            fields.iter().filter(|f| f.is_property()).find_map(|f| {
                let parameter = operation.parameters.iter().find(|p| p.name == f.json)?;
                (!parameter.clouds.contains(cloud))
                    .then(|| format!("parameter `{}`", parameter.name))
            })
        })
    })
}
