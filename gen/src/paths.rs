//! Where each entity type lives: the shortest collection path that addresses it, preferring
//! containment (where Graph creates an entity) over links to entities that live elsewhere.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use graph_entity_schema::naming::to_lower_first;
use graph_entity_schema::{Clouds, RootKind, Schema};

/// A collection segment reached from the service's roots.
#[derive(Debug, Clone)]
pub(crate) struct Collection {
    /// The path, such as `/deviceAppManagement/mobileAppConfigurations`.
    pub(crate) path: String,
    /// Its element type's qualified name.
    pub(crate) ty: String,
    /// How far it is: navigation that does not contain its targets, then segments.
    cost: (u32, u32),
    /// Whether the metadata allows `POST` to it.
    insertable: bool,
}

impl Collection {
    /// Whether the last segment names the type (`items` for `driveItem`, not `bundles`).
    fn named_for(&self, ty: &str) -> bool {
        let segment = self.path.rsplit('/').next().unwrap_or_default().to_ascii_lowercase();
        let singular = segment.strip_suffix('s').unwrap_or(&segment);
        let short = ty.rsplit('.').next().unwrap_or(ty).to_ascii_lowercase();
        !singular.is_empty() && short.ends_with(singular)
    }
}

/// Every collection reachable in one cloud, by element type, and the cheapest path of each
/// single entity (a singleton, a single-valued navigation) by its type.
#[derive(Debug)]
pub(crate) struct Paths {
    by_type: HashMap<String, Vec<Collection>>,
    singles: HashMap<String, String>,
}

impl Paths {
    /// Walks the metadata from the roots the cloud has, visiting each entity type once by its
    /// cheapest path.
    pub(crate) fn new(schema: &Schema, cloud: Clouds) -> Paths {
        let mut by_type: HashMap<String, Vec<Collection>> = HashMap::new();
        let mut record = |collection: Collection| {
            by_type.entry(collection.ty.clone()).or_default().push(collection);
        };
        // Single entities still to visit: (cost, path, type), cheapest first.
        let mut pending = BinaryHeap::new();
        let roots = schema.roots().iter().filter(|r| r.clouds.contains(cloud));
        let sets: HashSet<&str> = roots
            .clone()
            .filter(|r| r.kind == RootKind::EntitySet)
            .map(|r| r.ty.as_str())
            .collect();
        // A singleton of a type that has an entity set is the signed-in user's own (`me`),
        // which an application signed in as itself cannot use: go through the set.
        for root in roots.filter(|r| r.kind == RootKind::EntitySet || !sets.contains(r.ty.as_str()))
        {
            let path = format!("/{}", root.name);
            match root.kind {
                RootKind::Singleton => pending.push(Reverse(((0, 1), path, root.ty.clone()))),
                RootKind::EntitySet => {
                    let single = with_key(&path, &root.ty);
                    pending.push(Reverse(((0, 2), single, root.ty.clone())));
                    let insertable = root.restrictions.insertable;
                    record(Collection { path, ty: root.ty.clone(), cost: (0, 1), insertable });
                }
            }
        }
        let mut visited = HashSet::new();
        let mut singles = HashMap::new();
        while let Some(Reverse(((far, len), path, ty))) = pending.pop() {
            // Not an entity of a collection by its key: a singleton or a single navigation.
            if !path.ends_with('}') {
                singles.entry(ty.clone()).or_insert_with(|| path.clone());
            }
            if !visited.insert(ty.clone()) {
                continue;
            }
            for nav in schema.navigations(&ty) {
                let target = schema.get(&nav.ty.name).filter(|t| t.clouds.contains(cloud));
                if !nav.clouds.contains(cloud) || target.is_none() {
                    continue;
                }
                let far = far + u32::from(!nav.contains_target);
                let next = format!("{path}/{}", nav.name);
                if nav.ty.collection {
                    let single = with_key(&next, &nav.ty.name);
                    pending.push(Reverse(((far, len + 2), single, nav.ty.name.clone())));
                    record(Collection {
                        path: next,
                        ty: nav.ty.name.clone(),
                        cost: (far, len + 1),
                        insertable: nav.restrictions.insertable,
                    });
                } else {
                    pending.push(Reverse(((far, len + 1), next, nav.ty.name.clone())));
                }
            }
        }
        Paths { by_type, singles }
    }

    /// The cheapest path of a single entity of `ty` (or of its nearest base type), with the
    /// type it addresses, for a type no collection holds: `/deviceManagement` for
    /// `deviceManagement`.
    pub(crate) fn single<'p>(&'p self, schema: &'p Schema, ty: &str) -> Option<(&'p str, &'p str)> {
        schema
            .ancestry(ty)
            .find_map(|t| Some((self.singles.get(&t.name)?.as_str(), t.name.as_str())))
    }

    /// The best collection for creating a `ty`: one of that very type, else of its nearest base
    /// type (the declaration then names `ty` in `odata_type`).
    pub(crate) fn best(&self, schema: &Schema, ty: &str) -> Option<&Collection> {
        schema.ancestry(ty).find_map(|t| {
            let key = |c: &Collection| (c.cost.0, !c.insertable, c.cost.1, !c.named_for(&t.name));
            self.by_type
                .get(&t.name)?
                .iter()
                .min_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.path.cmp(&b.path)))
        })
    }
}

/// `path` followed by a key placeholder named for the element type (`{userId}`), numbered if
/// the path already has one of that name.
pub(crate) fn with_key(path: &str, ty: &str) -> String {
    let short = ty.rsplit('.').next().unwrap_or(ty);
    let base = format!("{}Id", to_lower_first(short));
    let mut name = base.clone();
    let mut n = 2;
    while path.contains(&format!("{{{name}}}")) {
        name = format!("{base}{n}");
        n += 1;
    }
    format!("{path}/{{{name}}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_documented_paths() {
        let schema = Schema::v1();
        let paths = Paths::new(schema, Clouds::GLOBAL);
        let path = |ty: &str| paths.best(schema, ty).map(|c| c.path.as_str());
        assert_eq!(path("microsoft.graph.user"), Some("/users"));
        assert_eq!(
            path("microsoft.graph.managedDeviceMobileAppConfigurationUserStatus"),
            Some(
                "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses"
            )
        );
        // Derived: the collection of its base type.
        assert_eq!(
            path("microsoft.graph.iosMobileAppConfiguration"),
            Some("/deviceAppManagement/mobileAppConfigurations")
        );
        // Contained under a user, reached through a singleton.
        assert_eq!(
            path("microsoft.graph.todoTask"),
            Some("/users/{userId}/todo/lists/{todoTaskListId}/tasks")
        );
        // Named for the type: `items`, not `bundles` or `following`.
        assert_eq!(path("microsoft.graph.driveItem"), Some("/drives/{driveId}/items"));
    }

    #[test]
    fn finds_single_entities() {
        let schema = Schema::v1();
        let paths = Paths::new(schema, Clouds::GLOBAL);
        let single = |ty: &str| paths.single(schema, ty).map(|(path, _)| path);
        assert_eq!(single("microsoft.graph.deviceManagement"), Some("/deviceManagement"));
        assert_eq!(
            single("microsoft.graph.managedDeviceOverview"),
            Some("/deviceManagement/managedDeviceOverview")
        );
        assert_eq!(single("microsoft.graph.nonexistent"), None);
    }

    #[test]
    fn follows_the_cloud() {
        let schema = Schema::v1();
        let china = Paths::new(schema, Clouds::CHINA);
        assert!(china.best(schema, "microsoft.graph.todoTask").is_none());
        assert!(china.best(schema, "microsoft.graph.user").is_some());
    }

    #[test]
    fn numbers_a_repeated_placeholder() {
        assert_eq!(
            with_key("/users/{userId}/x", "microsoft.graph.user"),
            "/users/{userId}/x/{userId2}"
        );
    }
}
