//! What is emitted when the input has errors: the item itself (without helper attributes) and
//! stand-ins with the same names and signatures, so that the user sees the real errors and not a
//! cascade of "no method named `create`". The bodies never run: the crate does not compile.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use super::strip_helper_attrs;

/// The item and the stand-ins (see the module documentation).
pub(crate) fn fallback(
    input: &DeriveInput,
    krate: &TokenStream,
    args: Option<&[syn::Ident]>,
    is_enum: bool,
) -> TokenStream {
    let item = strip_helper_attrs(input);
    let ident = &input.ident;
    if !input.generics.params.is_empty() {
        return quote!(#item);
    }
    let private = quote!(#krate::__private);
    let serde_impls = quote! {
        impl #private::serde::Serialize for #ident {
            fn serialize<__S>(&self, _: __S) -> #private::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                #private::unreachable!()
            }
        }
        impl<'de> #private::serde::Deserialize<'de> for #ident {
            fn deserialize<__D>(_: __D) -> #private::Result<Self, __D::Error>
            where
                __D: #private::serde::Deserializer<'de>,
            {
                #private::unreachable!()
            }
        }
    };
    if is_enum {
        return quote!(#item #serde_impls);
    }
    let operations = args.map(|args| {
        let (fields_ty, patch_ty) = super::patch::names(ident);
        let signature = super::operations::Signature {
            krate,
            args,
            placeholders: &[],
            path: "",
            patch: &patch_ty,
        };
        let methods = super::operations::methods(&super::operations::operations(&signature), true);
        quote! {
            pub struct #fields_ty;
            #[derive(Default)]
            pub struct #patch_ty;
            impl #ident {
                pub fn fields() -> #fields_ty {
                    #private::unreachable!()
                }
                pub fn query() -> #krate::Query<Self> {
                    #private::unreachable!()
                }
                pub fn patch() -> #patch_ty {
                    #private::unreachable!()
                }
            }
            #private::with_client! {
                impl #ident {
                    #methods
                }
            }
        }
    });
    quote! {
        #item
        impl #ident {
            pub const PATH: &'static str = "";
            pub const ODATA_TYPE: &'static str = "";
            pub fn validate(&self) -> #private::Result<(), #krate::error::ValidationError> {
                #private::unreachable!()
            }
        }
        #operations
        #serde_impls
    }
}
