//! What a declaration asks for: the entity type, the collection it is created in and the
//! properties to declare, each checked against the cloud's metadata.

use graph_entity_schema::{Clouds, PropertyDef, Schema, TypeDef, TypeKind, suggest};

use crate::paths::Paths;
use crate::{Declaration, GenError};

/// The metadata as one cloud has it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scope<'s> {
    pub(crate) schema: &'s Schema,
    pub(crate) clouds: Clouds,
}

impl<'s> Scope<'s> {
    /// `beta` for a declaration printed from the beta metadata.
    pub(crate) fn beta_arg(self) -> Option<proc_macro2::TokenStream> {
        (self.schema.version() == Some(graph_entity_schema::Version::Beta))
            .then(|| quote::quote!(beta))
    }

    /// The properties of `ty` the cloud has, inherited ones first.
    pub(crate) fn properties(self, ty: &str) -> Vec<&'s PropertyDef> {
        self.schema.properties(ty).into_iter().filter(|p| p.clouds.contains(self.clouds)).collect()
    }

    /// The entity's key property when it is one string property (`id`, inherited from
    /// `entity`).
    pub(crate) fn key(self, ty: &TypeDef) -> Option<&'s str> {
        let keyed = self.schema.ancestry(&ty.name).find(|t| !t.key.is_empty())?;
        match keyed.key.as_slice() {
            [one] => Some(one.as_str()),
            _ => None,
        }
    }

    /// The types of the cloud an instance of `ty` can be, listed: `` `a`, `b` ``.
    pub(crate) fn concrete_list(self, ty: &TypeDef) -> String {
        let concrete: Vec<String> = self
            .schema
            .concrete(&ty.name)
            .iter()
            .filter(|t| t.clouds.contains(self.clouds))
            .map(|t| format!("`{}`", t.name))
            .collect();
        concrete.join(", ")
    }

    fn abstract_error(self, ty: &TypeDef) -> GenError {
        GenError::Abstract { ty: ty.name.clone(), concrete: self.concrete_list(ty) }
    }

    fn not_in_cloud(self, what: String) -> GenError {
        GenError::NotInCloud { what, cloud: self.clouds.to_string() }
    }
}

/// An entity to declare, as found.
pub(crate) struct Entity<'s> {
    pub(crate) ty: &'s TypeDef,
    /// The collection it is created in.
    pub(crate) path: String,
    /// `#` and its qualified name when it is not the type the path addresses.
    pub(crate) odata_type: Option<String>,
    pub(crate) properties: Vec<&'s PropertyDef>,
    /// Whether only some of its properties were asked for.
    pub(crate) minimal: bool,
    /// Whether the path addresses one entity (a singleton, a single-valued navigation), not a
    /// collection.
    pub(crate) single: bool,
}

/// Finds what a declaration asks for.
pub(crate) fn entity<'s>(
    scope: Scope<'s>,
    paths: &Paths,
    declaration: &Declaration,
) -> Result<Entity<'s>, GenError> {
    let schema = scope.schema;
    let named = declaration.type_name.as_deref().map(|n| entity_type(scope, n)).transpose()?;
    let (path, addressed, single) = match (&declaration.path, named) {
        (Some(path), _) => {
            let resolved = schema.resolve(path).map_err(|problem| GenError::Path {
                path: path.clone(),
                problem: problem.to_string(),
            })?;
            if let Some((segment, _)) =
                resolved.segments.iter().find(|(_, c)| !c.contains(scope.clouds))
            {
                return Err(scope.not_in_cloud(format!("path segment `{segment}`")));
            }
            // One entity by its key is the collection's declaration.
            if !resolved.collection && path.ends_with('}') {
                return Err(GenError::NotACollection { path: path.clone(), ty: resolved.ty });
            }
            (path.clone(), resolved.ty, !resolved.collection)
        }
        (None, Some(ty)) => match paths.best(schema, &ty.name) {
            Some(collection) => (collection.path.clone(), collection.ty.clone(), false),
            None => match paths.single(schema, &ty.name) {
                Some((path, addressed)) => (path.to_owned(), addressed.to_owned(), true),
                None if ty.is_abstract => return Err(scope.abstract_error(ty)),
                None => {
                    let cloud = scope.clouds.to_string();
                    return Err(GenError::NoPath { ty: ty.name.clone(), cloud });
                }
            },
        },
        (None, None) => return Err(GenError::Nothing),
    };
    let ty = match named {
        Some(ty) if !schema.is_derived_from(&ty.name, &addressed) => {
            return Err(GenError::NotDerived { ty: ty.name.clone(), addressed });
        }
        Some(ty) => ty,
        None => schema.get(&addressed).ok_or_else(|| GenError::UnknownType {
            name: addressed.clone(),
            hint: String::new(),
        })?,
    };
    if ty.is_abstract {
        return Err(scope.abstract_error(ty));
    }
    if let Some(lacking) = schema.ancestry(&ty.name).find(|t| !t.clouds.contains(scope.clouds)) {
        return Err(scope.not_in_cloud(format!("type `{}`", lacking.name)));
    }
    let all = scope.properties(&ty.name);
    let properties = match &declaration.properties {
        None => all,
        Some(names) => chosen(scope, ty, &all, names)?,
    };
    let odata_type = (ty.name != addressed).then(|| format!("#{}", ty.name));
    let minimal = declaration.properties.is_some();
    Ok(Entity { ty, path, odata_type, properties, minimal, single })
}

/// The key and the properties named, in that order, each once.
fn chosen<'s>(
    scope: Scope<'s>,
    ty: &TypeDef,
    all: &[&'s PropertyDef],
    names: &[String],
) -> Result<Vec<&'s PropertyDef>, GenError> {
    let key = scope.key(ty);
    let mut chosen: Vec<&PropertyDef> =
        all.iter().copied().filter(|p| Some(p.name.as_str()) == key).collect();
    for name in names {
        let Some(found) = all.iter().find(|p| &p.name == name) else {
            let hint = hint(name, all.iter().map(|p| p.name.as_str()));
            return Err(GenError::UnknownProperty {
                ty: ty.name.clone(),
                name: name.clone(),
                hint,
            });
        };
        if !chosen.iter().any(|p| p.name == found.name) {
            chosen.push(found);
        }
    }
    Ok(chosen)
}

/// The entity type with this name: qualified, with the `graph.` alias, or a `microsoft.graph`
/// type's own name.
pub(crate) fn entity_type<'s>(scope: Scope<'s>, name: &str) -> Result<&'s TypeDef, GenError> {
    let schema = scope.schema;
    let found = schema
        .get(name)
        .or_else(|| schema.get(&format!("microsoft.graph.{name}")))
        .filter(|t| t.kind == TypeKind::Entity);
    found.ok_or_else(|| {
        let entities = schema.types().iter().filter(|t| t.kind == TypeKind::Entity);
        let hint = hint(name, entities.map(|t| t.name.as_str()));
        GenError::UnknownType { name: name.to_owned(), hint }
    })
}

/// `; did you mean `close`?` when a candidate is close to `name`, else nothing.
fn hint<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    suggest(name, candidates).map(|close| format!("; did you mean `{close}`?")).unwrap_or_default()
}
