//! Reading, listing, counting, updating and deleting the entities of a collection: the
//! operations besides `create` that every `#[graph_entity]` calls with checked arguments.
//!
//! What is safe to resend, and why, is in `RELIABILITY.md`: `GET` and `DELETE` are repeated on
//! `429`, `503`, `504` and lost answers; so is `PATCH`, because an update sends absolute values
//! (applying it twice leaves the same entity). A `DELETE` resent after an attempt that may have
//! acted, and then answered `404`, succeeded.

use std::future::Future;

use bytes::Bytes;
use reqwest::Method;

use super::Client;
use super::pages::List;
use crate::entity::PathArgs;
use crate::entity::{GraphEntity, GraphPatch, InCollection, RequestPermissions};
use crate::error::Error;
use crate::query::Query;
use crate::transport::options::{Needs, RequestOptions};

/// The operations on Microsoft Graph of every entity declared at a collection's path
/// ([`InCollection`]): `create`, `get`, `list`, `count`, `update` and `delete`, with the path's arguments checked by the compiler
/// ([`GraphEntity::PathArgs`]: `()`, one `&str`, or a tuple), and their `_with` forms taking
/// options.
///
/// Implemented for every entity; bring it into scope with `use graph_entity::prelude::*` (or
/// `use graph_entity::Operations`). Each method is a call of the generic [`Client`] method of
/// the same name.
///
/// ```no_run
/// use graph_entity_runtime::{Client, Error, GraphEntity, Operations, entity::InCollection};
///
/// // Any entity whose path has one placeholder, such as user statuses under a configuration.
/// async fn copy_all<E>(client: &Client, from: &str, to: &str) -> Result<usize, Error>
/// where
///     E: InCollection + for<'a> GraphEntity<PathArgs<'a> = &'a str>,
/// {
///     let entities = E::list(client, from).collect_all().await?;
///     for entity in &entities {
///         entity.create(client, to).await?;
///     }
///     Ok(entities.len())
/// }
/// ```
pub trait Operations: InCollection {
    /// Creates this entity in the collection at [`PATH`](GraphEntity::PATH) filled with `args`:
    /// validates it, sends `POST` with its JSON, and returns the entity the service created. See
    /// [`Client::create`].
    ///
    /// # Errors
    ///
    /// A validation or path error before any I/O, or the error of the request: see
    /// [`Client::create`].
    fn create<'a>(
        &'a self,
        client: &'a Client,
        args: Self::PathArgs<'a>,
    ) -> impl Future<Output = Result<Self, Error>> + Send + 'a {
        async move { client.create(self, args.segments().as_ref()).await }
    }

    /// [`create`](Self::create) with options for this call: its retry policy, and whether the
    /// `POST` is safe to resend when its answer is lost.
    ///
    /// # Errors
    ///
    /// As [`create`](Self::create).
    fn create_with<'a>(
        &'a self,
        client: &'a Client,
        args: Self::PathArgs<'a>,
        options: &'a RequestOptions,
    ) -> impl Future<Output = Result<Self, Error>> + Send + 'a {
        async move { client.create_with(self, args.segments().as_ref(), options).await }
    }

    /// Reads the entity with key `id`: `GET {path}/{id}`, selecting exactly the declared
    /// properties. See [`Client::get`].
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when it does not exist; a path error before any I/O, or the error of
    /// the request.
    fn get<'a>(
        client: &'a Client,
        args: Self::PathArgs<'a>,
        id: &'a str,
    ) -> impl Future<Output = Result<Self, Error>> + Send + 'a {
        async move { client.get::<Self>(args.segments().as_ref(), id).await }
    }

    /// [`get`](Self::get) with query options (`$select`, `$expand`).
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    fn get_with<'a>(
        client: &'a Client,
        args: Self::PathArgs<'a>,
        id: &'a str,
        query: &'a Query<Self>,
    ) -> impl Future<Output = Result<Self, Error>> + Send + 'a {
        async move { client.get_with::<Self>(args.segments().as_ref(), id, query).await }
    }

    /// The entities of the collection, as a stream that reads a page at a time (`.next().await`,
    /// or `.collect_all().await` for all of them). See [`Client::list`].
    fn list<'c>(client: &'c Client, args: Self::PathArgs<'_>) -> List<'c, Self> {
        client.list::<Self>(args.segments().as_ref())
    }

    /// [`list`](Self::list) with query options: `$filter`, `$orderby`, `$top`, `$skip`,
    /// `$count`, `$search`, `$select`, `$expand`.
    fn list_with<'c>(
        client: &'c Client,
        args: Self::PathArgs<'_>,
        query: &Query<Self>,
    ) -> List<'c, Self> {
        client.list_with::<Self>(args.segments().as_ref(), query)
    }

    /// How many entities of the collection match the query's `$filter` and `$search`
    /// (`/$count`). See [`Client::count`].
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    fn count<'a>(
        client: &'a Client,
        args: Self::PathArgs<'a>,
        query: &'a Query<Self>,
    ) -> impl Future<Output = Result<u64, Error>> + Send + 'a {
        async move { client.count::<Self>(args.segments().as_ref(), query).await }
    }

    /// Updates the entity with key `id`: `PATCH {path}/{id}` with only the properties `patch`
    /// sets. `None` for `204 No Content`, else the updated entity. See [`Client::update`].
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get); [`Error::UnknownOutcome`] when it may have been applied but the
    /// answer was lost.
    fn update<'a>(
        client: &'a Client,
        args: Self::PathArgs<'a>,
        id: &'a str,
        patch: &'a Self::Patch,
    ) -> impl Future<Output = Result<Option<Self>, Error>> + Send + 'a {
        async move { client.update(args.segments().as_ref(), id, patch).await }
    }

    /// [`update`](Self::update) with options: `If-Match`, the retry policy.
    ///
    /// # Errors
    ///
    /// As [`update`](Self::update).
    fn update_with<'a>(
        client: &'a Client,
        args: Self::PathArgs<'a>,
        id: &'a str,
        patch: &'a Self::Patch,
        options: &'a RequestOptions,
    ) -> impl Future<Output = Result<Option<Self>, Error>> + Send + 'a {
        async move { client.update_with(args.segments().as_ref(), id, patch, options).await }
    }

    /// Deletes the entity with key `id`: `DELETE {path}/{id}`, with its contained entities. See
    /// [`Client::delete`].
    ///
    /// # Errors
    ///
    /// [`Error::NotFound`] when it does not exist; a path error before any I/O, or the error of
    /// the request.
    fn delete<'a>(
        client: &'a Client,
        args: Self::PathArgs<'a>,
        id: &'a str,
    ) -> impl Future<Output = Result<(), Error>> + Send + 'a {
        async move { client.delete::<Self>(args.segments().as_ref(), id).await }
    }

    /// [`delete`](Self::delete) with options: `If-Match`, the retry policy.
    ///
    /// # Errors
    ///
    /// As [`delete`](Self::delete).
    fn delete_with<'a>(
        client: &'a Client,
        args: Self::PathArgs<'a>,
        id: &'a str,
        options: &'a RequestOptions,
    ) -> impl Future<Output = Result<(), Error>> + Send + 'a {
        async move { client.delete_with::<Self>(args.segments().as_ref(), id, options).await }
    }
}

impl<E: InCollection> Operations for E {}

impl Client {
    /// Creates `entity` in the collection at `E::PATH` filled with `path_args`: validates
    /// it, sends `POST` with its JSON, and returns the entity the service created.
    ///
    /// The generated `create` method of each entity calls this with checked arguments; call it
    /// directly from code that is generic over entities.
    ///
    /// Throttled (`429`) and unavailable (`503`) answers are retried as the client's
    /// [`RetryPolicy`](crate::client::RetryPolicy) says: the service did not act on them. A `POST` whose answer was lost,
    /// or that a gateway answered `504`, is not resent, as it may have created the entity: that
    /// is [`Error::UnknownOutcome`]. A `201` whose body cannot be read is
    /// [`Error::UnreadableSuccess`]: the entity exists. [`Error::outcome`] tells the three apart.
    ///
    /// # Errors
    ///
    /// [`Error::NotInCloud`], [`Error::Validation`] or [`Error::Path`] before any I/O;
    /// otherwise the error of the credential, of the request or of its response (see
    /// [`Error`]).
    pub async fn create<E: GraphEntity>(&self, entity: &E, path_args: &[&str]) -> Result<E, Error> {
        self.create_with(entity, path_args, &RequestOptions::default()).await
    }

    /// [`create`](Self::create) with options for this call: its retry policy, and whether the
    /// `POST` is safe to resend when its answer is lost.
    ///
    /// # Errors
    ///
    /// As [`create`](Self::create).
    pub async fn create_with<E: GraphEntity>(
        &self,
        entity: &E,
        path_args: &[&str],
        options: &RequestOptions,
    ) -> Result<E, Error> {
        self.available::<E>()?;
        entity.validate()?;
        let transport = self.transport();
        let url = transport.path_url(&E::PATH, path_args)?;
        let body = serde_json::to_vec(&crate::entity::Body(entity)).map_err(Error::Encode)?;
        let body = Bytes::from(body);
        let answer = transport
            .execute(
                Method::POST,
                E::PATH.as_str(),
                url,
                Some(body),
                &paced::<E>(options, ("POST", ""), E::PERMISSIONS.create),
            )
            .await?;
        answer.decode_written()
    }

    /// Reads the entity with key `id` from the collection at `E::PATH` filled with
    /// `path_args`: `GET {path}/{id}?$select=...` with exactly the declared properties.
    ///
    /// # Errors
    ///
    /// [`Error::NotInCloud`] or [`Error::Path`] (an empty `id` included) before any I/O;
    /// [`Error::NotFound`] when Graph answers that it does not exist (a `404` in Graph's error
    /// format; another `404` body is [`Error::UnexpectedResponse`]); otherwise the error of the
    /// request or of its response.
    pub async fn get<E: GraphEntity>(&self, path_args: &[&str], id: &str) -> Result<E, Error> {
        self.get_with(path_args, id, &Query::new()).await
    }

    /// [`get`](Self::get) with query options: another `$select`, `$expand`.
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    pub async fn get_with<E: GraphEntity>(
        &self,
        path_args: &[&str],
        id: &str,
        query: &Query<E>,
    ) -> Result<E, Error> {
        let url = self.entity_url::<E>(path_args, id, E::CAST, query)?;
        self.read_at(url, query, "/{id}").await
    }

    /// `GET url` for one entity (at `E::PATH` and then `key`, `/{id}` or nothing for a single
    /// entity), with `ConsistencyLevel: eventual` when the query needs it.
    pub(super) async fn read_at<E: GraphEntity>(
        &self,
        url: String,
        query: &Query<E>,
        key: &'static str,
    ) -> Result<E, Error> {
        let needs = Needs::new("GET", E::PATH.as_str(), E::PERMISSIONS.get).map(|n| n.suffix(key));
        let options = RequestOptions {
            eventual: query.needs_eventual_consistency(),
            needs,
            ..RequestOptions::default()
        };
        let transport = self.transport();
        transport.execute(Method::GET, E::PATH.as_str(), url, None, &options).await?.decode()
    }

    /// The entities of the collection at `E::PATH` filled with `path_args`, as a stream
    /// that reads one page at a time (see [`List`]); `.collect_all()` gathers them.
    ///
    /// A path error is the stream's first and only item.
    pub fn list<E: GraphEntity>(&self, path_args: &[&str]) -> List<'_, E> {
        self.list_with(path_args, &Query::new())
    }

    /// [`list`](Self::list) with query options: `$filter`, `$orderby`, `$top`, `$skip`,
    /// `$count`, `$search`, `$select`, `$expand`.
    pub fn list_with<E: GraphEntity>(&self, path_args: &[&str], query: &Query<E>) -> List<'_, E> {
        // An advanced query on directory objects needs `$count=true` (and the header).
        let advanced = E::DIRECTORY_OBJECT && query.is_advanced();
        let counted;
        let query = if advanced {
            counted = query.clone().count(true);
            &counted
        } else {
            query
        };
        let first = self.collection_url::<E>(path_args, "", query);
        let options = RequestOptions {
            eventual: query.needs_eventual_consistency(),
            needs: Needs::new("GET", E::PATH.as_str(), E::PERMISSIONS.list),
            ..RequestOptions::default()
        };
        List::new(self, first, options, query.top_value())
    }

    /// How many entities of the collection match the query's `$filter` and `$search`:
    /// `GET {path}/$count`, with `ConsistencyLevel: eventual`.
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get); an answer that is not a number is [`Error::UnexpectedResponse`].
    pub async fn count<E: GraphEntity>(
        &self,
        path_args: &[&str],
        query: &Query<E>,
    ) -> Result<u64, Error> {
        // `$count` answers a number: options that shape entities do not apply.
        let url = self.collection_url::<E>(path_args, "/$count", &query.for_count())?;
        let options = RequestOptions {
            eventual: true,
            needs: Needs::new("GET", E::PATH.as_str(), E::PERMISSIONS.list),
            ..RequestOptions::default()
        };
        let transport = self.transport();
        let answer = transport.execute(Method::GET, E::PATH.as_str(), url, None, &options).await?;
        let text = String::from_utf8_lossy(&answer.body);
        text.trim_start_matches('\u{feff}').trim().parse().map_err(|_| Error::UnexpectedResponse {
            status: answer.status,
            content_type: None,
            snippet: crate::error::snippet(&answer.body),
        })
    }

    /// Updates the entity with key `id`: `PATCH {path}/{id}` with only the properties `patch`
    /// sets. `Ok(None)` when the service answers `204 No Content` (as Graph mostly does),
    /// `Ok(Some(entity))` when it answers with the updated entity.
    ///
    /// An empty patch sends nothing and returns `Ok(None)`.
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get); an update that may have been applied but whose answer was lost
    /// after the retries is [`Error::UnknownOutcome`].
    pub async fn update<P: GraphPatch>(
        &self,
        path_args: &[&str],
        id: &str,
        patch: &P,
    ) -> Result<Option<P::Entity>, Error> {
        self.update_with(path_args, id, patch, &RequestOptions::default()).await
    }

    /// [`update`](Self::update) with options for this call: `If-Match`, the retry policy.
    ///
    /// # Errors
    ///
    /// As [`update`](Self::update); `412` (as [`Error::Graph`]) when `If-Match` no longer holds.
    pub async fn update_with<P: GraphPatch>(
        &self,
        path_args: &[&str],
        id: &str,
        patch: &P,
        options: &RequestOptions,
    ) -> Result<Option<P::Entity>, Error> {
        let url = self.entity_url::<P::Entity>(path_args, id, None, &Query::new().select_all())?;
        self.patch_at(url, patch, options, "/{id}").await
    }

    /// `PATCH url` with the properties `patch` sets (of the entity at its path and then `key`,
    /// `/{id}` or nothing for a single entity), paced as its entity's writes; an empty patch
    /// sends nothing.
    pub(super) async fn patch_at<P: GraphPatch>(
        &self,
        url: String,
        patch: &P,
        options: &RequestOptions,
        key: &'static str,
    ) -> Result<Option<P::Entity>, Error> {
        if patch.is_empty() {
            return Ok(None);
        }
        let template = <P::Entity as GraphEntity>::PATH;
        let body = Bytes::from(serde_json::to_vec(patch).map_err(Error::Encode)?);
        let transport = self.transport();
        let answer = transport
            .execute(
                Method::PATCH,
                template.as_str(),
                url,
                Some(body),
                &paced::<P::Entity>(
                    options,
                    ("PATCH", key),
                    <P::Entity as GraphEntity>::PERMISSIONS.update,
                ),
            )
            .await?;
        answer.decode_updated()
    }

    /// Deletes the entity with key `id`: `DELETE {path}/{id}` (with its contained entities).
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get): [`Error::NotFound`] when it does not exist.
    pub async fn delete<E: GraphEntity>(&self, path_args: &[&str], id: &str) -> Result<(), Error> {
        self.delete_with::<E>(path_args, id, &RequestOptions::default()).await
    }

    /// [`delete`](Self::delete) with options for this call: `If-Match`, the retry policy.
    ///
    /// # Errors
    ///
    /// As [`delete`](Self::delete).
    pub async fn delete_with<E: GraphEntity>(
        &self,
        path_args: &[&str],
        id: &str,
        options: &RequestOptions,
    ) -> Result<(), Error> {
        let url = self.entity_url::<E>(path_args, id, None, &Query::new().select_all())?;
        let transport = self.transport();
        transport
            .execute(
                Method::DELETE,
                E::PATH.as_str(),
                url,
                None,
                &paced::<E>(options, ("DELETE", "/{id}"), E::PERMISSIONS.delete),
            )
            .await?;
        Ok(())
    }

    /// The URL of the collection (cast to `E::CAST`, and `suffix`), with the query string; for
    /// an entity declared at a single entity's path, that entity's URL.
    pub(super) fn collection_url<E: GraphEntity>(
        &self,
        path_args: &[&str],
        suffix: &str,
        query: &Query<E>,
    ) -> Result<String, Error> {
        self.available::<E>()?;
        if let Some(problem) = query.problem() {
            return Err(Error::InvalidQuery(problem.to_owned()));
        }
        let mut url = self.transport().path_url(&E::PATH, path_args)?;
        if let Some(cast) = E::CAST {
            url.push('/');
            url.push_str(cast);
        }
        url.push_str(suffix);
        Ok(with_query(url, &render::<E>(query)))
    }

    /// The URL of one entity of the collection (cast to `cast`), with the query string.
    fn entity_url<E: GraphEntity>(
        &self,
        path_args: &[&str],
        id: &str,
        cast: Option<&str>,
        query: &Query<E>,
    ) -> Result<String, Error> {
        self.available::<E>()?;
        if let Some(problem) = query.problem() {
            return Err(Error::InvalidQuery(problem.to_owned()));
        }
        let mut url = self.transport().path_url(&E::PATH, path_args)?;
        crate::entity::path::push_segment(&mut url, "id", id)?;
        if let Some(cast) = cast {
            url.push('/');
            url.push_str(cast);
        }
        Ok(with_query(url, &render::<E>(query)))
    }
}

/// A write's options, with the documented limit of its entity's service (what paces it) and
/// the permissions that work for it (`method` on `E::PATH` and then `key`).
fn paced<E: GraphEntity>(
    options: &RequestOptions,
    (method, key): (&'static str, &'static str),
    permissions: RequestPermissions,
) -> RequestOptions {
    RequestOptions {
        throttling: E::THROTTLING,
        needs: Needs::new(method, E::PATH.as_str(), permissions).map(|n| n.suffix(key)),
        ..options.clone()
    }
}

/// The query string: by default `$select` with the declared properties, unless the entity keeps
/// unknown ones.
fn render<E: GraphEntity>(query: &Query<E>) -> String {
    let default_select = if E::KEEPS_UNKNOWN { &[][..] } else { E::PROPERTIES };
    query.render(default_select)
}

fn with_query(mut url: String, query: &str) -> String {
    if !query.is_empty() {
        url.push('?');
        url.push_str(query);
    }
    url
}
