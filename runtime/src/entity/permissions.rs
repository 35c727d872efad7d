//! The permissions a declaration's requests need, as Microsoft's permissions reference lists
//! them for each path and method: the macros write them at compile time.

/// The permissions one request needs (a method on a path), from Microsoft's permissions
/// reference: the least privileged application permission and delegated (work or school
/// account) permission, and every one that works. Where the reference does not list the path,
/// all are empty: unknown, never guessed ([`is_known`](Self::is_known)).
///
/// ```
/// use graph_entity_runtime::GraphEntity;
///
/// // What an administrator grants an app that creates entities of type `E`.
/// fn to_grant<E: GraphEntity>() -> &'static str {
///     E::PERMISSIONS.create.application.unwrap_or("unknown: see Microsoft's reference")
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestPermissions {
    /// The least privileged application permission (an app role, the token's `roles`), such as
    /// `DeviceManagementApps.ReadWrite.All`.
    pub application: Option<&'static str>,
    /// The least privileged delegated permission for a work or school account (the token's
    /// `scp`).
    pub delegated: Option<&'static str>,
    /// Every application permission that works, by name.
    pub all_application: &'static [&'static str],
    /// Every delegated permission that works for a work or school account, by name.
    pub all_delegated: &'static [&'static str],
}

impl RequestPermissions {
    /// What the reference does not list: nothing known.
    pub const UNKNOWN: RequestPermissions = RequestPermissions {
        application: None,
        delegated: None,
        all_application: &[],
        all_delegated: &[],
    };

    /// Not public API: the macros write these from the reference.
    #[doc(hidden)]
    pub const fn __new(
        application: Option<&'static str>,
        delegated: Option<&'static str>,
        all_application: &'static [&'static str],
        all_delegated: &'static [&'static str],
    ) -> Self {
        Self { application, delegated, all_application, all_delegated }
    }

    /// Whether the reference lists the request's path and method.
    pub const fn is_known(&self) -> bool {
        !self.all_application.is_empty() || !self.all_delegated.is_empty()
    }
}

/// The permissions of each operation on an entity (`GraphEntity::PERMISSIONS`): `create`
/// (`POST` to the collection), `list` (`GET` of it), `get`, `update` (`PATCH`) and `delete` of
/// one entity, and a round of changes (`delta`, where the collection has one). An entity declared at a single entity's path has `get` and `update` only; an
/// `unchecked` declaration knows none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntityPermissions {
    /// `POST` to the collection.
    pub create: RequestPermissions,
    /// `GET` of one entity.
    pub get: RequestPermissions,
    /// `GET` of the collection.
    pub list: RequestPermissions,
    /// `PATCH` of one entity.
    pub update: RequestPermissions,
    /// `DELETE` of one entity.
    pub delete: RequestPermissions,
    /// `GET {collection}/delta`: a round of changes
    /// ([`DeltaOperations`](crate::client::DeltaOperations)), where the collection has one.
    pub delta: RequestPermissions,
}

impl EntityPermissions {
    /// Nothing known, as for an `unchecked` declaration.
    pub const UNKNOWN: EntityPermissions = EntityPermissions {
        create: RequestPermissions::UNKNOWN,
        get: RequestPermissions::UNKNOWN,
        list: RequestPermissions::UNKNOWN,
        update: RequestPermissions::UNKNOWN,
        delete: RequestPermissions::UNKNOWN,
        delta: RequestPermissions::UNKNOWN,
    };

    /// Not public API: the macros write these from the reference.
    #[doc(hidden)]
    pub const fn __new(
        create: RequestPermissions,
        get: RequestPermissions,
        list: RequestPermissions,
        update: RequestPermissions,
        delete: RequestPermissions,
        delta: RequestPermissions,
    ) -> Self {
        Self { create, get, list, update, delete, delta }
    }
}
