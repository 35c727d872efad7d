//! Reading and updating an entity declared at a single entity's path: a singleton
//! (`/deviceManagement`) or a single-valued navigation
//! (`/deviceManagement/managedDeviceOverview`), which exists as long as its parent does and is
//! neither created, listed nor deleted by key.

use std::future::Future;

use super::Client;
use crate::entity::{GraphPatch, PathArgs, Single};
use crate::error::Error;
use crate::query::Query;
use crate::transport::options::RequestOptions;

/// The operations on Microsoft Graph of an entity declared at a single entity's path
/// ([`Single`]): `get` and `update`, with the path's arguments checked by the compiler, and
/// their `_with` forms taking options.
///
/// Implemented for every such entity; bring it into scope with `use graph_entity::prelude::*`.
///
/// ```no_run
/// use graph_entity_runtime::client::SingleOperations;
/// use graph_entity_runtime::{Client, Error, GraphEntity, entity::Single};
///
/// // Any entity at a path without placeholders, such as `/deviceManagement`.
/// async fn read<E>(client: &Client) -> Result<E, Error>
/// where
///     E: Single + for<'a> GraphEntity<PathArgs<'a> = ()>,
/// {
///     E::get(client, ()).await
/// }
/// ```
pub trait SingleOperations: Single {
    /// Reads the entity: `GET {path}`, selecting exactly the declared properties. See
    /// [`Client::get_single`].
    ///
    /// # Errors
    ///
    /// As [`Client::get_single`].
    fn get<'a>(
        client: &'a Client,
        args: Self::PathArgs<'a>,
    ) -> impl Future<Output = Result<Self, Error>> + Send + 'a {
        async move { client.get_single::<Self>(args.segments().as_ref()).await }
    }

    /// [`get`](Self::get) with query options (`$select`, `$expand`).
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    fn get_with<'a>(
        client: &'a Client,
        args: Self::PathArgs<'a>,
        query: &'a Query<Self>,
    ) -> impl Future<Output = Result<Self, Error>> + Send + 'a {
        async move { client.get_single_with::<Self>(args.segments().as_ref(), query).await }
    }

    /// Updates the entity: `PATCH {path}` with only the properties `patch` sets. `None` for
    /// `204 No Content`, else the updated entity. See [`Client::update_single`].
    ///
    /// # Errors
    ///
    /// As [`Client::update_single`].
    fn update<'a>(
        client: &'a Client,
        args: Self::PathArgs<'a>,
        patch: &'a Self::Patch,
    ) -> impl Future<Output = Result<Option<Self>, Error>> + Send + 'a {
        async move { client.update_single(args.segments().as_ref(), patch).await }
    }

    /// [`update`](Self::update) with options: `If-Match`, the retry policy.
    ///
    /// # Errors
    ///
    /// As [`update`](Self::update).
    fn update_with<'a>(
        client: &'a Client,
        args: Self::PathArgs<'a>,
        patch: &'a Self::Patch,
        options: &'a RequestOptions,
    ) -> impl Future<Output = Result<Option<Self>, Error>> + Send + 'a {
        async move { client.update_single_with(args.segments().as_ref(), patch, options).await }
    }
}

impl<E: Single> SingleOperations for E {}

impl Client {
    /// Reads the entity at `E::PATH` filled with `path_args` (a singleton or a single-valued
    /// navigation): `GET {path}?$select=...` with exactly the declared properties.
    ///
    /// # Errors
    ///
    /// [`Error::NotInCloud`] or [`Error::Path`] before any I/O; [`Error::NotFound`] when Graph
    /// answers that it does not exist (its parent, for a navigation); otherwise the error of the
    /// request or of its response.
    pub async fn get_single<E: Single>(&self, path_args: &[&str]) -> Result<E, Error> {
        self.get_single_with(path_args, &Query::new()).await
    }

    /// [`get_single`](Self::get_single) with query options: another `$select`, `$expand`.
    ///
    /// # Errors
    ///
    /// As [`get_single`](Self::get_single).
    pub async fn get_single_with<E: Single>(
        &self,
        path_args: &[&str],
        query: &Query<E>,
    ) -> Result<E, Error> {
        let url = self.collection_url::<E>(path_args, "", query)?;
        self.read_at(url, query, "").await
    }

    /// Updates the entity at `E::PATH` filled with `path_args`: `PATCH {path}` with only the
    /// properties `patch` sets. `Ok(None)` for `204 No Content`, `Ok(Some(entity))` when the
    /// service answers with the entity; an empty patch sends nothing and returns `Ok(None)`.
    ///
    /// # Errors
    ///
    /// As [`get_single`](Self::get_single); an update that may have been applied but whose
    /// answer was lost after the retries is [`Error::UnknownOutcome`].
    pub async fn update_single<P>(
        &self,
        path_args: &[&str],
        patch: &P,
    ) -> Result<Option<P::Entity>, Error>
    where
        P: GraphPatch,
        P::Entity: Single,
    {
        self.update_single_with(path_args, patch, &RequestOptions::default()).await
    }

    /// [`update_single`](Self::update_single) with options: `If-Match`, the retry policy.
    ///
    /// # Errors
    ///
    /// As [`update_single`](Self::update_single); `412` (as [`Error::Graph`]) when `If-Match`
    /// no longer holds.
    pub async fn update_single_with<P>(
        &self,
        path_args: &[&str],
        patch: &P,
        options: &RequestOptions,
    ) -> Result<Option<P::Entity>, Error>
    where
        P: GraphPatch,
        P::Entity: Single,
    {
        // The entity's own URL (cast to its type when declared with one), without a query.
        let url = self.collection_url::<P::Entity>(path_args, "", &Query::new().select_all())?;
        self.patch_at(url, patch, options, "").await
    }
}
