//! What reads and updates name: `{Entity}Fields`, one typed property path per field for query
//! options, and `{Entity}Patch`, the changes an update sends.
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

/// The names of the generated types.
pub(crate) fn names(entity: &Ident) -> (Ident, Ident) {
    (format_ident!("{}Fields", entity), format_ident!("{}Patch", entity))
}

/// `{Entity}Fields`, `{Entity}Patch` and the entity's `fields()`, `query()` and `patch()`.
pub(super) fn items(s: &Shared<'_>) -> TokenStream {
    let Shared { ident, krate, private, entity, declared, .. } = s;
    let vis = &entity.input.vis;
    let (fields_ty, patch_ty) = names(ident);
    let odata_type = &entity.odata_type;

    let properties: Vec<_> = declared.iter().filter(|f| f.is_property()).collect();
    let names: Vec<&Ident> = properties.iter().map(|f| f.ident).collect();
    let jsons: Vec<&str> = properties.iter().map(|f| f.json.as_str()).collect();
    let value_types: Vec<&syn::Type> =
        properties.iter().map(|f| option_inner(f.ty).unwrap_or(f.ty)).collect();
    let fields_doc = format!(
        " The properties of [`{ident}`] for query options, each typed by its value: `{ident}::fields()`."
    );
    let field_docs = jsons.iter().map(|json| format!(" `{json}`"));

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
        if f.nullable {
            let doc = format!(" Sets `{json}`; `None` writes `null`, clearing it.");
            quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #name(mut self, value: #private::Option<#value>) -> Self {
                    self.#name = #private::Some(value);
                    self
                }
            }
        } else {
            let doc = format!(" Sets `{json}` (Graph does not allow `null` in it).");
            quote! {
                #[doc = #doc]
                #[must_use]
                pub fn #name(mut self, value: #value) -> Self {
                    self.#name = #private::Some(value);
                    self
                }
            }
        }
    });
    let writable_json: Vec<&str> = writable.iter().map(|f| f.json.as_str()).collect();
    let patch_doc = format!(
        " The changes to a [`{ident}`] that an update sends: only the properties set (`{ident}::patch()`, then a setter per property)."
    );

    quote! {
        #[doc = #fields_doc]
        #[derive(Clone, Copy, Debug)]
        #vis struct #fields_ty {
            #(
                #[doc = #field_docs]
                pub #names: #krate::query::Field<#ident, #value_types>,
            )*
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

        #[automatically_derived]
        impl #ident {
            /// The typed property paths of this entity, for query options.
            pub fn fields() -> #fields_ty {
                #fields_ty { #(#names: #krate::query::Field::__new(#jsons),)* }
            }

            /// Query options for reading this entity: `Self::query().filter(...)`.
            pub fn query() -> #krate::Query<Self> {
                #krate::Query::new()
            }

            /// An update that changes nothing yet: add the properties to change with its setters.
            pub fn patch() -> #patch_ty {
                <#patch_ty as #private::Default>::default()
            }
        }
    }
}
