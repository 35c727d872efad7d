//! Prints `#[graph_entity]` declarations from Microsoft Graph's v1.0 metadata: the entity at a
//! path or of a type, with every `#[graph_enum]` and `#[graph_complex]` it needs, doc comments
//! from the metadata's descriptions, in rustfmt's style. What it prints compiles as printed
//! against `graph-entity`, whose macro checks it against the same metadata.
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

mod names;
mod paths;
mod write;

use std::collections::{BTreeSet, HashSet, VecDeque};
use std::fmt;

use graph_entity_schema::{Clouds, PropertyDef, Schema, TypeDef, TypeKind, suggest};

use crate::write::{Attr, Item, Member};

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
    /// The path addresses one entity, not a collection to create in.
    #[error("`{path}` addresses a single `{ty}`: give the collection it is created in")]
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
    /// No collection path leads to the type.
    #[error(
        "no collection in the metadata for {cloud} holds `{ty}`: there is no path to declare it at"
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
    /// How many entity types it declares.
    pub declared: usize,
    /// The entity types it does not declare, each with the reason.
    pub skipped: Vec<(String, GenError)>,
}

/// Prints declarations from the schema, for one cloud (the global metadata unless told).
#[derive(Debug)]
pub struct Generator<'s> {
    schema: &'s Schema,
    cloud: Option<Cloud>,
    paths: paths::Paths,
}

/// An entity to print, as found.
struct Entity<'s> {
    ty: &'s TypeDef,
    path: String,
    odata_type: Option<String>,
    properties: Vec<&'s PropertyDef>,
    minimal: bool,
}

/// What printing collects: the imports, and the enum and complex types still to print.
#[derive(Default)]
struct Needs<'s> {
    imports: BTreeSet<&'static str>,
    queue: VecDeque<&'s TypeDef>,
    seen: HashSet<&'s str>,
}

impl<'s> Needs<'s> {
    fn need(&mut self, ty: &'s TypeDef) {
        if self.seen.insert(&ty.name) {
            self.queue.push_back(ty);
        }
    }
}

impl<'s> Generator<'s> {
    /// A generator for the cloud's metadata (`None`: the global service's, with no `clouds(...)`
    /// requirement in what it prints).
    pub fn new(schema: &'s Schema, cloud: Option<Cloud>) -> Generator<'s> {
        let paths = paths::Paths::new(schema, cloud.unwrap_or(Cloud::Global).clouds());
        Generator { schema, cloud, paths }
    }

    fn clouds(&self) -> Clouds {
        self.cloud.unwrap_or(Cloud::Global).clouds()
    }

    fn cloud_name(&self) -> String {
        self.clouds().to_string()
    }

    /// The source for these declarations and every type they need, each printed once.
    ///
    /// # Errors
    ///
    /// The first declaration the metadata cannot back, and why.
    pub fn generate(&self, declarations: &[Declaration]) -> Result<String, GenError> {
        let entities =
            declarations.iter().map(|d| self.entity(d)).collect::<Result<Vec<_>, _>>()?;
        Ok(self.print(&entities))
    }

    /// Every concrete entity type the cloud's metadata gives a collection path, with the types
    /// they need; the others are listed with the reason.
    pub fn all(&self) -> All {
        let mut entities = Vec::new();
        let mut skipped = Vec::new();
        let entity_types = self.schema.types().iter().filter(|t| t.kind == TypeKind::Entity);
        for ty in entity_types.filter(|t| t.clouds.contains(self.clouds())) {
            match self.entity(&Declaration::type_name(&ty.name)) {
                Ok(entity) => entities.push(entity),
                Err(why) => skipped.push((ty.name.clone(), why)),
            }
        }
        All { source: self.print(&entities), declared: entities.len(), skipped }
    }

    /// Finds what a declaration asks for.
    fn entity(&self, declaration: &Declaration) -> Result<Entity<'s>, GenError> {
        let schema = self.schema;
        let named = declaration.type_name.as_deref().map(|n| self.entity_type(n)).transpose()?;
        let (path, addressed) = match (&declaration.path, named) {
            (Some(path), _) => {
                let resolved = schema.resolve(path).map_err(|problem| GenError::Path {
                    path: path.clone(),
                    problem: problem.to_string(),
                })?;
                if let Some((segment, _)) =
                    resolved.segments.iter().find(|(_, c)| !c.contains(self.clouds()))
                {
                    return Err(self.not_in_cloud(format!("path segment `{segment}`")));
                }
                if !resolved.collection {
                    return Err(GenError::NotACollection { path: path.clone(), ty: resolved.ty });
                }
                (path.clone(), resolved.ty)
            }
            (None, Some(ty)) => match self.paths.best(schema, &ty.name) {
                Some(collection) => (collection.path.clone(), collection.ty.clone()),
                None if ty.is_abstract => return Err(self.abstract_error(ty)),
                None => {
                    return Err(GenError::NoPath { ty: ty.name.clone(), cloud: self.cloud_name() });
                }
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
            return Err(self.abstract_error(ty));
        }
        if let Some(lacking) = schema.ancestry(&ty.name).find(|t| !t.clouds.contains(self.clouds()))
        {
            return Err(self.not_in_cloud(format!("type `{}`", lacking.name)));
        }
        let all: Vec<&PropertyDef> = schema
            .properties(&ty.name)
            .into_iter()
            .filter(|p| p.clouds.contains(self.clouds()))
            .collect();
        let properties = match &declaration.properties {
            None => all,
            Some(names) => {
                let key = key_property(schema, ty);
                let mut chosen: Vec<&PropertyDef> =
                    all.iter().copied().filter(|p| Some(p.name.as_str()) == key).collect();
                for name in names {
                    let Some(found) = all.iter().find(|p| &p.name == name) else {
                        let hint = suggest(name, all.iter().map(|p| p.name.as_str()))
                            .map(|close| format!("; did you mean `{close}`?"))
                            .unwrap_or_default();
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
                chosen
            }
        };
        let odata_type = (ty.name != addressed).then(|| format!("#{}", ty.name));
        let minimal = declaration.properties.is_some();
        Ok(Entity { ty, path, odata_type, properties, minimal })
    }

    /// The entity type with this name: qualified, with the `graph.` alias, or a
    /// `microsoft.graph` type's own name.
    fn entity_type(&self, name: &str) -> Result<&'s TypeDef, GenError> {
        let found = self
            .schema
            .get(name)
            .or_else(|| self.schema.get(&format!("microsoft.graph.{name}")))
            .filter(|t| t.kind == TypeKind::Entity);
        found.ok_or_else(|| {
            let entities = self.schema.types().iter().filter(|t| t.kind == TypeKind::Entity);
            let hint = suggest(name, entities.map(|t| t.name.as_str()))
                .map(|close| format!("; did you mean `{close}`?"))
                .unwrap_or_default();
            GenError::UnknownType { name: name.to_owned(), hint }
        })
    }

    fn abstract_error(&self, ty: &TypeDef) -> GenError {
        GenError::Abstract { ty: ty.name.clone(), concrete: self.concrete_list(ty) }
    }

    /// The types of the cloud an instance of `ty` can be, listed: `` `a`, `b` ``.
    fn concrete_list(&self, ty: &TypeDef) -> String {
        let concrete: Vec<String> = self
            .schema
            .concrete(&ty.name)
            .iter()
            .filter(|t| t.clouds.contains(self.clouds()))
            .map(|t| format!("`{}`", t.name))
            .collect();
        concrete.join(", ")
    }

    fn not_in_cloud(&self, what: String) -> GenError {
        GenError::NotInCloud { what, cloud: self.cloud_name() }
    }

    /// The file: the `use` line, the entities, then the types they need.
    fn print(&self, entities: &[Entity<'s>]) -> String {
        let mut needs = Needs::default();
        needs.imports.insert("graph_entity");
        let mut items = Vec::new();
        let mut printed = HashSet::new();
        for entity in entities {
            if printed.insert(&entity.ty.name) {
                items.push(self.entity_item(entity, &mut needs));
            }
        }
        while let Some(ty) = needs.queue.pop_front() {
            let item = match ty.kind {
                TypeKind::Enum => self.enum_item(ty, &mut needs),
                _ => self.complex_item(ty, &mut needs),
            };
            items.push(item);
        }
        let imports: Vec<&str> = needs.imports.into_iter().collect();
        write::file(&imports, &items)
    }

    fn entity_item(&self, entity: &Entity<'s>, needs: &mut Needs<'s>) -> Item {
        let ty = entity.ty;
        let (members, skipped) = self.fields(ty, &entity.properties, needs);
        let mut args = vec![format!("path = \"{}\"", entity.path)];
        if let Some(odata_type) = &entity.odata_type {
            args.push(format!("odata_type = \"{odata_type}\""));
        }
        if let Some(cloud) = self.cloud {
            let name = cloud.clouds().names().next().unwrap_or("global");
            args.push(format!("clouds({name})"));
        }
        let mut doc = description(ty);
        doc.push_str(&format!("Graph's `{}`, created with `POST {}`.", ty.name, entity.path));
        if entity.minimal {
            doc.push_str(" Only some of its properties are declared.");
        }
        doc.push_str(&skipped_note(&skipped));
        Item {
            doc,
            attrs: vec![
                Attr::new("graph_entity", args),
                Attr::new("derive", vec!["Debug, Clone, Default, PartialEq".into()]),
            ],
            head: format!("pub struct {}", names::type_name(&ty.name)),
            members,
        }
    }

    fn complex_item(&self, ty: &'s TypeDef, needs: &mut Needs<'s>) -> Item {
        needs.imports.insert("graph_complex");
        let properties: Vec<&PropertyDef> = self
            .schema
            .properties(&ty.name)
            .into_iter()
            .filter(|p| p.clouds.contains(self.clouds()))
            .collect();
        let (members, skipped) = self.fields(ty, &properties, needs);
        let rust = names::type_name(&ty.name);
        // A derived value says which type it is; a base one is known from the property.
        let args = if ty.base.is_some() && !ty.is_abstract {
            vec![format!("odata_type = \"#{}\"", ty.name)]
        } else {
            name_arg(&rust, &ty.name).into_iter().collect()
        };
        let mut doc = description(ty);
        doc.push_str(&format!("Graph's complex type `{}`.", ty.name));
        if ty.is_abstract {
            doc.push_str(&format!(
                " Abstract: Graph sends one of its derived types ({}); a field of this type may hold a struct of any of them.",
                self.concrete_list(ty)
            ));
        }
        doc.push_str(&skipped_note(&skipped));
        Item {
            doc,
            attrs: vec![
                Attr::new("graph_complex", args),
                Attr::new("derive", vec!["Debug, Clone, Default, PartialEq".into()]),
            ],
            head: format!("pub struct {rust}"),
            members,
        }
    }

    fn enum_item(&self, ty: &'s TypeDef, needs: &mut Needs<'s>) -> Item {
        needs.imports.insert("graph_enum");
        let rust = names::type_name(&ty.name);
        let mut taken = Vec::new();
        let mut members = Vec::new();
        for member in ty.members.iter().filter(|m| m.clouds.contains(self.clouds())) {
            let named = names::variant(&member.name, &taken);
            let attrs = named
                .rename
                .iter()
                .map(|r| Attr::new("graph", vec![format!("rename = \"{r}\"")]))
                .collect();
            members.push(Member {
                doc: format!("`{}`", member.name),
                attrs,
                text: named.ident.clone(),
                ty: None,
            });
            taken.push(named.ident);
        }
        let other = ["Other", "OtherMember", "Unrecognized"]
            .into_iter()
            .find(|n| !taken.iter().any(|t| t == n))
            .unwrap_or("UnknownMember");
        members.push(Member {
            doc: "A member this code does not know, as Graph sent it.".into(),
            attrs: vec![Attr::new("graph", vec!["other".into()])],
            text: format!("{other}(String)"),
            ty: None,
        });
        let mut doc = description(ty);
        doc.push_str(&format!(
            "Graph's enum `{}`. A member added to Graph later reads as `{other}`, kept as sent.",
            ty.name
        ));
        if ty.flags {
            doc.push_str(&format!(
                " Flags: Graph may send several members joined by commas; such a value reads as `{other}` with the whole string."
            ));
        }
        Item {
            doc,
            attrs: vec![
                Attr::new("graph_enum", name_arg(&rust, &ty.name).into_iter().collect()),
                Attr::new("derive", vec!["Debug, Clone, PartialEq, Eq, Hash".into()]),
            ],
            head: format!("pub enum {rust}"),
            members,
        }
    }

    /// The fields for these properties of `owner`, and the properties left out with why.
    fn fields(
        &self,
        owner: &TypeDef,
        properties: &[&'s PropertyDef],
        needs: &mut Needs<'s>,
    ) -> (Vec<Member>, Vec<String>) {
        let key = key_property(self.schema, owner);
        let mut taken: Vec<String> = Vec::new();
        let mut members = Vec::new();
        let mut skipped = Vec::new();
        for property in properties {
            let Some(element) = self.element(owner, property, needs) else {
                let why = match property.ty.name.as_str() {
                    "Edm.Stream" => "a stream, read and written with requests of its own",
                    _ => "an entity, not part of this type's JSON",
                };
                skipped.push(format!("`{}` ({why})", property.name));
                continue;
            };
            let ty = if property.ty.collection { format!("Vec<{element}>") } else { element };
            let named = names::field(&property.name, &taken);
            let mut attrs = Vec::new();
            if Some(property.name.as_str()) == key && ty == "String" {
                attrs.push(Attr::new("graph", vec!["key".into()]));
            }
            if let Some(rename) = &named.rename {
                attrs.push(Attr::new("graph", vec![format!("rename = \"{rename}\"")]));
            }
            let mut doc = property.description.as_deref().map(write::prose).unwrap_or_default();
            if doc.is_empty() && attrs.iter().any(|a| a.args == ["key"]) {
                doc.push_str("The key, assigned by the service: `None` when creating.");
            }
            if property.computed {
                if !doc.is_empty() {
                    doc.push_str("\n\n");
                }
                doc.push_str("Computed by the service: read, never written when creating.");
            }
            members.push(Member {
                doc,
                attrs,
                text: format!("pub {}", named.ident),
                ty: Some(format!("Option<{ty}>")),
            });
            taken.push(named.ident);
        }
        (members, skipped)
    }

    /// The Rust type of one value of the property; `None` for what is not JSON of this type.
    fn element(
        &self,
        owner: &TypeDef,
        property: &PropertyDef,
        needs: &mut Needs<'s>,
    ) -> Option<String> {
        let name = property.ty.name.as_str();
        if let Some(primitive) = name.strip_prefix("Edm.") {
            let (rust, import) = match primitive {
                "String" => ("String", None),
                "Boolean" => ("bool", None),
                "Byte" => ("u8", None),
                "SByte" => ("i8", None),
                "Int16" => ("i16", None),
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
            return Some(rust.to_owned());
        }
        let ty = self.schema.get(name)?;
        match ty.kind {
            TypeKind::Entity => None,
            TypeKind::Enum => {
                needs.need(ty);
                Some(names::type_name(&ty.name))
            }
            TypeKind::Complex => {
                needs.need(ty);
                let rust = names::type_name(&ty.name);
                // A struct cannot hold itself: box a single value that leads back to its owner.
                let recursive = !property.ty.collection && self.reaches(&ty.name, &owner.name);
                Some(if recursive { format!("Box<{rust}>") } else { rust })
            }
        }
    }

    /// Whether a value of complex type `from` can hold a `to` through single (not collection)
    /// complex properties, `from` itself included.
    fn reaches(&self, from: &str, to: &str) -> bool {
        let mut seen = HashSet::new();
        let mut pending = vec![from.to_owned()];
        while let Some(current) = pending.pop() {
            if current == to {
                return true;
            }
            if !seen.insert(current.clone()) {
                continue;
            }
            for property in self.schema.properties(&current) {
                let single_complex = !property.ty.collection
                    && self
                        .schema
                        .get(&property.ty.name)
                        .is_some_and(|t| t.kind == TypeKind::Complex);
                if single_complex && property.clouds.contains(self.clouds()) {
                    pending.push(property.ty.name.clone());
                }
            }
        }
        false
    }
}

/// The entity's key property when it is one string property (`id`, inherited from `entity`).
fn key_property<'a>(schema: &'a Schema, ty: &TypeDef) -> Option<&'a str> {
    let keyed = schema.ancestry(&ty.name).find(|t| !t.key.is_empty())?;
    match keyed.key.as_slice() {
        [one] => Some(one.as_str()),
        _ => None,
    }
}

/// `name = "..."` when the macro's default (the Rust name, lowerCamelCase, in `microsoft.graph`)
/// is not the type's name; relative to `microsoft.graph`, as the macro reads it.
fn name_arg(rust: &str, qualified: &str) -> Option<String> {
    let relative = qualified.strip_prefix("microsoft.graph.").unwrap_or(qualified);
    let default = graph_entity_schema::naming::to_lower_first(rust);
    (default != relative).then(|| format!("name = \"{relative}\""))
}

/// The type's description as a first paragraph, if it has one.
fn description(ty: &TypeDef) -> String {
    match ty.description.as_deref().map(write::prose) {
        Some(text) if !text.is_empty() => format!("{text}\n\n"),
        _ => String::new(),
    }
}

fn skipped_note(skipped: &[String]) -> String {
    if skipped.is_empty() {
        return String::new();
    }
    format!("\n\nNot declared: {}.", skipped.join(", "))
}

#[cfg(test)]
mod tests;
