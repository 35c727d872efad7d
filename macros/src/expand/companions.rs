//! An entity's companion types: its fields, one typed property path per field for query
//! options, and its patch, the changes an update sends. They sit in the entity's anonymous
//! constant, so that they take no name in the user's namespace; the user reaches them through
//! `GraphEntity::Fields` and `GraphEntity::Patch` (`User::fields()`, `User::patch()`).
//!
//! The patch has a setter per property the client may write: none for the key or for
//! computed properties; a setter taking an `Option` (where `None` writes `null`) only for the
//! properties Graph declares nullable, so that the compiler refuses a `null` Graph would refuse.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use super::Shared;
use crate::model::option_inner;
use crate::symbol::ODATA_TYPE_PROPERTY;
use graph_entity_schema::naming;

/// The names of the companion types, inside the entity's constant: `__` and the entity's name, so
/// that they shadow none of the types the fields name.
pub(crate) struct Names {
    pub(crate) fields: Ident,
    pub(crate) patch: Ident,
    pub(crate) navigations: Ident,
}

pub(crate) fn names(entity: &Ident) -> Names {
    let entity = entity.to_string();
    let entity = entity.trim_start_matches("r#");
    Names {
        fields: format_ident!("__{}Fields", entity),
        patch: format_ident!("__{}Patch", entity),
        navigations: format_ident!("__{}Navigations", entity),
    }
}

/// The field of the navigations type for each navigation property, named as a field of that
/// property would be (`userStatuses` → `user_statuses`, `type` → `r#type`); one per name.
pub(crate) fn navigation_fields(navigations: &[String]) -> Vec<(Ident, &str)> {
    let mut fields: Vec<(Ident, &str)> = Vec::new();
    for json in navigations {
        let snake = naming::to_snake_case(json);
        let ident = syn::parse_str::<Ident>(&snake)
            .unwrap_or_else(|_| Ident::new_raw(&snake, proc_macro2::Span::call_site()));
        if !fields.iter().any(|(taken, _)| *taken == ident) {
            fields.push((ident, json));
        }
    }
    fields
}

/// The fields type and the patch type, with their impls.
pub(super) fn items(s: &Shared<'_>) -> TokenStream {
    let Shared { ident, krate, private, entity, declared, .. } = s;
    let Names { fields: fields_ty, patch: patch_ty, navigations: navigations_ty } = names(ident);
    let (navigation_names, navigation_jsons): (Vec<Ident>, Vec<&str>) =
        navigation_fields(&entity.navigations).into_iter().unzip();
    let navigations_doc = format!(
        " The navigation properties of [`{ident}`] for `$expand`: `{ident}::navigations()`."
    );
    let odata_type = &entity.odata_type;
    // The entity's own visibility: the types name it, and a public type may not name a private one.
    let vis = &entity.input.vis;

    let properties: Vec<_> = declared.iter().filter(|f| f.is_property()).collect();
    let names: Vec<&Ident> = properties.iter().map(|f| f.ident).collect();
    let value_types: Vec<&syn::Type> =
        properties.iter().map(|f| option_inner(f.ty).unwrap_or(f.ty)).collect();
    let fields_doc = format!(
        " The properties of [`{ident}`] for query options, each typed by its value: `{ident}::fields()`."
    );
    let field_docs = properties.iter().map(|f| format!(" `{}`", f.json));

    // What an update may write: not the key, not what the service computes.
    let writable: Vec<_> = declared.iter().filter(|f| !f.key && !f.computed).collect();
    let slots: Vec<&Ident> = writable.iter().map(|f| f.ident).collect();
    let slot_types = writable.iter().map(|f| {
        let value = option_inner(f.ty).unwrap_or(f.ty);
        if f.nullable {
            quote!(#private::Option<#private::Option<#value>>)
        } else {
            quote!(#private::Option<#value>)
        }
    });
    let setters = writable.iter().map(|f| {
        let name = f.ident;
        let value = option_inner(f.ty).unwrap_or(f.ty);
        let json = &f.json;
        let (doc, parameter) = if f.nullable {
            (
                format!(" Sets `{json}`; `None` writes `null`, clearing it."),
                quote!(#private::Option<#value>),
            )
        } else {
            (format!(" Sets `{json}` (Graph does not allow `null` in it)."), quote!(#value))
        };
        quote! {
            #[doc = #doc]
            #[must_use]
            pub fn #name(mut self, value: #parameter) -> Self {
                self.#name = #private::Some(value);
                self
            }
        }
    });
    let writable_json: Vec<&str> = writable.iter().map(|f| f.json.as_str()).collect();
    let patch_doc = format!(
        " The changes to a [`{ident}`] that an update sends: only the properties set (`{ident}::patch()`, then a setter per property)."
    );

    let properties = quote!(<#ident as #krate::GraphEntity>::PROPERTIES);
    let fields_impls = copy_and_list(private, &fields_ty, &properties);
    let navigations = quote!({
        const NAMES: &[&str] = &[#(#navigation_jsons),*];
        NAMES
    });
    let navigations_impls = copy_and_list(private, &navigations_ty, &navigations);

    quote! {
        #[doc = #fields_doc]
        #vis struct #fields_ty {
            #(
                #[doc = #field_docs]
                pub #names: #krate::query::Field<#ident, #value_types>,
            )*
        }

        #[doc = #navigations_doc]
        #vis struct #navigations_ty {
            #(
                #[doc = #navigation_jsons]
                pub #navigation_names: #krate::query::Navigation<#ident>,
            )*
        }

        #fields_impls
        #navigations_impls

        #[automatically_derived]
        impl #navigations_ty {
            fn __new() -> Self {
                Self { #(#navigation_names: #krate::query::Navigation::__new(#navigation_jsons),)* }
            }
        }

        #[doc = #patch_doc]
        #vis struct #patch_ty {
            #(#slots: #slot_types,)*
        }

        #[automatically_derived]
        impl #private::Default for #patch_ty {
            fn default() -> Self {
                Self { #(#slots: #private::None,)* }
            }
        }

        #[automatically_derived]
        impl #private::fmt::Debug for #patch_ty {
            /// The properties set, not their values (which may be personal data).
            fn fmt(&self, __f: &mut #private::fmt::Formatter<'_>) -> #private::fmt::Result {
                let mut __set = __f.debug_set();
                #(if self.#slots.is_some() { __set.entry(&#writable_json); })*
                __set.finish()
            }
        }

        #[automatically_derived]
        impl #patch_ty {
            #(#setters)*
        }

        #[automatically_derived]
        impl #private::serde::Serialize for #patch_ty {
            fn serialize<__S>(&self, __serializer: __S) -> #private::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                use #private::serde::ser::SerializeMap as _;
                let mut __map = __serializer.serialize_map(#private::None)?;
                __map.serialize_entry(#ODATA_TYPE_PROPERTY, #odata_type)?;
                #(
                    if let #private::Some(__value) = &self.#slots {
                        __map.serialize_entry(#writable_json, __value)?;
                    }
                )*
                __map.end()
            }
        }

        #[automatically_derived]
        impl #private::GeneratedPatch for #patch_ty {}

        #[automatically_derived]
        impl #krate::GraphPatch for #patch_ty {
            type Entity = #ident;

            fn is_empty(&self) -> bool {
                true #(&& self.#slots.is_none())*
            }
        }
    }
}

/// `Clone`, `Copy` and a `Debug` listing `names` (a `&[&str]`, the JSON names of its members) for
/// a companion type of copyable fields: written out rather than derived, a derive being one more
/// expansion per entity.
fn copy_and_list(private: &TokenStream, ty: &Ident, names: &TokenStream) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl #private::Clone for #ty {
            fn clone(&self) -> Self { *self }
        }
        #[automatically_derived]
        impl #private::Copy for #ty {}
        #[automatically_derived]
        impl #private::fmt::Debug for #ty {
            /// The JSON names of its members.
            fn fmt(&self, __f: &mut #private::fmt::Formatter<'_>) -> #private::fmt::Result {
                __f.debug_list().entries(#names).finish()
            }
        }
    }
}
