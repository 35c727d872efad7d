//! One store for every entity, by address: an entity set or contained collection is addressed
//! by its path with keys (`["users", "<id>", "todo", "lists"]`), an entity by its collection's
//! address and its key. Singletons and single-valued contained navigations exist whenever their
//! parent does; what is written to them (`PATCH`) is kept by their own address.
//!
//! Addresses sort so that everything under an entity follows it: deleting an entity removes
//! what it contains in one range. The store is bounded: at most so many entities and so many
//! bytes, an entity counting for the length of its JSON encoding as stored, exactly: a change
//! counts its new size instead of its former one, a delete takes back what the entity and
//! everything under it counted.
//!
//! Every stored entity has a version, drawn from one counter for the whole store when it is
//! created and again on each change: its `@odata.etag` ([`etag`]) never repeats, neither for
//! the entity after a change nor for another entity. A singleton or single-valued navigation
//! never written has version 0.
//!
//! A collection whose changes are read through `delta` is tracked ([`Store::track`]): its
//! removals are remembered with the version they were given (at most so many, the oldest
//! forgotten first), so that what changed after a version is what has a later version and the
//! removals after it. A version from before the oldest removal forgotten, or from before the
//! collection was tracked, can no longer tell: [`Store::tracked_since`] says so.

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

/// The removals remembered for a tracked collection.
struct Removals {
    /// The first version the removals tell about: what was removed at or before it may be
    /// forgotten.
    floor: u64,
    /// Keys by the version of their removal.
    keys: BTreeMap<u64, String>,
}

/// An entity of a collection as listed: its key, its version and its properties.
#[derive(Clone, Copy)]
pub(crate) struct Listed<'a> {
    pub(crate) key: &'a str,
    pub(crate) version: u64,
    pub(crate) body: &'a Map<String, Value>,
}

/// The bytes an entity counts for: the length of its JSON encoding, as stored.
fn size(body: &Map<String, Value>) -> usize {
    crate::bounded::encoded_len(body)
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
    /// The removals of tracked collections.
    removals: BTreeMap<Address, Removals>,
    max_removals: usize,
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
            removals: BTreeMap::new(),
            max_removals: crate::bounded::MAX_DELTA_REMOVALS,
        }
    }

    /// The store, remembering at most `removals` removals per tracked collection.
    pub(crate) fn remembering(mut self, removals: usize) -> Self {
        self.max_removals = removals;
        self
    }

    /// The last version given: what a delta link says it has seen.
    pub(crate) fn version_now(&self) -> u64 {
        self.version
    }

    /// Starts remembering the removals of a collection, if it was not already.
    pub(crate) fn track(&mut self, collection: &[String]) {
        let floor = self.version;
        self.removals
            .entry(collection.to_vec())
            .or_insert_with(|| Removals { floor, keys: BTreeMap::new() });
    }

    /// Whether the changes of a tracked collection after `version` are known: the removals
    /// since were all remembered.
    pub(crate) fn tracked_since(&self, collection: &[String], version: u64) -> bool {
        self.removals.get(collection).is_some_and(|r| r.floor <= version && version <= self.version)
    }

    /// The entities of a collection whose version is in `(since, upto]`, in creation order from
    /// after the sequence number `after`, each with its sequence number.
    pub(crate) fn changed(
        &self,
        collection: &[String],
        since: u64,
        upto: u64,
        after: u64,
    ) -> impl Iterator<Item = (u64, Listed<'_>)> + '_ {
        let collection = self.collections.get(collection);
        let order = collection.map(|c| c.order.range(after.saturating_add(1)..));
        order.into_iter().flatten().filter_map(move |(&sequence, key)| {
            let stored = collection?.entities.get(key)?;
            (stored.version > since && stored.version <= upto).then_some((
                sequence,
                Listed { key: key.as_str(), version: stored.version, body: &stored.body },
            ))
        })
    }

    /// The keys removed from a tracked collection at a version in `(since, upto]`, from after
    /// version `after`, each with the version of its removal.
    pub(crate) fn removed(
        &self,
        collection: &[String],
        since: u64,
        upto: u64,
        after: u64,
    ) -> impl Iterator<Item = (u64, &str)> + '_ {
        let start = since.max(after).saturating_add(1);
        let keys = self.removals.get(collection).map(|r| r.keys.range(start..=upto.max(start)));
        keys.into_iter()
            .flatten()
            .filter(move |(version, _)| **version <= upto)
            .map(|(version, key)| (*version, key.as_str()))
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

    /// Whether `entities` more entities and a store of `bytes` bytes fit.
    fn room(&self, entities: usize, bytes: Option<usize>) -> Result<(), Refused> {
        let full = Refused::Full { entities: self.max_entities, bytes: self.max_bytes };
        let count = self.entities.checked_add(entities).ok_or(full.clone())?;
        match bytes {
            Some(bytes) if count <= self.max_entities && bytes <= self.max_bytes => Ok(()),
            _ => Err(full),
        }
    }

    /// Adds an entity; its version.
    pub(crate) fn insert(
        &mut self,
        collection: Address,
        key: String,
        body: Map<String, Value>,
    ) -> Result<u64, Refused> {
        if self.contains(&collection, &key) {
            return Err(Refused::Conflict);
        }
        let weight = size(&body);
        self.room(1, self.bytes.checked_add(weight))?;
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

    /// Changes an entity, to a new version; it then counts for its new size instead of its
    /// former one. Refused (and left as it was) when the new size does not fit.
    pub(crate) fn update(
        &mut self,
        collection: &[String],
        key: &str,
        change: impl FnOnce(&mut Map<String, Value>),
    ) -> Result<(), Refused> {
        let stored = self
            .collections
            .get(collection)
            .and_then(|c| c.entities.get(key))
            .ok_or(Refused::Missing)?;
        let mut body = stored.body.clone();
        change(&mut body);
        let weight = size(&body);
        let rest = self.bytes - stored.weight;
        self.room(0, rest.checked_add(weight))?;
        let version = self.next_version();
        let stored = self
            .collections
            .get_mut(collection)
            .and_then(|c| c.entities.get_mut(key))
            .ok_or(Refused::Missing)?;
        *stored = Stored { weight, version, body, ..*stored };
        self.bytes = rest + weight;
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
    /// to a new version; it counts for its new size, as [`Store::update`].
    pub(crate) fn update_single(
        &mut self,
        address: Address,
        initial: Map<String, Value>,
        change: impl FnOnce(&mut Map<String, Value>),
    ) -> Result<(), Refused> {
        let former = self.singles.get(&address);
        let new = former.is_none();
        let rest = self.bytes - former.map_or(0, |s| s.weight);
        let mut body = former.map_or(initial, |s| s.body.clone());
        change(&mut body);
        let weight = size(&body);
        self.room(usize::from(new), rest.checked_add(weight))?;
        let version = self.next_version();
        self.singles.insert(address, Single { weight, version, body });
        self.entities += usize::from(new);
        self.bytes = rest + weight;
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
        self.remember_removal(collection, key);
        true
    }

    /// Remembers that `key` left a tracked collection, at a new version; past the cap, the
    /// oldest removal is forgotten, and links from before it expire.
    fn remember_removal(&mut self, collection: &[String], key: &str) {
        if !self.removals.contains_key(collection) {
            return;
        }
        let version = self.next_version();
        let max = self.max_removals;
        if let Some(removals) = self.removals.get_mut(collection) {
            removals.keys.insert(version, key.to_owned());
            while removals.keys.len() > max {
                if let Some((forgotten, _)) = removals.keys.pop_first() {
                    removals.floor = forgotten;
                }
            }
        }
    }

    /// Removes the collections and singles whose address starts with `prefix` (and is longer).
    fn remove_under(&mut self, prefix: &[String]) {
        for address in under(&self.collections, prefix) {
            if let Some(collection) = self.collections.remove(&address) {
                self.entities -= collection.entities.len();
                self.bytes -= collection.entities.values().map(|s| s.weight).sum::<usize>();
            }
        }
        for address in under(&self.singles, prefix) {
            if let Some(single) = self.singles.remove(&address) {
                self.entities -= 1;
                self.bytes -= single.weight;
            }
        }
        // Collections under a removed entity are gone: links to their changes expire.
        for address in under(&self.removals, prefix) {
            self.removals.remove(&address);
        }
    }
}

/// The addresses of `map` under `prefix` (starting with it, and longer): one range, as addresses
/// sort.
fn under<V>(map: &BTreeMap<Address, V>, prefix: &[String]) -> Vec<Address> {
    let start = std::ops::Bound::Excluded(prefix.to_vec());
    map.range((start, std::ops::Bound::Unbounded))
        .map(|(address, _)| address)
        .take_while(|address| address.len() > prefix.len() && address.starts_with(prefix))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    fn address(path: &str) -> Address {
        path.split('/').map(str::to_owned).collect()
    }

    /// `{"n":N}`: 7 bytes for a one-digit `n`.
    fn body(n: u64) -> Map<String, Value> {
        json!({ "n": n }).as_object().unwrap().clone()
    }

    /// A body of `bytes` bytes (at least 8), as the store counts them.
    fn sized(bytes: usize) -> Map<String, Value> {
        json!({ "s": "x".repeat(bytes - 8) }).as_object().unwrap().clone()
    }

    /// What the store's entities and singles count for, summed afresh.
    fn counted(store: &Store) -> usize {
        let collections = store.collections.values().flat_map(|c| c.entities.values());
        collections.map(|s| size(&s.body)).sum::<usize>()
            + store.singles.values().map(|s| size(&s.body)).sum::<usize>()
    }

    #[test]
    fn creation_order_survives_deletes() {
        let mut store = Store::new(100, 1 << 20);
        for n in 0..5 {
            store.insert(address("groups"), format!("g{n}"), body(n)).unwrap();
        }
        assert!(store.remove(&address("groups"), "g1"));
        assert!(!store.remove(&address("groups"), "g1"), "gone");
        store.insert(address("groups"), "g1".into(), body(9)).unwrap();
        let ns: Vec<u64> =
            store.list(&address("groups")).iter().map(|e| e.body["n"].as_u64().unwrap()).collect();
        assert_eq!(ns, [0, 2, 3, 4, 9]);
        assert_eq!(store.insert(address("groups"), "g1".into(), body(0)), Err(Refused::Conflict));
        assert_eq!((store.len(), store.bytes), (5, 35));
    }

    #[test]
    fn deleting_a_parent_deletes_what_it_contains_and_nothing_else() {
        let mut store = Store::new(100, 1 << 20);
        store.insert(address("users"), "u".into(), body(0)).unwrap();
        store.insert(address("users"), "u2".into(), body(0)).unwrap();
        store.insert(address("users/u/todo/lists"), "l".into(), body(1)).unwrap();
        store.insert(address("users/u/todo/lists/l/tasks"), "t".into(), body(2)).unwrap();
        store.insert(address("users/u2/todo/lists"), "l".into(), body(3)).unwrap();
        store.update_single(address("users/u/todo"), Map::new(), |b| *b = body(4)).unwrap();
        // `users/u` must not take `users/u2`'s, nor a key that merely starts with `u`.
        assert_eq!((store.len(), store.bytes), (6, 42));
        assert!(store.remove(&address("users"), "u"));
        assert_eq!((store.len(), store.bytes), (2, 14));
        assert_eq!(store.bytes, counted(&store));
        assert!(store.list(&address("users/u/todo/lists/l/tasks")).is_empty());
        assert!(store.single(&address("users/u/todo")).is_none());
        assert_eq!(store.list(&address("users/u2/todo/lists")).len(), 1);
    }

    #[test]
    fn versions_change_on_every_write_and_never_repeat() {
        let mut store = Store::new(10, 100);
        let a = store.insert(address("a"), "1".into(), body(0)).unwrap();
        let b = store.insert(address("a"), "2".into(), body(0)).unwrap();
        assert_ne!(a, b);
        assert_eq!(store.version(&address("a"), "1"), Some(a));
        store.update(&address("a"), "1", |_| {}).unwrap();
        let changed = store.version(&address("a"), "1").unwrap();
        assert!(![a, b].contains(&changed), "a new version");
        assert_eq!(store.list(&address("a"))[0].version, changed);
        // A refused change keeps the version, and the entity as it was.
        assert!(store.update(&address("a"), "1", |b| *b = sized(1000)).is_err());
        assert_eq!(store.version(&address("a"), "1"), Some(changed));
        assert_eq!(store.get(&address("a"), "1"), Some(&body(0)));
        // Deleted and created again: not the version it had.
        assert!(store.remove(&address("a"), "1"));
        assert_eq!(store.version(&address("a"), "1"), None);
        let again = store.insert(address("a"), "1".into(), body(0)).unwrap();
        assert!(![a, b, changed].contains(&again));
        // A single is at version 0 until written.
        assert_eq!(store.single_version(&address("s")), 0);
        store.update_single(address("s"), Map::new(), |_| {}).unwrap();
        let first = store.single_version(&address("s"));
        assert!(first > again);
        store.update_single(address("s"), Map::new(), |_| {}).unwrap();
        assert!(store.single_version(&address("s")) > first);
        assert_ne!(etag(1), etag(2));
        assert!(etag(1).starts_with("W/\"") && etag(1).ends_with('"'), "{}", etag(1));
    }

    #[test]
    fn the_caps_hold() {
        let mut store = Store::new(3, 100);
        for n in 0..3 {
            store.insert(address("a"), n.to_string(), sized(10)).unwrap();
        }
        let full = store.insert(address("a"), "x".into(), body(0));
        assert!(matches!(full, Err(Refused::Full { entities: 3, .. })));
        assert!(store.remove(&address("a"), "0"));
        let too_big = store.insert(address("a"), "x".into(), sized(81));
        assert!(matches!(too_big, Err(Refused::Full { .. })));
        store.insert(address("a"), "x".into(), sized(80)).unwrap();
        assert_eq!(store.bytes, 100);
        let growing = store.update(&address("a"), "x", |b| *b = sized(81));
        assert!(matches!(growing, Err(Refused::Full { .. })));
        assert!(matches!(store.update(&address("a"), "y", |_| {}), Err(Refused::Missing)));
        assert!(matches!(
            store.update_single(address("s"), Map::new(), |_| {}),
            Err(Refused::Full { .. })
        ));
        // Shrinking makes room.
        store.update(&address("a"), "x", |b| *b = sized(70)).unwrap();
        assert_eq!(store.bytes, 90);
    }

    #[test]
    fn an_update_counts_its_new_size_instead_of_its_former_one() {
        // Each PATCH once added its body to the quota and never took back what it replaced: a
        // long run of updates ended in `Directory_QuotaExceeded` with nothing more stored.
        let mut store = Store::new(10, 100);
        store.insert(address("a"), "1".into(), sized(50)).unwrap();
        store.update_single(address("s"), Map::new(), |b| *b = sized(40)).unwrap();
        for n in 0..10_000 {
            store.update(&address("a"), "1", |b| *b = sized(50 - n % 3)).unwrap();
            store.update_single(address("s"), Map::new(), |b| *b = sized(40 + n % 5)).unwrap();
            assert_eq!(store.bytes, counted(&store));
        }
        // The last sizes: 50 - 9,999 % 3 and 40 + 9,999 % 5.
        assert_eq!(store.bytes, 50 + 44);
        assert!(store.remove(&address("a"), "1"));
        assert_eq!(store.bytes, counted(&store));
    }
}
