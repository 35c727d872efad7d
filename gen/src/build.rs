//! The items: a struct for each entity, then a struct or an enum for each type they need, with
//! their attributes and doc comments, built as syntax trees and printed by prettyplease.

use std::collections::HashSet;

use graph_entity_schema::{PropertyDef, TypeDef, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;
use syn::parse_quote;

use crate::names::{self, ident};
use crate::operations::{self, Operation};
use crate::resolve::{Entity, Scope};
use crate::types::{self, Needs};
use crate::{Cloud, doc};

/// The file: the `use` item, the entities (each once), then the types they need, in that order,
/// a blank line between items.
pub(crate) fn file(scope: Scope<'_>, cloud: Option<Cloud>, entities: &[Entity<'_>]) -> String {
    file_with_operations(scope, cloud, entities, &[]).0
}

/// [`file`], with the actions and functions after the entities: those whose parameters and
/// result have Rust types here (the entity types among them declared in `entities`); the
/// others, by struct name, with why.
pub(crate) fn file_with_operations(
    scope: Scope<'_>,
    cloud: Option<Cloud>,
    entities: &[Entity<'_>],
    operations: &[Operation<'_>],
) -> (String, Vec<(String, String)>) {
    let mut needs = Needs::default();
    needs.import("graph_entity");
    // Each item is printed as soon as it is built; the `use` item, known last, goes first.
    let mut items = String::new();
    let mut printed = HashSet::new();
    for entity in entities {
        if printed.insert(&entity.ty.name) {
            print(&mut items, entity_item(scope, cloud, entity, &mut needs));
        }
    }
    let declared: HashSet<String> = entities.iter().map(|e| e.ty.name.clone()).collect();
    let mut skipped = Vec::new();
    for operation in operations {
        match operations::item(scope, cloud_arg(cloud), operation, &declared, &mut needs) {
            Ok(item) => print(&mut items, item),
            Err(why) => skipped.push((operation.rust.clone(), why)),
        }
    }
    while let Some(ty) = needs.next() {
        let made = match ty.kind {
            TypeKind::Enum => vec![enum_item(scope, ty, &mut needs)],
            _ => complex_items(scope, ty, &mut needs),
        };
        for item in made {
            print(&mut items, item);
        }
    }
    // A name at the facade's root (`DateTimeOffset`) or below it (`wire::Duration`).
    let imports: Vec<TokenStream> = needs
        .imports()
        .map(|path| {
            let segments = path.split("::").map(ident);
            quote!(#(#segments)::*)
        })
        .collect();
    let uses: syn::Item = match imports.as_slice() {
        [one] => parse_quote!(use graph_entity::#one;),
        _ => parse_quote!(use graph_entity::{#(#imports),*};),
    };
    let mut out = unparse(uses);
    out.push_str(&items);
    (out, skipped)
}

/// `clouds(name)` for a declaration held to one cloud's metadata.
fn cloud_arg(cloud: Option<Cloud>) -> Option<TokenStream> {
    cloud.map(|cloud| {
        let name = ident(cloud.clouds().names().next().unwrap_or("global"));
        quote!(clouds(#name))
    })
}

/// The `graph_entities!` macro over these entity types (qualified names), laid out as rustfmt
/// would; see [`crate::All::registry`].
pub(crate) fn registry(types: &[String], names: &[String]) -> String {
    let mut out = String::from(
        "\n/// The entity types above by their Microsoft Graph names: `graph_entities!(m)` expands to\n\
         /// `m! { \"microsoft.graph.user\" => User, … }`, for code that picks a type at run time.\n\
         #[macro_export]\n\
         macro_rules! graph_entities {\n    ($m:ident) => {\n        $m! {\n",
    );
    for (name, rust) in types.iter().zip(names) {
        out.push_str(&format!("            {name:?} => {rust},\n"));
    }
    out.push_str("        }\n    };\n}\n");
    out
}

/// Prints the item after a blank line.
fn print(out: &mut String, item: syn::Item) {
    out.push('\n');
    out.push_str(&unparse(item));
}

/// The item alone in a file: prettyplease puts no blank line between a file's items.
fn unparse(item: syn::Item) -> String {
    let file = syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items: vec![item] };
    prettyplease::unparse(&file)
}

fn entity_item<'s>(
    scope: Scope<'s>,
    cloud: Option<Cloud>,
    entity: &Entity<'s>,
    needs: &mut Needs<'s>,
) -> syn::Item {
    let ty = entity.ty;
    let path = &entity.path;
    let mut args = vec![quote!(path = #path)];
    if let Some(odata_type) = &entity.odata_type {
        args.push(quote!(odata_type = #odata_type));
    }
    args.extend(cloud_arg(cloud));
    args.extend(scope.beta_arg());
    let mut about = if entity.single {
        format!("Graph's `{}`, one entity: read with `GET {path}`, updated with `PATCH`.", ty.name)
    } else {
        format!("Graph's `{}`, created with `POST {path}`.", ty.name)
    };
    if entity.minimal {
        about.push_str(" Only some of its properties are declared.");
    }
    let fields = fields(scope, ty, &entity.properties, !entity.minimal, needs);
    structure(
        ty,
        &names::type_name(scope.schema, &ty.name),
        &about,
        quote!(#[graph_entity(#(#args),*)]),
        fields,
    )
}

/// A complex type's struct; for a type with derived types, the enum of its concrete types too
/// (the type's own name), its own struct (when it is concrete) named apart.
fn complex_items<'s>(scope: Scope<'s>, ty: &'s TypeDef, needs: &mut Needs<'s>) -> Vec<syn::Item> {
    needs.import("graph_complex");
    let mut items = Vec::new();
    if types::is_one_of(scope, ty) {
        items.push(one_of_item(scope, ty, &types::concrete(scope, ty), needs));
        if ty.is_abstract {
            return items;
        }
    }
    let rust = types::struct_name(scope, ty);
    // A derived value says which type it is; a base one is known from the property.
    let arg = if ty.base.is_some() && !ty.is_abstract {
        let odata_type = format!("#{}", ty.name);
        Some(quote!(odata_type = #odata_type))
    } else {
        name_arg(ty, &rust)
    };
    let mut about = format!("Graph's complex type `{}`.", ty.name);
    if ty.is_abstract {
        about.push_str(&format!(
            " Abstract: Graph sends one of its derived types ({}); a field of this type may hold a struct of any of them.",
            scope.concrete_list(ty)
        ));
    } else if items.len() == 1 {
        about.push_str(&format!(
            " A value of this type itself: a field of the type holds the enum `{}`, which is this or one of its derived types.",
            names::type_name(scope.schema, &ty.name)
        ));
    }
    let fields = fields(scope, ty, &scope.properties(&ty.name), true, needs);
    let macro_attr = attribute(scope, quote!(graph_complex), arg);
    items.push(structure(ty, &rust, &about, macro_attr, fields));
    items
}

/// A complex type with derived types: an enum with a variant for each concrete one (the type
/// itself included unless abstract), holding its struct, and `Other` for a type added since,
/// kept whole.
fn one_of_item<'s>(
    scope: Scope<'s>,
    ty: &TypeDef,
    concrete: &[&'s TypeDef],
    needs: &mut Needs<'s>,
) -> syn::Item {
    needs.import("Json");
    let mut names: Vec<String> = Vec::new();
    let mut variants = Vec::new();
    for derived in concrete {
        // The type itself is declared with the enum; the others when their turn comes.
        if derived.name != ty.name {
            needs.need(derived);
        }
        let rust = names::type_name(scope.schema, &derived.name);
        let what = if derived.name == ty.name { ", which a value need not name" } else { "" };
        let doc = doc::attrs(&format!("Graph's `{}`{what}.", derived.name), 4);
        let (name, holds) = (ident(&rust), ident(&types::struct_name(scope, derived)));
        // Boxed: the enum is as small as a pointer, whatever the size of its types.
        variants.push(quote!(#doc #name(Box<#holds>)));
        names.push(rust);
    }
    let other = ["Other", "OtherType", "UnknownType"]
        .into_iter()
        .find(|o| !names.iter().any(|n| n == o))
        .unwrap_or("UnknownType");
    let other = ident(other);
    let about = if ty.is_abstract {
        format!(
            "Abstract: Graph sends one of its derived types, each a variant, told apart by `@odata.type`; `{other}` keeps a type added since (or a value that names none) whole."
        )
    } else {
        format!(
            "A value of this type or one of its derived types, each a variant, told apart by `@odata.type` (a value that names none is of this type); `{other}` keeps a type added since whole."
        )
    };
    let doc = item_doc(ty, &about, &[]);
    let rust = names::type_name(scope.schema, &ty.name);
    let attr = attribute(scope, quote!(graph_complex), name_arg(ty, &rust));
    let rust = ident(&names::type_name(scope.schema, &ty.name));
    parse_quote! {
        #doc
        #attr
        #[derive(Debug, Clone, PartialEq)]
        pub enum #rust {
            #(#variants,)*
            /// A derived type not named here, as read.
            #[graph(other)]
            #other(Json)
        }
    }
}

/// The struct for `ty`: its doc comment, macro attribute and fields.
fn structure(
    ty: &TypeDef,
    rust: &str,
    about: &str,
    macro_attr: TokenStream,
    (fields, skipped): (Vec<TokenStream>, Vec<String>),
) -> syn::Item {
    let doc = item_doc(ty, about, &skipped);
    let rust = ident(rust);
    parse_quote! {
        #doc
        #macro_attr
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #rust { #(#fields),* }
    }
}

fn enum_item<'s>(scope: Scope<'s>, ty: &'s TypeDef, needs: &mut Needs<'s>) -> syn::Item {
    needs.import("graph_enum");
    let mut taken = Vec::new();
    let mut variants = Vec::new();
    for member in ty.members.iter().filter(|m| m.clouds.contains(scope.clouds)) {
        let named = names::variant(&member.name, &taken);
        let doc = doc::attrs(&format!("`{}`", member.name), 4);
        let rename = named.rename.iter().map(|r| quote!(#[graph(rename = #r)]));
        let variant = ident(&named.ident);
        variants.push(quote!(#doc #(#rename)* #variant));
        taken.push(named.ident);
    }
    let other = ["Other", "OtherMember", "Unrecognized"]
        .into_iter()
        .find(|n| !taken.iter().any(|t| t == n))
        .unwrap_or("UnknownMember");
    let other_doc = doc::attrs("A member this code does not know, as Graph sent it.", 4);
    let other_variant = ident(other);
    variants.push(quote!(#other_doc #[graph(other)] #other_variant(String)));
    let mut about = format!(
        "Graph's enum `{}`. A member added to Graph later reads as `{other}`, kept as sent.",
        ty.name
    );
    if ty.flags {
        about.push_str(&format!(
            " Flags: Graph may send several members joined by commas; such a value reads as `{other}` with the whole string."
        ));
    }
    let doc = item_doc(ty, &about, &[]);
    let macro_attr = attribute(
        scope,
        quote!(graph_enum),
        name_arg(ty, &names::type_name(scope.schema, &ty.name)),
    );
    let rust = ident(&names::type_name(scope.schema, &ty.name));
    parse_quote! {
        #doc
        #macro_attr
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #rust { #(#variants),* }
    }
}

/// `#[name]`, or `#[name(arg)]` with an argument.
fn attribute(scope: Scope<'_>, name: TokenStream, arg: Option<TokenStream>) -> TokenStream {
    let args: Vec<TokenStream> = arg.into_iter().chain(scope.beta_arg()).collect();
    match args.as_slice() {
        [] => quote!(#[#name]),
        _ => quote!(#[#name(#(#args),*)]),
    }
}

/// The fields for these properties of `owner`, and the properties left out with why; for an
/// open type (`OpenType`: Graph may send properties the metadata does not declare), with
/// `all`, the map that keeps them too.
fn fields<'s>(
    scope: Scope<'s>,
    owner: &TypeDef,
    properties: &[&'s PropertyDef],
    all: bool,
    needs: &mut Needs<'s>,
) -> (Vec<TokenStream>, Vec<String>) {
    let key = scope.key(owner);
    let mut taken: Vec<String> = Vec::new();
    let mut fields = Vec::new();
    let mut skipped = Vec::new();
    for property in properties {
        let Some(element) = types::element(scope, owner, property, needs) else {
            let why = match property.ty.name.as_str() {
                "Edm.Stream" => "a stream, read and written with requests of its own",
                _ => "an entity, not part of this type's JSON",
            };
            skipped.push(format!("`{}` ({why})", property.name));
            continue;
        };
        let ty = if property.ty.collection { quote!(Vec<#element>) } else { element };
        let named = names::field(&property.name, &taken);
        // `#[graph(key)]` only on a key that is one string property.
        let is_key = Some(property.name.as_str()) == key
            && property.ty.name == "Edm.String"
            && !property.ty.collection;
        let mut attrs = Vec::new();
        if is_key {
            attrs.push(quote!(#[graph(key)]));
        }
        if let Some(rename) = &named.rename {
            attrs.push(quote!(#[graph(rename = #rename)]));
        }
        let mut text = property.description.as_deref().map(doc::prose).unwrap_or_default();
        if text.is_empty() && is_key {
            text.push_str("The key, assigned by the service: `None` when creating.");
        }
        if property.computed {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str("Computed by the service: read, never written when creating.");
        }
        let doc = doc::attrs(&text, 4);
        let name = ident(&named.ident);
        fields.push(quote!(#doc #(#attrs)* pub #name: Option<#ty>));
        taken.push(named.ident);
    }
    if all && scope.schema.ancestry(&owner.name).any(|t| t.open) {
        needs.import("ExtraProperties");
        let mut name = String::from("additional_data");
        while taken.contains(&name) {
            name.push('_');
        }
        let name = ident(&name);
        let doc = doc::attrs(
            "The properties Graph sends that the metadata does not declare: the type is open (`OpenType`). Kept as read and written back.",
            4,
        );
        fields.push(quote!(#doc #[graph(extra)] pub #name: ExtraProperties));
    }
    (fields, skipped)
}

/// `name = "..."` when the macro's default (the Rust name, lowerCamelCase, in `microsoft.graph`)
/// is not the type's name; relative to `microsoft.graph`, as the macro reads it.
fn name_arg(ty: &TypeDef, rust: &str) -> Option<TokenStream> {
    let relative = ty.name.strip_prefix("microsoft.graph.").unwrap_or(&ty.name);
    let default = graph_entity_schema::naming::to_lower_first(rust);
    (default != relative).then(|| quote!(name = #relative))
}

/// The doc comment of a type's item: the type's description, what the item is, then the
/// properties it leaves out and why.
fn item_doc(ty: &TypeDef, about: &str, skipped: &[String]) -> TokenStream {
    let mut text = ty.description.as_deref().map(doc::prose).unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(about);
    if !skipped.is_empty() {
        text.push_str(&format!("\n\nNot declared: {}.", skipped.join(", ")));
    }
    doc::attrs(&text, 0)
}
