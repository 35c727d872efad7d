//! The checked model of an entity or enum declaration, built from the syntax tree.
//!
//! Every check that spans several attributes or fields lives here; expansion only reads the
//! model. A model is produced only when there were no errors.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::{Data, DeriveInput, Fields, Ident, LitStr, Type};

use crate::attr::{self, MacroArgs};
use crate::ctxt::Ctxt;
use crate::symbol::{ODATA_ETAG_PROPERTY, ODATA_TYPE_PROPERTY};
use crate::template::{self, Template};
use graph_entity_schema::naming;

mod action;

pub(crate) use action::{Action, CheckedAction, Expected, ParameterWrite, ResultKind, TypeCheck};

/// A checked `#[graph_entity]` struct, or a `#[graph_complex]` one (no path, no key).
/// The permissions one request needs, from Microsoft's permissions reference: the least
/// privileged application and delegated (work or school) permissions, and every one that works.
/// All empty where the reference does not list the request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Needs {
    pub(crate) application: Option<String>,
    pub(crate) delegated: Option<String>,
    pub(crate) all_application: Vec<String>,
    pub(crate) all_delegated: Vec<String>,
}

pub(crate) struct Entity<'a> {
    pub(crate) input: &'a DeriveInput,
    pub(crate) krate: TokenStream,
    /// The collection's path, for an entity.
    pub(crate) path: Option<LitStr>,
    pub(crate) template: Option<Template>,
    /// For an entity, the `@odata.type` written first; for a complex type, `#` and its name.
    pub(crate) odata_type: String,
    pub(crate) fields: Vec<Field<'a>>,
    /// Fields whose property is a Graph enum: the Rust element type, the field, and the enum's
    /// qualified name, compared with the type's `GraphEnum::GRAPH_NAME` at compile time.
    pub(crate) enum_fields: Vec<(&'a Type, &'a Ident, String)>,
    /// Fields whose property is a Graph complex type, compared likewise with
    /// `GraphComplex::BASES`.
    pub(crate) complex_fields: Vec<(&'a Type, &'a Ident, String)>,
    /// Where the entity exists, when checked: cloud bits and what each other cloud lacks.
    pub(crate) availability: Option<(u8, Vec<(u8, String)>)>,
    /// For a `#[graph_complex]`: its qualified name and base types, and whether it writes
    /// `@odata.type`.
    pub(crate) complex: Option<Complex>,
    /// A directory object, as checked against the metadata.
    pub(crate) directory_object: bool,
    /// The collection has Graph's `delta` function for the declared type, when checked.
    pub(crate) delta: bool,
    /// The derived type reads cast to (`odata_type` below the path's type), when checked.
    pub(crate) cast: Option<String>,
    /// The navigation properties of the type, when checked: what `$expand` names.
    pub(crate) navigations: Vec<String>,
    /// The documented write limit of the path's service, when checked and documented.
    pub(crate) throttling: Option<(&'static str, u32, u64)>,
    /// When checked, the permissions of each request: `create`, `get`, `list`, `update`,
    /// `delete` for an entity, the one request of an action or function.
    pub(crate) permissions: Vec<Needs>,
    /// The path addresses one entity (a singleton, a single-valued navigation), when checked.
    pub(crate) single: bool,
    /// The Graph version its requests go to: the one it was checked against, beta when
    /// declared `beta`; `None` (the client's) for an unchecked v1.0 declaration.
    pub(crate) version: Option<graph_entity_schema::Version>,
    /// What of the declaration the metadata only infers, for the docs.
    pub(crate) inferred: Vec<String>,
}

/// What a `#[graph_complex]` declares.
pub(crate) struct Complex {
    /// The qualified name, then its base types' (checked), such as `microsoft.graph.itemBody`.
    pub(crate) bases: Vec<String>,
    /// `odata_type` was given: the value says its type, as derived complex values must.
    pub(crate) write_type: bool,
}

/// One field of an entity.
pub(crate) struct Field<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) ty: &'a Type,
    /// The JSON property name (empty for the `extra` field).
    pub(crate) json: String,
    /// The type is `Option<_>`: absent or `null` reads as `None`, `None` is not written.
    pub(crate) optional: bool,
    /// `#[graph(required)]`: an `Option` that must be `Some` when creating.
    pub(crate) required_on_create: bool,
    /// `#[graph(extra)]`: the map of properties the struct does not declare.
    pub(crate) extra: bool,
    /// The property is computed by the service (`Core.V1.Computed`): read, never written.
    pub(crate) computed: bool,
    /// `#[graph(key)]`: the key, assigned by the service.
    pub(crate) key: bool,
    /// Graph may hold `null` in it: an update may write `null`. From the metadata when checked,
    /// else whether the field is an `Option`.
    pub(crate) nullable: bool,
    /// `#[graph(etag)]`: `@odata.etag`, the entity's version, read and never written.
    pub(crate) etag: bool,
}

impl<'a> Field<'a> {
    /// A plain property field: not required on create, not the key, nullable when optional.
    fn new(ident: &'a Ident, ty: &'a Type, json: String, optional: bool) -> Self {
        Field {
            ident,
            ty,
            json,
            optional,
            required_on_create: false,
            extra: false,
            computed: false,
            key: false,
            nullable: optional,
            etag: false,
        }
    }

    /// A property of the type in the metadata: not the extra map, not `@odata.etag`.
    pub(crate) fn is_property(&self) -> bool {
        !self.extra && !self.etag
    }

    /// Required when reading: every field that is not an `Option` (and not `extra`).
    pub(crate) fn required_on_read(&self) -> bool {
        !self.optional && !self.extra
    }
}

/// A checked `#[graph_enum]` enum.
pub(crate) struct Enum<'a> {
    pub(crate) input: &'a DeriveInput,
    pub(crate) krate: TokenStream,
    pub(crate) members: Vec<Member<'a>>,
    /// The catch-all variant and the type of its one field.
    pub(crate) other: (&'a Ident, &'a Type),
    /// Its qualified Graph name, such as `microsoft.graph.complianceStatus`.
    pub(crate) graph_name: String,
}

/// A checked `#[graph_complex]` enum: a value of one of a complex type's derived types, told
/// apart by its `@odata.type`.
pub(crate) struct OneOf<'a> {
    pub(crate) input: &'a DeriveInput,
    pub(crate) krate: TokenStream,
    /// The type's qualified name, then its base types'.
    pub(crate) bases: Vec<String>,
    /// Each variant and the `#[graph_complex]` struct it holds.
    pub(crate) variants: Vec<(&'a Ident, &'a Type)>,
    /// The catch-all variant and the type of its one field (a JSON value).
    pub(crate) other: (&'a Ident, &'a Type),
}

/// One known member of a Graph enum.
pub(crate) struct Member<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) wire: String,
}

/// The checks of a declaration against Microsoft's metadata (`check::V1`): given to the
/// constructors below, so that the model does not depend on the checker.
pub(crate) trait Metadata {
    /// Checks an entity; `None` when its path or `odata_type` did not check (the errors are in
    /// `cx`).
    fn entity<'a>(
        &self,
        cx: &mut Ctxt,
        path: &LitStr,
        odata_type: Option<&LitStr>,
        required_clouds: &[(graph_entity_schema::Clouds, Span)],
        fields: &[Field<'a>],
    ) -> Option<Checked<'a>>;

    /// Checks a complex type.
    fn complex<'a>(
        &self,
        cx: &mut Ctxt,
        input: &DeriveInput,
        at: Option<&LitStr>,
        graph_name: &str,
        fields: &[Field<'a>],
    ) -> Option<CheckedComplex<'a>>;

    /// Checks a complex type a `#[graph_complex]` enum stands for: it has derived types. Its
    /// name, then its base types' names.
    fn one_of(
        &self,
        cx: &mut Ctxt,
        input: &DeriveInput,
        at: Option<&LitStr>,
        graph_name: &str,
    ) -> Option<Vec<String>>;

    /// Checks an action (or, `function`, a function): the path ends in one bound to what the
    /// rest addresses, every field is one of its parameters, of a fitting type, and the result
    /// is declared as the metadata has it. `None` when the path did not check (the errors are
    /// in `cx`).
    #[allow(clippy::too_many_arguments)]
    fn action<'a>(
        &self,
        cx: &mut Ctxt,
        function: bool,
        path: &LitStr,
        returns: Option<&'a Type>,
        required_clouds: &[(graph_entity_schema::Clouds, Span)],
        input: &DeriveInput,
        fields: &[Field<'a>],
    ) -> Option<CheckedAction<'a>>;

    /// Checks an enum; its canonical qualified name.
    fn graph_enum(
        &self,
        cx: &mut Ctxt,
        input: &DeriveInput,
        name: Option<&LitStr>,
        graph_name: &str,
        members: &[Member<'_>],
    ) -> Option<String>;
}

/// What checking a declaration found.
pub(crate) struct Checked<'a> {
    /// The path addresses one entity (a singleton, a single-valued navigation), not a
    /// collection.
    pub(crate) single: bool,
    /// The `@odata.type`, such as `#microsoft.graph.user`.
    pub(crate) odata_type: String,
    /// Fields of a Graph enum property: the Rust element type, the field, the enum's name.
    pub(crate) enum_fields: Vec<(&'a Type, &'a Ident, String)>,
    /// Fields of a Graph complex property, likewise.
    pub(crate) complex_fields: Vec<(&'a Type, &'a Ident, String)>,
    /// The clouds the declaration exists in, as bits, and for each other cloud what it lacks.
    pub(crate) availability: (u8, Vec<(u8, String)>),
    /// The JSON names of the declared properties the service computes: never written.
    pub(crate) computed: Vec<String>,
    /// The JSON names of the declared properties Graph declares nullable: an update may write
    /// `null` to them, and only to them.
    pub(crate) nullable: Vec<String>,
    /// The type is a directory object (`microsoft.graph.directoryObject` or derived).
    pub(crate) directory_object: bool,
    /// The collection the path addresses has a `delta` function for the type (not a cast).
    pub(crate) delta: bool,
    /// The type, when it derives from the one the path addresses: reads cast to it.
    pub(crate) cast: Option<String>,
    /// The names of the type's navigation properties (its bases' included): what `$expand`
    /// names.
    pub(crate) navigations: Vec<String>,
    /// The documented write limit of the service the path belongs to: its name, the writes per
    /// application per tenant, and the window in seconds.
    pub(crate) throttling: Option<(&'static str, u32, u64)>,
    /// The permissions of `create`, `get`, `list`, `update`, `delete` and a `delta` round.
    pub(crate) permissions: Vec<Needs>,
    /// What of the declared fields the (beta) metadata only infers, as phrases for the docs:
    /// "`setting_count` (width)".
    pub(crate) inferred: Vec<String>,
}

/// What checking a `#[graph_complex]` found.
pub(crate) struct CheckedComplex<'a> {
    /// The type's qualified name, then its base types'.
    pub(crate) bases: Vec<String>,
    pub(crate) enum_fields: Vec<(&'a Type, &'a Ident, String)>,
    pub(crate) complex_fields: Vec<(&'a Type, &'a Ident, String)>,
}

/// The path generated code uses to reach the facade.
pub(crate) fn crate_path(args: &MacroArgs) -> TokenStream {
    match &args.krate {
        Some(path) => path.to_token_stream(),
        None => quote!(::graph_entity),
    }
}

impl<'a> Entity<'a> {
    pub(crate) fn from_input(
        cx: &mut Ctxt,
        metadata: &impl Metadata,
        args: &MacroArgs,
        input: &'a DeriveInput,
    ) -> Option<Self> {
        check_generics(cx, input, "entities");
        let fields = named_fields(cx, input, "graph_entity");

        let template = path_template(
            cx,
            args,
            "missing `path` argument: `#[graph_entity(path = \"/users/{userId}/events\")]`",
        );

        let odata_type = match &args.odata_type {
            Some(lit) => {
                let value = lit.value();
                if value.len() < 2 || !value.starts_with('#') || value.contains(char::is_whitespace)
                {
                    cx.error_spanned_by(lit, "`odata_type` must be `#` followed by a qualified type name, such as `#microsoft.graph.user`");
                }
                Some(value)
            }
            // Unchecked: the struct's name is the best guess there is.
            None if args.unchecked.is_some() => Some(format!(
                "#microsoft.graph.{}",
                naming::to_lower_first(&input.ident.to_string())
            )),
            // Checked: the type the path addresses.
            None => None,
        };

        let fields = fields.map(|fields| check_fields(cx, fields, true));
        // Against Microsoft's metadata, when the declaration is otherwise sound enough to check.
        let checked = match (&args.path, &template, &fields, args.unchecked) {
            (Some(path), Some(_), Some(fields), None) => {
                metadata.entity(cx, path, args.odata_type.as_ref(), &args.clouds, fields)
            }
            _ => None,
        };
        if let (Some(_), Some((_, span))) = (args.unchecked, args.clouds.first()) {
            cx.error_at(
                *span,
                "`clouds(...)` is checked against the metadata, which `unchecked` turns off",
            );
        }
        let directory_object = checked.as_ref().is_some_and(|c| c.directory_object);
        let delta = checked.as_ref().is_some_and(|c| c.delta);
        let cast = checked.as_ref().and_then(|c| c.cast.clone());
        let navigations = checked.as_ref().map(|c| c.navigations.clone()).unwrap_or_default();
        let throttling = checked.as_ref().and_then(|c| c.throttling);
        let permissions = checked.as_ref().map(|c| c.permissions.clone()).unwrap_or_default();
        let single = checked.as_ref().is_some_and(|c| c.single);
        let inferred = checked.as_ref().map(|c| c.inferred.clone()).unwrap_or_default();
        let (checked_type, enum_fields, complex_fields, availability, computed, nullable) =
            match checked {
                Some(checked) => (
                    Some(checked.odata_type),
                    checked.enum_fields,
                    checked.complex_fields,
                    Some(checked.availability),
                    checked.computed,
                    Some(checked.nullable),
                ),
                None => (None, Vec::new(), Vec::new(), None, Vec::new(), None),
            };
        let fields = fields.map(|mut fields| {
            for field in &mut fields {
                field.computed = field.etag || computed.contains(&field.json);
                if let Some(nullable) = nullable.as_ref().filter(|_| !field.etag) {
                    field.nullable = nullable.contains(&field.json);
                }
            }
            fields
        });
        let odata_type = odata_type.or(checked_type)?;
        Some(Entity {
            input,
            krate: crate_path(args),
            path: Some(args.path.clone()?),
            template: Some(template?),
            odata_type,
            fields: fields?,
            enum_fields,
            complex_fields,
            availability,
            complex: None,
            directory_object,
            delta,
            cast,
            navigations,
            throttling,
            permissions,
            single,
            version: version_of(args),
            inferred,
        })
    }
}

/// The version a declaration's requests go to: the one it is checked against, or for an
/// unchecked v1.0 declaration the client's (`None`).
pub(crate) fn version_of(args: &MacroArgs) -> Option<graph_entity_schema::Version> {
    (args.beta.is_some() || args.unchecked.is_none()).then(|| args.version())
}

impl<'a> Entity<'a> {
    /// A `#[graph_complex]` struct: named fields, no key, no path.
    pub(crate) fn complex_from_input(
        cx: &mut Ctxt,
        metadata: &impl Metadata,
        args: &MacroArgs,
        input: &'a DeriveInput,
    ) -> Option<Self> {
        check_generics(cx, input, "complex types");
        let fields = named_fields(cx, input, "graph_complex");
        let fields = fields.map(|fields| check_fields(cx, fields, false));
        if let (Some(name), Some(_)) = (&args.name, &args.odata_type) {
            cx.error_spanned_by(
                name,
                "give `name` or `odata_type`, not both: `odata_type` names the type too",
            );
        }
        let written = match (&args.odata_type, &args.name) {
            (Some(lit), _) => lit.value().trim_start_matches('#').to_owned(),
            (None, Some(lit)) => lit.value(),
            (None, None) => naming::to_lower_first(&input.ident.to_string()),
        };
        let mut bases = vec![qualify(&written)];
        let mut enum_fields = Vec::new();
        let mut complex_fields = Vec::new();
        if let (None, Some(fields)) = (args.unchecked, &fields) {
            let at = args.odata_type.as_ref().or(args.name.as_ref());
            match metadata.complex(cx, input, at, &bases[0], fields) {
                Some(checked) => {
                    bases = checked.bases;
                    enum_fields = checked.enum_fields;
                    complex_fields = checked.complex_fields;
                }
                None => return None,
            }
        }
        Some(Entity {
            input,
            krate: crate_path(args),
            path: None,
            template: None,
            odata_type: format!("#{}", bases[0]),
            fields: fields?,
            enum_fields,
            complex_fields,
            availability: None,
            complex: Some(Complex { bases, write_type: args.odata_type.is_some() }),
            directory_object: false,
            delta: false,
            cast: None,
            navigations: Vec::new(),
            throttling: None,
            permissions: Vec::new(),
            single: false,
            version: None,
            inferred: Vec::new(),
        })
    }
}

/// The named fields of a struct; any other shape is an error naming `macro_name`.
fn named_fields<'a>(
    cx: &mut Ctxt,
    input: &'a DeriveInput,
    macro_name: &str,
) -> Option<Vec<&'a syn::Field>> {
    match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => return Some(named.named.iter().collect()),
            Fields::Unnamed(fields) => cx.error_spanned_by(fields, format!("`#[{macro_name}]` needs a struct with named fields, not a tuple struct: Graph properties have names")),
            Fields::Unit => cx.error_spanned_by(
                &input.ident,
                format!("`#[{macro_name}]` needs a struct with named fields, not a unit struct"),
            ),
        },
        Data::Enum(data) => cx.error_spanned_by(data.enum_token, format!("`#[{macro_name}]` applies to structs; for a Graph enum type use `#[graph_enum]`")),
        Data::Union(data) => cx.error_spanned_by(
            data.union_token,
            format!("`#[{macro_name}]` applies to structs with named fields, not unions"),
        ),
    }
    None
}

/// A Graph type name as written (qualified, with the `graph.` alias, or relative to
/// `microsoft.graph`), qualified.
pub(crate) fn qualify(written: &str) -> String {
    let written = written.trim_start_matches('#');
    match written.strip_prefix("graph.") {
        Some(rest) => format!("microsoft.graph.{rest}"),
        None if written.starts_with("microsoft.") => written.to_owned(),
        None => format!("microsoft.graph.{written}"),
    }
}

/// The number of placeholders of the path, when it can be read, for the fallback expansion
/// (errors elsewhere are reported by the real pass).
pub(crate) fn fallback_placeholders(args: &MacroArgs) -> Option<usize> {
    let lit = args.path.as_ref()?;
    let template = template::parse(&lit.value()).ok()?;
    Some(template.placeholders().count())
}

/// The `path` argument read as a template: an error when it is missing (`missing` says how to
/// write it) or malformed.
fn path_template(cx: &mut Ctxt, args: &MacroArgs, missing: &str) -> Option<Template> {
    match &args.path {
        None if args.path_given => None,
        None => {
            cx.error_at(Span::call_site(), missing);
            None
        }
        Some(lit) => match template::parse(&lit.value()) {
            Ok(template) => check_placeholder_count(cx, lit, template),
            Err(errors) => {
                for message in errors {
                    cx.error_spanned_by(lit, message);
                }
                None
            }
        },
    }
}

/// The most placeholders a path may have: `GraphEntity::PathArgs` is a tuple of up to this many
/// `&str` (Microsoft's deepest v1.0 paths have fewer).
const MAX_PLACEHOLDERS: usize = 12;

/// The template, unless it has more placeholders than `PathArgs` takes.
fn check_placeholder_count(cx: &mut Ctxt, lit: &LitStr, template: Template) -> Option<Template> {
    let count = template.placeholders().count();
    if count > MAX_PLACEHOLDERS {
        cx.error_spanned_by(
            lit,
            format!("the path has {count} placeholders; at most {MAX_PLACEHOLDERS} are supported"),
        );
        return None;
    }
    Some(template)
}

fn check_generics(cx: &mut Ctxt, input: &DeriveInput, what: &str) {
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        cx.error_spanned_by(
            &input.generics,
            format!("generic {what} are not supported: Graph types are concrete"),
        );
    }
}

fn check_fields<'a>(cx: &mut Ctxt, fields: Vec<&'a syn::Field>, allow_key: bool) -> Vec<Field<'a>> {
    let mut out: Vec<Field<'a>> = Vec::with_capacity(fields.len());
    let mut key_seen: Option<&Ident> = None;
    let mut extra_seen = false;
    // JSON names already taken, with the field that took them.
    let mut names: Vec<(String, &Ident)> = Vec::new();
    for field in fields {
        let Some(ident) = field.ident.as_ref() else {
            continue;
        };
        let attrs = attr::parse_field_attrs(cx, &field.attrs);
        let optional = option_inner(&field.ty).is_some();

        if let Some(span) = attrs.extra {
            refuse_with(
                cx,
                span,
                &attrs,
                "extra",
                "the extra map holds the properties the struct does not declare",
            );
            if extra_seen {
                cx.error_at(
                    span,
                    "more than one `#[graph(extra)]` field; keep one map of unknown properties",
                );
            }
            extra_seen = true;
            out.push(Field { extra: true, ..Field::new(ident, &field.ty, String::new(), false) });
            continue;
        }

        if let Some(span) = attrs.etag {
            refuse_with(
                cx,
                span,
                &attrs,
                "etag",
                "the field holds `@odata.etag`, which the service sets",
            );
            if !allow_key {
                cx.error_at(span, "a complex value has no etag: `#[graph(etag)]` is for entities");
            }
            if !optional {
                cx.error_spanned_by(&field.ty, "the `etag` field is set by the service and absent until read, so it must be `Option<String>`");
            }
            if let Some((_, first)) = names.iter().find(|(name, _)| name == ODATA_ETAG_PROPERTY) {
                cx.error_at(span, format!("more than one `#[graph(etag)]` field: `{first}` already holds `@odata.etag`"));
            } else {
                names.push((ODATA_ETAG_PROPERTY.to_owned(), ident));
            }
            let json = ODATA_ETAG_PROPERTY.to_owned();
            out.push(Field {
                computed: true,
                nullable: true,
                etag: true,
                ..Field::new(ident, &field.ty, json, optional)
            });
            continue;
        }

        if let Some(span) = attrs.required {
            if !optional {
                cx.error_at(span, format!("`required` applies to `Option<_>` fields; `{ident}` is not an `Option`, so the compiler already requires it"));
            }
            if attrs.key.is_some() {
                cx.error_at(
                    span,
                    "the `key` field is assigned by the server and cannot be `required`",
                );
            }
        }
        if let Some(span) = attrs.key {
            if !allow_key {
                cx.error_at(span, "a complex type has no key: `#[graph(key)]` is for entities");
            }
            if let Some(first) = key_seen {
                cx.error_at(
                    span,
                    format!("more than one `#[graph(key)]` field: `{first}` is already the key"),
                );
            } else {
                key_seen = Some(ident);
            }
            if !optional {
                cx.error_spanned_by(&field.ty, "the `key` field is assigned by the server, so it must be an `Option`, such as `Option<String>`");
            }
        }

        let json = match &attrs.rename {
            Some(lit) => {
                let value = lit.value();
                if value.is_empty() {
                    cx.error_spanned_by(lit, "`rename` must not be empty");
                }
                value
            }
            None => naming::to_lower_camel_case(&ident.to_string()),
        };
        let at: Span = attrs.rename.as_ref().map_or_else(|| ident.span(), LitStr::span);
        if json == ODATA_TYPE_PROPERTY {
            cx.error_at(
                at,
                "`@odata.type` is written by the macro from `odata_type`; it cannot be a field",
            );
        } else if let Some((_, first)) = names.iter().find(|(name, _)| *name == json) {
            cx.error_at(
                at,
                format!("two fields have the JSON name `{json}`: `{first}` and `{ident}`"),
            );
        } else {
            names.push((json.clone(), ident));
        }

        out.push(Field {
            required_on_create: attrs.required.is_some(),
            key: attrs.key.is_some(),
            ..Field::new(ident, &field.ty, json, optional)
        });
    }
    out
}

/// Reports each key given with `what` that cannot be combined with it, and `why`.
fn refuse_with(cx: &mut Ctxt, span: Span, attrs: &attr::FieldAttrs, what: &str, why: &str) {
    let conflicting = [
        attrs.rename.as_ref().map(|_| "rename"),
        attrs.required.map(|_| "required"),
        attrs.key.map(|_| "key"),
    ];
    for key in conflicting.into_iter().flatten() {
        cx.error_at(span, format!("`{what}` cannot be combined with `{key}`: {why}"));
    }
}

/// `T` when `ty` is `Option<T>` (also `std::option::Option<T>` and `core::option::Option<T>`).
///
/// Like serde, this looks at the syntax: a type alias of `Option` counts as a plain type.
pub(crate) fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let segments: Vec<String> = path.path.segments.iter().map(|s| s.ident.to_string()).collect();
    let prefix_ok = match segments.len() {
        1 => true,
        3 => (segments[0] == "std" || segments[0] == "core") && segments[1] == "option",
        _ => false,
    };
    let last = path.path.segments.last()?;
    if !prefix_ok || last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>().as_slice() {
        [syn::GenericArgument::Type(inner)] => Some(inner),
        _ => None,
    }
}

impl<'a> OneOf<'a> {
    /// A `#[graph_complex]` enum: one variant per derived type, each holding its struct, and
    /// the `#[graph(other)]` variant holding a type's value this enum does not name.
    pub(crate) fn from_input(
        cx: &mut Ctxt,
        metadata: &impl Metadata,
        args: &MacroArgs,
        input: &'a DeriveInput,
    ) -> Option<Self> {
        check_generics(cx, input, "complex types");
        let Data::Enum(data) = &input.data else { return None };
        if let Some(lit) = &args.odata_type {
            cx.error_spanned_by(
                lit,
                "a `#[graph_complex]` enum stands for a type and its derived types: name the type with `name = \"...\"`",
            );
        }
        let mut variants = Vec::new();
        let mut other = None;
        for variant in &data.variants {
            let attrs = attr::parse_variant_attrs(cx, &variant.attrs);
            if let Some(lit) = &attrs.rename {
                cx.error_spanned_by(
                    lit,
                    "a `#[graph_complex]` enum's variants are told apart by their types' names: `rename` does not apply",
                );
            }
            let ty = match &variant.fields {
                Fields::Unnamed(fields) if fields.unnamed.len() == 1 => &fields.unnamed[0].ty,
                _ => {
                    let what = if attrs.other.is_some() {
                        "the `#[graph(other)]` variant holds the value of a type this enum does not name: `Other(Json)`"
                    } else {
                        "each variant of a `#[graph_complex]` enum holds one `#[graph_complex]` struct of a derived type, as in `Group(GroupAssignmentTarget)`"
                    };
                    cx.error_spanned_by(&variant.ident, what);
                    continue;
                }
            };
            match attrs.other {
                Some(span) if other.is_some() => {
                    cx.error_at(span, "more than one `#[graph(other)]` variant");
                }
                Some(_) => other = Some((&variant.ident, ty)),
                None => variants.push((&variant.ident, ty)),
            }
        }
        if other.is_none() {
            cx.error_spanned_by(
                &input.ident,
                "a `#[graph_complex]` enum needs a catch-all variant for the derived types it does not name (and those added after this code was written): add `#[graph(other)] Other(Json)`",
            );
        }
        let written = match &args.name {
            Some(lit) => lit.value(),
            None => naming::to_lower_first(&input.ident.to_string()),
        };
        let mut bases = vec![qualify(&written)];
        if args.unchecked.is_none() {
            bases = metadata.one_of(cx, input, args.name.as_ref(), &bases[0])?;
        }
        Some(OneOf { input, krate: crate_path(args), bases, variants, other: other? })
    }
}

impl<'a> Enum<'a> {
    pub(crate) fn from_input(
        cx: &mut Ctxt,
        metadata: &impl Metadata,
        args: &MacroArgs,
        input: &'a DeriveInput,
    ) -> Option<Self> {
        check_generics(cx, input, "enums");
        let data = match &input.data {
            Data::Enum(data) => data,
            Data::Struct(data) => {
                cx.error_spanned_by(
                    data.struct_token,
                    "`#[graph_enum]` applies to enums; for a Graph entity use `#[graph_entity]`",
                );
                return None;
            }
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "`#[graph_enum]` applies to enums, not unions",
                );
                return None;
            }
        };
        let mut members: Vec<Member<'a>> = Vec::new();
        let mut other: Option<(&'a Ident, &'a Type)> = None;
        for variant in &data.variants {
            let attrs = attr::parse_variant_attrs(cx, &variant.attrs);
            if let Some(span) = attrs.other {
                if attrs.rename.is_some() {
                    cx.error_at(span, "the `other` variant keeps unknown members as they were read; it cannot be renamed");
                }
                match &variant.fields {
                    Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                        if other.is_some() {
                            cx.error_at(span, "more than one `#[graph(other)]` variant");
                        } else {
                            other = Some((&variant.ident, &fields.unnamed[0].ty));
                        }
                    }
                    _ => cx.error_spanned_by(&variant.ident, "the `#[graph(other)]` variant must hold the unknown member string: `Other(String)`"),
                }
                continue;
            }
            if !matches!(variant.fields, Fields::Unit) {
                cx.error_spanned_by(&variant.fields, format!("Graph enum members are unit variants; `{}` has fields (only the `#[graph(other)]` variant holds a `String`)", variant.ident));
                continue;
            }
            let wire = match &attrs.rename {
                Some(lit) if lit.value().is_empty() => {
                    cx.error_spanned_by(lit, "`rename` must not be empty");
                    continue;
                }
                Some(lit) => lit.value(),
                None => naming::to_lower_first(&variant.ident.to_string()),
            };
            if let Some(first) = members.iter().find(|m| m.wire == wire) {
                let at = attrs.rename.as_ref().map_or_else(|| variant.ident.span(), LitStr::span);
                cx.error_at(
                    at,
                    format!(
                        "two variants have the member name `{wire}`: `{}` and `{}`",
                        first.ident, variant.ident
                    ),
                );
                continue;
            }
            members.push(Member { ident: &variant.ident, wire });
        }
        if other.is_none() {
            cx.error_spanned_by(&input.ident, "a Graph enum needs a catch-all variant for members added after this code was written: add `#[graph(other)] Other(String)`");
        }
        let written = match &args.name {
            Some(lit) => lit.value(),
            None => naming::to_lower_first(&input.ident.to_string()),
        };
        // Qualified (`microsoft.graph.security.alertSeverity`), with the `graph.` alias, or
        // relative to `microsoft.graph` (`security.alertSeverity`, `complianceStatus`).
        let mut graph_name = qualify(&written);
        if args.unchecked.is_none() {
            if let Some(canonical) =
                metadata.graph_enum(cx, input, args.name.as_ref(), &graph_name, &members)
            {
                graph_name = canonical;
            }
        }
        Some(Enum { input, krate: crate_path(args), members, other: other?, graph_name })
    }
}
