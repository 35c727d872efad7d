//! Invoking the actions declared with `#[graph_action]`: `POST` to the action's path with its
//! parameters as the body, and the result read from where the metadata says it is.
//!
//! An action is a write: paced as its service's writes, and, unless declared idempotent, never
//! sent again after an attempt that may have acted (a lost answer, a `504`): that is
//! [`Error::UnknownOutcome`], as for `create`.

use std::future::Future;

use bytes::Bytes;
use reqwest::Method;

use super::Client;
use crate::entity::PathArgs;
use crate::error::Error;
use crate::operation::{GraphAction, ResultShape};
use crate::transport::options::{Needs, RequestOptions};

/// Invoking every action declared with `#[graph_action]`, with the path's arguments checked by
/// the compiler ([`GraphAction::PathArgs`]). Bring it into scope with
/// `use graph_entity::prelude::*`.
///
/// ```no_run
/// use graph_entity_runtime::{Client, Error, operation::GraphAction, client::Invoke};
///
/// // Any action whose path has one placeholder, such as a device's `syncDevice`.
/// async fn on_each<A>(client: &Client, action: &A, ids: &[&str]) -> Result<(), Error>
/// where
///     A: for<'a> GraphAction<PathArgs<'a> = &'a str, Output = ()>,
/// {
///     for id in ids {
///         action.invoke(client, id).await?;
///     }
///     Ok(())
/// }
/// ```
pub trait Invoke: GraphAction {
    /// Invokes the action: `POST` to [`PATH`](GraphAction::PATH) filled with `args`, with the
    /// declared parameters as the JSON body, and returns its result (`()` when it has none). See
    /// [`Client::invoke`].
    ///
    /// # Errors
    ///
    /// As [`Client::invoke`].
    fn invoke<'a>(
        &'a self,
        client: &'a Client,
        args: Self::PathArgs<'a>,
    ) -> impl Future<Output = Result<Self::Output, Error>> + Send + 'a {
        async move { client.invoke(self, args.segments().as_ref()).await }
    }

    /// [`invoke`](Self::invoke) with options for this call: its retry policy, and whether the
    /// `POST` is safe to resend when its answer is lost.
    ///
    /// # Errors
    ///
    /// As [`invoke`](Self::invoke).
    fn invoke_with<'a>(
        &'a self,
        client: &'a Client,
        args: Self::PathArgs<'a>,
        options: &'a RequestOptions,
    ) -> impl Future<Output = Result<Self::Output, Error>> + Send + 'a {
        async move { client.invoke_with(self, args.segments().as_ref(), options).await }
    }
}

impl<A: GraphAction> Invoke for A {}

impl Client {
    /// Invokes `action` at `A::PATH` filled with `path_args`: `POST` with its parameters as the
    /// JSON body, and its result read from the answer where the metadata says it is (the body,
    /// its `value`, or a collection's pages, followed through `@odata.nextLink`).
    ///
    /// Throttled (`429`) and unavailable (`503`) answers are retried as the client's
    /// [`RetryPolicy`](crate::client::RetryPolicy) says. A `POST` whose answer was lost, or that
    /// a gateway answered `504`, is resent only for an action declared idempotent
    /// ([`GraphAction::IDEMPOTENT`]) or a call whose options say so: otherwise it is
    /// [`Error::UnknownOutcome`]. A success whose result cannot be read is
    /// [`Error::UnreadableSuccess`]: the action took effect.
    ///
    /// # Errors
    ///
    /// [`Error::NotInCloud`] or [`Error::Path`] before any I/O; otherwise the error of the
    /// credential, of the request or of its response (see [`Error`]).
    pub async fn invoke<A: GraphAction>(
        &self,
        action: &A,
        path_args: &[&str],
    ) -> Result<A::Output, Error> {
        self.invoke_with(action, path_args, &RequestOptions::default()).await
    }

    /// [`invoke`](Self::invoke) with options for this call.
    ///
    /// # Errors
    ///
    /// As [`invoke`](Self::invoke).
    pub async fn invoke_with<A: GraphAction>(
        &self,
        action: &A,
        path_args: &[&str],
        options: &RequestOptions,
    ) -> Result<A::Output, Error> {
        self.available_in(A::AVAILABILITY)?;
        let transport = self.transport();
        let url = transport.path_url(&A::PATH, path_args)?;
        let body = Bytes::from(serde_json::to_vec(action).map_err(Error::Encode)?);
        let options = RequestOptions {
            throttling: A::THROTTLING,
            idempotent: options.idempotent || A::IDEMPOTENT,
            stream: A::RESULT == ResultShape::Stream,
            needs: Needs::new("POST", A::PATH.as_str(), A::PERMISSIONS),
            ..options.clone()
        };
        let template = A::PATH.as_str();
        let answer = transport.execute(Method::POST, template, url, Some(body), &options).await?;
        super::result::read(self, A::RESULT, template, answer).await
    }
}
