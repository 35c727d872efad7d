//! The items: a struct for each entity, then a struct or an enum for each type they need, with
//! their attributes and doc comments, and the file that holds them.

use std::collections::HashSet;

use graph_entity_schema::{PropertyDef, TypeDef, TypeKind};

use crate::Cloud;
use crate::names;
use crate::resolve::{Entity, Scope};
use crate::types::{self, Needs};
use crate::write::{self, Attr, Item, Member};

/// The file: the `use` line, the entities (each once), then the types they need.
pub(crate) fn file(scope: Scope<'_>, cloud: Option<Cloud>, entities: &[Entity<'_>]) -> String {
    let mut needs = Needs::default();
    needs.import("graph_entity");
    let mut items = Vec::new();
    let mut printed = HashSet::new();
    for entity in entities {
        if printed.insert(&entity.ty.name) {
            items.push(entity_item(scope, cloud, entity, &mut needs));
        }
    }
    while let Some(ty) = needs.next() {
        let item = match ty.kind {
            TypeKind::Enum => enum_item(scope, ty, &mut needs),
            _ => complex_item(scope, ty, &mut needs),
        };
        items.push(item);
    }
    let imports: Vec<&str> = needs.imports().collect();
    write::file(&imports, &items)
}

fn entity_item<'s>(
    scope: Scope<'s>,
    cloud: Option<Cloud>,
    entity: &Entity<'s>,
    needs: &mut Needs<'s>,
) -> Item {
    let ty = entity.ty;
    let (members, skipped) = fields(scope, ty, &entity.properties, needs);
    let mut args = vec![format!("path = \"{}\"", entity.path)];
    if let Some(odata_type) = &entity.odata_type {
        args.push(format!("odata_type = \"{odata_type}\""));
    }
    if let Some(cloud) = cloud {
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

fn complex_item<'s>(scope: Scope<'s>, ty: &'s TypeDef, needs: &mut Needs<'s>) -> Item {
    needs.import("graph_complex");
    let properties = scope.properties(&ty.name);
    let (members, skipped) = fields(scope, ty, &properties, needs);
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
            scope.concrete_list(ty)
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

fn enum_item<'s>(scope: Scope<'s>, ty: &'s TypeDef, needs: &mut Needs<'s>) -> Item {
    needs.import("graph_enum");
    let rust = names::type_name(&ty.name);
    let mut taken = Vec::new();
    let mut members = Vec::new();
    for member in ty.members.iter().filter(|m| m.clouds.contains(scope.clouds)) {
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
fn fields<'s>(
    scope: Scope<'s>,
    owner: &TypeDef,
    properties: &[&'s PropertyDef],
    needs: &mut Needs<'s>,
) -> (Vec<Member>, Vec<String>) {
    let key = scope.key(owner);
    let mut taken: Vec<String> = Vec::new();
    let mut members = Vec::new();
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
