//! The expansion of a `#[graph_action]` or `#[graph_function]`: the parameters' wire format
//! (that of a complex value, without `@odata.type`), `GraphAction` (or `GraphFunction`, which
//! writes each parameter in the URL), and the constants that compare the types the macro
//! cannot see (enum, complex and entity parameters, the result) with the metadata's.

use proc_macro2::TokenStream;
use quote::quote;

use super::{
    Shared, availability_const, checks, path_args, path_const, request_permissions_const, serde,
    strip_helper_attrs, throttling_const, wrap_in_const,
};
use crate::model::{Action, ResultKind};

pub(crate) fn action(action: &Action) -> TokenStream {
    let params = &action.params;
    let item = strip_helper_attrs(params.input);
    let s = Shared::new(params);
    let Shared { ident, krate, private, .. } = &s;
    let serialize = serde::serialize(&s);
    let deserialize = serde::deserialize(&s);
    let field_checks = checks::type_checks(&s);
    let type_checks =
        action.type_checks.iter().map(|c| checks::type_check(&s, c.ty, &c.what, &c.expected));
    let path_const = path_const(&s);
    let path_args = path_args(&s);
    let name = &action.name;
    let availability = availability_const(&s);
    let throttling = throttling_const(&s);
    let permissions = request_permissions_const(&s);
    let idempotent = action.idempotent;
    let result = match action.result {
        ResultKind::None => quote!(None),
        ResultKind::Entity => quote!(Entity),
        ResultKind::Value => quote!(Value),
        ResultKind::Collection => quote!(Collection),
        ResultKind::Stream => quote!(Stream),
    };
    let output = match &action.returns {
        Some(ty) => quote!(#ty),
        None => quote!(()),
    };
    // What an action has of its own (its write limit, whether it is idempotent) and a
    // function (how it writes its parameters in the URL); the rest is common.
    let (graph_trait, own) = if action.function {
        let writes = action.writes.iter().map(|w| {
            let (field, name) = (w.field, &w.name);
            let write = |value: TokenStream| {
                if w.literal {
                    quote!(__p.literal(#name, #value);)
                } else {
                    quote!(__p.alias(#name, #value)?;)
                }
            };
            if !w.option {
                return write(quote!(&self.#field));
            }
            let some = write(quote!(__v));
            // `None`: left out where the parameter is optional, else `null`.
            let none = if w.optional { quote!() } else { quote!(__p.null(#name);) };
            quote! {
                match &self.#field {
                    #private::Some(__v) => { #some }
                    #private::None => { #none }
                }
            }
        });
        let own = quote! {
            fn write_parameters(
                &self,
                __p: &mut #krate::operation::FunctionParameters,
            ) -> #private::Result<(), #krate::Error> {
                #(#writes)*
                #private::Ok(())
            }
        };
        (quote!(GraphFunction), own)
    } else {
        (quote!(GraphAction), quote!(#throttling const IDEMPOTENT: bool = #idempotent;))
    };
    let graph_trait = quote! {
        #[automatically_derived]
        impl #krate::operation::#graph_trait for #ident {
            #path_const
            const NAME: &'static str = #name;
            #availability
            const RESULT: #krate::operation::ResultShape = #krate::operation::ResultShape::#result;
            #permissions
            type PathArgs<'__a> = #path_args;
            type Output = #output;
            #own
        }
    };
    // Query options on the result of a composable function, naming its entities' properties.
    let composable = action.composable.map(|item| {
        quote! {
            #[automatically_derived]
            impl #krate::operation::Composable for #ident {
                type Item = #item;
            }
        }
    });
    let wrapped = wrap_in_const(quote!(#graph_trait #composable #serialize #deserialize));
    quote! {
        #item

        #wrapped

        #field_checks
        #(#type_checks)*
    }
}
