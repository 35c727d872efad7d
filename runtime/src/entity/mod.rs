//! The traits every declared entity, complex type and enum implements, and their plumbing: the
//! path template, the path arguments and where an entity exists.

mod availability;
mod complex;
pub(crate) mod path;
mod permissions;
mod throttling;

pub use crate::wire::member::GraphEnum;
pub use availability::Availability;
pub use complex::GraphComplex;
pub use path::{PathArgs, PathTemplate};
pub use permissions::{EntityPermissions, RequestPermissions};
pub use throttling::Throttling;

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ValidationError;
use crate::query::Query;

/// A Microsoft Graph entity type declared with `#[graph_entity]`: what the macro knows of it,
/// and the types that read and update it.
///
/// The macro implements it and generates nothing else in your namespace: a struct may have its
/// own `fields`, `query`, `patch` or `PATH`, and a type named `UserPatch` may stand beside
/// `User`. The operations on Graph (`create`, `get`, `list`, `count`, `update`, `delete`) come
/// with [`Operations`](crate::Operations), implemented for every entity declared at a
/// collection's path ([`InCollection`]); `get` and `update` of an entity declared at a single
/// entity's path ([`Single`]) with [`SingleOperations`](crate::client::SingleOperations). Bring both into scope
/// with `use graph_entity::prelude::*`.
///
/// Generic code can use any entity through it:
///
/// ```
/// use graph_entity_runtime::{Error, GraphEntity};
///
/// fn check_all<E: GraphEntity>(items: &[E]) -> Result<(), Error> {
///     for item in items {
///         item.validate()?;
///     }
///     Ok(())
/// }
/// ```
pub trait GraphEntity: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The path of the entity's collection, checked at compile time, such as
    /// `/users/{userId}/todo/lists/{todoTaskListId}/tasks`.
    const PATH: PathTemplate;
    /// The `@odata.type` written first in request bodies, such as `#microsoft.graph.user`.
    const ODATA_TYPE: &'static str;
    /// The JSON names of the declared properties, in field order.
    const PROPERTIES: &'static [&'static str];
    /// The national clouds whose metadata has the entity's path, type and properties, as
    /// `#[graph_entity]` checked them (everywhere for an `unchecked` declaration).
    const AVAILABILITY: Availability = Availability::EVERYWHERE;
    /// The JSON name of the `#[graph(key)]` field, such as `id`, when one is declared.
    const KEY: Option<&'static str> = None;
    /// Whether the entity keeps the properties it does not declare (a `#[graph(extra)]` map):
    /// then a read sends no `$select` by default, so that they come.
    const KEEPS_UNKNOWN: bool = false;

    /// The qualified name of the entity's type when it derives from the type its path addresses
    /// (an `iosMobileAppConfiguration` among `mobileAppConfigurations`): reads cast to it
    /// (`.../mobileAppConfigurations/microsoft.graph.iosMobileAppConfiguration`), so that a
    /// list holds only entities of this type and a read by key refuses another.
    const CAST: Option<&'static str> = None;

    /// The permissions each operation needs, from Microsoft's permissions reference, as the
    /// macro found them for the entity's path: `Status::PERMISSIONS.create.application` is
    /// `Some("DeviceManagementApps.ReadWrite.All")`. Unknown (empty) for an `unchecked`
    /// declaration and where the reference does not list the path.
    const PERMISSIONS: EntityPermissions = EntityPermissions::UNKNOWN;

    /// The documented write limit of the Graph service the entity belongs to (one of Intune's,
    /// from Microsoft's throttling-limits page), when it has one: a client with documented
    /// pacing paces each service's writes apart.
    const THROTTLING: Option<Throttling> = None;

    /// Whether the entity is a directory object (a user, group, device, application …), on
    /// which Graph requires `$count=true` and `ConsistencyLevel: eventual` for advanced queries
    /// (`ne`, `not`, `endswith`): a list sends them when the filter has one.
    const DIRECTORY_OBJECT: bool = false;

    /// The arguments that fill the path's placeholders, in order: `()` for a path without any,
    /// `&str` for one, a tuple `(&str, &str, …)` for more. A wrong number of arguments does not
    /// compile.
    type PathArgs<'a>: PathArgs<'a>;

    /// One typed property path per declared property, named as the fields: what
    /// [`Query`]'s `$select`, `$filter` and `$orderby` name (see [`fields`](Self::fields)).
    type Fields: Copy + fmt::Debug + Send + Sync + 'static;

    /// The changes an update sends (see [`patch`](Self::patch)).
    type Patch: GraphPatch<Entity = Self> + Default;

    /// One [`Navigation`](crate::query::Navigation) per navigation property of the entity's type
    /// in Microsoft's metadata, named as the fields would be: what `$expand` names (see
    /// [`navigations`](Self::navigations)). None for an `unchecked` entity.
    type Navigations: Copy + fmt::Debug + Send + Sync + 'static;

    /// The typed property paths of the entity, for query options: `User::fields().display_name`.
    fn fields() -> Self::Fields;

    /// The navigation properties of the entity, for `$expand`:
    /// `User::query().expand(User::navigations().manager)`.
    fn navigations() -> Self::Navigations;

    /// Query options for reading the entity: `User::query().filter(...)`.
    fn query() -> Query<Self> {
        Query::new()
    }

    /// An update that changes nothing yet: add what to change with its setters, one per property
    /// the client may write, named as the fields (`Status::patch().devices_count(3)`). There is
    /// no setter for the key or for computed properties, and only a nullable property's setter
    /// takes an `Option` (where `None` writes `null`).
    fn patch() -> Self::Patch {
        Self::Patch::default()
    }

    /// The `@odata.etag` read with the entity, when it declares a `#[graph(etag)]` field: the
    /// version an update or delete can require with `RequestOptions::if_match_of`.
    fn etag(&self) -> Option<&str> {
        None
    }

    /// Checks the rules the compiler cannot: every `#[graph(required)]` property is set and the
    /// extra properties do not shadow declared ones. Returns every problem at once.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] listing each violation, each property named by its JSON name.
    fn validate(&self) -> Result<(), ValidationError>;

    /// Writes the entity as a request body: as [`Serialize`] does, without the properties the
    /// service computes (`Core.V1.Computed`), which are read and never written.
    ///
    /// # Errors
    ///
    /// The serializer's.
    fn serialize_body<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize(serializer)
    }
}

/// An entity declared at a collection's path (`/deviceAppManagement/mobileAppConfigurations`):
/// created in it, listed, and read, updated and deleted by key, with
/// [`Operations`](crate::Operations). The macro implements it; where the path addresses one
/// entity, it implements [`Single`] instead.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared at a single entity's path: read and update it with `SingleOperations` (`get`, `update`); it is not created, listed or deleted",
    label = "not in a collection"
)]
pub trait InCollection: GraphEntity {}

/// An entity declared at a single entity's path: a singleton (`/deviceManagement`) or a
/// single-valued navigation (`/deviceManagement/managedDeviceOverview`). It is read and updated
/// there, with [`SingleOperations`](crate::client::SingleOperations), never created, listed or
/// deleted by key. The macro implements it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared at a collection's path: use `Operations` (`get` takes its key)",
    label = "not a single entity's path"
)]
pub trait Single: GraphEntity {}

/// An entity whose collection has Graph's `delta` function in Microsoft's metadata (users,
/// groups, applications, contacts …): its changes are read with
/// [`DeltaOperations`](crate::client::DeltaOperations). The macro implements it when the
/// function is bound to the collection the path addresses, for the type declared there.
#[diagnostic::on_unimplemented(
    message = "`{Self}`'s collection has no `delta` function in Microsoft's v1.0 metadata: its changes cannot be tracked",
    label = "no `delta` for this collection"
)]
pub trait Tracked: InCollection {}

/// The changes to an entity of type [`Entity`](Self::Entity) that an update (`PATCH`) sends:
/// only the properties set, each to a value (or to `null`, for a nullable property).
///
/// `#[graph_entity]` generates one per entity, reached as `Entity::patch()` (and named
/// [`PatchOf<Entity>`]), with a setter per property the client may write: none for the key or
/// for computed properties, and a setter taking an `Option` (where `None` writes `null`) only for
/// the properties Graph declares nullable. Only the macro implements it (the trait is sealed),
/// so that no hand-written body can carry what the compiler refuses. `Debug` shows which
/// properties are set, never their values.
pub trait GraphPatch: Serialize + fmt::Debug + Send + Sync + sealed::GeneratedPatch {
    /// The entity it changes.
    type Entity: GraphEntity;

    /// Whether no property is set (an update would send an empty body).
    fn is_empty(&self) -> bool;
}

/// The update type of entity `E`, for a field or a collection of updates:
/// `Vec<PatchOf<User>>`.
pub type PatchOf<E> = <E as GraphEntity>::Patch;

/// The typed property paths of entity `E`: what `E::fields()` returns.
pub type FieldsOf<E> = <E as GraphEntity>::Fields;

/// Seals [`GraphPatch`]: implemented by `#[graph_entity]`'s patch types only.
pub(crate) mod sealed {
    /// Not public API: the macro implements it on the patch types it generates.
    pub trait GeneratedPatch {}
}

/// An entity as a request body: see [`GraphEntity::serialize_body`].
#[cfg(feature = "client")]
pub(crate) struct Body<'a, E>(pub(crate) &'a E);

#[cfg(feature = "client")]
impl<E: GraphEntity> Serialize for Body<'_, E> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_body(serializer)
    }
}
