//! One store for every entity, by address: an entity set or contained collection is addressed
//! by its path with keys (`["users", "<id>", "todo", "lists"]`), an entity by its collection's
//! address and its key. Singletons and single-valued contained navigations exist whenever their
//! parent does; what is written to them (`PATCH`) is kept by their own address.
//!
//! Addresses sort so that everything under an entity follows it: deleting an entity removes
//! what it contains in one range. The store is bounded: at most so many entities and so many
//! bytes (as estimated from the request bodies that wrote them).

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
    body: Map<String, Value>,
}

pub(crate) struct Store {
    collections: BTreeMap<Address, Collection>,
    /// What was written to singletons and single-valued navigations, with its weight.
    singles: BTreeMap<Address, (usize, Map<String, Value>)>,
    entities: usize,
    bytes: usize,
    max_entities: usize,
    max_bytes: usize,
    sequence: u64,
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

    pub(crate) fn contains(&self, collection: &[String], key: &str) -> bool {
        self.get(collection, key).is_some()
    }

    /// The entities of a collection with their keys, in creation order.
    pub(crate) fn list(&self, collection: &[String]) -> Vec<(&str, &Map<String, Value>)> {
        let Some(collection) = self.collections.get(collection) else { return Vec::new() };
        collection
            .order
            .values()
            .filter_map(|key| collection.entities.get(key).map(|s| (key.as_str(), &s.body)))
            .collect()
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

    /// Adds an entity, `weight` bytes.
    pub(crate) fn insert(
        &mut self,
        collection: Address,
        key: String,
        body: Map<String, Value>,
        weight: usize,
    ) -> Result<(), Refused> {
        if self.contains(&collection, &key) {
            return Err(Refused::Conflict);
        }
        self.room(1, weight)?;
        self.sequence += 1;
        let sequence = self.sequence;
        let target = self.collections.entry(collection).or_default();
        target.order.insert(sequence, key.clone());
        target.entities.insert(key, Stored { sequence, weight, body });
        self.entities += 1;
        self.bytes += weight;
        Ok(())
    }

    /// Changes an entity in place; `weight` more bytes.
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
        let stored = self
            .collections
            .get_mut(collection)
            .and_then(|c| c.entities.get_mut(key))
            .ok_or(Refused::Missing)?;
        change(&mut stored.body);
        stored.weight += weight;
        self.bytes += weight;
        Ok(())
    }

    /// What was written to a singleton or single-valued navigation.
    pub(crate) fn single(&self, address: &[String]) -> Option<&Map<String, Value>> {
        self.singles.get(address).map(|(_, body)| body)
    }

    /// Changes a singleton or single-valued navigation, starting from `initial` the first time.
    pub(crate) fn update_single(
        &mut self,
        address: Address,
        initial: Map<String, Value>,
        weight: usize,
        change: impl FnOnce(&mut Map<String, Value>),
    ) -> Result<(), Refused> {
        let new = !self.singles.contains_key(&address);
        self.room(usize::from(new), weight)?;
        let (stored_weight, body) = self.singles.entry(address).or_insert((0, initial));
        change(body);
        *stored_weight += weight;
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
            if let Some((weight, _)) = self.singles.remove(&address) {
                self.entities -= 1;
                self.bytes -= weight;
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
            store.list(&address("groups")).iter().map(|(_, b)| b["n"].as_u64().unwrap()).collect();
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
