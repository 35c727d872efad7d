//! What is checked when the program runs (`validate()`: required properties, the extra map) and
//! when it compiles (a field of a Graph enum or complex property holds a type of that name,
//! compared in a constant at the field's type).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::Shared;

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
    let Shared { krate, private, entity, .. } = s;
    // Each field of a Graph enum property must be a `#[graph_enum]` of that enum: the type's
    // declaration is out of the macro's sight, so the compiler compares the names.
    let enum_checks = entity.enum_fields.iter().map(|(ty, field, expected)| {
        let message = format!(
            "field `{field}` holds the Graph enum `{expected}`, but its type is a `#[graph_enum]` of another Graph enum"
        );
        quote_spanned! {ty.span()=>
            const _: () = ::core::assert!(
                #private::str_eq(<#ty as #krate::GraphEnum>::GRAPH_NAME, #expected),
                #message
            );
        }
    });
    // Likewise for complex properties: the field's type or a type derived from it.
    let complex_checks = entity.complex_fields.iter().map(|(ty, field, expected)| {
        let message = format!(
            "field `{field}` holds the Graph complex type `{expected}`, but its type is a `#[graph_complex]` of another Graph type"
        );
        quote_spanned! {ty.span()=>
            const _: () = ::core::assert!(
                #private::contains_str(<#ty as #krate::GraphComplex>::BASES, #expected),
                #message
            );
        }
    });
    quote!(#(#enum_checks)* #(#complex_checks)*)
}
