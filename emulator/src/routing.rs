//! Resolution of a concrete path (`/users/3f…/todo/lists/AAM…/tasks`) against the metadata, as
//! the service reads it: the first segment is an entity set or singleton; after a collection
//! comes a key, a `microsoft.graph.*` type cast or `$count`; after an entity, a navigation
//! property, a type cast, or a structural property. Keys may also be written `users('id')`.
//!
//! Segments arrive percent-encoded and are decoded one by one, so that an encoded `/` stays in
//! its segment. Nothing here panics on odd segments: each problem is a [`Refusal`].

use graph_entity_schema::throttling::{self, Service};
use graph_entity_schema::{Restrictions, RootKind, Schema, TypeKind};

use crate::store::Address;

/// A keyed entity on the way to the target, which must exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parent {
    pub(crate) collection: Address,
    pub(crate) key: String,
    /// Its declared type, for the `404`'s message.
    pub(crate) ty: String,
}

/// What a path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An entity set or collection-valued containment navigation.
    Collection,
    /// `…/$count` of a collection.
    Count,
    /// One entity of a collection, by key.
    Member { key: String },
    /// A singleton (`singleton`) or a single-valued containment navigation: it exists whenever
    /// its parent does.
    Single { singleton: bool },
    /// A structural property of an entity (`Member` or `Single` above, by `key`).
    Property { key: Option<String>, name: String },
    /// An action or function bound to the collection (`key: None`, `on_collection`), to one of
    /// its members (by `key`) or to a single entity: its qualified name, and what the segment
    /// held in parentheses (a function's parameters), if anything.
    Operation { key: Option<String>, on_collection: bool, name: String, call: Option<String> },
}

/// A resolved path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) kind: Kind,
    /// The collection's address (collections, counts, members, their properties) or the single
    /// entity's.
    pub(crate) address: Address,
    /// The declared entity type of the collection's members or of the single entity.
    pub(crate) declared: String,
    /// The type a cast segment names, derived from `declared`.
    pub(crate) cast: Option<String>,
    /// What the metadata allows on the collection or single entity.
    pub(crate) restrictions: Restrictions,
    /// Keyed entities along the way, outermost first.
    pub(crate) parents: Vec<Parent>,
    /// The path as `@odata.context` writes it: `users('a')/todo/lists`.
    pub(crate) context: String,
    /// The segments without keys: `["users", "todo", "lists"]`.
    pub(crate) shape: Vec<String>,
    /// The path as Microsoft's permissions reference writes it: every key `{id}`, casts and
    /// operations by name, without a function's parameters
    /// (`/users/{id}/todo/lists/{id}/tasks`).
    pub(crate) reference: String,
    /// The path's segments, decoded, as sent.
    pub(crate) segments: Vec<String>,
}

impl Target {
    /// The type the target's entities are read and written as: the cast, else the declared.
    pub(crate) fn ty(&self) -> &str {
        self.cast.as_deref().unwrap_or(&self.declared)
    }

    /// The Intune service whose throttling limits the target counts in: that of its type (or
    /// base type), else of the nearest keyed entity above it, else of the entity set or singleton
    /// it starts from (as [`graph_entity_schema::throttling::service_of_path`] for templates).
    pub(crate) fn throttling_service(&self, schema: &Schema) -> Option<&'static Service> {
        let root = self.shape.first().and_then(|name| schema.root(name)).map(|r| r.ty.as_str());
        let above = self.parents.iter().rev().map(|p| p.ty.as_str());
        std::iter::once(self.ty())
            .chain(above)
            .chain(root)
            .find_map(|ty| throttling::service_for(schema, ty))
    }
}

/// Why a path is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Graph's `400` for a segment it does not know, or a misplaced one.
    BadRequest(String),
    /// What Graph serves and the emulator does not (`501`).
    NotServed(String),
}

/// Percent-decodes each `/`-separated segment of `raw` (without the version segment).
pub(crate) fn segments(raw: &str) -> Vec<String> {
    let raw = raw.strip_prefix('/').unwrap_or(raw);
    let raw = raw.strip_suffix('/').unwrap_or(raw);
    raw.split('/')
        .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect()
}

/// `name('key')` or `name(key)`: the name and what the parentheses hold.
fn parenthesized(segment: &str) -> Option<(&str, &str)> {
    let open = segment.find('(')?;
    let inner = segment.get(open + 1..)?.strip_suffix(')')?;
    Some((&segment[..open], inner))
}

/// The key a parenthesized key holds: `'a''b'` → `a'b`, or a bare value.
fn key_literal(inner: &str) -> Option<String> {
    if let Some(quoted) = inner.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        if quoted.replace("''", "").contains('\'') {
            return None;
        }
        return Some(quoted.replace("''", "'"));
    }
    let bare = !inner.is_empty() && !inner.contains(['\'', '=', ',', '(', ')']);
    bare.then(|| inner.to_owned())
}

fn bad<T>(message: String) -> Result<T, Refusal> {
    Err(Refusal::BadRequest(message))
}

fn not_served<T>(message: String) -> Result<T, Refusal> {
    Err(Refusal::NotServed(message))
}

/// Whether a segment reads as a function or action: `delta()`, `microsoft.graph.assign`.
fn operation_like(schema: &Schema, segment: &str) -> bool {
    segment.contains('(')
        || (segment.starts_with("microsoft.graph.") || segment.starts_with("graph."))
            && schema.get(segment).is_none()
}

/// The operation bound to `ty` (as one entity, or as a collection) that `segment` invokes:
/// `assign`, `microsoft.graph.assign`, `delta()`, `reminderView(StartDateTime='…',…)`. Its
/// qualified name, the segment Graph's paths name it by (`assign`,
/// `microsoft.graph.security.runHuntingQuery`), and what the parentheses held.
fn bound_operation(
    schema: &Schema,
    ty: &str,
    collection: bool,
    segment: &str,
) -> Option<(String, String, Option<String>)> {
    let (name, call) = match parenthesized(segment) {
        Some((name, inner)) => (name, Some(inner.to_owned())),
        None => (segment, None),
    };
    let name = name
        .strip_prefix("graph.")
        .map_or(name.to_owned(), |rest| format!("microsoft.graph.{rest}"));
    schema
        .bound_operations(ty, collection)
        .into_iter()
        .find(|o| o.segment() == name || o.name == name)
        .map(|o| (o.name.clone(), o.segment().to_owned(), call))
}

fn operation_refusal<T>(segment: &str) -> Result<T, Refusal> {
    not_served(format!(
        "'{segment}' is a function or action: the emulator serves entities (POST, GET, PATCH, DELETE), not Graph's functions and actions."
    ))
}

fn quote(key: &str) -> String {
    format!("('{}')", key.replace('\'', "''"))
}

/// Resolves decoded `segments` against `schema`.
pub(crate) fn resolve(schema: &Schema, segments: &[String]) -> Result<Target, Refusal> {
    let Some((first, rest)) = segments.split_first() else {
        return bad("The request names no resource.".into());
    };
    let (name, first_key) = match parenthesized(first) {
        Some((name, inner)) if schema.root(name).is_some() => match key_literal(inner) {
            Some(key) => (name, Some(key)),
            None => return bad(format!("The key in '{first}' is not valid.")),
        },
        _ => (first.as_str(), None),
    };
    let Some(root) = schema.root(name) else {
        if operation_like(schema, first) {
            return operation_refusal(first);
        }
        let names = schema.roots().iter().map(|r| r.name.as_str());
        let hint = graph_entity_schema::suggest(name, names)
            .map(|s| format!(" Did you mean '{s}'?"))
            .unwrap_or_default();
        return bad(format!("Resource not found for the segment '{name}'.{hint}"));
    };
    if root.name == "me" {
        return bad("/me request is only valid with delegated authentication flow.".into());
    }
    let collection = root.kind == RootKind::EntitySet;
    let mut target = Target {
        kind: if collection { Kind::Collection } else { Kind::Single { singleton: true } },
        address: vec![root.name.clone()],
        declared: root.ty.clone(),
        cast: None,
        restrictions: root.restrictions,
        parents: Vec::new(),
        context: root.name.clone(),
        shape: vec![root.name.clone()],
        reference: format!("/{}", root.name),
        segments: segments.to_vec(),
    };
    let mut rest = first_key.iter().chain(rest.iter()).map(String::as_str).peekable();
    while let Some(segment) = rest.next() {
        let last = rest.peek().is_none();
        match target.kind.clone() {
            Kind::Collection => {
                if segment == "$count" {
                    if !last {
                        return bad("'$count' must be the last segment.".into());
                    }
                    target.kind = Kind::Count;
                    target.reference.push_str("/$count");
                    continue;
                }
                if let Some(ty) = cast(schema, segment) {
                    derives(schema, &ty, target.ty())?;
                    target.context.push('/');
                    target.context.push_str(&ty);
                    push(&mut target.reference, &ty);
                    target.cast = Some(ty);
                    continue;
                }
                if segment.starts_with('$') {
                    return not_served(format!(
                        "The segment '{segment}' is not served by the emulator."
                    ));
                }
                if let Some((name, path_segment, call)) =
                    bound_operation(schema, target.ty(), true, segment)
                {
                    if !last {
                        return not_served(format!(
                            "Segments after the operation '{segment}' are not served by the emulator."
                        ));
                    }
                    push(&mut target.reference, &path_segment);
                    target.kind = Kind::Operation { key: None, on_collection: true, name, call };
                    continue;
                }
                if operation_like(schema, segment) {
                    return operation_refusal(segment);
                }
                if segment.is_empty() {
                    return bad("An empty segment is not a key.".into());
                }
                // The context of a member is its collection's (`users/$entity`); the key joins
                // it when a navigation follows.
                target.kind = Kind::Member { key: segment.to_owned() };
                target.reference.push_str("/{id}");
            }
            Kind::Member { .. } | Kind::Single { .. } => {
                if let Some(ty) = cast(schema, segment) {
                    derives(schema, &ty, target.ty())?;
                    push(&mut target.reference, &ty);
                    target.cast = Some(ty);
                    continue;
                }
                let key = match &target.kind {
                    Kind::Member { key } => Some(key.clone()),
                    _ => None,
                };
                let (name, nav_key) = match parenthesized(segment) {
                    Some((name, inner)) if schema.navigation(target.ty(), name).is_some() => {
                        match key_literal(inner) {
                            Some(k) => (name, Some(k)),
                            None => return bad(format!("The key in '{segment}' is not valid.")),
                        }
                    }
                    _ => (segment, None),
                };
                let owner_ty = target.ty().to_owned();
                if let Some((name, path_segment, call)) =
                    bound_operation(schema, &owner_ty, false, segment)
                {
                    if !last {
                        return not_served(format!(
                            "Segments after the operation '{segment}' are not served by the emulator."
                        ));
                    }
                    if let Some(key) = &key {
                        target.context.push_str(&quote(key));
                    }
                    push(&mut target.reference, &path_segment);
                    target.kind = Kind::Operation { key, on_collection: false, name, call };
                    continue;
                }
                if let Some(navigation) = schema.navigation(&owner_ty, name) {
                    if !navigation.contains_target {
                        return not_served(format!(
                            "'{name}' is a navigation property that does not contain its targets (references to entities stored elsewhere): the emulator serves contained navigation only."
                        ));
                    }
                    let mut address = target.address.clone();
                    if let Some(key) = &key {
                        target.context.push_str(&quote(key));
                        target.parents.push(Parent {
                            collection: target.address.clone(),
                            key: key.clone(),
                            ty: owner_ty.clone(),
                        });
                        address.push(key.clone());
                    }
                    address.push(name.to_owned());
                    target.address = address;
                    target.declared = navigation.ty.name.clone();
                    target.cast = None;
                    target.restrictions = navigation.restrictions;
                    target.context.push('/');
                    target.context.push_str(name);
                    target.shape.push(name.to_owned());
                    push(&mut target.reference, name);
                    target.kind = if navigation.ty.collection {
                        Kind::Collection
                    } else {
                        Kind::Single { singleton: false }
                    };
                    if let Some(nav_key) = nav_key {
                        if !navigation.ty.collection {
                            return bad(format!("'{name}' is a single entity: it takes no key."));
                        }
                        target.kind = Kind::Member { key: nav_key };
                        target.reference.push_str("/{id}");
                    }
                    continue;
                }
                if schema.property(&owner_ty, segment).is_some() {
                    if !last {
                        return not_served(format!(
                            "Segments after the property '{segment}' are not served by the emulator."
                        ));
                    }
                    if let Some(key) = &key {
                        target.context.push_str(&quote(key));
                    }
                    target.context.push('/');
                    target.context.push_str(segment);
                    push(&mut target.reference, segment);
                    target.kind = Kind::Property { key, name: segment.to_owned() };
                    continue;
                }
                if segment.starts_with('$') || operation_like(schema, segment) {
                    return if segment.starts_with('$') {
                        not_served(format!(
                            "The segment '{segment}' is not served by the emulator."
                        ))
                    } else {
                        operation_refusal(segment)
                    };
                }
                let derived = schema
                    .derived(&owner_ty)
                    .into_iter()
                    .find(|t| t.navigation.iter().any(|n| n.name == segment));
                let hint = match derived {
                    Some(owner) => format!(
                        " It is a navigation property of the derived type '{}': cast to it first, as in '…/{}/{segment}'.",
                        owner.name, owner.name
                    ),
                    None => {
                        let navigations = schema.navigations(&owner_ty);
                        let names = navigations.iter().map(|n| n.name.as_str());
                        graph_entity_schema::suggest(segment, names)
                            .map(|s| format!(" Did you mean '{s}'?"))
                            .unwrap_or_default()
                    }
                };
                return bad(format!(
                    "Resource not found for the segment '{segment}' (functions and actions are not served by the emulator).{hint}"
                ));
            }
            Kind::Count | Kind::Property { .. } | Kind::Operation { .. } => {
                return bad(format!("Segments after '{}' are not valid.", target.context));
            }
        }
    }
    Ok(target)
}

fn push(reference: &mut String, segment: &str) {
    reference.push('/');
    reference.push_str(segment);
}

/// The entity type a cast segment names, if the segment is one.
fn cast(schema: &Schema, segment: &str) -> Option<String> {
    if !segment.contains('.') {
        return None;
    }
    schema.get(segment).filter(|t| t.kind == TypeKind::Entity).map(|t| t.name.clone())
}

fn derives(schema: &Schema, ty: &str, base: &str) -> Result<(), Refusal> {
    if schema.is_derived_from(ty, base) {
        Ok(())
    } else {
        bad(format!("The type cast '{ty}' does not derive from '{base}'."))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn resolve_path(path: &str) -> Result<Target, Refusal> {
        resolve(Schema::v1(), &segments(path))
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_seed_and_other_areas_resolve() {
        let t =
            resolve_path("/deviceAppManagement/mobileAppConfigurations/c1/userStatuses").unwrap();
        assert_eq!(t.kind, Kind::Collection);
        assert_eq!(
            t.address,
            strings(&["deviceAppManagement", "mobileAppConfigurations", "c1", "userStatuses"])
        );
        assert_eq!(t.declared, "microsoft.graph.managedDeviceMobileAppConfigurationUserStatus");
        assert_eq!(t.context, "deviceAppManagement/mobileAppConfigurations('c1')/userStatuses");
        assert_eq!(t.parents.len(), 1);
        assert_eq!(t.parents[0].key, "c1");

        let t = resolve_path("/users/u1/todo/lists/l1/tasks/t1").unwrap();
        assert_eq!(t.kind, Kind::Member { key: "t1".into() });
        assert_eq!(t.address, strings(&["users", "u1", "todo", "lists", "l1", "tasks"]));
        assert_eq!(t.parents.iter().map(|p| p.key.as_str()).collect::<Vec<_>>(), ["u1", "l1"]);
        assert_eq!(t.shape, strings(&["users", "todo", "lists", "tasks"]));
        assert_eq!(t.reference, "/users/{id}/todo/lists/{id}/tasks/{id}");
        assert_eq!(t.context, "users('u1')/todo/lists('l1')/tasks");

        let t = resolve_path("/users('u''1')/todo").unwrap();
        assert_eq!(t.kind, Kind::Single { singleton: false });
        assert_eq!(t.address, strings(&["users", "u'1", "todo"]));
        assert_eq!(t.reference, "/users/{id}/todo");

        let t = resolve_path("/deviceManagement").unwrap();
        assert_eq!(t.kind, Kind::Single { singleton: true });
        let t = resolve_path("/groups/$count").unwrap();
        assert_eq!(t.kind, Kind::Count);
        let t = resolve_path("/groups/g/displayName").unwrap();
        assert_eq!(t.kind, Kind::Property { key: Some("g".into()), name: "displayName".into() });
    }

    #[test]
    fn casts_keys_with_dots_and_encoded_slashes() {
        let t = resolve_path(
            "/deviceAppManagement/mobileAppConfigurations/microsoft.graph.iosMobileAppConfiguration",
        )
        .unwrap();
        assert_eq!(t.cast.as_deref(), Some("microsoft.graph.iosMobileAppConfiguration"));
        assert_eq!(t.kind, Kind::Collection);
        let t = resolve_path("/users/john.doe@contoso.com").unwrap();
        assert_eq!(t.kind, Kind::Member { key: "john.doe@contoso.com".into() });
        let t =
            resolve_path("/deviceAppManagement/mobileAppConfigurations/..%2Fusers/userStatuses")
                .unwrap();
        assert_eq!(t.parents[0].key, "../users");
        assert!(matches!(
            resolve_path("/deviceAppManagement/mobileAppConfigurations/microsoft.graph.user"),
            Err(Refusal::BadRequest(m)) if m.contains("does not derive")
        ));
    }

    #[test]
    fn what_is_not_served_says_so() {
        for (path, bad_request) in [
            ("/users/u/memberOf", false),
            ("/users/delta()/x", false),
            ("/users/u/microsoft.graph.nope", false),
            ("/users/u/$ref", false),
            ("/me", true),
            ("/userz", true),
            ("/users/u/nope", true),
            ("/groups/$count/x", true),
            ("/users/u/displayName/x", false),
            ("", true),
            ("/users('a'b')", true),
            ("/users//x", true),
        ] {
            match resolve_path(path) {
                Err(Refusal::BadRequest(_)) if bad_request => {}
                Err(Refusal::NotServed(_)) if !bad_request => {}
                other => panic!("{path}: {other:?}"),
            }
        }
        let Err(Refusal::BadRequest(message)) = resolve_path("/userz") else { panic!() };
        assert!(message.contains("Did you mean 'users'?"), "{message}");
    }

    #[test]
    fn bound_actions_and_functions_resolve() {
        let t = resolve_path("/deviceAppManagement/mobileAppConfigurations/c1/assign").unwrap();
        let Kind::Operation { key, on_collection, name, call } = &t.kind else { panic!("{t:?}") };
        assert_eq!(
            (key.as_deref(), *on_collection, name.as_str()),
            (Some("c1"), false, "microsoft.graph.assign")
        );
        assert!(call.is_none());
        assert_eq!(t.address, strings(&["deviceAppManagement", "mobileAppConfigurations"]));
        let t = resolve_path("/users/delta()").unwrap();
        assert!(
            matches!(&t.kind, Kind::Operation { key: None, on_collection: true, call: Some(c), .. } if c.is_empty())
        );
        let t =
            resolve_path("/deviceManagement/managedDevices/d/microsoft.graph.syncDevice").unwrap();
        assert!(
            matches!(&t.kind, Kind::Operation { name, .. } if name == "microsoft.graph.syncDevice")
        );
        // Bound to the base type, reached through a cast.
        let t = resolve_path(
            "/deviceAppManagement/mobileAppConfigurations/c/microsoft.graph.iosMobileAppConfiguration/assign",
        )
        .unwrap();
        assert!(matches!(&t.kind, Kind::Operation { key: Some(k), .. } if k == "c"));
        assert_eq!(
            t.reference,
            "/deviceAppManagement/mobileAppConfigurations/{id}/microsoft.graph.iosMobileAppConfiguration/assign"
        );
        // Operations by name, without namespace or parameters, as the reference writes them.
        let t =
            resolve_path("/deviceManagement/managedDevices/d/microsoft.graph.syncDevice").unwrap();
        assert_eq!(t.reference, "/deviceManagement/managedDevices/{id}/syncDevice");
        assert_eq!(resolve_path("/users/delta()").unwrap().reference, "/users/delta");
        assert_eq!(resolve_path("/groups/$count").unwrap().reference, "/groups/$count");
    }

    #[test]
    fn odd_segments_never_panic() {
        let pieces = [
            "users",
            "u",
            "todo",
            "lists",
            "tasks",
            "$count",
            "(",
            ")",
            "('",
            "'",
            "%2F",
            "%",
            "%ZZ",
            "microsoft.graph.user",
            "microsoft.graph.",
            ".",
            "..",
            "",
            "\u{0}",
            "é",
            "$",
            "x(y)",
            "users(",
            "deviceAppManagement",
            "mobileAppConfigurations",
            "displayName",
        ];
        let mut rng = fastrand::Rng::with_seed(11);
        for _ in 0..20_000 {
            let n = rng.usize(0..7);
            let path: Vec<&str> = (0..n).map(|_| pieces[rng.usize(..pieces.len())]).collect();
            let raw = format!("/{}", path.join("/"));
            match resolve_path(&raw) {
                // What resolves is a type of the metadata, reached through the segments sent.
                Ok(target) => {
                    assert!(Schema::v1().get(&target.declared).is_some(), "{raw}");
                    assert!(target.address.len() <= n, "{raw}: {:?}", target.address);
                }
                Err(Refusal::BadRequest(why) | Refusal::NotServed(why)) => {
                    assert!(!why.is_empty(), "{raw}: a refusal says why");
                }
            }
        }
    }
}
