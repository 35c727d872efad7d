//! Parsing of the macro arguments and of the `#[graph(...)]` helper attributes.
//!
//! Nothing here returns early on a semantic problem: each one is recorded in the [`Ctxt`] and
//! parsing goes on, so that the user sees every mistake in one compile.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::meta::ParseNestedMeta;
use syn::parse::{ParseStream, Parser};
use syn::{Attribute, LitStr, Token};

use crate::ctxt::Ctxt;
use crate::symbol::*;

/// The arguments of `#[graph_entity(...)]` or `#[graph_enum(...)]`.
#[derive(Default)]
pub(crate) struct MacroArgs {
    pub(crate) path: Option<LitStr>,
    pub(crate) odata_type: Option<LitStr>,
    pub(crate) krate: Option<syn::Path>,
    /// `path` was given, even if its value was rejected: it is not also "missing".
    pub(crate) path_given: bool,
    /// `unchecked`: not checked against Microsoft's metadata (extensions).
    pub(crate) unchecked: Option<Span>,
    /// `beta`: checked against Graph beta's metadata, and sent to `/beta`.
    pub(crate) beta: Option<Span>,
    /// `name = "..."` of a `#[graph_enum]`: its Graph name.
    pub(crate) name: Option<LitStr>,
    /// `clouds(global, us_gov, china)`: the clouds the entity must exist in, each with its
    /// span.
    pub(crate) clouds: Vec<(graph_entity_schema::Clouds, Span)>,
    /// `returns = Type` of a `#[graph_action]`: the Rust type of its result.
    pub(crate) returns: Option<syn::Type>,
    /// `idempotent` of a `#[graph_action]`: invoking it twice does what invoking it once does.
    pub(crate) idempotent: Option<Span>,
}

/// Which macro the arguments belong to: they accept different keys.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum MacroKind {
    Entity,
    Enum,
    Complex,
    Action,
    Function,
}

impl MacroKind {
    fn valid_keys(self) -> &'static str {
        match self {
            MacroKind::Entity => ENTITY_ARGS,
            MacroKind::Enum => ENUM_ARGS,
            MacroKind::Complex => COMPLEX_ARGS,
            MacroKind::Action => ACTION_ARGS,
            MacroKind::Function => FUNCTION_ARGS,
        }
    }

    /// `#[graph_action]` or `#[graph_function]`.
    pub(crate) fn is_operation(self) -> bool {
        matches!(self, MacroKind::Action | MacroKind::Function)
    }

    fn name(self) -> &'static str {
        match self {
            MacroKind::Entity => "graph_entity",
            MacroKind::Enum => "graph_enum",
            MacroKind::Complex => "graph_complex",
            MacroKind::Action => "graph_action",
            MacroKind::Function => "graph_function",
        }
    }
}

impl MacroArgs {
    /// The Graph version the declaration is checked against and sent to: beta when declared
    /// `beta`, else v1.0.
    pub(crate) fn version(&self) -> graph_entity_schema::Version {
        match self.beta {
            Some(_) => graph_entity_schema::Version::Beta,
            None => graph_entity_schema::Version::V1,
        }
    }
}

pub(crate) fn parse_macro_args(cx: &mut Ctxt, kind: MacroKind, args: TokenStream) -> MacroArgs {
    let mut out = MacroArgs::default();
    let parser = syn::meta::parser(|meta| {
        let key = meta.path.clone();
        let name = key.get_ident().map(ToString::to_string).unwrap_or_default();
        match name.as_str() {
            ODATA_TYPE if kind == MacroKind::Complex => {
                if let Some(lit) = string_value(cx, &meta, ODATA_TYPE)? {
                    if out.odata_type.is_some() {
                        cx.error_spanned_by(&key, "duplicate `odata_type` argument");
                    } else {
                        out.odata_type = Some(lit);
                    }
                }
            }
            PATH if kind.is_operation() => {
                out.path_given = true;
                if let Some(lit) = string_value(cx, &meta, PATH)? {
                    if out.path.is_some() {
                        cx.error_spanned_by(&key, "duplicate `path` argument");
                    } else {
                        out.path = Some(lit);
                    }
                }
            }
            RETURNS if kind.is_operation() => {
                if !meta.input.peek(Token![=]) {
                    cx.error_spanned_by(&key, "`returns` takes the result's Rust type: `returns = Vec<DeviceActionResult>`");
                    skip_value(&meta)?;
                    return Ok(());
                }
                let tokens = value_tokens(meta.value()?)?;
                match syn::parse2::<syn::Type>(tokens.clone()) {
                    Ok(_) if out.returns.is_some() => {
                        cx.error_spanned_by(&key, "duplicate `returns` argument");
                    }
                    Ok(ty) => out.returns = Some(ty),
                    Err(_) => {
                        let at: &dyn quote::ToTokens =
                            if tokens.is_empty() { &key } else { &tokens };
                        cx.error_spanned_by(
                            at,
                            "`returns` must be a Rust type: `returns = Vec<DeviceActionResult>`",
                        );
                    }
                }
            }
            IDEMPOTENT if kind == MacroKind::Action => {
                flag_value(cx, &meta, IDEMPOTENT)?;
                if out.idempotent.is_some() {
                    cx.error_spanned_by(&key, "duplicate `idempotent` argument");
                }
                out.idempotent = Some(syn::spanned::Spanned::span(&key));
            }
            PATH | ODATA_TYPE if kind == MacroKind::Entity => {
                out.path_given |= name == PATH;
                let slot = if name == PATH { &mut out.path } else { &mut out.odata_type };
                if let Some(lit) = string_value(cx, &meta, &name)? {
                    if slot.is_some() {
                        cx.error_spanned_by(&key, format!("duplicate `{name}` argument"));
                    } else {
                        *slot = Some(lit);
                    }
                }
            }
            CLOUDS if kind == MacroKind::Entity || kind.is_operation() => {
                meta.parse_nested_meta(|cloud| {
                    let name = cloud.path.get_ident().map(ToString::to_string).unwrap_or_default();
                    let span = syn::spanned::Spanned::span(&cloud.path);
                    let Some(value) = graph_entity_schema::Clouds::from_name(&name) else {
                        cx.error_spanned_by(
                            &cloud.path,
                            "unknown cloud; expected `global`, `us_gov` (L4 and L5) or `china`",
                        );
                        return skip_value(&cloud);
                    };
                    if out.clouds.iter().any(|(c, _)| *c == value) {
                        cx.error_spanned_by(&cloud.path, format!("`{name}` is listed twice"));
                    }
                    out.clouds.push((value, span));
                    Ok(())
                })?;
            }
            NAME if matches!(kind, MacroKind::Enum | MacroKind::Complex) => {
                if let Some(lit) = string_value(cx, &meta, NAME)? {
                    if out.name.is_some() {
                        cx.error_spanned_by(&key, "duplicate `name` argument");
                    } else {
                        out.name = Some(lit);
                    }
                }
            }
            UNCHECKED | BETA if name == BETA || !kind.is_operation() => {
                let slot = if name == BETA { &mut out.beta } else { &mut out.unchecked };
                if slot.is_some() {
                    cx.error_spanned_by(&key, format!("duplicate `{name}` argument"));
                }
                *slot = Some(syn::spanned::Spanned::span(&key));
                if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
                    cx.error_spanned_by(&key, format!("`{name}` takes no value"));
                    skip_value(&meta)?;
                }
            }
            CRATE => {
                if let Some(path) = crate_value(cx, &meta)? {
                    if out.krate.is_some() {
                        cx.error_spanned_by(&key, "duplicate `crate` argument");
                    } else {
                        out.krate = Some(path);
                    }
                }
            }
            _ => {
                cx.error_spanned_by(
                    &key,
                    format!(
                        "unknown `{}` argument `{}`; expected one of {}",
                        kind.name(),
                        path_to_string(&key),
                        kind.valid_keys()
                    ),
                );
                skip_value(&meta)?;
            }
        }
        Ok(())
    });
    if let Err(error) = parser.parse2(args) {
        cx.syn_error(error);
    }
    out
}

/// The options of one `#[graph(...)]`-annotated field.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub(crate) rename: Option<LitStr>,
    pub(crate) required: Option<Span>,
    pub(crate) key: Option<Span>,
    pub(crate) extra: Option<Span>,
    pub(crate) etag: Option<Span>,
}

/// The options of one `#[graph(...)]`-annotated enum variant.
#[derive(Default)]
pub(crate) struct VariantAttrs {
    pub(crate) rename: Option<LitStr>,
    pub(crate) other: Option<Span>,
}

pub(crate) fn is_graph_attr(attr: &Attribute) -> bool {
    attr.path().is_ident(GRAPH)
}

pub(crate) fn parse_field_attrs(cx: &mut Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| is_graph_attr(a)) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta.path.clone();
            let name = key.get_ident().map(ToString::to_string).unwrap_or_default();
            let flag = match name.as_str() {
                RENAME => {
                    if let Some(lit) = string_value(cx, &meta, RENAME)? {
                        set_once(cx, &mut out.rename, lit, &key);
                    }
                    return Ok(());
                }
                REQUIRED => &mut out.required,
                KEY => &mut out.key,
                EXTRA => &mut out.extra,
                ETAG => &mut out.etag,
                _ => {
                    cx.error_spanned_by(
                        &key,
                        format!(
                            "unknown `graph` field attribute `{}`; expected one of {FIELD_KEYS}",
                            path_to_string(&key)
                        ),
                    );
                    return skip_value(&meta);
                }
            };
            flag_value(cx, &meta, &name)?;
            set_once(cx, flag, key_span(&key), &key);
            Ok(())
        });
        if let Err(error) = result {
            cx.syn_error(error);
        }
    }
    out
}

pub(crate) fn parse_variant_attrs(cx: &mut Ctxt, attrs: &[Attribute]) -> VariantAttrs {
    let mut out = VariantAttrs::default();
    for attr in attrs.iter().filter(|a| is_graph_attr(a)) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta.path.clone();
            let name = key.get_ident().map(ToString::to_string).unwrap_or_default();
            match name.as_str() {
                RENAME => {
                    if let Some(lit) = string_value(cx, &meta, RENAME)? {
                        set_once(cx, &mut out.rename, lit, &key);
                    }
                }
                OTHER => {
                    flag_value(cx, &meta, OTHER)?;
                    set_once(cx, &mut out.other, key_span(&key), &key);
                }
                _ => {
                    cx.error_spanned_by(
                        &key,
                        format!(
                            "unknown `graph` variant attribute `{}`; expected one of {VARIANT_KEYS}",
                            path_to_string(&key)
                        ),
                    );
                    skip_value(&meta)?;
                }
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.syn_error(error);
        }
    }
    out
}

fn set_once<T>(cx: &mut Ctxt, slot: &mut Option<T>, value: T, key: &syn::Path) {
    if slot.is_some() {
        cx.error_spanned_by(key, format!("duplicate `{}` attribute", path_to_string(key)));
    } else {
        *slot = Some(value);
    }
}

/// `key = "string"`; records an error and returns `None` for anything else.
fn string_value(cx: &mut Ctxt, meta: &ParseNestedMeta, key: &str) -> syn::Result<Option<LitStr>> {
    if !meta.input.peek(Token![=]) {
        cx.error_spanned_by(&meta.path, format!("`{key}` takes a string value: `{key} = \"...\"`"));
        skip_value(meta)?;
        return Ok(None);
    }
    let tokens = value_tokens(meta.value()?)?;
    match syn::parse2::<LitStr>(tokens.clone()) {
        Ok(lit) => Ok(Some(lit)),
        Err(_) => {
            let at: &dyn quote::ToTokens = if tokens.is_empty() { &meta.path } else { &tokens };
            cx.error_spanned_by(at, format!("`{key}` must be a string literal: `{key} = \"...\"`"));
            Ok(None)
        }
    }
}

/// `crate = some::path` or `crate = "some::path"`; the path must be absolute.
fn crate_value(cx: &mut Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<syn::Path>> {
    const HINT: &str = "`crate` must be an absolute path to the `graph_entity` crate or a re-export of it, such as `crate = ::my_sdk::graph_entity` or `crate = crate`";
    if !meta.input.peek(Token![=]) {
        cx.error_spanned_by(&meta.path, HINT);
        skip_value(meta)?;
        return Ok(None);
    }
    let tokens = value_tokens(meta.value()?)?;
    let parsed = match syn::parse2::<LitStr>(tokens.clone()) {
        Ok(lit) => lit.parse_with(syn::Path::parse_mod_style),
        Err(_) => syn::Path::parse_mod_style.parse2(tokens.clone()),
    };
    match parsed {
        Ok(path) if is_absolute(&path) => Ok(Some(path)),
        _ => {
            let at: &dyn quote::ToTokens = if tokens.is_empty() { &meta.path } else { &tokens };
            cx.error_spanned_by(at, HINT);
            Ok(None)
        }
    }
}

fn is_absolute(path: &syn::Path) -> bool {
    path.leading_colon.is_some()
        || path.segments.first().is_some_and(|s| s.ident == "crate" || s.ident == "$crate")
}

/// A flag such as `required` takes no value.
fn flag_value(cx: &mut Ctxt, meta: &ParseNestedMeta, key: &str) -> syn::Result<()> {
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(&meta.path, format!("`{key}` takes no value: write `{key}` alone"));
        skip_value(meta)?;
    }
    Ok(())
}

/// Consumes whatever value follows an unknown or malformed key, so parsing can go on.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        value_tokens(meta.value()?)?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| skip_value(&inner))?;
    }
    Ok(())
}

/// The tokens of a value, up to the next top-level `,`.
fn value_tokens(input: ParseStream) -> syn::Result<TokenStream> {
    let mut tokens = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        tokens.extend([input.parse::<TokenTree>()?]);
    }
    Ok(tokens)
}

fn key_span(path: &syn::Path) -> Span {
    path.segments.first().map_or_else(Span::call_site, |s| s.ident.span())
}

fn path_to_string(path: &syn::Path) -> String {
    let mut out = String::new();
    if path.leading_colon.is_some() {
        out.push_str("::");
    }
    for (i, segment) in path.segments.iter().enumerate() {
        if i > 0 {
            out.push_str("::");
        }
        out.push_str(&segment.ident.to_string());
    }
    out
}
