//! Calling the functions declared with `#[graph_function]`: `GET` of the function's path with
//! its parameters in the URL, and the result read from where the metadata says it is.
//!
//! A function changes nothing: like any read, it is resent after throttling and lost answers.

use std::future::Future;

use reqwest::Method;

use super::Client;
use crate::entity::PathArgs;
use crate::error::Error;
use crate::operation::{FunctionParameters, GraphFunction};
use crate::transport::options::RequestOptions;

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
        self.available_in(F::AVAILABILITY)?;
        let transport = self.transport();
        let mut url = transport.path_url(&F::PATH, path_args)?;
        let mut parameters = FunctionParameters::new();
        function.write_parameters(&mut parameters)?;
        url.push_str(&parameters.to_string());
        let query = parameters.query();
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        let template = F::PATH.as_str();
        let options = RequestOptions::default();
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
