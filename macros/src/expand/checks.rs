//! What is checked when the program runs (`validate()`: required properties, the extra map) and
//! when it compiles (a field, an action's parameter or result holds a type declaring the Graph
//! type it must, compared in a constant at the user's type).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Type;
use syn::spanned::Spanned;

use super::Shared;
use crate::model::Expected;

/// The body of `validate()`.
pub(super) fn validate_body(s: &Shared<'_>) -> TokenStream {
    let Shared { private, entity, declared, extra_get, shape, .. } = s;
    let odata_type = &entity.odata_type;
    let require: Vec<TokenStream> = declared
        .iter()
        .filter(|f| f.required_on_create)
        .map(|f| {
            let (name, json) = (f.ident, &f.json);
            quote!(__v.require(#json, #private::Option::is_some(&self.#name));)
        })
        .collect();
    let check_extra =
        extra_get.as_ref().map(|get| quote!(__v.extra(#get, <Self as #shape>::PROPERTIES);));
    if require.is_empty() && check_extra.is_none() {
        return quote!(#private::Ok(()));
    }
    quote! {
        let mut __v = #private::Validator::new(#odata_type);
        #(#require)*
        #check_extra
        __v.finish()
    }
}

/// The constants comparing each enum or complex field's type with the property's Graph type.
/// At the top level, so that a failed check is reported at the field's type.
pub(super) fn type_checks(s: &Shared<'_>) -> TokenStream {
    // Each field of a Graph enum property must be a `#[graph_enum]` of that enum (a complex one
    // a `#[graph_complex]` of its type or a type derived from it): the type's declaration is out
    // of the macro's sight, so the compiler compares the names.
    let entity = s.entity;
    let enums = entity.enum_fields.iter().map(|(ty, field, expected)| {
        type_check(s, ty, &format!("field `{field}`"), &Expected::Enum(expected.clone()))
    });
    let complexes = entity.complex_fields.iter().map(|(ty, field, expected)| {
        type_check(s, ty, &format!("field `{field}`"), &Expected::Complex(expected.clone()))
    });
    quote!(#(#enums)* #(#complexes)*)
}

/// The constant comparing a user type (`what` holds it: a field, a parameter, the result) with
/// the Graph type it must declare; spanned at the type, so that a failed comparison is reported
/// there.
pub(super) fn type_check(
    s: &Shared<'_>,
    ty: &Type,
    what: &str,
    expected: &Expected,
) -> TokenStream {
    let Shared { krate, private, .. } = s;
    let assertion = match expected {
        Expected::Enum(name) => {
            let message = format!(
                "{what} holds the Graph enum `{name}`, but its type is a `#[graph_enum]` of another Graph enum"
            );
            quote_spanned!(ty.span()=> ::core::assert!(#private::str_eq(<#ty as #krate::GraphEnum>::GRAPH_NAME, #name), #message))
        }
        Expected::Complex(name) => {
            let message = format!(
                "{what} holds the Graph complex type `{name}`, but its type is a `#[graph_complex]` of another Graph type"
            );
            quote_spanned!(ty.span()=> ::core::assert!(#private::contains_str(<#ty as #krate::GraphComplex>::BASES, #name), #message))
        }
        Expected::Entity(name, accepted) => {
            let message = format!(
                "{what} holds the Graph entity type `{name}`, but its type is a `#[graph_entity]` of another Graph type"
            );
            quote_spanned!(ty.span()=> ::core::assert!(#private::contains_str(&[#(#accepted),*], <#ty as #krate::GraphEntity>::ODATA_TYPE), #message))
        }
    };
    quote_spanned!(ty.span()=> const _: () = #assertion;)
}
