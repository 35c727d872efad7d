//! Microsoft Graph's v1.0 metadata, as the service publishes it at `$metadata`, for the global,
//! US Government and China clouds: entity, complex and enum types, their properties and
//! navigation properties, the entity sets and singletons, the actions and functions (bound and
//! imported, with their parameters and results), the annotations worth keeping
//! (computed properties, descriptions, insert/update/delete restrictions), and for each item
//! the clouds whose metadata has it.
//!
//! Beside it, Graph beta ([`Schema::beta`]), as the converter in `beta/` reconstructs it from
//! Microsoft's sources, each fact only inferred marked ([`Inferred`]); and Microsoft's
//! permissions reference ([`permissions`]): which permissions work for each path and method,
//! and which is least privileged.
//!
//! The metadata (`metadata/`, MIT, from microsoftgraph/msgraph-metadata) is read once, when this
//! crate is built, into a compact form that [`Schema::v1`] loads once per process: nothing
//! parses XML when the `#[graph_entity]` macro runs. The same reader serves other documents
//! through [`Schema::from_csdl`].
//!
//! ```
//! use graph_entity_schema::{Clouds, Schema};
//!
//! let schema = Schema::v1();
//! let path = "/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses";
//! let resolved = schema.resolve(path)?;
//! assert_eq!(resolved.ty, "microsoft.graph.managedDeviceMobileAppConfigurationUserStatus");
//! assert!(resolved.collection);
//! assert!(resolved.clouds.contains(Clouds::GLOBAL));
//! let status = schema.property(&resolved.ty, "devicesCount").unwrap();
//! assert_eq!(status.ty.name, "Edm.Int32");
//! assert!(!status.nullable);
//! # Ok::<(), graph_entity_schema::PathProblem>(())
//! ```

#![deny(missing_docs)]

mod compact;
mod csdl;
mod model;
pub mod naming;
mod operations;
pub mod permissions;
mod resolve;
pub mod throttling;

use std::collections::HashMap;
use std::sync::OnceLock;

pub use model::{
    Clouds, Inferred, MemberDef, Model, NavigationDef, OperationDef, OperationKind, ParameterDef,
    PropertyDef, Restrictions, RootDef, RootKind, TypeDef, TypeKind, TypeRef,
};
pub use operations::ResolvedOperation;
pub use resolve::{PathProblem, Resolved};

/// Microsoft Graph's schema, indexed for lookups.
#[derive(Debug)]
pub struct Schema {
    /// The Graph version it describes; `None` for a document read with [`Schema::from_csdl`].
    version: Option<Version>,
    model: Model,
    /// The types deriving directly from each type, by index.
    children: HashMap<String, Vec<usize>>,
    /// The operations bound to each type (as one entity or a collection), by index.
    bound: HashMap<String, Vec<usize>>,
}

/// The compact form of the three clouds' v1.0 metadata, written by the build script.
static V1: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/v1.0.schema"));

/// The compact form of the reconstructed beta metadata, written by the build script.
static BETA: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/beta.schema"));

/// Beta, decoded on first use.
static BETA_SCHEMA: OnceLock<Schema> = OnceLock::new();

/// Which of Graph's versions a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// `v1.0`: Microsoft's own metadata of three clouds, every fact stated.
    V1,
    /// `beta`: the converter's reconstruction of the global service's beta metadata
    /// (`metadata/beta-Prod.csdl`); the facts it only infers are marked ([`Inferred`]).
    Beta,
}

impl Schema {
    /// Microsoft Graph v1.0, all three clouds merged: loaded on first use, once per process.
    ///
    /// # Panics
    ///
    /// Never for a build of this crate: the embedded form is written by its own build script
    /// (a corrupt one would be a bug, caught by this crate's tests).
    pub fn v1() -> &'static Schema {
        static SCHEMA: OnceLock<Schema> = OnceLock::new();
        SCHEMA.get_or_init(|| {
            #[allow(clippy::expect_used)]
            Schema::load_v1().expect("the embedded schema is written by build.rs")
        })
    }

    /// Decodes and indexes the embedded v1.0 form anew: what [`Schema::v1`] does once per
    /// process (and so once per compiler process for the macros). For `benches/load.rs`.
    ///
    /// # Errors
    ///
    /// What is wrong with the embedded form (never, for a build of this crate).
    #[doc(hidden)]
    pub fn load_v1() -> Result<Schema, String> {
        compact::decode(V1)
            .map(|model| Schema { version: Some(Version::V1), ..Schema::indexed(model) })
    }

    /// Microsoft Graph beta, as the converter in `beta/` reconstructs it from Microsoft's
    /// sources (an item exists in every cloud unless China's beta document lacks it): decoded on
    /// first use, once per process, so that code without beta declarations never pays for it.
    ///
    /// ```
    /// use graph_entity_schema::Schema;
    ///
    /// let policies = Schema::beta().resolve("/deviceManagement/configurationPolicies")?;
    /// assert_eq!(policies.ty, "microsoft.graph.deviceManagementConfigurationPolicy");
    /// # Ok::<(), graph_entity_schema::PathProblem>(())
    /// ```
    ///
    /// # Panics
    ///
    /// Never for a build of this crate, as [`Schema::v1`].
    pub fn beta() -> &'static Schema {
        BETA_SCHEMA.get_or_init(|| {
            #[allow(clippy::expect_used)]
            Schema::load_beta().expect("the embedded beta schema is written by build.rs")
        })
    }

    /// Whether this process has decoded beta yet: for the macros' test that a crate without
    /// `beta` declarations never does.
    #[doc(hidden)]
    pub fn beta_decoded() -> bool {
        BETA_SCHEMA.get().is_some()
    }

    /// The schema of a version: [`Schema::v1`] or [`Schema::beta`].
    pub fn of(version: Version) -> &'static Schema {
        match version {
            Version::V1 => Schema::v1(),
            Version::Beta => Schema::beta(),
        }
    }

    /// Decodes and indexes the embedded beta form anew (for `benches/load.rs`).
    ///
    /// # Errors
    ///
    /// What is wrong with the embedded form (never, for a build of this crate).
    #[doc(hidden)]
    pub fn load_beta() -> Result<Schema, String> {
        compact::decode(BETA)
            .map(|model| Schema { version: Some(Version::Beta), ..Schema::indexed(model) })
    }

    /// Reads a CSDL document for these clouds.
    ///
    /// # Errors
    ///
    /// What is wrong with the document.
    pub fn from_csdl(xml: &str, clouds: Clouds) -> Result<Schema, String> {
        csdl::read(xml, clouds).map(Schema::from_model)
    }

    /// Indexes a model.
    pub fn from_model(mut model: Model) -> Schema {
        model.sort();
        Schema::indexed(model)
    }

    /// Indexes a model already sorted (the compact forms are written sorted).
    fn indexed(model: Model) -> Schema {
        // Types and roots are found by binary search in their sorted lists; a key is cloned
        // once per base or binding type, not once per entry (the macros decode in debug builds).
        let mut children: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, ty) in model.types.iter().enumerate() {
            if let Some(base) = &ty.base {
                match children.get_mut(base.as_str()) {
                    Some(list) => list.push(i),
                    None => drop(children.insert(base.clone(), vec![i])),
                }
            }
        }
        let mut bound: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, operation) in model.operations.iter().enumerate() {
            if let Some(binding) = &operation.binding {
                match bound.get_mut(binding.name.as_str()) {
                    Some(list) => list.push(i),
                    None => drop(bound.insert(binding.name.clone(), vec![i])),
                }
            }
        }
        Schema { version: None, model, children, bound }
    }

    /// The Graph version it describes: `None` for a document read with [`Schema::from_csdl`].
    pub fn version(&self) -> Option<Version> {
        self.version
    }

    /// How messages name this schema: `Microsoft Graph v1.0`, `Microsoft Graph beta`, or `the
    /// metadata` for one read with [`Schema::from_csdl`].
    pub fn name(&self) -> &'static str {
        match self.version {
            Some(Version::V1) => "Microsoft Graph v1.0",
            Some(Version::Beta) => "Microsoft Graph beta",
            None => "the metadata",
        }
    }

    /// Every type, sorted by qualified name.
    pub fn types(&self) -> &[TypeDef] {
        &self.model.types
    }

    /// Every entity set and singleton, sorted by name.
    pub fn roots(&self) -> &[RootDef] {
        &self.model.roots
    }

    /// The type with this name: qualified (`microsoft.graph.user`), with the `graph.` alias, or
    /// `#microsoft.graph.user` as `@odata.type` writes it.
    pub fn get(&self, name: &str) -> Option<&TypeDef> {
        let name = name.strip_prefix('#').unwrap_or(name);
        let types = &self.model.types;
        let find = |name: &str| types.binary_search_by(|t| t.name.as_str().cmp(name)).ok();
        let index = match name.strip_prefix("graph.") {
            Some(rest) => find(&format!("microsoft.graph.{rest}")),
            None => find(name),
        };
        index.map(|i| &types[i])
    }

    /// The entity set or singleton with this name.
    pub fn root(&self, name: &str) -> Option<&RootDef> {
        let roots = &self.model.roots;
        roots.binary_search_by(|r| r.name.as_str().cmp(name)).ok().map(|i| &roots[i])
    }

    /// The type and its base types, the type first.
    pub fn ancestry<'s>(&'s self, name: &str) -> impl Iterator<Item = &'s TypeDef> + 's {
        let mut next = self.get(name);
        // A cycle in the bases would be a broken document: stop after as many steps as types.
        let mut budget = self.model.types.len();
        std::iter::from_fn(move || {
            let current = next.filter(|_| budget > 0)?;
            budget -= 1;
            next = current.base.as_deref().and_then(|base| self.get(base));
            Some(current)
        })
    }

    /// Every property of the type, inherited ones included (the base's first), each once: where
    /// a derived type declares a property again, its definition stands, in the base's place.
    pub fn properties(&self, ty: &str) -> Vec<&PropertyDef> {
        let chain: Vec<&TypeDef> = self.ancestry(ty).collect();
        once_each(chain.iter().rev().flat_map(|t| t.properties.iter()), |p| &p.name)
    }

    /// The property of this name on the type or a base type.
    pub fn property(&self, ty: &str, name: &str) -> Option<&PropertyDef> {
        self.ancestry(ty).find_map(|t| t.properties.iter().find(|p| p.name == name))
    }

    /// Every navigation property of the type, inherited ones included (the base's first), each
    /// once, as [`properties`](Self::properties).
    pub fn navigations(&self, ty: &str) -> Vec<&NavigationDef> {
        let chain: Vec<&TypeDef> = self.ancestry(ty).collect();
        once_each(chain.iter().rev().flat_map(|t| t.navigation.iter()), |n| &n.name)
    }

    /// The navigation property of this name on the type or a base type.
    pub fn navigation(&self, ty: &str, name: &str) -> Option<&NavigationDef> {
        self.ancestry(ty).find_map(|t| t.navigation.iter().find(|n| n.name == name))
    }

    /// Whether `ty` is `base` or derives from it.
    pub fn is_derived_from(&self, ty: &str, base: &str) -> bool {
        let Some(base) = self.get(base) else { return false };
        self.ancestry(ty).any(|t| t.name == base.name)
    }

    /// The types deriving from `ty`, directly or not, sorted by name.
    pub fn derived(&self, ty: &str) -> Vec<&TypeDef> {
        let Some(root) = self.get(ty) else { return Vec::new() };
        let mut found: Vec<usize> = Vec::new();
        let mut seen = vec![false; self.model.types.len()];
        let mut pending = vec![root.name.as_str()];
        // Each type is visited once, even if the document had a cycle.
        while let Some(name) = pending.pop() {
            for &child in self.children.get(name).map_or(&[][..], Vec::as_slice) {
                if !seen[child] && self.model.types[child].name != root.name {
                    seen[child] = true;
                    found.push(child);
                    pending.push(&self.model.types[child].name);
                }
            }
        }
        found.sort_unstable();
        found.into_iter().map(|i| &self.model.types[i]).collect()
    }

    /// The types an instance of `ty` can be: `ty` unless abstract, and every non-abstract
    /// derived type.
    pub fn concrete(&self, ty: &str) -> Vec<&TypeDef> {
        let own = self.get(ty).filter(|t| !t.is_abstract);
        own.into_iter().chain(self.derived(ty).into_iter().filter(|t| !t.is_abstract)).collect()
    }
}

/// `items` (base first) with a later item of the same name in the place of the earlier one.
fn once_each<'a, T>(items: impl Iterator<Item = &'a T>, name: impl Fn(&T) -> &str) -> Vec<&'a T> {
    let mut out: Vec<&'a T> = Vec::new();
    let mut at: HashMap<&'a str, usize> = HashMap::new();
    for item in items {
        match at.get(name(item)) {
            Some(&i) => out[i] = item,
            None => {
                at.insert(name(item), out.len());
                out.push(item);
            }
        }
    }
    out
}

/// Graph's `microsoft.graph.Json`: declared in the metadata as a complex type without
/// properties, it stands for any JSON value (a workbook range's `values` are arrays of arrays),
/// so that readers take whatever it holds rather than a structure.
pub const ANY_JSON: &str = "microsoft.graph.Json";

/// The candidate closest to `name` by edit distance, when it is close enough to be a likely
/// misspelling (case is ignored; at most a third of the name's length may differ).
///
/// ```
/// use graph_entity_schema::suggest;
///
/// let names = ["userDisplayName", "userPrincipalName", "devicesCount"];
/// assert_eq!(suggest("userDispalyName", names), Some("userDisplayName"));
/// assert_eq!(suggest("color", names), None);
/// ```
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if name.is_empty() {
        return None;
    }
    let wanted: Vec<char> = name.to_lowercase().chars().collect();
    let limit = (wanted.len() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    let mut candidate_chars = Vec::new();
    for candidate in candidates {
        // The length alone rules most candidates out: no need to align them.
        let length = candidate.chars().count();
        if length.abs_diff(wanted.len()) > limit {
            continue;
        }
        candidate_chars.clear();
        candidate_chars.extend(candidate.chars().flat_map(char::to_lowercase));
        let d = distance(&wanted, &candidate_chars);
        let better = match best {
            None => true,
            Some((best_d, best_name)) => (d, candidate) < (best_d, best_name),
        };
        if d <= limit && better {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Levenshtein distance, with transpositions of neighbours counting one (optimal string
/// alignment), over characters, keeping three rows.
fn distance(a: &[char], b: &[char]) -> usize {
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests;
