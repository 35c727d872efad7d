//! The Rust type of a property's value, and what it brings in: the enum and complex types to
//! declare too, each once in the order first needed, and the imports.

use std::collections::{BTreeSet, HashSet, VecDeque};

use graph_entity_schema::{PropertyDef, TypeDef, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;

use crate::names;
use crate::resolve::Scope;

/// What the declarations need: the imports, and the enum and complex types still to declare.
#[derive(Default)]
pub(crate) struct Needs<'s> {
    imports: BTreeSet<&'static str>,
    queue: VecDeque<&'s TypeDef>,
    seen: HashSet<&'s str>,
}

impl<'s> Needs<'s> {
    /// `name` from `graph_entity` is used.
    pub(crate) fn import(&mut self, name: &'static str) {
        self.imports.insert(name);
    }

    /// The next enum or complex type to declare.
    pub(crate) fn next(&mut self) -> Option<&'s TypeDef> {
        self.queue.pop_front()
    }

    /// The names used from `graph_entity`, sorted.
    pub(crate) fn imports(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.imports.iter().copied()
    }

    pub(crate) fn need(&mut self, ty: &'s TypeDef) {
        if self.seen.insert(&ty.name) {
            self.queue.push_back(ty);
        }
    }
}

/// The Rust type of one value of `owner`'s property; `None` for what is not JSON of this type.
pub(crate) fn element<'s>(
    scope: Scope<'s>,
    owner: &TypeDef,
    property: &PropertyDef,
    needs: &mut Needs<'s>,
) -> Option<TokenStream> {
    let name = property.ty.name.as_str();
    if let Some(primitive) = name.strip_prefix("Edm.") {
        let (rust, import) = match primitive {
            "String" => ("String", None),
            "Boolean" => ("bool", None),
            "Byte" => ("u8", None),
            "SByte" => ("i8", None),
            "Int16" => ("i16", None),
            // Where beta's metadata only infers the width, the wider reads every value.
            "Int32" if property.inferred.contains(graph_entity_schema::Inferred::WIDTH) => {
                ("i64", None)
            }
            "Int32" => ("i32", None),
            "Int64" => ("i64", None),
            "Single" => ("f32", None),
            "Double" | "Decimal" => ("f64", None),
            "DateTimeOffset" => ("DateTimeOffset", Some("DateTimeOffset")),
            "Date" => ("Date", Some("Date")),
            "TimeOfDay" => ("TimeOfDay", Some("TimeOfDay")),
            "Duration" => ("Duration", Some("wire::Duration")),
            "Guid" => ("Guid", Some("Guid")),
            "Binary" => ("Base64", Some("Base64")),
            _ => return None,
        };
        needs.imports.extend(import);
        let rust = names::ident(rust);
        return Some(quote!(#rust));
    }
    // Any JSON (a complex type without properties in the metadata): `wire::Json`.
    if name == graph_entity_schema::ANY_JSON {
        needs.imports.insert("Json");
        return Some(quote!(Json));
    }
    let ty = scope.schema.get(name)?;
    match ty.kind {
        TypeKind::Entity => None,
        TypeKind::Enum => {
            needs.need(ty);
            let rust = names::ident(&names::type_name(scope.schema, &ty.name));
            Some(quote!(#rust))
        }
        TypeKind::Complex => {
            needs.need(ty);
            let rust = names::ident(&names::type_name(scope.schema, &ty.name));
            // A struct cannot hold itself: box a single value that leads back to its owner.
            let recursive = !property.ty.collection && reaches(scope, &ty.name, &owner.name);
            Some(if recursive { quote!(Box<#rust>) } else { quote!(#rust) })
        }
    }
}

/// The types a value of `ty` can be in the cloud: `ty` unless abstract, and its concrete
/// derived types.
pub(crate) fn concrete<'s>(scope: Scope<'s>, ty: &TypeDef) -> Vec<&'s TypeDef> {
    let all = scope.schema.concrete(&ty.name).into_iter();
    all.filter(|t| t.clouds.contains(scope.clouds)).collect()
}

/// Whether a complex type is declared as an enum of the types a value of it can be: it has a
/// concrete derived type in the cloud.
pub(crate) fn is_one_of(scope: Scope<'_>, ty: &TypeDef) -> bool {
    ty.kind == TypeKind::Complex && concrete(scope, ty).iter().any(|t| t.name != ty.name)
}

/// The name of a complex type's struct: its Rust name, but for a concrete type declared as an
/// enum ([`is_one_of`]), whose name goes to the enum (`Identity`): then `BaseIdentity`, or
/// another name no type of the metadata has.
pub(crate) fn struct_name(scope: Scope<'_>, ty: &TypeDef) -> String {
    let rust = names::type_name(scope.schema, &ty.name);
    if ty.is_abstract || !is_one_of(scope, ty) {
        return rust;
    }
    // `Base{Name}` is the Rust name of `base{Name}` in the same namespace, if there is one.
    let (namespace, short) = ty.name.rsplit_once('.').unwrap_or(("", &ty.name));
    let base = format!("{namespace}.base{}", graph_entity_schema::naming::to_upper_first(short));
    if scope.schema.get(&base).is_some() { format!("{rust}Itself") } else { format!("Base{rust}") }
}

/// Whether a value of complex type `from` can hold a `to` through single (not collection)
/// complex properties, `from` itself included (an enum of derived types boxes them: its
/// variants need not be followed).
fn reaches(scope: Scope<'_>, from: &str, to: &str) -> bool {
    let mut seen = HashSet::new();
    let mut pending = vec![from.to_owned()];
    while let Some(current) = pending.pop() {
        if current == to {
            return true;
        }
        if !seen.insert(current.clone()) {
            continue;
        }
        for property in scope.properties(&current) {
            let single_complex = !property.ty.collection
                && scope.schema.get(&property.ty.name).is_some_and(|t| t.kind == TypeKind::Complex);
            if single_complex {
                pending.push(property.ty.name.clone());
            }
        }
    }
    false
}
