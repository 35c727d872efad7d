//! `#[graph_enum]`: members as Graph's strings, the catch-all keeping unknown ones.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::{strip_helper_attrs, wrap_in_const};
use crate::model::Enum;

pub(crate) fn graph_enum(model: &Enum) -> TokenStream {
    let item = strip_helper_attrs(model.input);
    let ident = &model.input.ident;
    let krate = &model.krate;
    let private = quote!(#krate::__private);
    let (other, other_ty) = model.other;
    let idents: Vec<_> = model.members.iter().map(|m| m.ident).collect();
    let wires: Vec<_> = model.members.iter().map(|m| m.wire.as_str()).collect();
    let other_access = quote_spanned!(other_ty.span()=> #private::other::<#other_ty>());
    let graph_name = &model.graph_name;

    let impls = quote! {
        #[automatically_derived]
        impl #krate::GraphEnum for #ident {
            const GRAPH_NAME: &'static str = #graph_name;
            const MEMBERS: &'static [&'static str] = &[#(#wires),*];

            fn from_member(__member: &str) -> #private::Option<Self> {
                match __member {
                    #(#wires => #private::Some(Self::#idents),)*
                    _ => #private::None,
                }
            }

            fn from_unknown(__unknown: #private::String) -> Self {
                Self::#other((#other_access.build)(__unknown))
            }

            fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    Self::#other(__unknown) => (#other_access.get)(__unknown),
                }
            }
        }

        #[automatically_derived]
        impl #private::serde::Serialize for #ident {
            fn serialize<__S>(&self, __serializer: __S) -> #private::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                __serializer.serialize_str(<Self as #krate::GraphEnum>::as_str(self))
            }
        }

        #[automatically_derived]
        impl<'de> #private::serde::Deserialize<'de> for #ident {
            fn deserialize<__D>(__deserializer: __D) -> #private::Result<Self, __D::Error>
            where
                __D: #private::serde::Deserializer<'de>,
            {
                #private::deserialize_enum(__deserializer)
            }
        }
    };
    let wrapped = wrap_in_const(impls);
    quote! {
        #item

        #wrapped
    }
}
