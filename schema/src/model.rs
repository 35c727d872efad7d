//! The schema model: types, their properties and navigation, the service's roots, and in which
//! clouds each exists. Shared by the build script (which fills it from the CSDL) and the crate.

use std::fmt;

/// A set of national clouds whose metadata has an item.
///
/// The US Government metadata (`Fairfax`) serves both `UsGovL4` and `UsGovL5Dod`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Clouds(u8);

impl Clouds {
    /// No cloud.
    pub const NONE: Clouds = Clouds(0);
    /// The global service (`graph.microsoft.com`).
    pub const GLOBAL: Clouds = Clouds(1);
    /// US Government L4 and L5 (DoD) (`graph.microsoft.us`, `dod-graph.microsoft.us`).
    pub const US_GOV: Clouds = Clouds(2);
    /// China, operated by 21Vianet (`microsoftgraph.chinacloudapi.cn`).
    pub const CHINA: Clouds = Clouds(4);
    /// Every cloud.
    pub const ALL: Clouds = Clouds(7);

    /// The clouds in either set.
    #[must_use]
    pub const fn union(self, other: Clouds) -> Clouds {
        Clouds(self.0 | other.0)
    }

    /// The clouds in both sets.
    #[must_use]
    pub const fn intersection(self, other: Clouds) -> Clouds {
        Clouds(self.0 & other.0)
    }

    /// Whether every cloud of `other` is in this set.
    pub const fn contains(self, other: Clouds) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The raw bits: `1` global, `2` US Government, `4` China.
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// The set with these bits (others ignored).
    pub const fn from_bits(bits: u8) -> Clouds {
        Clouds(bits & 7)
    }

    const NAMES: [(Clouds, &'static str); 3] =
        [(Clouds::GLOBAL, "global"), (Clouds::US_GOV, "us_gov"), (Clouds::CHINA, "china")];

    /// The names of the clouds in the set, as `#[graph_entity(clouds(...))]` spells them.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Clouds::NAMES
            .into_iter()
            .filter(move |(cloud, _)| self.contains(*cloud))
            .map(|(_, name)| name)
    }

    /// The cloud of one of those names (`global`, `us_gov`, `china`).
    ///
    /// ```
    /// use graph_entity_schema::Clouds;
    ///
    /// assert_eq!(Clouds::from_name("us_gov"), Some(Clouds::US_GOV));
    /// assert_eq!(Clouds::from_name("mars"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Clouds> {
        Clouds::NAMES.into_iter().find(|(_, n)| *n == name).map(|(cloud, _)| cloud)
    }
}

impl fmt::Debug for Clouds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

impl fmt::Display for Clouds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.names().collect();
        if names.is_empty() { f.write_str("no cloud") } else { f.write_str(&names.join(", ")) }
    }
}

/// Which facts of an item its metadata only infers: set for the reconstructed beta document
/// (`metadata/beta-Prod.csdl`), whose converter marks each fact no Microsoft CSDL states
/// (`GraphEntity.Inferred`); always empty for v1.0, read from Microsoft's own documents.
///
/// ```
/// use graph_entity_schema::Inferred;
///
/// let facts = Inferred::from_names("Width Nullable");
/// assert!(facts.contains(Inferred::WIDTH) && facts.contains(Inferred::NULLABLE));
/// assert!(!facts.contains(Inferred::PRECISION));
/// assert_eq!(facts.names().collect::<Vec<_>>(), ["Width", "Nullable"]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Inferred(u16);

impl Inferred {
    /// Nothing inferred: every fact is stated by a Microsoft CSDL.
    pub const NONE: Inferred = Inferred(0);
    /// An integer's width: written `Edm.Int32`, it may be `Edm.Int64` (or narrower).
    pub const WIDTH: Inferred = Inferred(1);
    /// A number's precision: written `Edm.Double`, it may be `Edm.Single` or `Edm.Decimal`.
    pub const PRECISION: Inferred = Inferred(2);
    /// Nullability: written as CSDL's default (nullable).
    pub const NULLABLE: Inferred = Inferred(4);
    /// Whether a type is abstract: written not abstract.
    pub const ABSTRACT: Inferred = Inferred(8);
    /// Whether a navigation property contains its targets: derived from the service's paths.
    pub const CONTAINMENT: Inferred = Inferred(16);
    /// An enum's member values: written in order.
    pub const VALUES: Inferred = Inferred(32);
    /// Whether an enum is a flags enum.
    pub const FLAGS: Inferred = Inferred(64);
    /// The type itself: a best reconstruction.
    pub const TYPE: Inferred = Inferred(128);
    /// Whether the service computes a property (it is read-only): written not computed.
    pub const COMPUTED: Inferred = Inferred(256);

    const NAMES: [(Inferred, &'static str); 9] = [
        (Inferred::WIDTH, "Width"),
        (Inferred::PRECISION, "Precision"),
        (Inferred::NULLABLE, "Nullable"),
        (Inferred::ABSTRACT, "Abstract"),
        (Inferred::CONTAINMENT, "Containment"),
        (Inferred::VALUES, "Values"),
        (Inferred::FLAGS, "Flags"),
        (Inferred::TYPE, "Type"),
        (Inferred::COMPUTED, "Computed"),
    ];

    /// Whether every fact of `other` is in this set.
    pub const fn contains(self, other: Inferred) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether nothing is inferred.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Both sets.
    #[must_use]
    pub const fn union(self, other: Inferred) -> Inferred {
        Inferred(self.0 | other.0)
    }

    /// The raw bits.
    pub const fn bits(self) -> u16 {
        self.0
    }

    /// The set with these bits.
    pub const fn from_bits(bits: u16) -> Inferred {
        Inferred(bits)
    }

    /// The set a `GraphEntity.Inferred` annotation names (space-separated; unknown names are
    /// ignored).
    pub fn from_names(names: &str) -> Inferred {
        names.split_whitespace().fold(Inferred::NONE, |set, name| {
            Inferred::NAMES.iter().find(|(_, n)| *n == name).map_or(set, |(f, _)| set.union(*f))
        })
    }

    /// The names of the facts in the set, as the annotation writes them.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Inferred::NAMES.into_iter().filter(move |(f, _)| self.contains(*f)).map(|(_, n)| n)
    }
}

impl fmt::Debug for Inferred {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

/// What kind of type a [`TypeDef`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// An entity type: has a key, can be addressed.
    Entity,
    /// A complex type: structured, no key.
    Complex,
    /// An enum type: named members.
    Enum,
}

/// A type reference: `Edm.String`, `microsoft.graph.user`, or a collection of one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeRef {
    /// The element type's qualified name, such as `Edm.Int32` or `microsoft.graph.user`.
    pub name: String,
    /// `Collection(...)`.
    pub collection: bool,
}

impl TypeRef {
    /// Whether the element type is a primitive (`Edm.*`).
    pub fn is_primitive(&self) -> bool {
        self.name.starts_with("Edm.")
    }
}

impl fmt::Display for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.collection {
            write!(f, "Collection({})", self.name)
        } else {
            f.write_str(&self.name)
        }
    }
}

/// A structural property of an entity or complex type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyDef {
    /// Its JSON name, such as `devicesCount`.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Whether `null` is allowed (CSDL's default: yes); never for a collection, whose `Nullable`
    /// is about its items.
    pub nullable: bool,
    /// `Org.OData.Core.V1.Computed`: the service sets it; a client never writes it.
    pub computed: bool,
    /// `Org.OData.Core.V1.Description`.
    pub description: Option<String>,
    /// The clouds whose metadata declares it.
    pub clouds: Clouds,
    /// What of it is only inferred (`WIDTH`, `PRECISION`, `NULLABLE`, `COMPUTED`, `TYPE`).
    pub inferred: Inferred,
}

/// Which operations the metadata allows on a collection or entity (`Capabilities.V1.*Restrictions`;
/// allowed unless it says otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Restrictions {
    /// `InsertRestrictions/Insertable`: `POST` to the collection.
    pub insertable: bool,
    /// `UpdateRestrictions/Updatable`: `PATCH`.
    pub updatable: bool,
    /// `DeleteRestrictions/Deletable`: `DELETE`.
    pub deletable: bool,
}

impl Default for Restrictions {
    fn default() -> Self {
        Self { insertable: true, updatable: true, deletable: true }
    }
}

/// A navigation property: a link from an entity to other entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavigationDef {
    /// Its name, such as `userStatuses`.
    pub name: String,
    /// The entity type it leads to, or a collection of them.
    pub ty: TypeRef,
    /// `ContainsTarget`: the targets live under their parent (and are created through it).
    pub contains_target: bool,
    /// `Org.OData.Core.V1.Description`.
    pub description: Option<String>,
    /// What the metadata allows on it.
    pub restrictions: Restrictions,
    /// The clouds whose metadata declares it.
    pub clouds: Clouds,
    /// What of it is only inferred (`CONTAINMENT`, `TYPE`).
    pub inferred: Inferred,
}

/// A member of an enum type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberDef {
    /// Its name, as written on the wire, such as `notApplicable`.
    pub name: String,
    /// Its value.
    pub value: i64,
    /// The clouds whose metadata declares it.
    pub clouds: Clouds,
}

/// An entity, complex or enum type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDef {
    /// The qualified name, such as `microsoft.graph.user`.
    pub name: String,
    /// Entity, complex or enum.
    pub kind: TypeKind,
    /// The base type's qualified name.
    pub base: Option<String>,
    /// `Abstract`: never an instance's own type; create a derived type.
    pub is_abstract: bool,
    /// `OpenType`: may carry properties the metadata does not declare.
    pub open: bool,
    /// `IsFlags`, for enums: a value may combine members.
    pub flags: bool,
    /// The key's property names (entity types that declare one; most inherit `id`).
    pub key: Vec<String>,
    /// Declared properties, not the inherited ones.
    pub properties: Vec<PropertyDef>,
    /// Declared navigation properties, not the inherited ones.
    pub navigation: Vec<NavigationDef>,
    /// Members, for enums.
    pub members: Vec<MemberDef>,
    /// `Org.OData.Core.V1.Description`.
    pub description: Option<String>,
    /// The clouds whose metadata declares it.
    pub clouds: Clouds,
    /// What of it is only inferred (`ABSTRACT`, `VALUES`, `FLAGS`).
    pub inferred: Inferred,
}

impl TypeDef {
    /// The type's own name, without its namespace: `user` for `microsoft.graph.user`.
    pub fn short_name(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }
}

/// Whether a root of the service is a collection or a single entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RootKind {
    /// An entity set, such as `users`.
    EntitySet,
    /// A singleton, such as `me` or `deviceAppManagement`.
    Singleton,
}

/// An entity set or singleton of the service's entity container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootDef {
    /// Its name, such as `users`.
    pub name: String,
    /// Set or singleton.
    pub kind: RootKind,
    /// The entity type's qualified name.
    pub ty: String,
    /// What the metadata allows on it.
    pub restrictions: Restrictions,
    /// The clouds whose metadata declares it.
    pub clouds: Clouds,
}

/// Whether an operation is an action (`POST`, may change state) or a function (`GET`, none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationKind {
    /// An action: invoked with `POST` and its parameters as a JSON object.
    Action,
    /// A function: invoked with `GET` and its parameters in the URL.
    Function,
}

/// A non-binding parameter of an action or a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterDef {
    /// Its name, as the body or the URL writes it, such as `assignments`.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Whether `null` is allowed (CSDL's default: yes); never for a collection, whose
    /// `Nullable` is about its items (OData CSDL 4.01, 12.8).
    pub nullable: bool,
    /// `Org.OData.Core.V1.OptionalParameter`: it may be left out.
    pub optional: bool,
    /// The clouds whose metadata declares it.
    pub clouds: Clouds,
    /// What of it is only inferred (`WIDTH`, `PRECISION`, `NULLABLE`, `TYPE`).
    pub inferred: Inferred,
}

impl ParameterDef {
    /// The parameter as a property of a body would be: `null` allowed (and absence, for a
    /// reader of the body) where it is nullable or optional.
    pub fn as_property(&self) -> PropertyDef {
        PropertyDef {
            name: self.name.clone(),
            ty: self.ty.clone(),
            nullable: self.nullable || self.optional,
            computed: false,
            description: None,
            clouds: self.clouds,
            inferred: self.inferred,
        }
    }
}

/// An action or a function, bound (to an entity type or a collection of one) or unbound (at
/// the service's root, through an import of the entity container).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationDef {
    /// The qualified name, such as `microsoft.graph.assign`.
    pub name: String,
    /// Action or function.
    pub kind: OperationKind,
    /// The type of the binding parameter (`Collection(...)` when bound to a collection);
    /// `None` for an unbound operation.
    pub binding: Option<TypeRef>,
    /// The other parameters, in the metadata's order.
    pub parameters: Vec<ParameterDef>,
    /// The result's type; `None` when there is none.
    pub returns: Option<TypeRef>,
    /// Whether the result may be `null` (never for a collection).
    pub returns_nullable: bool,
    /// What of the result is only inferred (`WIDTH`, `PRECISION`, `TYPE`).
    pub returns_inferred: Inferred,
    /// `IsComposable`, for functions: the result can be addressed further (query options).
    pub composable: bool,
    /// For an unbound operation, the name of its `ActionImport` or `FunctionImport`: the path
    /// segment at the root.
    pub import: Option<String>,
    /// The clouds whose metadata declares it.
    pub clouds: Clouds,
}

impl OperationDef {
    /// The name without its namespace: `assign` for `microsoft.graph.assign`.
    pub fn short_name(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }

    /// The path segment that invokes it: the import's name at the root; bound, the short name
    /// in Graph's default namespace (`assign`), the qualified name in another
    /// (`microsoft.graph.security.runHuntingQuery`).
    pub fn segment(&self) -> &str {
        match &self.import {
            Some(import) => import,
            None if self.name.strip_prefix(DEFAULT_NAMESPACE) == Some(self.short_name()) => {
                self.short_name()
            }
            None => &self.name,
        }
    }

    /// Whether `other` (read from another cloud's metadata) is the same operation: the same
    /// name and binding, and for a function (which may be overloaded) the same parameter names.
    pub fn same_as(&self, other: &OperationDef) -> bool {
        fn names(o: &OperationDef) -> Vec<&str> {
            let mut names: Vec<&str> = o.parameters.iter().map(|p| p.name.as_str()).collect();
            names.sort_unstable();
            names
        }
        self.name == other.name
            && self.kind == other.kind
            && self.binding == other.binding
            && (self.kind == OperationKind::Action || names(self) == names(other))
    }

    /// The parameters a call must give in `clouds`: neither nullable nor optional (a
    /// collection is never `null`), and declared by the metadata of one of those clouds (the
    /// clouds' documents may spell a parameter differently: `findMeetingTimes` takes
    /// `attendees` in one and `Attendees` in another).
    pub fn required(&self, clouds: Clouds) -> impl Iterator<Item = &ParameterDef> {
        self.parameters.iter().filter(move |p| {
            !p.nullable && !p.optional && !p.clouds.intersection(clouds).is_empty()
        })
    }
}

/// Graph's default namespace, with the dot: its bound operations are invoked by their short
/// names.
const DEFAULT_NAMESPACE: &str = "microsoft.graph.";

/// Everything read from the metadata: types, roots and operations, each sorted by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Model {
    /// Every type, sorted by qualified name.
    pub types: Vec<TypeDef>,
    /// Every entity set and singleton, sorted by name.
    pub roots: Vec<RootDef>,
    /// Every action and function, sorted by qualified name, then binding type.
    pub operations: Vec<OperationDef>,
}

impl Model {
    /// Sorts types, roots, and the members of each by name, as lookups expect.
    pub fn sort(&mut self) {
        self.types.sort_by(|a, b| a.name.cmp(&b.name));
        self.roots.sort_by(|a, b| a.name.cmp(&b.name));
        self.operations.sort_by(|a, b| {
            let binding =
                |o: &OperationDef| o.binding.as_ref().map(|b| (b.name.clone(), b.collection));
            (&a.name, binding(a)).cmp(&(&b.name, binding(b)))
        });
        for ty in &mut self.types {
            ty.properties.sort_by(|a, b| a.name.cmp(&b.name));
            ty.navigation.sort_by(|a, b| a.name.cmp(&b.name));
        }
    }

    /// Adds `other`, read from another cloud's metadata: what both have is kept once with both
    /// clouds; what one has is added with its own. Where both declare an item, this model's
    /// definition stands (read the global metadata first).
    pub fn merge(&mut self, other: Model) {
        let mut index: std::collections::HashMap<String, usize> =
            self.types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
        for ty in other.types {
            match index.get(&ty.name) {
                None => {
                    index.insert(ty.name.clone(), self.types.len());
                    self.types.push(ty);
                }
                Some(&i) => {
                    let mine = &mut self.types[i];
                    mine.clouds = mine.clouds.union(ty.clouds);
                    merge_named(
                        &mut mine.properties,
                        ty.properties,
                        |p| &p.name,
                        |p| &mut p.clouds,
                    );
                    merge_named(
                        &mut mine.navigation,
                        ty.navigation,
                        |n| &n.name,
                        |n| &mut n.clouds,
                    );
                    merge_named(&mut mine.members, ty.members, |m| &m.name, |m| &mut m.clouds);
                }
            }
        }
        merge_named(&mut self.roots, other.roots, |r| &r.name, |r| &mut r.clouds);
        for operation in other.operations {
            let same = self.operations.iter_mut().find(|o| o.same_as(&operation));
            match same {
                None => self.operations.push(operation),
                Some(mine) => {
                    mine.clouds = mine.clouds.union(operation.clouds);
                    merge_named(
                        &mut mine.parameters,
                        operation.parameters,
                        |p| &p.name,
                        |p| &mut p.clouds,
                    );
                }
            }
        }
        self.sort();
        self.inherit_clouds();
    }

    /// A property (or navigation property) a derived type declares again exists wherever its
    /// base's does: one cloud's metadata may declare `isWheelChairAccessible` on `room`, another
    /// only on `place`, its base.
    fn inherit_clouds(&mut self) {
        let index: std::collections::HashMap<&str, usize> =
            self.types.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect();
        let mut widen: Vec<(usize, bool, usize, Clouds)> = Vec::new();
        for (t, ty) in self.types.iter().enumerate() {
            let mut base = ty.base.as_deref().and_then(|b| index.get(b).copied());
            // Bounded, in case a broken document has a cycle of bases.
            let mut budget = self.types.len();
            while let Some(b) = base.filter(|_| budget > 0) {
                budget -= 1;
                let ancestor = &self.types[b];
                for (p, property) in ty.properties.iter().enumerate() {
                    if let Some(q) = ancestor.properties.iter().find(|q| q.name == property.name) {
                        widen.push((t, true, p, q.clouds));
                    }
                }
                for (n, nav) in ty.navigation.iter().enumerate() {
                    if let Some(q) = ancestor.navigation.iter().find(|q| q.name == nav.name) {
                        widen.push((t, false, n, q.clouds));
                    }
                }
                base = ancestor.base.as_deref().and_then(|b| index.get(b).copied());
            }
        }
        for (t, is_property, i, clouds) in widen {
            let own = if is_property {
                &mut self.types[t].properties[i].clouds
            } else {
                &mut self.types[t].navigation[i].clouds
            };
            *own = own.union(clouds);
        }
    }
}

fn merge_named<T>(
    mine: &mut Vec<T>,
    theirs: Vec<T>,
    name: impl Fn(&T) -> &String,
    clouds: impl Fn(&mut T) -> &mut Clouds,
) {
    for mut item in theirs {
        match mine.iter().position(|m| name(m) == name(&item)) {
            None => mine.push(item),
            Some(index) => {
                let added = *clouds(&mut item);
                let own = clouds(&mut mine[index]);
                *own = own.union(added);
            }
        }
    }
}
