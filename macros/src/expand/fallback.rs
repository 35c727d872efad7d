//! What is emitted when the input has errors: the item itself (without helper attributes) and
//! stand-in implementations of the traits the macro would implement, so that the user sees the
//! real errors and not a cascade of "the trait `GraphEntity` is not implemented" or "no method
//! named `create`". The bodies never run: the crate does not compile.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

use super::{companions, path_args_type, strip_helper_attrs, wrap_in_const};
use crate::attr::MacroKind;
use crate::model::option_inner;

/// The item and the stand-ins (see the module documentation); `placeholders` is the number of
/// the path's placeholders, when the path could be read.
pub(crate) fn fallback(
    input: &DeriveInput,
    krate: &TokenStream,
    kind: MacroKind,
    placeholders: Option<usize>,
    returns: Option<&syn::Type>,
) -> TokenStream {
    let item = strip_helper_attrs(input);
    let ident = &input.ident;
    if !input.generics.params.is_empty() {
        return quote!(#item);
    }
    let private = quote!(#krate::__private);
    let unreachable = quote!(#private::unreachable!());
    let serde_impls = quote! {
        impl #private::serde::Serialize for #ident {
            fn serialize<__S>(&self, _: __S) -> #private::Result<__S::Ok, __S::Error>
            where
                __S: #private::serde::Serializer,
            {
                #unreachable
            }
        }
        impl<'de> #private::serde::Deserialize<'de> for #ident {
            fn deserialize<__D>(_: __D) -> #private::Result<Self, __D::Error>
            where
                __D: #private::serde::Deserializer<'de>,
            {
                #unreachable
            }
        }
    };
    let stand_in = match (kind, &input.data) {
        (MacroKind::Enum, Data::Enum(_)) => quote! {
            impl #krate::GraphEnum for #ident {
                const GRAPH_NAME: &'static str = "";
                const MEMBERS: &'static [&'static str] = &[];
                fn from_member(_: &str) -> #private::Option<Self> { #unreachable }
                fn from_unknown(_: #private::String) -> Self { #unreachable }
                fn as_str(&self) -> &str { #unreachable }
            }
        },
        (MacroKind::Complex, Data::Struct(_) | Data::Enum(_)) => quote! {
            impl #krate::GraphComplex for #ident {
                const GRAPH_NAME: &'static str = "";
                const BASES: &'static [&'static str] = &[];
                const PROPERTIES: &'static [&'static str] = &[];
                fn validate(&self) -> #private::Result<(), #krate::error::ValidationError> {
                    #unreachable
                }
            }
        },
        (MacroKind::Action | MacroKind::Function, Data::Struct(_)) => {
            let path_args = path_args_type(placeholders.unwrap_or(0));
            let output = returns.map_or_else(|| quote!(()), |ty| quote!(#ty));
            // The same constants and types; a function also writes its parameters.
            let (graph_trait, write) = if kind == MacroKind::Function {
                let write = quote! {
                    fn write_parameters(
                        &self,
                        _: &mut #krate::operation::FunctionParameters,
                    ) -> #private::Result<(), #krate::Error> {
                        #unreachable
                    }
                };
                (quote!(GraphFunction), write)
            } else {
                (quote!(GraphAction), quote!())
            };
            quote! {
                impl #krate::operation::#graph_trait for #ident {
                    const PATH: #krate::entity::PathTemplate =
                        #krate::entity::PathTemplate::__from_parts("", &[]);
                    const NAME: &'static str = "";
                    const RESULT: #krate::operation::ResultShape = #krate::operation::ResultShape::None;
                    type PathArgs<'__a> = #path_args;
                    type Output = #output;
                    #write
                }
            }
        }
        (MacroKind::Entity, Data::Struct(data)) => {
            let companions::Names {
                fields: fields_ty,
                patch: patch_ty,
                navigations: navigations_ty,
            } = companions::names(ident);
            let path_args = path_args_type(placeholders.unwrap_or(0));
            let vis = &input.vis;
            let (names, values): (Vec<&syn::Ident>, Vec<&syn::Type>) = match &data.fields {
                Fields::Named(named) => named
                    .named
                    .iter()
                    .filter_map(|f| {
                        let name = f.ident.as_ref()?;
                        Some((name, option_inner(&f.ty).unwrap_or(&f.ty)))
                    })
                    .unzip(),
                _ => (Vec::new(), Vec::new()),
            };
            quote! {
                impl #krate::GraphEntity for #ident {
                    const PATH: #krate::entity::PathTemplate =
                        #krate::entity::PathTemplate::__from_parts("", &[]);
                    const ODATA_TYPE: &'static str = "";
                    const PROPERTIES: &'static [&'static str] = &[];
                    type PathArgs<'__a> = #path_args;
                    type Fields = #fields_ty;
                    type Patch = #patch_ty;
                    type Navigations = #navigations_ty;
                    fn fields() -> #fields_ty { #unreachable }
                    fn navigations() -> #navigations_ty { #unreachable }
                    fn validate(&self) -> #private::Result<(), #krate::error::ValidationError> {
                        #unreachable
                    }
                }
                impl #krate::entity::InCollection for #ident {}
                #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
                #vis struct #fields_ty {
                    #(pub #names: #krate::query::Field<#ident, #values>,)*
                }
                #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
                #vis struct #navigations_ty;
                #[derive(::core::default::Default, ::core::fmt::Debug)]
                #vis struct #patch_ty;
                impl #patch_ty {
                    // Any value: the real setters' types are what the failed checks would say.
                    #(
                        #[allow(clippy::needless_pass_by_value)]
                        pub fn #names<__V>(self, _: __V) -> Self { #unreachable }
                    )*
                }
                impl #private::serde::Serialize for #patch_ty {
                    fn serialize<__S>(&self, _: __S) -> #private::Result<__S::Ok, __S::Error>
                    where
                        __S: #private::serde::Serializer,
                    {
                        #unreachable
                    }
                }
                impl #private::GeneratedPatch for #patch_ty {}
                impl #krate::GraphPatch for #patch_ty {
                    type Entity = #ident;
                    fn is_empty(&self) -> bool { #unreachable }
                }
            }
        }
        _ => return quote!(#item),
    };
    let wrapped = wrap_in_const(quote!(#serde_impls #stand_in));
    quote! {
        #item
        #wrapped
    }
}
