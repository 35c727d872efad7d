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
use crate::model::{Action, Entity, Enum, OneOf, crate_path};

/// Declares a Microsoft Graph entity type. See the `graph_entity` crate for the full guide.
#[proc_macro_attribute]
pub fn graph_entity(
    args: proc_macro::TokenStream,
    input: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand(MacroKind::Entity, args.into(), input.into()).into()
}

/// Declares a Microsoft Graph complex type. See the `graph_entity` crate for the full guide.
#[proc_macro_attribute]
pub fn graph_complex(
    args: proc_macro::TokenStream,
    input: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand(MacroKind::Complex, args.into(), input.into()).into()
}

/// Declares a Microsoft Graph action. See the `graph_entity` crate for the full guide.
#[proc_macro_attribute]
pub fn graph_action(
    args: proc_macro::TokenStream,
    input: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand(MacroKind::Action, args.into(), input.into()).into()
}

/// Declares a Microsoft Graph function. See the `graph_entity` crate for the full guide.
#[proc_macro_attribute]
pub fn graph_function(
    args: proc_macro::TokenStream,
    input: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand(MacroKind::Function, args.into(), input.into()).into()
}

/// Declares a Microsoft Graph enum type. See the `graph_entity` crate for the full guide.
#[proc_macro_attribute]
pub fn graph_enum(
    args: proc_macro::TokenStream,
    input: proc_macro::TokenStream,
) -> proc_macro::TokenStream {
    expand(MacroKind::Enum, args.into(), input.into()).into()
}

/// Parse → model and checks → expansion, for any of the macros; on error, the item and stand-in
/// items (so that no cascade of errors follows) with every error at once.
pub(crate) fn expand(kind: MacroKind, args: TokenStream, input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let mut cx = Ctxt::new();
    let macro_args = attr::parse_macro_args(&mut cx, kind, args);
    let metadata = check::Published(macro_args.version());
    let expanded = match kind {
        MacroKind::Entity => {
            Entity::from_input(&mut cx, &metadata, &macro_args, &input).map(|m| expand::entity(&m))
        }
        MacroKind::Complex if matches!(input.data, syn::Data::Enum(_)) => {
            OneOf::from_input(&mut cx, &metadata, &macro_args, &input).map(|m| expand::one_of(&m))
        }
        MacroKind::Complex => Entity::complex_from_input(&mut cx, &metadata, &macro_args, &input)
            .map(|m| expand::entity(&m)),
        MacroKind::Enum => Enum::from_input(&mut cx, &metadata, &macro_args, &input)
            .map(|m| expand::graph_enum(&m)),
        MacroKind::Action | MacroKind::Function => {
            Action::from_input(&mut cx, &metadata, kind, &macro_args, &input)
                .map(|m| expand::action(&m))
        }
    };
    match (cx.check(), expanded) {
        (Ok(()), Some(expanded)) => expanded,
        (result, _) => {
            let errors = result.err().map(|e| e.to_compile_error());
            let krate = crate_path(&macro_args);
            let placeholders = model::fallback_placeholders(&macro_args);
            let returns = macro_args.returns.as_ref();
            let fallback = expand::fallback(&input, &krate, kind, placeholders, returns);
            quote!(#fallback #errors)
        }
    }
}
