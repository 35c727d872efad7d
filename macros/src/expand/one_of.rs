//! `#[graph_complex]` on an enum: a value of one of a complex type's derived types, read by its
//! `@odata.type` into the variant holding that type's struct (the type itself when the value
//! names none), any other kept whole in the `#[graph(other)]` variant; written as the variant's
//! struct writes itself, with its `@odata.type`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::{strip_helper_attrs, wrap_in_const};
use crate::model::OneOf;

pub(crate) fn one_of(model: &OneOf) -> TokenStream {
    let item = strip_helper_attrs(model.input);
    let ident = &model.input.ident;
    let krate = &model.krate;
    let private = quote!(#krate::__private);
    let bases = &model.bases;
    let graph_name = &bases[0];
    let (other, other_ty) = model.other;
    let other_access = quote_spanned!(other_ty.span()=> #private::other_value::<#other_ty>());
    let idents: Vec<_> = model.variants.iter().map(|(ident, _)| *ident).collect();
    let types: Vec<_> = model.variants.iter().map(|(_, ty)| *ty).collect();
    let expecting = format!("a JSON object for #{graph_name} or a type derived from it");

    // At each variant's type: it derives from the enum's type, and writes its `@odata.type`
    // (unless it is the enum's type itself, which a value need not name).
    let checks = model.variants.iter().map(|(variant, ty)| {
        let derives = format!(
            "variant `{variant}` holds a `#[graph_complex]` of a type that does not derive from `{graph_name}`"
        );
        let writes = format!(
            "variant `{variant}` holds a `#[graph_complex]` declared without `odata_type`: Graph could not tell which derived type it writes; declare it with `odata_type = \"#...\"`"
        );
        quote_spanned! {ty.span()=>
            const _: () = ::core::assert!(
                #private::contains_str(<#ty as #krate::GraphComplex>::BASES, #graph_name),
                #derives
            );
            const _: () = ::core::assert!(
                !#private::contains_str(<#ty as #krate::GraphComplex>::BASES, #graph_name)
                    || <#ty as #krate::GraphComplex>::WRITES_TYPE
                    || #private::str_eq(<#ty as #krate::GraphComplex>::GRAPH_NAME, #graph_name),
                #writes
            );
        }
    });

    let impls = quote! {
        #[automatically_derived]
        impl #krate::GraphComplex for #ident {
            const GRAPH_NAME: &'static str = #graph_name;
            const BASES: &'static [&'static str] = &[#(#bases),*];
            const PROPERTIES: &'static [&'static str] = &[];
            const WRITES_TYPE: bool = true;

            fn validate(&self) -> #private::Result<(), #krate::error::ValidationError> {
                match self {
                    #(Self::#idents(__value) => #krate::GraphComplex::validate(__value),)*
                    Self::#other(_) => #private::Ok(()),
                }
            }
        }

        #[automatically_derived]
        impl #private::serde::Serialize for #ident {
            fn serialize<__S>(&self, __serializer: __S) -> #private::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                match self {
                    #(Self::#idents(__value) => #private::serde::Serialize::serialize(__value, __serializer),)*
                    Self::#other(__value) => #private::serde::Serialize::serialize((#other_access.get)(__value), __serializer),
                }
            }
        }

        #[automatically_derived]
        impl<'de> #private::serde::Deserialize<'de> for #ident {
            fn deserialize<__D>(__deserializer: __D) -> #private::Result<Self, __D::Error>
            where
                __D: #private::serde::Deserializer<'de>,
            {
                let (__named, __value) = #private::read_one_of(__deserializer, #expecting)?;
                let __named = __named.as_deref().unwrap_or(#graph_name);
                #(
                    if #private::str_eq(__named, <#types as #krate::GraphComplex>::GRAPH_NAME) {
                        return #private::one_of::<#types, __D::Error>(__value).map(Self::#idents);
                    }
                )*
                #private::Ok(Self::#other((#other_access.build)(__value)))
            }
        }

        #(#checks)*
    };
    let wrapped = wrap_in_const(impls);
    quote! {
        #item

        #wrapped
    }
}
