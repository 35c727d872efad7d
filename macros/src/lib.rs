//! Implementation detail of the [`graph-entity`](https://docs.rs/graph-entity) crate.
//!
//! Use the attributes through `graph_entity::{graph_entity, graph_enum}`; this crate's items are
//! not a public API of their own. The pipeline is parse (`attr`) → model and checks (`model`,
//! `template`) → expansion (`expand`), with every error collected in a `Ctxt` and
//! reported at once, each at the span of the offending token.

mod attr;
mod check;
mod ctxt;
mod expand;
mod model;
mod symbol;
mod template;
#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::attr::MacroKind;
use crate::ctxt::Ctxt;
use crate::model::{Entity, Enum, crate_path};

/// Declares a Microsoft Graph entity type. See the `graph_entity` crate for the full guide.
#[proc_macro_attribute]
pub fn graph_entity(
    args: proc_macro::TokenStream,
    input: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand_entity(args.into(), input.into()).into()
}

/// Declares a Microsoft Graph complex type. See the `graph_entity` crate for the full guide.
#[proc_macro_attribute]
pub fn graph_complex(
    args: proc_macro::TokenStream,
    input: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand_complex(args.into(), input.into()).into()
}

/// Declares a Microsoft Graph enum type. See the `graph_entity` crate for the full guide.
#[proc_macro_attribute]
pub fn graph_enum(
    args: proc_macro::TokenStream,
    input: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand_enum(args.into(), input.into()).into()
}

pub(crate) fn expand_entity(args: TokenStream, input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let mut cx = Ctxt::new();
    let macro_args = attr::parse_macro_args(&mut cx, MacroKind::Entity, args);
    let model = Entity::from_input(&mut cx, &macro_args, &input);
    match (cx.check(), model) {
        (Ok(()), Some(model)) => expand::entity(&model),
        (result, _) => {
            let errors = result.err().map(|e| e.to_compile_error());
            let krate = crate_path(&macro_args);
            let args = model::fallback_args(&macro_args);
            let fallback = expand::fallback(&input, &krate, args.as_deref(), false);
            quote!(#fallback #errors)
        }
    }
}

pub(crate) fn expand_complex(args: TokenStream, input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let mut cx = Ctxt::new();
    let macro_args = attr::parse_macro_args(&mut cx, MacroKind::Complex, args);
    let model = Entity::complex_from_input(&mut cx, &macro_args, &input);
    match (cx.check(), model) {
        (Ok(()), Some(model)) => expand::entity(&model),
        (result, _) => {
            let errors = result.err().map(|e| e.to_compile_error());
            let krate = crate_path(&macro_args);
            let fallback = expand::fallback(&input, &krate, None, false);
            quote!(#fallback #errors)
        }
    }
}

pub(crate) fn expand_enum(args: TokenStream, input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let mut cx = Ctxt::new();
    let macro_args = attr::parse_macro_args(&mut cx, MacroKind::Enum, args);
    let model = Enum::from_input(&mut cx, &macro_args, &input);
    match (cx.check(), model) {
        (Ok(()), Some(model)) => expand::graph_enum(&model),
        (result, _) => {
            let errors = result.err().map(|e| e.to_compile_error());
            let krate = crate_path(&macro_args);
            let is_enum = matches!(input.data, syn::Data::Enum(_));
            let fallback = expand::fallback(&input, &krate, None, is_enum);
            quote!(#fallback #errors)
        }
    }
}
