//! Checks of a `#[graph_entity]` declaration against Microsoft's published metadata
//! (`graph-entity-schema`): the path resolves, `@odata.type` is the type it addresses or derives
//! from it, every field is a property of that type, of a Rust type that fits the property's
//! Edm type, and an `Option` where Graph may send `null`.
//!
//! The schema is loaded once per compiler process from its compact form; nothing here reads a
//! file or parses XML.

use graph_entity_schema::{
    ANY_JSON, Clouds, Inferred, PropertyDef, Schema, TypeDef, TypeKind, TypeRef, Version, suggest,
};
use syn::{Ident, LitStr, Type};

use crate::ctxt::Ctxt;
use crate::model::{
    Checked, CheckedAction, CheckedComplex, Field, Member, Metadata, Needs, option_inner,
};

mod action;
use graph_entity_schema::naming::{to_lower_camel_case, to_snake_case};
use graph_entity_schema::permissions::Operation;

/// The permissions a request needs (`method` on `path`, a path of the metadata's form), from
/// Microsoft's permissions reference; all empty where it does not list them.
pub(crate) fn needs(method: &str, path: &str) -> Needs {
    use graph_entity_schema::permissions::{Permissions, Scheme};
    let Some(found) = Permissions::get().lookup(method, path) else { return Needs::default() };
    let owned = |names: Vec<&str>| names.into_iter().map(str::to_owned).collect();
    Needs {
        application: found.least(Scheme::Application).map(str::to_owned),
        delegated: found.least(Scheme::DelegatedWork).map(str::to_owned),
        all_application: owned(found.all(Scheme::Application)),
        all_delegated: owned(found.all(Scheme::DelegatedWork)),
    }
}

/// The checker the model's constructors are given: Microsoft's metadata of one Graph version
/// (v1.0, or beta as the schema crate reconstructs it).
pub(crate) struct Published(pub(crate) Version);

/// The v1.0 checker, for the tests.
#[cfg(test)]
pub(crate) const V1: Published = Published(Version::V1);

impl Published {
    fn schema(&self) -> &'static Schema {
        Schema::of(self.0)
    }

    /// How messages name the metadata.
    fn name(&self) -> &'static str {
        self.schema().name()
    }

    /// For a v1.0 declaration whose path or type v1.0 lacks: a hint to declare it `beta`, when
    /// beta has it (the beta metadata is decoded only on this error path).
    fn beta_hint(&self, has: impl Fn(&Schema) -> bool) -> &'static str {
        if self.0 == Version::V1 && has(Schema::beta()) {
            "; it exists in Graph beta: add `beta` to check it against beta's metadata and send it to `/beta`"
        } else {
            ""
        }
    }

    /// The enum or complex type a declaration names, or an error with a suggestion.
    fn named_type(
        &self,
        cx: &mut Ctxt,
        input: &syn::DeriveInput,
        at: Option<&LitStr>,
        graph_name: &str,
        kind: TypeKind,
    ) -> Option<&'static TypeDef> {
        let schema = self.schema();
        if let Some(def) = schema.get(graph_name).filter(|t| t.kind == kind) {
            return Some(def);
        }
        let same_kind = schema.types().iter().filter(|t| t.kind == kind);
        let hint = suggest(short(graph_name), same_kind.map(TypeDef::short_name))
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        let beta = self.beta_hint(|beta| beta.get(graph_name).is_some_and(|t| t.kind == kind));
        let what = if kind == TypeKind::Enum { "an enum type" } else { "a complex type" };
        let message = if beta.is_empty() {
            format!(
                "`{graph_name}` is not {what} of {}{hint} (name it with `name = \"...\"`, or add `unchecked`)",
                self.name()
            )
        } else {
            format!("`{graph_name}` is not {what} of {}{beta}", self.name())
        };
        match at {
            Some(lit) => cx.error_spanned_by(lit, message),
            None => cx.error_spanned_by(&input.ident, message),
        }
        None
    }
}

impl Metadata for Published {
    /// Checks a declaration; `None` when the path or `odata_type` did not check (the errors are in
    /// `cx`).
    fn entity<'a>(
        &self,
        cx: &mut Ctxt,
        path: &LitStr,
        odata_type: Option<&LitStr>,
        required_clouds: &[(Clouds, proc_macro2::Span)],
        fields: &[Field<'a>],
    ) -> Option<Checked<'a>> {
        let schema = self.schema();
        let resolved = match schema.resolve(&path.value()) {
            Ok(resolved) => resolved,
            Err(problem) => {
                let beta = self.beta_hint(|beta| beta.resolve(&path.value()).is_ok());
                let message = if beta.is_empty() {
                    let metadata = match self.0 {
                        Version::V1 => "Microsoft's v1.0 metadata",
                        Version::Beta => "Graph beta's metadata",
                    };
                    format!("{problem} (add `unchecked` to declare what {metadata} does not cover)")
                } else {
                    format!("{problem}{beta}")
                };
                cx.error_spanned_by(path, message);
                return None;
            }
        };
        // One entity: a singleton or a single-valued navigation, not one entity of a collection
        // by its key (that is the collection's declaration, whose `get` takes the key).
        let value = path.value();
        let last = value.rsplit('/').next().unwrap_or_default();
        if !resolved.collection && last.starts_with('{') {
            let collection = value[..value.len() - last.len()].trim_end_matches('/');
            cx.error_spanned_by(
                path,
                format!(
                    "`path` names one `{}` by its key: declare the collection's path, `{collection}`, whose `get` and `update` take the key",
                    short(&resolved.ty)
                ),
            );
        }
        let Some(ty) = instance_type(cx, schema, self.name(), path, &resolved.ty, odata_type)
        else {
            // Still report what is wrong with the fields, against the type the path addresses,
            // unless it is abstract (its derived types may have more properties).
            if let Some(addressed) = schema.get(&resolved.ty).filter(|t| !t.is_abstract) {
                for field in fields.iter().filter(|f| f.is_property()) {
                    let _ = check_field(cx, schema, addressed, field);
                }
            }
            return None;
        };
        let mut enum_fields = Vec::new();
        let mut complex_fields = Vec::new();
        let mut computed = Vec::new();
        let mut nullable = Vec::new();
        let mut inferred = Vec::new();
        for field in fields.iter().filter(|f| f.is_property()) {
            if let Some(property) = schema.property(&ty.name, &field.json) {
                inferred.extend(inferred_phrase(&format!("`{}`", field.ident), property.inferred));
            }
            if let Some(property) = schema.property(&ty.name, &field.json).filter(|p| p.nullable) {
                nullable.push(property.name.clone());
            }
            if let Some(property) = schema.property(&ty.name, &field.json).filter(|p| p.computed) {
                if field.required_on_create {
                    cx.error_spanned_by(
                        field.ident,
                        format!(
                            "`{}` is computed by the service: it is read, never written, so it cannot be `required`",
                            property.name
                        ),
                    );
                }
                computed.push(property.name.clone());
            }
            if let Some(found) = check_field(cx, schema, ty, field) {
                sort_field(field, found, &mut enum_fields, &mut complex_fields);
            }
        }
        let availability = availability(schema, &resolved.segments, ty, fields);
        for &(cloud, span) in required_clouds {
            if let Some((_, missing)) = availability.1.iter().find(|(bit, _)| *bit == cloud.bits())
            {
                cx.error_at(
                    span,
                    format!(
                        "{missing} does not exist in Microsoft Graph's metadata for `{}`, which `clouds(...)` requires",
                        cloud.names().next().unwrap_or_default()
                    ),
                );
            }
        }
        // What each operation needs, from Microsoft's permissions reference: at the declared
        // path for the collection (or the single entity), below it for one entity by key.
        let value = path.value();
        let delta =
            resolved.collection && ty.name == resolved.ty && schema.delta(&ty.name).is_some();
        let cast = (ty.name != resolved.ty).then_some(ty.name.as_str());
        let permissions = Operation::ENTITY
            .iter()
            .map(|operation| match operation.request(&value, !resolved.collection, cast) {
                Some(_) if *operation == Operation::Delta && !delta => Needs::default(),
                Some((method, path)) => needs(method, &path),
                None => Needs::default(),
            })
            .collect();
        if ty.inferred.contains(Inferred::ABSTRACT) {
            inferred.push(format!("whether `{}` is abstract", short(&ty.name)));
        }
        Some(Checked {
            inferred,
            permissions,
            single: !resolved.collection,
            odata_type: format!("#{}", ty.name),
            enum_fields,
            complex_fields,
            availability,
            computed,
            nullable,
            directory_object: schema.is_derived_from(&ty.name, "microsoft.graph.directoryObject"),
            delta,
            cast: (ty.name != resolved.ty).then(|| ty.name.clone()),
            navigations: schema.navigations(&ty.name).into_iter().map(|n| n.name.clone()).collect(),
            throttling: graph_entity_schema::throttling::service_of_path(schema, &path.value())
                .map(|service| {
                    (service.name, service.writes.per_app_per_tenant, service.window.as_secs())
                }),
        })
    }

    /// Checks a `#[graph_complex]`: the complex type exists, and every field is one of its
    /// properties, of a fitting type.
    fn complex<'a>(
        &self,
        cx: &mut Ctxt,
        input: &syn::DeriveInput,
        at: Option<&LitStr>,
        graph_name: &str,
        fields: &[Field<'a>],
    ) -> Option<CheckedComplex<'a>> {
        let schema = self.schema();
        let ty = self.named_type(cx, input, at, graph_name, TypeKind::Complex)?;
        let mut enum_fields = Vec::new();
        let mut complex_fields = Vec::new();
        for field in fields.iter().filter(|f| f.is_property()) {
            if let Some(found) = check_field(cx, schema, ty, field) {
                sort_field(field, found, &mut enum_fields, &mut complex_fields);
            }
        }
        let bases = schema.ancestry(&ty.name).map(|t| t.name.clone()).collect();
        Some(CheckedComplex { bases, enum_fields, complex_fields })
    }

    /// Checks the complex type a `#[graph_complex]` enum names: it exists and has derived types.
    fn one_of(
        &self,
        cx: &mut Ctxt,
        input: &syn::DeriveInput,
        at: Option<&LitStr>,
        graph_name: &str,
    ) -> Option<Vec<String>> {
        let schema = self.schema();
        let ty = self.named_type(cx, input, at, graph_name, TypeKind::Complex)?;
        if schema.derived(&ty.name).is_empty() {
            let message = format!(
                "`{}` has no derived types: declare it as a `#[graph_complex]` struct",
                ty.name
            );
            match at {
                Some(lit) => cx.error_spanned_by(lit, message),
                None => cx.error_spanned_by(&input.ident, message),
            }
            return None;
        }
        Some(schema.ancestry(&ty.name).map(|t| t.name.clone()).collect())
    }

    fn action<'a>(
        &self,
        cx: &mut Ctxt,
        function: bool,
        path: &LitStr,
        returns: Option<&'a Type>,
        required_clouds: &[(Clouds, proc_macro2::Span)],
        input: &syn::DeriveInput,
        fields: &[Field<'a>],
    ) -> Option<CheckedAction<'a>> {
        action::action(cx, self, function, path, returns, required_clouds, input, fields)
    }

    /// Checks a `#[graph_enum]` against the Graph enum it names: it exists, and every member is one
    /// of Graph's (fewer is fine: the `other` variant keeps the rest).
    fn graph_enum(
        &self,
        cx: &mut Ctxt,
        input: &syn::DeriveInput,
        name: Option<&LitStr>,
        graph_name: &str,
        members: &[Member<'_>],
    ) -> Option<String> {
        let def = self.named_type(cx, input, name, graph_name, TypeKind::Enum)?;
        for member in members {
            if def.members.iter().any(|m| m.name == member.wire) {
                continue;
            }
            let names = def.members.iter().map(|m| m.name.as_str());
            let message = match suggest(&member.wire, names) {
                Some(close) => {
                    format!(
                        "`{}` has no member `{}`; did you mean `{close}`?",
                        def.name, member.wire
                    )
                }
                None => format!(
                    "`{}` has no member `{}`; its members are {}",
                    def.name,
                    member.wire,
                    def.members
                        .iter()
                        .map(|m| format!("`{}`", m.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            cx.error_spanned_by(member.ident, message);
        }
        Some(def.name.clone())
    }
}

/// What the metadata only infers of `what` (a field, a parameter, the result), as the docs of a
/// declaration list it: "`setting_count` (width)"; `None` when nothing is.
fn inferred_phrase(what: &str, inferred: Inferred) -> Option<String> {
    let facts: Vec<&str> = inferred.names().collect();
    (!facts.is_empty()).then(|| format!("{what} ({})", facts.join(", ").to_lowercase()))
}

/// The clouds whose metadata has every path segment, the type (and its bases) and every declared
/// property; for each other cloud, the first part it lacks.
fn availability(
    schema: &Schema,
    segments: &[(String, Clouds)],
    ty: &TypeDef,
    fields: &[Field<'_>],
) -> (u8, Vec<(u8, String)>) {
    availability_by(segments, |cloud| {
        let lacking_type = schema
            .ancestry(&ty.name)
            .find(|t| !t.clouds.contains(cloud))
            .map(|t| format!("type `{}`", t.name));
        lacking_type.or_else(|| {
            fields.iter().filter(|f| f.is_property()).find_map(|f| {
                let property = schema.property(&ty.name, &f.json)?;
                (!property.clouds.contains(cloud)).then(|| format!("property `{}`", property.name))
            })
        })
    })
}

/// The clouds that have every path segment and lack nothing `lacking` finds, as bits; for each
/// other cloud, the first part it lacks (a segment, else what `lacking` names).
fn availability_by(
    segments: &[(String, Clouds)],
    lacking: impl Fn(Clouds) -> Option<String>,
) -> (u8, Vec<(u8, String)>) {
    let mut bits = 0;
    let mut missing = Vec::new();
    for cloud in [Clouds::GLOBAL, Clouds::US_GOV, Clouds::CHINA] {
        let segment = segments
            .iter()
            .find(|(_, clouds)| !clouds.contains(cloud))
            .map(|(segment, _)| format!("path segment `{segment}`"));
        match segment.or_else(|| lacking(cloud)) {
            None => bits |= cloud.bits(),
            Some(what) => missing.push((cloud.bits(), what)),
        }
    }
    (bits, missing)
}

/// The type the body is of: `odata_type`'s, checked to derive from the path's, or the path's.
fn instance_type<'s>(
    cx: &mut Ctxt,
    schema: &'s Schema,
    graph: &str,
    path: &LitStr,
    addressed: &str,
    odata_type: Option<&LitStr>,
) -> Option<&'s TypeDef> {
    let base = schema.get(addressed)?;
    let Some(lit) = odata_type else {
        if base.is_abstract {
            cx.error_spanned_by(path, abstract_message(schema, base));
            return None;
        }
        return Some(base);
    };
    let written = lit.value();
    let Some(ty) = written.strip_prefix('#').and_then(|n| schema.get(n)) else {
        let concrete = schema.concrete(addressed);
        let names = concrete.iter().map(|t| t.name.as_str());
        let hint = suggest(written.trim_start_matches('#'), names)
            .map(|n| format!("; did you mean `#{n}`?"))
            .unwrap_or_default();
        cx.error_spanned_by(lit, format!("`{written}` is not a type of {graph}{hint}"));
        return None;
    };
    if !schema.is_derived_from(&ty.name, addressed) {
        cx.error_spanned_by(
            lit,
            format!("`{written}` does not derive from `{addressed}`, the type `path` addresses"),
        );
        return None;
    }
    if ty.is_abstract {
        cx.error_spanned_by(lit, abstract_message(schema, ty));
        return None;
    }
    Some(ty)
}

/// Why an abstract type needs `odata_type`, with the types that can be created.
fn abstract_message(schema: &Schema, ty: &TypeDef) -> String {
    let concrete: Vec<String> =
        schema.concrete(&ty.name).iter().map(|t| format!("`#{}`", t.name)).collect();
    let shown = concrete.iter().take(8).cloned().collect::<Vec<_>>().join(", ");
    let more = match concrete.len() {
        n if n > 8 => format!(" and {} more", n - 8),
        _ => String::new(),
    };
    format!(
        "`{}` is abstract: set `odata_type` to the derived type to create, one of {shown}{more}",
        ty.name
    )
}

/// Checks one field; when the property holds an enum or a complex type, returns its name, its
/// kind, and whether the property is a collection.
fn check_field(
    cx: &mut Ctxt,
    schema: &Schema,
    ty: &TypeDef,
    field: &Field<'_>,
) -> Option<(String, TypeKind, bool)> {
    let Some(property) = schema.property(&ty.name, &field.json) else {
        let properties = schema.properties(&ty.name);
        let names = properties.iter().map(|p| p.name.as_str());
        let message = match suggest(&field.json, names) {
            // `azureADDeviceId` is not what `azure_ad_device_id` becomes: name it with `rename`.
            Some(close) if to_lower_camel_case(&to_snake_case(close)) != close => format!(
                "`{}` has no property `{}`; did you mean `{close}`? Name it with `#[graph(rename = \"{close}\")]`",
                short(&ty.name),
                field.json,
            ),
            Some(close) => format!(
                "`{}` has no property `{}`; did you mean `{}`?",
                short(&ty.name),
                field.json,
                to_snake_case(close)
            ),
            None if schema.navigation(&ty.name, &field.json).is_some() => format!(
                "`{}` is a navigation property of `{}`, not a structural property: it is not part of the entity's JSON",
                field.json,
                short(&ty.name)
            ),
            None => format!(
                "`{}` has no property `{}`; its properties are {}",
                short(&ty.name),
                field.json,
                list(properties.iter().map(|p| p.name.as_str()))
            ),
        };
        cx.error_spanned_by(field.ident, message);
        return None;
    };
    let inner = option_inner(field.ty);
    // Where the beta metadata only infers nullability, a field without `Option` may be right.
    if property.nullable && inner.is_none() && !property.inferred.contains(Inferred::NULLABLE) {
        cx.error_spanned_by(
            field.ty,
            format!(
                "`{}` is nullable in Microsoft Graph (`{}`): declare the field as an `Option`, or reading Graph's `null` fails; mark it `#[graph(required)]` to require it when creating",
                property.name,
                property.ty
            ),
        );
    }
    if let Some(message) = type_mismatch(schema, property, inner.unwrap_or(field.ty)) {
        cx.error_spanned_by(inner.unwrap_or(field.ty), message);
        return None;
    }
    schema
        .get(&property.ty.name)
        .filter(|t| t.kind != TypeKind::Entity && t.name != ANY_JSON)
        .map(|t| (t.name.clone(), t.kind, property.ty.collection))
}

/// A field's element type, with the name of the Graph enum or complex type it must hold.
type TypedField<'a> = (&'a Type, &'a Ident, String);

/// Files a field whose property holds an enum or a complex type (as [`check_field`] found it)
/// for the constant that compares the names.
fn sort_field<'a>(
    field: &Field<'a>,
    (name, kind, collection): (String, TypeKind, bool),
    enums: &mut Vec<TypedField<'a>>,
    complexes: &mut Vec<TypedField<'a>>,
) {
    let rust = option_inner(field.ty).unwrap_or(field.ty);
    let element = if collection { vec_element(rust).unwrap_or(rust) } else { rust };
    match kind {
        TypeKind::Enum => enums.push((element, field.ident, name)),
        _ => complexes.push((element, field.ident, name)),
    }
}

/// Why `rust` cannot hold the property's values, if it cannot.
fn type_mismatch(schema: &Schema, property: &PropertyDef, rust: &Type) -> Option<String> {
    let mut element = expected(schema, &property.ty);
    if property.inferred.contains(Inferred::WIDTH) {
        element.push_str(" or `i64` (Graph beta's metadata only infers its width)");
    } else if property.inferred.contains(Inferred::PRECISION) {
        element.push_str(" or `f32` (Graph beta's metadata only infers its precision)");
    }
    if property.ty.collection {
        return match vec_element(rust) {
            Some(rust) if fits(schema, property, rust) => None,
            _ => Some(format!(
                "`{}` is `{}`: declare it as a `Vec` of {element}",
                property.name, property.ty
            )),
        };
    }
    // A single value is not a list, whatever the element.
    let single = vec_element(rust).is_none() && fits(schema, property, rust);
    (!single).then(|| format!("`{}` is `{}`: declare it as {element}", property.name, property.ty))
}

/// Whether the Rust type (the element type for a collection) holds the Edm type.
fn fits(schema: &Schema, property: &PropertyDef, rust: &Type) -> bool {
    let ty = &property.ty;
    let Some(name) = last_ident(rust) else { return false };
    // Where the beta metadata only infers the width or precision, either that could be right.
    let inferred = match ty.name.as_str() {
        // A number whose very type is a reconstruction (the typings' `number`): any number.
        "Edm.Int32" | "Edm.Int64" | "Edm.Double" if property.inferred.contains(Inferred::TYPE) => {
            Some(&["i32", "i64", "f64", "f32"][..])
        }
        "Edm.Int32" if property.inferred.contains(Inferred::WIDTH) => Some(&["i32", "i64"][..]),
        "Edm.Double" if property.inferred.contains(Inferred::PRECISION) => {
            Some(&["f64", "f32"][..])
        }
        _ => None,
    };
    match inferred.or_else(|| accepted(&ty.name)) {
        Some(names) => names.contains(&name.as_str()),
        // An enum or complex type: a user type, never a primitive. (Its Graph name is checked
        // by the type's own declaration.)
        None => schema.get(&ty.name).is_none() || !PRIMITIVES.contains(&name.as_str()),
    }
}

/// The Rust types of this crate's wire format, by Edm type; `None` for a type of the schema.
fn accepted(edm: &str) -> Option<&'static [&'static str]> {
    Some(match edm {
        "Edm.String" => &["String"],
        "Edm.Boolean" => &["bool"],
        "Edm.Byte" => &["u8"],
        "Edm.SByte" => &["i8"],
        "Edm.Int16" => &["i16"],
        "Edm.Int32" => &["i32"],
        "Edm.Int64" => &["i64"],
        "Edm.Single" => &["f32"],
        "Edm.Double" | "Edm.Decimal" => &["f64"],
        "Edm.DateTimeOffset" => &["DateTimeOffset"],
        "Edm.Date" => &["Date"],
        "Edm.TimeOfDay" => &["TimeOfDay"],
        "Edm.Duration" => &["Duration"],
        "Edm.Guid" => &["Guid"],
        "Edm.Binary" => &["Base64"],
        "Edm.Stream" => &[],
        other if other.starts_with("Edm.") => &["Value"],
        // A complex type without properties that stands for any JSON (`wire::Json`).
        ANY_JSON => &["Json", "Value"],
        _ => return None,
    })
}

/// Rust types that hold a primitive, never an enum or complex value.
const PRIMITIVES: &[&str] = &[
    "String",
    "str",
    "bool",
    "u8",
    "i8",
    "i16",
    "u16",
    "i32",
    "u32",
    "i64",
    "u64",
    "f32",
    "f64",
    "DateTimeOffset",
    "Date",
    "TimeOfDay",
    "Duration",
    "Guid",
    "Base64",
    "Value",
    "Json",
    "Vec",
];

/// The Rust type to suggest for a property's (element) type, as a phrase.
fn expected(schema: &Schema, ty: &TypeRef) -> String {
    match accepted(&ty.name) {
        Some([]) => "nothing: a stream is not part of the JSON body".to_owned(),
        Some(names) => format!("`{}`", names[0]),
        None => match schema.get(&ty.name) {
            Some(def) if def.kind == TypeKind::Enum => {
                format!("a `#[graph_enum]` type for `{}`", def.name)
            }
            Some(def) if def.kind == TypeKind::Entity => {
                format!("a `#[graph_entity]` struct for `{}`", def.name)
            }
            Some(def) => format!("a `#[graph_complex]` struct for `{}`", def.name),
            None => format!("a type for `{}`", ty.name),
        },
    }
}

fn vec_element(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Vec" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        Type::Reference(reference) => last_ident(&reference.elem),
        Type::Group(group) => last_ident(&group.elem),
        Type::Paren(paren) => last_ident(&paren.elem),
        _ => None,
    }
}

fn short(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.map(|n| format!("`{}`", to_snake_case(n))).collect();
    if names.len() > 12 {
        format!("{} and {} more", names[..12].join(", "), names.len() - 12)
    } else {
        names.join(", ")
    }
}
