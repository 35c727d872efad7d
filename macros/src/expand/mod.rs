//! Code generation. Reads only the checked model.
//!
//! Generated code names the facade through `#krate` (default `::graph_entity`): public items by
//! their public path, helpers through the hidden `__private` module. Everything that is not
//! user-facing sits inside `const _: () = { ... };`. Logic lives once in generic runtime
//! functions; what is generated per type is the part that must know the fields.

mod action;
mod checks;
mod companions;
mod enums;
mod fallback;
mod one_of;
mod serde;

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

use crate::attr::is_graph_attr;
use crate::model::{Entity, Field, Needs};
use crate::template::Part;

pub(crate) use action::action;
pub(crate) use enums::graph_enum;
pub(crate) use fallback::fallback;
pub(crate) use one_of::one_of;

/// The input item with our `#[graph(...)]` helper attributes removed: attribute macros cannot
/// declare helper attributes, so they must not reach the compiler.
pub(crate) fn strip_helper_attrs(input: &DeriveInput) -> DeriveInput {
    let mut item = input.clone();
    match &mut item.data {
        Data::Struct(data) => strip_fields(&mut data.fields),
        Data::Enum(data) => {
            for variant in &mut data.variants {
                variant.attrs.retain(|a| !is_graph_attr(a));
                strip_fields(&mut variant.fields);
            }
        }
        Data::Union(data) => {
            for field in &mut data.fields.named {
                field.attrs.retain(|a| !is_graph_attr(a));
            }
        }
    }
    item
}

fn strip_fields(fields: &mut Fields) {
    for field in fields.iter_mut() {
        field.attrs.retain(|a| !is_graph_attr(a));
    }
}

/// Wraps impls in an anonymous constant, with the lints generated code must not trigger.
fn wrap_in_const(body: TokenStream) -> TokenStream {
    quote! {
        #[doc(hidden)]
        #[allow(
            non_upper_case_globals,
            unused_qualifications,
            clippy::needless_lifetimes,
            clippy::used_underscore_binding
        )]
        const _: () = {
            #body
        };
    }
}

/// What every part of an entity's expansion reads: the model and the names derived from it.
struct Shared<'a> {
    ident: &'a syn::Ident,
    krate: &'a TokenStream,
    /// `#krate::__private`.
    private: TokenStream,
    entity: &'a Entity<'a>,
    /// The fields but the extra map.
    declared: Vec<&'a Field<'a>>,
    extra: Option<&'a Field<'a>>,
    /// `extra::<T>()` at the extra field's type: one error for a wrong type, not one per use.
    extra_access: Option<TokenStream>,
    /// The extra map of `self`.
    extra_get: Option<TokenStream>,
    /// The trait that carries `PROPERTIES`.
    shape: TokenStream,
}

impl<'a> Shared<'a> {
    fn new(entity: &'a Entity<'a>) -> Self {
        let krate = &entity.krate;
        let private = quote!(#krate::__private);
        let extra = entity.fields.iter().find(|f| f.extra);
        let extra_access = extra.map(|f| {
            let ty = f.ty;
            quote_spanned!(ty.span()=> #private::extra::<#ty>())
        });
        let extra_get = extra.map(|f| {
            let name = f.ident;
            quote!((#extra_access.get)(&self.#name))
        });
        let shape = match &entity.complex {
            Some(_) => quote!(#krate::GraphComplex),
            None => quote!(#krate::GraphEntity),
        };
        Shared {
            ident: &entity.input.ident,
            krate,
            private,
            entity,
            declared: entity.fields.iter().filter(|f| !f.extra).collect(),
            extra,
            extra_access,
            extra_get,
            shape,
        }
    }
}

pub(crate) fn entity(entity: &Entity) -> TokenStream {
    let item = strip_helper_attrs(entity.input);
    let s = Shared::new(entity);
    let graph_trait = graph_trait(&s);
    let serialize = serde::serialize(&s);
    let deserialize = serde::deserialize(&s);
    let type_checks = checks::type_checks(&s);
    // An entity's query and update types: unnameable, reached through `GraphEntity`.
    let companions = entity.path.as_ref().map(|_| companions::items(&s));
    let wrapped = wrap_in_const(quote!(#graph_trait #companions #serialize #deserialize));
    quote! {
        #item

        #wrapped

        #type_checks
    }
}

/// `GraphEntity` or `GraphComplex`.
fn graph_trait(s: &Shared<'_>) -> TokenStream {
    let Shared { ident, krate, private, entity, declared, extra, .. } = s;
    let odata_type = &entity.odata_type;
    let validate_body = checks::validate_body(s);
    // The properties: not `@odata.etag`, which is never selected nor written.
    let json_names: Vec<&str> =
        declared.iter().filter(|f| f.is_property()).map(|f| f.json.as_str()).collect();
    let etag = declared.iter().find(|f| f.etag).map(|f| {
        let name = f.ident;
        quote! {
            fn etag(&self) -> #private::Option<&str> {
                #private::Option::as_deref(&self.#name)
            }
        }
    });
    // Where the entity exists; an unchecked one keeps the trait's default (everywhere).
    let availability = availability_const(s);
    let key = declared.iter().find(|f| f.key).map(|f| {
        let json = &f.json;
        quote!(const KEY: #private::Option<&'static str> = #private::Some(#json);)
    });
    let keeps_unknown = extra.map(|_| {
        quote!(
            const KEEPS_UNKNOWN: bool = true;
        )
    });
    let directory_object = entity.directory_object.then(|| {
        quote!(
            const DIRECTORY_OBJECT: bool = true;
        )
    });
    let throttling = throttling_const(s);
    let permissions = entity_permissions_const(s);
    let cast = entity
        .cast
        .as_ref()
        .map(|cast| quote!(const CAST: #private::Option<&'static str> = #private::Some(#cast);));
    let path_const = path_const(s);

    match (&entity.path, &entity.complex) {
        (_, Some(complex)) => {
            let bases = &complex.bases;
            let writes_type = complex.write_type;
            let graph_name = &bases[0];
            quote! {
                #[automatically_derived]
                impl #krate::GraphComplex for #ident {
                    const GRAPH_NAME: &'static str = #graph_name;
                    const BASES: &'static [&'static str] = &[#(#bases),*];
                    const PROPERTIES: &'static [&'static str] = &[#(#json_names),*];
                    const WRITES_TYPE: bool = #writes_type;

                    fn validate(&self) -> #private::Result<(), #krate::error::ValidationError> {
                        #validate_body
                    }
                }
            }
        }
        (Some(_), None) => {
            let companions::Names { fields, patch, navigations } = companions::names(ident);
            let path_args = path_args(s);
            let placeholders: Vec<String> = entity
                .template
                .iter()
                .flat_map(|t| t.placeholders())
                .map(|name| format!("`{{{name}}}`"))
                .collect();
            let args_doc = match placeholders.len() {
                0 => " The path has no placeholders: `()`.".to_owned(),
                _ => format!(" The path's placeholders, in order: {}.", placeholders.join(", ")),
            };
            let field_names: Vec<&syn::Ident> =
                declared.iter().filter(|f| f.is_property()).map(|f| f.ident).collect();
            // Where the operations come from: a collection's, or a single entity's.
            let kind = if entity.single { quote!(Single) } else { quote!(InCollection) };
            // Its changes are read through the collection's `delta` function.
            let tracked = entity.delta.then(|| {
                quote! {
                    #[automatically_derived]
                    impl #krate::entity::Tracked for #ident {}
                }
            });
            quote! {
            #[automatically_derived]
            impl #krate::GraphEntity for #ident {
                #path_const
                const ODATA_TYPE: &'static str = #odata_type;
                const PROPERTIES: &'static [&'static str] = &[#(#json_names),*];
                #availability
                #key
                #keeps_unknown
                #directory_object
                #cast
                #throttling
                #permissions

                #[doc = #args_doc]
                type PathArgs<'__a> = #path_args;
                type Fields = #fields;
                type Patch = #patch;
                type Navigations = #navigations;

                fn fields() -> #fields {
                    #fields { #(#field_names: #krate::query::Field::__new(#json_names),)* }
                }

                fn navigations() -> #navigations {
                    #navigations::__new()
                }

                #etag

                fn validate(&self) -> #private::Result<(), #krate::error::ValidationError> {
                    #validate_body
                }

                fn serialize_body<__S>(&self, __serializer: __S) -> #private::Result<__S::Ok, __S::Error>
                where
                    __S: #private::serde::Serializer,
                {
                    self.__graph_serialize(__serializer, true)
                }
            }

            #[automatically_derived]
            impl #krate::entity::#kind for #ident {}

            #tracked
                }
        }
        (None, None) => quote!(),
    }
}

/// `AVAILABILITY`, where the declaration was checked: the clouds it exists in, and what each
/// other one lacks.
fn availability_const(s: &Shared<'_>) -> Option<TokenStream> {
    let krate = s.krate;
    s.entity.availability.as_ref().map(|(bits, missing)| {
        let (cloud_bits, parts): (Vec<u8>, Vec<&str>) =
            missing.iter().map(|(bit, what)| (*bit, what.as_str())).unzip();
        quote! {
            const AVAILABILITY: #krate::entity::Availability =
                #krate::entity::Availability::__new(#bits, &[#((#cloud_bits, #parts)),*]);
        }
    })
}

/// `PERMISSIONS` of an entity, where the declaration was checked: what each operation needs,
/// from Microsoft's permissions reference, also in its documentation.
fn entity_permissions_const(s: &Shared<'_>) -> Option<TokenStream> {
    let krate = s.krate;
    let [create, get, list, update, delete, delta] = s.entity.permissions.as_slice() else {
        return None;
    };
    let operations = [
        ("create", create),
        ("get", get),
        ("list", list),
        ("update", update),
        ("delete", delete),
        ("delta", delta),
    ];
    let doc = operations
        .iter()
        .filter(|(name, _)| *name != "delta" || s.entity.delta)
        .map(|(name, needs)| format!("`{name}`: {}", permissions_text(needs)))
        .collect::<Vec<_>>()
        .join("; ");
    let doc = format!(" Microsoft's permissions reference: {doc}.");
    let [create, get, list, update, delete, delta] =
        [create, get, list, update, delete, delta].map(|n| request_permissions(s, n));
    Some(quote! {
        #[doc = #doc]
        const PERMISSIONS: #krate::entity::EntityPermissions =
            #krate::entity::EntityPermissions::__new(#create, #get, #list, #update, #delete, #delta);
    })
}

/// `PERMISSIONS` of an action or function, where it was checked.
fn request_permissions_const(s: &Shared<'_>) -> Option<TokenStream> {
    let krate = s.krate;
    let [needs] = s.entity.permissions.as_slice() else { return None };
    let doc = format!(" Microsoft's permissions reference: {}.", permissions_text(needs));
    let value = request_permissions(s, needs);
    Some(quote! {
        #[doc = #doc]
        const PERMISSIONS: #krate::entity::RequestPermissions = #value;
    })
}

/// A `RequestPermissions` value.
fn request_permissions(s: &Shared<'_>, needs: &Needs) -> TokenStream {
    let Shared { krate, private, .. } = s;
    let optional = |name: &Option<String>| match name {
        Some(name) => quote!(#private::Some(#name)),
        None => quote!(#private::None),
    };
    let (application, delegated) = (optional(&needs.application), optional(&needs.delegated));
    let (all_application, all_delegated) = (&needs.all_application, &needs.all_delegated);
    quote! {
        #krate::entity::RequestPermissions::__new(
            #application, #delegated, &[#(#all_application),*], &[#(#all_delegated),*]
        )
    }
}

/// What a request needs, in words: `application DeviceManagementApps.ReadWrite.All, delegated …`.
fn permissions_text(needs: &Needs) -> String {
    if needs.all_application.is_empty() && needs.all_delegated.is_empty() {
        return "not listed".to_owned();
    }
    let name =
        |n: &Option<String>| n.as_deref().map_or_else(|| "none".to_owned(), |n| format!("`{n}`"));
    format!("application {}, delegated {}", name(&needs.application), name(&needs.delegated))
}

/// `THROTTLING`, where the path's service has a documented write limit.
fn throttling_const(s: &Shared<'_>) -> Option<TokenStream> {
    let Shared { krate, private, .. } = s;
    s.entity.throttling.map(|(service, writes, window)| {
        quote! {
            const THROTTLING: #private::Option<#krate::entity::Throttling> =
                #private::Some(#krate::entity::Throttling::__new(#service, #writes, #window));
        }
    })
}

/// `const PATH`: the template split at compile time, pinned to the version the declaration
/// was checked against (an unchecked v1.0 declaration goes where the client points), with
/// what the metadata only infers in its docs.
fn path_const(s: &Shared<'_>) -> TokenStream {
    let Shared { krate, entity, .. } = s;
    let path = entity.path.as_ref();
    let parts = path_parts(s);
    let (version, doc) = match entity.version {
        Some(graph_entity_schema::Version::Beta) if entity.availability.is_none() => {
            (Some(quote!(Beta)), " Graph beta, unchecked: sent to `/beta` whatever the client's default version.".to_owned())
        }
        Some(graph_entity_schema::Version::Beta) => (
            Some(quote!(Beta)),
            " Graph beta: sent to `/beta` whatever the client's default version, checked against beta's metadata as the schema crate reconstructs it from Microsoft's sources.".to_owned(),
        ),
        Some(graph_entity_schema::Version::V1) => {
            (Some(quote!(V1)), " Graph v1.0: sent to `/v1.0` whatever the client's default version.".to_owned())
        }
        None => (None, " Unchecked: sent to the client's default version.".to_owned()),
    };
    let inferred = (!entity.inferred.is_empty()).then(|| {
        let doc = format!(
            " Only inferred by the reconstruction (no Microsoft CSDL states it; the check accepts what could be right): {}.",
            entity.inferred.join(", ")
        );
        quote!(#[doc = ""] #[doc = #doc])
    });
    let pinned = version.map(|v| quote!(.__in(#krate::cloud::ApiVersion::#v)));
    quote! {
        #[doc = #doc]
        #inferred
        const PATH: #krate::entity::PathTemplate =
            #krate::entity::PathTemplate::__from_parts(#path, &[#(#parts),*])#pinned;
    }
}

/// The path template, split at compile time: `PathPart`s for `PathTemplate::__from_parts`.
fn path_parts(s: &Shared<'_>) -> Vec<TokenStream> {
    let private = &s.private;
    s.entity
        .template
        .iter()
        .flat_map(|t| t.parts.iter())
        .map(|part| match part {
            Part::Literal(text) => quote!(#private::PathPart::Literal(#text)),
            Part::Placeholder(name) => quote!(#private::PathPart::Placeholder(#name)),
        })
        .collect()
}

/// `GraphEntity::PathArgs`: `()`, `&str`, or a tuple of as many `&str` as the path has
/// placeholders.
fn path_args(s: &Shared<'_>) -> TokenStream {
    let count = s.entity.template.as_ref().map_or(0, |t| t.placeholders().count());
    path_args_type(count)
}

/// The `PathArgs` type for `count` placeholders.
pub(crate) fn path_args_type(count: usize) -> TokenStream {
    let one = quote!(&'__a str);
    match count {
        0 => quote!(()),
        1 => one,
        n => {
            let all = std::iter::repeat_n(one, n);
            quote!((#(#all,)*))
        }
    }
}
