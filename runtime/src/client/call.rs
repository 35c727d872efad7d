//! Calling the functions declared with `#[graph_function]`: `GET` of the function's path with
//! its parameters in the URL, and the result read from where the metadata says it is.
//!
//! A function changes nothing: like any read, it is resent after throttling and lost answers.

use std::future::Future;

use reqwest::Method;

use super::Client;
use crate::entity::{GraphEntity, PathArgs};
use crate::error::Error;
use crate::operation::{Composable, FunctionParameters, GraphFunction, ResultShape};
use crate::query::Query;
use crate::transport::options::{Needs, RequestOptions};

/// Calling every function declared with `#[graph_function]`, with the path's arguments checked
/// by the compiler ([`GraphFunction::PathArgs`]). Bring it into scope with
/// `use graph_entity::prelude::*`.
///
/// ```no_run
/// use graph_entity_runtime::{Client, Error, client::Call, operation::GraphFunction};
///
/// // Any function of a user, for several users.
/// async fn for_each<F>(client: &Client, function: &F, users: &[&str]) -> Result<Vec<F::Output>, Error>
/// where
///     F: for<'a> GraphFunction<PathArgs<'a> = &'a str>,
/// {
///     let mut results = Vec::new();
///     for user in users {
///         results.push(function.call(client, user).await?);
///     }
///     Ok(results)
/// }
/// ```
pub trait Call: GraphFunction {
    /// Calls the function: `GET` of [`PATH`](GraphFunction::PATH) filled with `args`, with the
    /// declared parameters after its name, and returns its result. See [`Client::call`].
    ///
    /// # Errors
    ///
    /// As [`Client::call`].
    fn call<'a>(
        &'a self,
        client: &'a Client,
        args: Self::PathArgs<'a>,
    ) -> impl Future<Output = Result<Self::Output, Error>> + Send + 'a {
        async move { client.call(self, args.segments().as_ref()).await }
    }

    /// Calls a composable function with query options on its result's entities
    /// (`$filter`, `$select`, `$orderby`, `$top` …): `GET {path}(…)?$filter=…`. See
    /// [`Client::call_with`].
    ///
    /// # Errors
    ///
    /// As [`Client::call_with`].
    fn call_with<'a>(
        &'a self,
        client: &'a Client,
        args: Self::PathArgs<'a>,
        query: &'a Query<Self::Item>,
    ) -> impl Future<Output = Result<Self::Output, Error>> + Send + 'a
    where
        Self: Composable,
    {
        async move { client.call_with(self, args.segments().as_ref(), query).await }
    }
}

impl<F: GraphFunction> Call for F {}

impl Client {
    /// Calls `function` at `F::PATH` filled with `path_args`:
    /// `GET {path}(name=literal,…)?@p1=…`, and reads its result from the answer where the
    /// metadata says it is (the body, its `value`, or a collection's pages, followed through
    /// `@odata.nextLink`).
    ///
    /// # Errors
    ///
    /// [`Error::NotInCloud`], [`Error::Path`] or [`Error::Encode`] before any I/O; otherwise the
    /// error of the credential, of the request or of its response (a result that does not match
    /// its declaration is [`Error::Decode`]).
    pub async fn call<F: GraphFunction>(
        &self,
        function: &F,
        path_args: &[&str],
    ) -> Result<F::Output, Error> {
        self.call_query(function, path_args, None).await
    }

    /// [`call`](Self::call) of a composable function, with query options on its result's
    /// entities, after its parameters' aliases. Without `$select`, the entities' declared
    /// properties are selected, as a list selects them.
    ///
    /// # Errors
    ///
    /// As [`call`](Self::call); an invalid query is [`Error::InvalidQuery`] before any I/O.
    pub async fn call_with<F: Composable>(
        &self,
        function: &F,
        path_args: &[&str],
        query: &Query<F::Item>,
    ) -> Result<F::Output, Error> {
        if let Some(problem) = query.problem() {
            return Err(Error::InvalidQuery(problem.to_owned()));
        }
        let default_select = if <F::Item as GraphEntity>::KEEPS_UNKNOWN {
            &[][..]
        } else {
            <F::Item as GraphEntity>::PROPERTIES
        };
        let options = query.render(default_select);
        self.call_query(function, path_args, Some(&options)).await
    }

    /// A function's call, with query options already rendered, if any.
    async fn call_query<F: GraphFunction>(
        &self,
        function: &F,
        path_args: &[&str],
        options: Option<&str>,
    ) -> Result<F::Output, Error> {
        self.available_in(F::AVAILABILITY)?;
        let transport = self.transport();
        let mut url = transport.path_url(&F::PATH, path_args)?;
        let mut parameters = FunctionParameters::new();
        function.write_parameters(&mut parameters)?;
        url.push_str(&parameters.to_string());
        let aliases = parameters.query();
        let options = options.unwrap_or_default();
        for (i, part) in
            [aliases.as_str(), options].into_iter().filter(|p| !p.is_empty()).enumerate()
        {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(part);
        }
        let template = F::PATH.as_str();
        let options = RequestOptions {
            stream: F::RESULT == ResultShape::Stream,
            needs: Needs::new("GET", template, F::PERMISSIONS),
            ..RequestOptions::default()
        };
        let answer = transport.execute(Method::GET, template, url, None, &options).await?;
        super::result::read(self, F::RESULT, template, answer).await.map_err(read_error)
    }
}

/// A function acted on nothing: a result it cannot read is a read's error, not an unreadable
/// success.
fn read_error(error: Error) -> Error {
    match error {
        Error::UnreadableSuccess { source, .. } => *source,
        other => other,
    }
}
