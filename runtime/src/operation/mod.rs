//! Actions and functions declared with `#[graph_action]` and `#[graph_function]`: a struct whose
//! fields are the operation's parameters, checked at compile time against Microsoft's metadata,
//! invoked with [`Invoke`](crate::client::Invoke) (an action, `POST`) or
//! [`Call`](crate::client::Call) (a function, `GET`).

mod parameters;
mod result;
mod returned;

pub use parameters::FunctionParameters;
pub use result::ResultShape;
#[cfg(feature = "client")]
pub(crate) use result::{Decoded, decode_result, decode_whole};
pub use returned::Returned;

use serde::Serialize;

use crate::entity::{Availability, PathArgs, PathTemplate, RequestPermissions, Throttling};
use crate::error::Error;

/// A Microsoft Graph action declared with `#[graph_action]`: its path (ending in the action's
/// segment), its parameters (the struct's fields, written as the JSON body of the `POST`) and
/// its result.
///
/// The macro implements it and generates nothing else in your namespace; invoke an action with
/// [`Invoke::invoke`](crate::client::Invoke::invoke) (`use graph_entity::prelude::*`).
///
/// ```
/// use graph_entity_runtime::operation::{GraphAction, ResultShape};
///
/// // What generic code can know of any action.
/// fn describe<A: GraphAction>() -> String {
///     let result = match A::RESULT {
///         ResultShape::None => "no result",
///         _ => "a result",
///     };
///     format!("POST {} ({}, {result})", A::PATH.as_str(), A::NAME)
/// }
/// ```
pub trait GraphAction: Serialize + Send + Sync + Sized + 'static {
    /// The path, ending in the action's segment, checked at compile time, such as
    /// `/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/assign`.
    const PATH: PathTemplate;
    /// The action's qualified name in the metadata, such as `microsoft.graph.assign`.
    const NAME: &'static str;
    /// The national clouds whose metadata has the path, the action and every declared
    /// parameter.
    const AVAILABILITY: Availability = Availability::EVERYWHERE;
    /// The documented write limit of the Graph service the path belongs to, when it has one:
    /// an action is a write, paced as its service's (see [`Throttling`]).
    const THROTTLING: Option<Throttling> = None;
    /// The permissions its `POST` needs, from Microsoft's permissions reference (a managed
    /// device's `syncDevice`: `DeviceManagementManagedDevices.PrivilegedOperations.All`);
    /// unknown where the reference does not list the path.
    const PERMISSIONS: RequestPermissions = RequestPermissions::UNKNOWN;
    /// Whether invoking the action twice has the effect of invoking it once
    /// (`#[graph_action(idempotent)]`, as `assign`, which replaces the assignments): then a
    /// `POST` whose answer was lost is sent again, instead of failing with
    /// [`Error::UnknownOutcome`].
    const IDEMPOTENT: bool = false;
    /// Where the result is in the answer's body.
    const RESULT: ResultShape;

    /// The arguments that fill the path's placeholders, in order: `()`, `&str`, or a tuple.
    type PathArgs<'a>: PathArgs<'a>;
    /// The result: `()` when the action has none.
    type Output: Returned;
}

/// A function whose result, a collection of entities, takes query options (`IsComposable` in
/// Microsoft's metadata): `$filter`, `$select`, `$orderby`, `$top` … on its entities, with
/// [`Call::call_with`](crate::client::Call::call_with). The macro implements it for such a
/// function, naming the entity type its result holds.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not composable with its result's entities in Microsoft's metadata: its result takes no query options",
    label = "not composable"
)]
pub trait Composable: GraphFunction {
    /// The entity type of the result's items: what the query options name.
    type Item: crate::GraphEntity;
}

/// A Microsoft Graph function declared with `#[graph_function]`: its path (ending in the
/// function's segment), its parameters (the struct's fields, written in the URL as OData
/// literals, or as parameter aliases for complex and collection values) and its result.
///
/// A function changes nothing: it is called with `GET`, resent after throttling and lost
/// answers like any read. Call one with [`Call::call`](crate::client::Call::call).
///
/// ```
/// use graph_entity_runtime::operation::{FunctionParameters, GraphFunction};
///
/// // What a declared function writes after its name.
/// fn url_tail<F: GraphFunction>(function: &F) -> Result<String, graph_entity_runtime::Error> {
///     let mut parameters = FunctionParameters::new();
///     function.write_parameters(&mut parameters)?;
///     Ok(parameters.to_string())
/// }
/// ```
pub trait GraphFunction: Send + Sync + Sized + 'static {
    /// The path, ending in the function's segment, checked at compile time, such as
    /// `/users/{userId}/reminderView`.
    const PATH: PathTemplate;
    /// The function's qualified name in the metadata, such as `microsoft.graph.reminderView`.
    const NAME: &'static str;
    /// The national clouds whose metadata has the path, the function and every declared
    /// parameter.
    const AVAILABILITY: Availability = Availability::EVERYWHERE;
    /// Where the result is in the answer's body.
    const RESULT: ResultShape;
    /// The permissions its `GET` needs, from Microsoft's permissions reference; unknown where
    /// the reference does not list the path.
    const PERMISSIONS: RequestPermissions = RequestPermissions::UNKNOWN;

    /// The arguments that fill the path's placeholders, in order: `()`, `&str`, or a tuple.
    type PathArgs<'a>: PathArgs<'a>;
    /// The result.
    type Output: Returned;

    /// Writes the declared parameters: each as an OData literal after the function's name
    /// (`StartDateTime='2026-12-01T08:00:00Z'`), `null` for a nullable one that is `None`,
    /// nothing for an optional one that is `None`, and complex and collection values as
    /// parameter aliases (`@p1`, sent as JSON in the query string).
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] when a value cannot be written as JSON.
    fn write_parameters(&self, parameters: &mut FunctionParameters) -> Result<(), Error>;
}
