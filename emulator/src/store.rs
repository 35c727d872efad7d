//! One store for every entity, by address: an entity set or contained collection is addressed
//! by its path with keys (`["users", "<id>", "todo", "lists"]`), an entity by its collection's
//! address and its key. Singletons and single-valued contained navigations exist whenever their
//! parent does; what is written to them (`PATCH`) is kept by their own address.
//!
//! Addresses sort so that everything under an entity follows it: deleting an entity removes
//! what it contains in one range. The store is bounded: at most so many entities and so many
//! bytes (as estimated from the request bodies that wrote them).
//!
//! Every stored entity has a version, drawn from one counter for the whole store when it is
//! created and again on each change: its `@odata.etag` ([`etag`]) never repeats, neither for
//! the entity after a change nor for another entity. A singleton or single-valued navigation
//! never written has version 0.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

/// A collection's or a single entity's path, keys included, cast segments left out.
pub(crate) type Address = Vec<String>;

/// Why a write was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The cap on entities or bytes would be passed.
    Full { entities: usize, bytes: usize },
    /// An entity with this key exists.
    Conflict,
    /// The entity is not there.
    Missing,
}

#[derive(Default)]
struct Collection {
    /// Keys in creation order.
    order: BTreeMap<u64, String>,
    entities: HashMap<String, Stored>,
}

struct Stored {
    sequence: u64,
    weight: usize,
    version: u64,
    body: Map<String, Value>,
}

/// What was written to a singleton or single-valued navigation.
struct Single {
    weight: usize,
    version: u64,
    body: Map<String, Value>,
}

/// An entity of a collection as listed: its key, its version and its properties.
#[derive(Clone, Copy)]
pub(crate) struct Listed<'a> {
    pub(crate) key: &'a str,
    pub(crate) version: u64,
    pub(crate) body: &'a Map<String, Value>,
}

/// The `@odata.etag` of an entity at `version`: `W/"…"` around an opaque token, as Graph
/// writes it.
pub(crate) fn etag(version: u64) -> String {
    use base64::Engine as _;
    let token = base64::engine::general_purpose::STANDARD.encode(format!("'emulator-{version}'"));
    format!("W/\"{token}\"")
}

pub(crate) struct Store {
    collections: BTreeMap<Address, Collection>,
    /// What was written to singletons and single-valued navigations.
    singles: BTreeMap<Address, Single>,
    entities: usize,
    bytes: usize,
    max_entities: usize,
    max_bytes: usize,
    sequence: u64,
    /// The last version given to an entity.
    version: u64,
}

impl Store {
    pub(crate) fn new(max_entities: usize, max_bytes: usize) -> Self {
        Self {
            collections: BTreeMap::new(),
            singles: BTreeMap::new(),
            entities: 0,
            bytes: 0,
            max_entities,
            max_bytes,
            sequence: 0,
            version: 0,
        }
    }

    /// How many entities are stored (written singletons included).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entities
    }

    pub(crate) fn get(&self, collection: &[String], key: &str) -> Option<&Map<String, Value>> {
        self.collections.get(collection)?.entities.get(key).map(|s| &s.body)
    }

    /// The version of an entity, if it is there.
    pub(crate) fn version(&self, collection: &[String], key: &str) -> Option<u64> {
        self.collections.get(collection)?.entities.get(key).map(|s| s.version)
    }

    pub(crate) fn contains(&self, collection: &[String], key: &str) -> bool {
        self.get(collection, key).is_some()
    }

    /// The entities of a collection with their keys and versions, in creation order.
    pub(crate) fn list(&self, collection: &[String]) -> Vec<Listed<'_>> {
        let Some(collection) = self.collections.get(collection) else { return Vec::new() };
        collection
            .order
            .values()
            .filter_map(|key| {
                collection.entities.get(key).map(|s| Listed {
                    key: key.as_str(),
                    version: s.version,
                    body: &s.body,
                })
            })
            .collect()
    }

    fn next_version(&mut self) -> u64 {
        self.version += 1;
        self.version
    }

    fn room(&self, entities: usize, bytes: usize) -> Result<(), Refused> {
        let full = Refused::Full { entities: self.max_entities, bytes: self.max_bytes };
        let count = self.entities.checked_add(entities).ok_or(full.clone())?;
        let size = self.bytes.checked_add(bytes).ok_or(full.clone())?;
        if count > self.max_entities || size > self.max_bytes {
            return Err(full);
        }
        Ok(())
    }

    /// Adds an entity, `weight` bytes; its version.
    pub(crate) fn insert(
        &mut self,
        collection: Address,
        key: String,
        body: Map<String, Value>,
        weight: usize,
    ) -> Result<u64, Refused> {
        if self.contains(&collection, &key) {
            return Err(Refused::Conflict);
        }
        self.room(1, weight)?;
        self.sequence += 1;
        let sequence = self.sequence;
        let version = self.next_version();
        let target = self.collections.entry(collection).or_default();
        target.order.insert(sequence, key.clone());
        target.entities.insert(key, Stored { sequence, weight, version, body });
        self.entities += 1;
        self.bytes += weight;
        Ok(version)
    }

    /// Changes an entity in place, to a new version; `weight` more bytes.
    pub(crate) fn update(
        &mut self,
        collection: &[String],
        key: &str,
        weight: usize,
        change: impl FnOnce(&mut Map<String, Value>),
    ) -> Result<(), Refused> {
        if !self.contains(collection, key) {
            return Err(Refused::Missing);
        }
        self.room(0, weight)?;
        let version = self.next_version();
        let stored = self
            .collections
            .get_mut(collection)
            .and_then(|c| c.entities.get_mut(key))
            .ok_or(Refused::Missing)?;
        change(&mut stored.body);
        stored.version = version;
        stored.weight += weight;
        self.bytes += weight;
        Ok(())
    }

    /// What was written to a singleton or single-valued navigation.
    pub(crate) fn single(&self, address: &[String]) -> Option<&Map<String, Value>> {
        self.singles.get(address).map(|s| &s.body)
    }

    /// The version of a singleton or single-valued navigation: 0 until it is written.
    pub(crate) fn single_version(&self, address: &[String]) -> u64 {
        self.singles.get(address).map_or(0, |s| s.version)
    }

    /// Changes a singleton or single-valued navigation, starting from `initial` the first time,
    /// to a new version.
    pub(crate) fn update_single(
        &mut self,
        address: Address,
        initial: Map<String, Value>,
        weight: usize,
        change: impl FnOnce(&mut Map<String, Value>),
    ) -> Result<(), Refused> {
        let new = !self.singles.contains_key(&address);
        self.room(usize::from(new), weight)?;
        let version = self.next_version();
        let single =
            self.singles.entry(address).or_insert(Single { weight: 0, version, body: initial });
        change(&mut single.body);
        single.version = version;
        single.weight += weight;
        self.entities += usize::from(new);
        self.bytes += weight;
        Ok(())
    }

    /// Removes an entity and everything under it; whether it was there.
    pub(crate) fn remove(&mut self, collection: &[String], key: &str) -> bool {
        let Some(target) = self.collections.get_mut(collection) else { return false };
        let Some(stored) = target.entities.remove(key) else { return false };
        target.order.remove(&stored.sequence);
        if target.entities.is_empty() {
            self.collections.remove(collection);
        }
        self.entities -= 1;
        self.bytes -= stored.weight;
        let mut prefix = collection.to_vec();
        prefix.push(key.to_owned());
        self.remove_under(&prefix);
        true
    }

    /// Removes the collections and singles whose address starts with `prefix` (and is longer).
    fn remove_under(&mut self, prefix: &[String]) {
        let under = |address: &Address| address.len() > prefix.len() && address.starts_with(prefix);
        let start = std::ops::Bound::Excluded(prefix.to_vec());
        let collections: Vec<Address> = self
            .collections
            .range((start.clone(), std::ops::Bound::Unbounded))
            .map(|(a, _)| a)
            .take_while(|a| under(a))
            .cloned()
            .collect();
        for address in collections {
            if let Some(collection) = self.collections.remove(&address) {
                self.entities -= collection.entities.len();
                self.bytes -= collection.entities.values().map(|s| s.weight).sum::<usize>();
            }
        }
        let singles: Vec<Address> = self
            .singles
            .range((start, std::ops::Bound::Unbounded))
            .map(|(a, _)| a)
            .take_while(|a| under(a))
            .cloned()
            .collect();
        for address in singles {
            if let Some(single) = self.singles.remove(&address) {
                self.entities -= 1;
                self.bytes -= single.weight;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    fn address(path: &str) -> Address {
        path.split('/').map(str::to_owned).collect()
    }

    fn body(n: u64) -> Map<String, Value> {
        json!({ "n": n }).as_object().unwrap().clone()
    }

    #[test]
    fn creation_order_survives_deletes() {
        let mut store = Store::new(100, 1 << 20);
        for n in 0..5 {
            store.insert(address("groups"), format!("g{n}"), body(n), 10).unwrap();
        }
        assert!(store.remove(&address("groups"), "g1"));
        assert!(!store.remove(&address("groups"), "g1"), "gone");
        store.insert(address("groups"), "g1".into(), body(9), 10).unwrap();
        let ns: Vec<u64> =
            store.list(&address("groups")).iter().map(|e| e.body["n"].as_u64().unwrap()).collect();
        assert_eq!(ns, [0, 2, 3, 4, 9]);
        assert_eq!(
            store.insert(address("groups"), "g1".into(), body(0), 1),
            Err(Refused::Conflict)
        );
        assert_eq!((store.len(), store.bytes), (5, 50));
    }

    #[test]
    fn deleting_a_parent_deletes_what_it_contains_and_nothing_else() {
        let mut store = Store::new(100, 1 << 20);
        store.insert(address("users"), "u".into(), body(0), 1).unwrap();
        store.insert(address("users"), "u2".into(), body(0), 1).unwrap();
        store.insert(address("users/u/todo/lists"), "l".into(), body(1), 1).unwrap();
        store.insert(address("users/u/todo/lists/l/tasks"), "t".into(), body(2), 1).unwrap();
        store.insert(address("users/u2/todo/lists"), "l".into(), body(3), 1).unwrap();
        store.update_single(address("users/u/todo"), Map::new(), 1, |_| {}).unwrap();
        // `users/u` must not take `users/u2`'s, nor a key that merely starts with `u`.
        assert_eq!(store.len(), 6);
        assert!(store.remove(&address("users"), "u"));
        assert_eq!(store.len(), 2);
        assert_eq!(store.bytes, 2);
        assert!(store.list(&address("users/u/todo/lists/l/tasks")).is_empty());
        assert!(store.single(&address("users/u/todo")).is_none());
        assert_eq!(store.list(&address("users/u2/todo/lists")).len(), 1);
    }

    #[test]
    fn versions_change_on_every_write_and_never_repeat() {
        let mut store = Store::new(10, 100);
        let a = store.insert(address("a"), "1".into(), body(0), 1).unwrap();
        let b = store.insert(address("a"), "2".into(), body(0), 1).unwrap();
        assert_ne!(a, b);
        assert_eq!(store.version(&address("a"), "1"), Some(a));
        store.update(&address("a"), "1", 1, |_| {}).unwrap();
        let changed = store.version(&address("a"), "1").unwrap();
        assert!(![a, b].contains(&changed), "a new version");
        assert_eq!(store.list(&address("a"))[0].version, changed);
        // A refused change keeps the version.
        assert!(store.update(&address("a"), "1", 1000, |_| {}).is_err());
        assert_eq!(store.version(&address("a"), "1"), Some(changed));
        // Deleted and created again: not the version it had.
        assert!(store.remove(&address("a"), "1"));
        assert_eq!(store.version(&address("a"), "1"), None);
        let again = store.insert(address("a"), "1".into(), body(0), 1).unwrap();
        assert!(![a, b, changed].contains(&again));
        // A single is at version 0 until written.
        assert_eq!(store.single_version(&address("s")), 0);
        store.update_single(address("s"), Map::new(), 1, |_| {}).unwrap();
        let first = store.single_version(&address("s"));
        assert!(first > again);
        store.update_single(address("s"), Map::new(), 1, |_| {}).unwrap();
        assert!(store.single_version(&address("s")) > first);
        assert_ne!(etag(1), etag(2));
        assert!(etag(1).starts_with("W/\"") && etag(1).ends_with('"'), "{}", etag(1));
    }

    #[test]
    fn the_caps_hold() {
        let mut store = Store::new(3, 100);
        for n in 0..3 {
            store.insert(address("a"), n.to_string(), body(n), 10).unwrap();
        }
        let full = store.insert(address("a"), "x".into(), body(0), 1);
        assert!(matches!(full, Err(Refused::Full { entities: 3, .. })));
        assert!(store.remove(&address("a"), "0"));
        assert!(matches!(
            store.insert(address("a"), "x".into(), body(0), 81),
            Err(Refused::Full { .. })
        ));
        store.insert(address("a"), "x".into(), body(0), 80).unwrap();
        assert!(matches!(store.update(&address("a"), "x", 1, |_| {}), Err(Refused::Full { .. })));
        assert!(matches!(store.update(&address("a"), "y", 0, |_| {}), Err(Refused::Missing)));
        assert!(matches!(
            store.update_single(address("s"), Map::new(), 0, |_| {}),
            Err(Refused::Full { .. })
        ));
        assert!(store.insert(address("a"), "z".into(), body(0), usize::MAX).is_err());
    }
}
