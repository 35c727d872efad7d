//! Reading CSDL (`$metadata`) into a [`Model`]: entity, complex and enum types, the entity
//! container, and the annotations worth keeping (`Core.V1.Computed`, `Core.V1.Description`,
//! insert, update and delete restrictions).

use std::collections::HashMap;

use crate::model::{
    Clouds, Inferred, MemberDef, Model, NavigationDef, OperationDef, OperationKind, ParameterDef,
    PropertyDef, Restrictions, RootDef, RootKind, TypeDef, TypeKind, TypeRef,
};

const CORE: &str = "Org.OData.Core.V1.";
const CAPABILITIES: &str = "Org.OData.Capabilities.V1.";

/// Reads one CSDL document, as published for `clouds`.
///
/// # Errors
///
/// The XML's error, or a description of what is not CSDL as expected.
pub(crate) fn read(xml: &str, clouds: Clouds) -> Result<Model, String> {
    let document = roxmltree::Document::parse_with_options(
        xml,
        roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: u32::MAX, ..Default::default() },
    )
    .map_err(|e| format!("the metadata is not XML: {e}"))?;
    let schemas: Vec<roxmltree::Node<'_, '_>> =
        document.descendants().filter(|n| n.has_tag_name("Schema")).collect();
    if schemas.is_empty() {
        return Err("the metadata has no `Schema` element".to_owned());
    }
    // Aliases (`graph`, `self` …) are per document: every type name is written out in full.
    let mut names = Names::default();
    for schema in &schemas {
        let namespace = schema.attribute("Namespace").unwrap_or_default();
        names.namespaces.push(namespace.to_owned());
        if let Some(alias) = schema.attribute("Alias") {
            names.aliases.insert(alias.to_owned(), namespace.to_owned());
        }
    }
    let mut model = Model::default();
    let mut annotations: Vec<(String, roxmltree::Node<'_, '_>)> = Vec::new();
    // `ActionImport` and `FunctionImport`: (the name at the root, the operation's name).
    let mut imports: Vec<(String, String)> = Vec::new();
    for schema in &schemas {
        let namespace = schema.attribute("Namespace").unwrap_or_default();
        for node in schema.children().filter(roxmltree::Node::is_element) {
            match node.tag_name().name() {
                "EntityType" => {
                    model.types.push(read_type(node, namespace, TypeKind::Entity, &names, clouds))
                }
                "ComplexType" => {
                    model.types.push(read_type(node, namespace, TypeKind::Complex, &names, clouds))
                }
                "EnumType" => {
                    model.types.push(read_type(node, namespace, TypeKind::Enum, &names, clouds))
                }
                "Action" => model.operations.push(read_operation(
                    node,
                    namespace,
                    OperationKind::Action,
                    &names,
                    clouds,
                )),
                "Function" => model.operations.push(read_operation(
                    node,
                    namespace,
                    OperationKind::Function,
                    &names,
                    clouds,
                )),
                "EntityContainer" => {
                    let container =
                        format!("{namespace}.{}", node.attribute("Name").unwrap_or_default());
                    names.containers.push(container);
                    for root in node.children().filter(roxmltree::Node::is_element) {
                        let (kind, type_attribute) = match root.tag_name().name() {
                            "EntitySet" => (RootKind::EntitySet, "EntityType"),
                            "Singleton" => (RootKind::Singleton, "Type"),
                            tag @ ("ActionImport" | "FunctionImport") => {
                                let operation =
                                    if tag == "ActionImport" { "Action" } else { "Function" };
                                imports.push((
                                    root.attribute("Name").unwrap_or_default().to_owned(),
                                    names.qualify(root.attribute(operation).unwrap_or_default()),
                                ));
                                continue;
                            }
                            _ => continue,
                        };
                        model.roots.push(RootDef {
                            name: root.attribute("Name").unwrap_or_default().to_owned(),
                            kind,
                            ty: names.qualify(root.attribute(type_attribute).unwrap_or_default()),
                            restrictions: Restrictions::default(),
                            clouds: clouds_of(root, clouds),
                        });
                    }
                }
                "Annotations" => {
                    let target = node.attribute("Target").unwrap_or_default();
                    annotations.push((names.qualify(target), node));
                }
                _ => {}
            }
        }
    }
    // An import makes an unbound operation (every overload of it) addressable at the root.
    for (import, operation) in imports {
        for unbound in model.operations.iter_mut().filter(|o| o.binding.is_none()) {
            if unbound.name == operation {
                unbound.import = Some(import.clone());
            }
        }
    }
    model.sort();
    apply_annotations(&mut model, &annotations, &names);
    Ok(model)
}

/// An `Action` or a `Function`: the first parameter of a bound one is its binding.
fn read_operation(
    node: roxmltree::Node<'_, '_>,
    namespace: &str,
    kind: OperationKind,
    names: &Names,
    clouds: Clouds,
) -> OperationDef {
    let bound = node.attribute("IsBound") == Some("true");
    let mut binding = None;
    let mut parameters = Vec::new();
    let (mut returns, mut returns_nullable, mut returns_inferred) = (None, false, Inferred::NONE);
    for child in node.children().filter(roxmltree::Node::is_element) {
        let ty = names.type_ref(child.attribute("Type").unwrap_or_default());
        // On a collection, `Nullable` is about its items (OData CSDL 4.01, 12.8 and 12.9).
        let nullable = !ty.collection && child.attribute("Nullable") != Some("false");
        match child.tag_name().name() {
            "Parameter" if bound && binding.is_none() => binding = Some(ty),
            "Parameter" => parameters.push(ParameterDef {
                name: child.attribute("Name").unwrap_or_default().to_owned(),
                ty,
                nullable,
                optional: child.children().any(|a| {
                    a.has_tag_name("Annotation")
                        && a.attribute("Term") == Some("Org.OData.Core.V1.OptionalParameter")
                }),
                clouds: clouds_of(node, clouds),
                inferred: inferred(child),
            }),
            "ReturnType" => {
                (returns, returns_nullable, returns_inferred) =
                    (Some(ty), nullable, inferred(child));
            }
            _ => {}
        }
    }
    OperationDef {
        name: format!("{namespace}.{}", node.attribute("Name").unwrap_or_default()),
        kind,
        binding,
        parameters,
        returns,
        returns_nullable,
        returns_inferred,
        composable: node.attribute("IsComposable") == Some("true"),
        import: None,
        clouds: clouds_of(node, clouds),
    }
}

/// The namespaces, aliases and containers of a document.
#[derive(Default)]
struct Names {
    namespaces: Vec<String>,
    aliases: HashMap<String, String>,
    containers: Vec<String>,
}

impl Names {
    /// `graph.user` → `microsoft.graph.user`; `self.alert` → `microsoft.graph.security.alert`.
    fn qualify(&self, name: &str) -> String {
        for (alias, namespace) in &self.aliases {
            if let Some(rest) = name.strip_prefix(alias.as_str()).and_then(|r| r.strip_prefix('.'))
            {
                return format!("{namespace}.{rest}");
            }
        }
        name.to_owned()
    }

    fn type_ref(&self, written: &str) -> TypeRef {
        match written.strip_prefix("Collection(").and_then(|t| t.strip_suffix(')')) {
            Some(element) => TypeRef { name: self.qualify(element), collection: true },
            None => TypeRef { name: self.qualify(written), collection: false },
        }
    }
}

fn read_type(
    node: roxmltree::Node<'_, '_>,
    namespace: &str,
    kind: TypeKind,
    names: &Names,
    clouds: Clouds,
) -> TypeDef {
    let flag = |name: &str| node.attribute(name) == Some("true");
    let mut ty = TypeDef {
        name: format!("{namespace}.{}", node.attribute("Name").unwrap_or_default()),
        kind,
        base: node.attribute("BaseType").map(|b| names.qualify(b)),
        is_abstract: flag("Abstract"),
        open: flag("OpenType"),
        flags: flag("IsFlags"),
        key: Vec::new(),
        properties: Vec::new(),
        navigation: Vec::new(),
        members: Vec::new(),
        description: None,
        clouds: clouds_of(node, clouds),
        inferred: inferred(node),
    };
    for child in node.children().filter(roxmltree::Node::is_element) {
        let name = child.attribute("Name").unwrap_or_default().to_owned();
        match child.tag_name().name() {
            "Key" => ty.key.extend(
                child
                    .children()
                    .filter(|c| c.has_tag_name("PropertyRef"))
                    .filter_map(|c| c.attribute("Name").map(str::to_owned)),
            ),
            "Property" => {
                let property_type = names.type_ref(child.attribute("Type").unwrap_or_default());
                ty.properties.push(PropertyDef {
                    name,
                    // On a collection, `Nullable` is about its items: the collection itself is
                    // never `null` (OData CSDL 4.01, 7.2.1), at most empty.
                    nullable: !property_type.collection
                        && child.attribute("Nullable") != Some("false"),
                    ty: property_type,
                    computed: false,
                    description: None,
                    clouds: clouds_of(child, clouds),
                    inferred: inferred(child),
                });
            }
            "NavigationProperty" => ty.navigation.push(NavigationDef {
                name,
                ty: names.type_ref(child.attribute("Type").unwrap_or_default()),
                contains_target: child.attribute("ContainsTarget") == Some("true"),
                description: None,
                restrictions: Restrictions::default(),
                clouds: clouds_of(child, clouds),
                inferred: inferred(child),
            }),
            "Member" => {
                let value = child.attribute("Value").and_then(|v| v.parse().ok());
                let value = value.unwrap_or(i64::try_from(ty.members.len()).unwrap_or(i64::MAX));
                ty.members.push(MemberDef { name, value, clouds });
            }
            _ => {}
        }
    }
    ty
}

/// Applies out-of-line annotations: `Target="microsoft.graph.x"`, `…/property`,
/// `…/navigation`, or `microsoft.graph.GraphService/entitySet`.
fn apply_annotations(
    model: &mut Model,
    annotations: &[(String, roxmltree::Node<'_, '_>)],
    names: &Names,
) {
    for (target, node) in annotations {
        let (owner, member) = match target.split_once('/') {
            Some((owner, member)) => (owner, Some(member)),
            None => (target.as_str(), None),
        };
        for annotation in node.children().filter(|c| c.has_tag_name("Annotation")) {
            let term = annotation.attribute("Term").unwrap_or_default();
            let Some(term) = term.strip_prefix(CORE).or_else(|| term.strip_prefix(CAPABILITIES))
            else {
                continue;
            };
            if names.containers.iter().any(|c| c == owner) {
                if let Some(root) = member.and_then(|m| find_root(model, m)) {
                    restrict(&mut root.restrictions, term, annotation);
                }
                continue;
            }
            let Ok(index) = model.types.binary_search_by(|t| t.name.as_str().cmp(owner)) else {
                continue;
            };
            let ty = &mut model.types[index];
            match (member, term) {
                (None, "Description") => ty.description = text(annotation),
                (Some(member), _) => {
                    if let Some(property) = ty.properties.iter_mut().find(|p| p.name == member) {
                        match term {
                            "Computed" => {
                                property.computed = annotation.attribute("Bool") != Some("false")
                            }
                            "Description" => property.description = text(annotation),
                            _ => {}
                        }
                    } else if let Some(navigation) =
                        ty.navigation.iter_mut().find(|n| n.name == member)
                    {
                        match term {
                            "Description" => navigation.description = text(annotation),
                            _ => restrict(&mut navigation.restrictions, term, annotation),
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// The project's own `GraphEntity.Inferred` annotation, inline on the element whose facts the
/// reconstructed beta document only infers (see `schema/beta/README.md`).
fn inferred(node: roxmltree::Node<'_, '_>) -> Inferred {
    node.children()
        .filter(|a| a.has_tag_name("Annotation"))
        .filter(|a| a.attribute("Term") == Some("GraphEntity.Inferred"))
        .fold(Inferred::NONE, |set, a| {
            set.union(Inferred::from_names(a.attribute("String").unwrap_or_default()))
        })
}

/// The project's own `GraphEntity.Clouds` annotation, inline on an item of the reconstructed
/// beta document that exists in fewer clouds than the document's (`global us_gov china`,
/// space-separated); the document's clouds without it.
fn clouds_of(node: roxmltree::Node<'_, '_>, document: Clouds) -> Clouds {
    let annotation = node.children().find(|a| {
        a.has_tag_name("Annotation") && a.attribute("Term") == Some("GraphEntity.Clouds")
    });
    let Some(names) = annotation.and_then(|a| a.attribute("String")) else { return document };
    names
        .split_whitespace()
        .filter_map(Clouds::from_name)
        .fold(Clouds::NONE, Clouds::union)
        .intersection(document)
}

fn find_root<'m>(model: &'m mut Model, name: &str) -> Option<&'m mut RootDef> {
    model.roots.iter_mut().find(|r| r.name == name)
}

fn text(annotation: roxmltree::Node<'_, '_>) -> Option<String> {
    annotation.attribute("String").map(str::to_owned)
}

/// `InsertRestrictions/Insertable` and its kin: `false` forbids.
fn restrict(restrictions: &mut Restrictions, term: &str, annotation: roxmltree::Node<'_, '_>) {
    let (slot, property) = match term {
        "InsertRestrictions" => (&mut restrictions.insertable, "Insertable"),
        "UpdateRestrictions" => (&mut restrictions.updatable, "Updatable"),
        "DeleteRestrictions" => (&mut restrictions.deletable, "Deletable"),
        _ => return,
    };
    let value = annotation
        .descendants()
        .filter(|n| n.has_tag_name("PropertyValue"))
        .find(|n| n.attribute("Property") == Some(property))
        .and_then(|n| n.attribute("Bool"));
    if value == Some("false") {
        *slot = false;
    }
}
