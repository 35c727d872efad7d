//! The actions and functions to declare: each bound operation of the cloud's metadata at a
//! path that addresses what it is bound to (with a type cast where that path's type is a base
//! of the binding type), its parameters as fields and its result as `returns`.

use std::collections::HashSet;

use graph_entity_schema::naming::to_upper_first;
use graph_entity_schema::{OperationDef, OperationKind, PropertyDef, TypeDef, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;

use crate::names::{self, ident};
use crate::paths::{Paths, with_key};
use crate::resolve::Scope;
use crate::types::{self, Needs};

/// An operation to declare, as found.
pub(crate) struct Operation<'s> {
    pub(crate) def: &'s OperationDef,
    /// The path, ending in the operation's segment.
    pub(crate) path: String,
    /// The struct's name.
    pub(crate) rust: String,
}

/// Where `def` is invoked, and the struct's name (`taken` holds the names already used); why
/// not, when it cannot be declared.
pub(crate) fn find<'s>(
    scope: Scope<'s>,
    paths: &Paths,
    def: &'s OperationDef,
    overloaded: bool,
    taken: &HashSet<String>,
) -> Result<Operation<'s>, String> {
    let schema = scope.schema;
    let binding = def.binding.as_ref().ok_or("unbound: imported at the root, not bound")?;
    let addressed = if binding.collection {
        let collection = paths
            .best(schema, &binding.name)
            .ok_or_else(|| format!("no collection of `{}` is reachable", binding.name))?;
        (collection.path.clone(), collection.ty.clone())
    } else {
        match paths.best(schema, &binding.name) {
            Some(collection) => (with_key(&collection.path, &collection.ty), collection.ty.clone()),
            None => {
                let (path, ty) = paths
                    .single(schema, &binding.name)
                    .ok_or_else(|| format!("no path reaches a `{}`", binding.name))?;
                (path.to_owned(), ty.to_owned())
            }
        }
    };
    let (mut path, ty) = addressed;
    if ty != binding.name {
        path.push('/');
        path.push_str(&binding.name);
    }
    path.push('/');
    path.push_str(def.segment());
    // A type's own operation of the same name hides its base's on the same path.
    match schema.resolve_operation(&path) {
        Ok(resolved) if resolved.overloads.iter().any(|o| std::ptr::eq(*o, def)) => {}
        Ok(_) => return Err(format!("hidden on `{path}` by an operation of the same name")),
        Err(problem) => return Err(format!("`{path}` does not resolve: {problem}")),
    }
    let mut rust = names::type_name(scope.schema, &binding.name);
    if binding.collection {
        rust.push_str("Collection");
    }
    // `beta_Dist` is `BetaDist`: Rust's type names have no underscores.
    rust.extend(def.short_name().split('_').map(to_upper_first));
    if overloaded {
        rust.push_str("By");
        for (i, p) in def.parameters.iter().enumerate() {
            if i > 0 {
                rust.push_str("And");
            }
            rust.push_str(&to_upper_first(&names::field(&p.name, &[]).ident.replace('_', "")));
        }
    }
    // `onenotePage`'s `preview` would be the complex type `onenotePagePreview`.
    if taken.contains(&rust) {
        rust.push_str(match def.kind {
            OperationKind::Action => "Action",
            OperationKind::Function => "Function",
        });
    }
    if taken.contains(&rust) {
        return Err(format!("its name `{rust}` is taken"));
    }
    Ok(Operation { def, path, rust })
}

/// The item: `#[graph_action]` or `#[graph_function]` on a struct of the parameters; `None`
/// (and why) when a parameter or the result has no Rust type here: a stream, or an entity type
/// `declared` does not hold.
pub(crate) fn item<'s>(
    scope: Scope<'s>,
    cloud_arg: Option<TokenStream>,
    operation: &Operation<'s>,
    declared: &HashSet<String>,
    needs: &mut Needs<'s>,
) -> Result<syn::Item, String> {
    let def = operation.def;
    let mut fields = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    for parameter in def.parameters.iter().filter(|p| p.clouds.contains(scope.clouds)) {
        let property = parameter.as_property();
        let element = rust_type(scope, &property, declared, needs)
            .map_err(|why| format!("parameter `{}`: {why}", parameter.name))?;
        let ty = if property.nullable { quote!(Option<#element>) } else { element };
        let named = names::field(&parameter.name, &taken);
        let rename = named.rename.iter().map(|r| quote!(#[graph(rename = #r)]));
        let text = if parameter.optional {
            "Optional: `None` leaves it out."
        } else if parameter.nullable {
            "`None` sends `null`."
        } else {
            ""
        };
        let doc = crate::doc::attrs(text, 4);
        let name = ident(&named.ident);
        fields.push(quote!(#doc #(#rename)* pub #name: #ty));
        taken.push(named.ident);
    }
    let path = &operation.path;
    let mut args = vec![quote!(path = #path)];
    if let Some(returns) = &def.returns {
        let property = PropertyDef {
            name: "the result".into(),
            ty: returns.clone(),
            nullable: def.returns_nullable && !returns.collection,
            computed: false,
            description: None,
            clouds: def.clouds,
            inferred: def.returns_inferred,
        };
        let ty = if returns.name == "Edm.Stream" && !returns.collection {
            // Read as it arrives, never decoded.
            quote!(graph_entity::client::ByteStream)
        } else {
            let element = rust_type(scope, &property, declared, needs)
                .map_err(|why| format!("the result: {why}"))?;
            if property.nullable { quote!(Option<#element>) } else { element }
        };
        args.push(quote!(returns = #ty));
    }
    args.extend(cloud_arg);
    args.extend(scope.beta_arg());
    let (attribute, verb, method) = match def.kind {
        OperationKind::Action => {
            needs.import("graph_action");
            (quote!(graph_action), "action", "POST")
        }
        OperationKind::Function => {
            needs.import("graph_function");
            (quote!(graph_function), "function", "GET")
        }
    };
    let binding = def.binding.as_ref().map(ToString::to_string).unwrap_or_default();
    let about = format!("Graph's {verb} `{}`, bound to `{binding}`: `{method} {path}`.", def.name);
    let doc = crate::doc::attrs(&about, 0);
    let rust = ident(&operation.rust);
    Ok(syn::parse_quote! {
        #doc
        #[#attribute(#(#args),*)]
        #[derive(Debug, Clone, PartialEq)]
        pub struct #rust { #(#fields),* }
    })
}

/// The Rust element type of a parameter or result (a collection's items): a primitive, an enum
/// or complex type (declared in turn), or an entity type `declared` holds.
fn rust_type<'s>(
    scope: Scope<'s>,
    property: &PropertyDef,
    declared: &HashSet<String>,
    needs: &mut Needs<'s>,
) -> Result<TokenStream, String> {
    if property.ty.name == "Edm.Stream" {
        return Err("a stream (`Edm.Stream`), which is read, never sent".into());
    }
    let entity = scope.schema.get(&property.ty.name).filter(|t| t.kind == TypeKind::Entity);
    let element = match entity {
        Some(ty) if declared.contains(&ty.name) => {
            let rust = ident(&names::type_name(scope.schema, &ty.name));
            quote!(#rust)
        }
        Some(ty) => {
            return Err(format!(
                "the entity type `{}` is not declared here (abstract, or reached by no path)",
                ty.name
            ));
        }
        // No complex type leads back to a parameter list: nothing is boxed.
        None => types::element(scope, &NO_OWNER, property, needs)
            .ok_or_else(|| format!("`{}` has no Rust type here", property.ty))?,
    };
    Ok(if property.ty.collection { quote!(Vec<#element>) } else { element })
}

/// The owner given for a parameter's type: no type of the metadata.
static NO_OWNER: TypeDef = TypeDef {
    name: String::new(),
    kind: TypeKind::Complex,
    base: None,
    is_abstract: false,
    open: false,
    flags: false,
    key: Vec::new(),
    properties: Vec::new(),
    navigation: Vec::new(),
    members: Vec::new(),
    description: None,
    clouds: graph_entity_schema::Clouds::NONE,
    inferred: graph_entity_schema::Inferred::NONE,
};

/// Whether a function of that name, bound to the same type, has several overloads in the scope.
pub(crate) fn overloaded(scope: Scope<'_>, def: &OperationDef) -> bool {
    scope
        .schema
        .operations()
        .iter()
        .filter(|o| o.clouds.contains(scope.clouds))
        .filter(|o| o.name == def.name && o.binding == def.binding && o.kind == def.kind)
        .count()
        > 1
}
