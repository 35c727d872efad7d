//! Prints `#[graph_entity]` declarations from Microsoft Graph's v1.0 metadata: the entity at a
//! path or of a type, with every `#[graph_enum]` and `#[graph_complex]` it needs, doc comments
//! from the metadata's descriptions. The items are built as syntax trees and laid out by
//! `prettyplease` (rustfmt would break a few long lines elsewhere, nothing more). What it prints
//! compiles as printed against `graph-entity`, whose macro checks it against the same metadata.
//!
//! The command line is `graph-entity-gen` (`cargo run -p graph-entity-gen -- --help`); this
//! library is what it runs.
//!
//! ```
//! use graph_entity_gen::{Declaration, Generator};
//! use graph_entity_schema::Schema;
//!
//! let generator = Generator::new(Schema::v1(), None);
//! let minimal = Declaration::type_name("microsoft.graph.todoTask").properties(["title"]);
//! let source = generator.generate(&[minimal])?;
//! assert!(source.contains("#[graph_entity(path = \"/users/{userId}/todo/lists/{todoTaskListId}/tasks\")]"));
//! assert!(source.contains("pub struct TodoTask {"));
//! assert!(source.contains("    pub title: Option<String>,"));
//! # Ok::<(), graph_entity_gen::GenError>(())
//! ```
//!
//! Every field is an `Option` (a `Vec` in one for a collection), so that a value read under
//! `$select`, or written with only some properties set, always fits, and every struct derives
//! `Default`. Make a field plain, or mark it `#[graph(required)]`, where your program needs it:
//! the macro still checks what you change.

mod build;
mod doc;
mod names;
mod operations;
mod paths;
pub mod permissions;
mod resolve;
mod types;

use std::collections::HashSet;
use std::fmt;

use graph_entity_schema::{Clouds, OperationDef, Schema, TypeKind};

use crate::resolve::Scope;

/// The national cloud whose metadata a declaration must hold to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cloud {
    /// The global service.
    Global,
    /// US Government L4 and L5 (DoD).
    UsGov,
    /// China, operated by 21Vianet.
    China,
}

impl Cloud {
    fn clouds(self) -> Clouds {
        match self {
            Cloud::Global => Clouds::GLOBAL,
            Cloud::UsGov => Clouds::US_GOV,
            Cloud::China => Clouds::CHINA,
        }
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.clouds(), f)
    }
}

/// What to declare: the entity at a path, of a type, or both (a type derived from the path's),
/// with all its properties or only some.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declaration {
    /// The collection the entity is created in, such as `/users/{userId}/todo/lists/{todoTaskListId}/tasks`.
    pub path: Option<String>,
    /// The entity type, such as `microsoft.graph.user` (or `user`).
    pub type_name: Option<String>,
    /// Only these properties (JSON names), and the key, for a minimal struct.
    pub properties: Option<Vec<String>>,
}

impl Declaration {
    /// The entity type at this collection path.
    pub fn path(path: impl Into<String>) -> Declaration {
        Declaration { path: Some(path.into()), ..Declaration::default() }
    }

    /// This entity type, at the path the metadata gives it.
    pub fn type_name(name: impl Into<String>) -> Declaration {
        Declaration { type_name: Some(name.into()), ..Declaration::default() }
    }

    /// Only these properties (and the key).
    #[must_use]
    pub fn properties<S: Into<String>>(
        mut self,
        names: impl IntoIterator<Item = S>,
    ) -> Declaration {
        self.properties = Some(names.into_iter().map(Into::into).collect());
        self
    }
}

/// Why a declaration cannot be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GenError {
    /// Neither a path nor a type was given.
    #[error("nothing to declare: give a path or a type")]
    Nothing,
    /// The path does not resolve.
    #[error("`{path}`: {problem}")]
    Path {
        /// The path as given.
        path: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The path addresses one entity of a collection by its key.
    #[error("`{path}` addresses one `{ty}` by its key: give the collection's path")]
    NotACollection {
        /// The path as given.
        path: String,
        /// The type it addresses.
        ty: String,
    },
    /// No entity type has this name.
    #[error("`{name}` is not an entity type of Microsoft Graph v1.0{hint}")]
    UnknownType {
        /// The name as given.
        name: String,
        /// `; did you mean ...?`, or nothing.
        hint: String,
    },
    /// The type is abstract.
    #[error("`{ty}` is abstract: choose the type to declare with `--type`, one of {concrete}")]
    Abstract {
        /// The abstract type.
        ty: String,
        /// Its concrete derived types, listed.
        concrete: String,
    },
    /// The type does not derive from the path's.
    #[error("`{ty}` does not derive from `{addressed}`, the type the path addresses")]
    NotDerived {
        /// The type asked for.
        ty: String,
        /// The path's type.
        addressed: String,
    },
    /// No path leads to the type: no collection, singleton or single-valued navigation.
    #[error(
        "no collection, singleton or single-valued navigation in the metadata for {cloud} holds `{ty}`: there is no path to declare it at"
    )]
    NoPath {
        /// The type.
        ty: String,
        /// The cloud.
        cloud: String,
    },
    /// Part of the declaration is not in the cloud's metadata.
    #[error("{what} does not exist in the metadata for {cloud}")]
    NotInCloud {
        /// The part, such as ``path segment `todo` ``.
        what: String,
        /// The cloud.
        cloud: String,
    },
    /// A property asked for does not exist.
    #[error("`{ty}` has no property `{name}`{hint}")]
    UnknownProperty {
        /// The type.
        ty: String,
        /// The name as given.
        name: String,
        /// `; did you mean ...?`, or nothing.
        hint: String,
    },
}

/// Every entity type of a cloud, as [`Generator::all`] printed them.
#[derive(Debug, Clone)]
pub struct All {
    /// The source: one declaration per entity type, and the types they need.
    pub source: String,
    /// The entity types it declares, by their qualified names, in the order it declares them.
    pub declared: Vec<String>,
    /// The entity types it does not declare, each with the reason.
    pub skipped: Vec<(String, GenError)>,
    /// The actions and functions it declares, by their structs' names.
    pub operations: Vec<String>,
    /// The actions and functions it does not declare, each named as its struct would be (or
    /// by its qualified name), with the reason.
    pub skipped_operations: Vec<(String, String)>,
    /// The Rust names of `declared`, in the same order.
    names: Vec<String>,
}

/// Prints declarations from the schema, for one cloud (the global metadata unless told).
#[derive(Debug)]
pub struct Generator<'s> {
    scope: Scope<'s>,
    cloud: Option<Cloud>,
    paths: paths::Paths,
}

impl<'s> Generator<'s> {
    /// A generator for the cloud's metadata (`None`: the global service's, with no `clouds(...)`
    /// requirement in what it prints).
    pub fn new(schema: &'s Schema, cloud: Option<Cloud>) -> Generator<'s> {
        let clouds = cloud.unwrap_or(Cloud::Global).clouds();
        Generator {
            scope: Scope { schema, clouds },
            cloud,
            paths: paths::Paths::new(schema, clouds),
        }
    }

    /// The source for these declarations and every type they need, each printed once.
    ///
    /// # Errors
    ///
    /// The first declaration the metadata cannot back, and why.
    pub fn generate(&self, declarations: &[Declaration]) -> Result<String, GenError> {
        let entities = declarations
            .iter()
            .map(|d| resolve::entity(self.scope, &self.paths, d))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(build::file(self.scope, self.cloud, &entities))
    }

    /// Every concrete entity type the cloud's metadata gives a collection path, with the types
    /// they need; the others are listed with the reason.
    pub fn all(&self) -> All {
        let mut entities = Vec::new();
        let mut skipped = Vec::new();
        let entity_types = self.scope.schema.types().iter().filter(|t| t.kind == TypeKind::Entity);
        for ty in entity_types.filter(|t| t.clouds.contains(self.scope.clouds)) {
            match resolve::entity(self.scope, &self.paths, &Declaration::type_name(&ty.name)) {
                Ok(entity) => entities.push(entity),
                Err(why) => skipped.push((ty.name.clone(), why)),
            }
        }
        let (operations, mut skipped_operations) = self.operations(&entities, |_| true);
        let (source, unwritable) =
            build::file_with_operations(self.scope, self.cloud, &entities, &operations);
        let declared = entities.iter().map(|e| e.ty.name.clone()).collect();
        let names =
            entities.iter().map(|e| names::type_name(self.scope.schema, &e.ty.name)).collect();
        let operations = operations
            .iter()
            .map(|o| o.rust.clone())
            .filter(|rust| !unwritable.iter().any(|(name, _)| name == rust))
            .collect();
        skipped_operations.extend(unwritable);
        All { source, declared, skipped, operations, skipped_operations, names }
    }

    /// The actions and functions bound to `ty` (as one entity or as a collection of them, its
    /// bases' included), with the entity, enum and complex types they need.
    ///
    /// # Errors
    ///
    /// [`GenError::UnknownType`] when the cloud's metadata has no entity type of that name.
    pub fn actions(&self, ty: &str) -> Result<(String, Vec<(String, String)>), GenError> {
        let ty = resolve::entity_type(self.scope, ty)?;
        let schema = self.scope.schema;
        let bound: Vec<&OperationDef> = schema
            .bound_operations(&ty.name, false)
            .into_iter()
            .chain(schema.bound_operations(&ty.name, true))
            .collect();
        // The entity types their parameters and results name, declared with them.
        let mut entities = Vec::new();
        let mut wanted: Vec<&str> = Vec::new();
        for def in &bound {
            let types = def.parameters.iter().map(|p| &p.ty).chain(def.returns.as_ref());
            for named in types.filter_map(|t| schema.get(&t.name)) {
                if named.kind == TypeKind::Entity && !wanted.contains(&named.name.as_str()) {
                    wanted.push(&named.name);
                    let declaration = Declaration::type_name(&named.name);
                    if let Ok(entity) = resolve::entity(self.scope, &self.paths, &declaration) {
                        entities.push(entity);
                    }
                }
            }
        }
        let (operations, mut skipped) =
            self.operations(&entities, |def| bound.iter().any(|b| std::ptr::eq(*b, def)));
        let (source, unwritable) =
            build::file_with_operations(self.scope, self.cloud, &entities, &operations);
        skipped.extend(unwritable);
        Ok((source, skipped))
    }

    /// The cloud's operations that `wanted` picks, each at its path with its struct's name
    /// (distinct from the entities'); the others with the reason.
    fn operations(
        &self,
        entities: &[resolve::Entity<'s>],
        wanted: impl Fn(&OperationDef) -> bool,
    ) -> (Vec<operations::Operation<'s>>, Vec<(String, String)>) {
        // Every type's name, declared here or not: an operation's struct stands beside them.
        let mut taken: HashSet<String> = self
            .scope
            .schema
            .types()
            .iter()
            .map(|t| names::type_name(self.scope.schema, &t.name))
            .collect();
        taken.extend(entities.iter().map(|e| names::type_name(self.scope.schema, &e.ty.name)));
        let mut found = Vec::new();
        let mut skipped = Vec::new();
        let defs = self.scope.schema.operations().iter();
        for def in defs.filter(|d| d.clouds.contains(self.scope.clouds) && wanted(d)) {
            let overloaded = operations::overloaded(self.scope, def);
            match operations::find(self.scope, &self.paths, def, overloaded, &taken) {
                Ok(operation) => {
                    taken.insert(operation.rust.clone());
                    found.push(operation);
                }
                Err(why) => {
                    let binding = def.binding.as_ref().map(ToString::to_string).unwrap_or_default();
                    skipped.push((format!("{} bound to {binding}", def.name), why));
                }
            }
        }
        (found, skipped)
    }
}

impl All {
    /// A `macro_rules!` macro listing the declared entity types by their qualified names, for a
    /// program that picks one at run time (a registry): `graph_entities!(m)` expands to
    /// `m! { "microsoft.graph.user" => User, … }`, the names as declared, in scope where `m`
    /// expands. Printed after [`All::source`] by `graph-entity-gen --all --registry`.
    ///
    /// ```
    /// # use graph_entity_gen::Generator;
    /// # use graph_entity_schema::Schema;
    /// let all = Generator::new(Schema::v1(), None).all();
    /// let registry = all.registry();
    /// assert!(registry.contains("macro_rules! graph_entities {"));
    /// assert!(registry.contains("\n            \"microsoft.graph.user\" => User,\n"));
    /// ```
    pub fn registry(&self) -> String {
        build::registry(&self.declared, &self.names)
    }
}

#[cfg(test)]
mod tests;
