//! Actions declared with `#[graph_action]`: a struct whose fields are the action's parameters,
//! checked at compile time against Microsoft's metadata, and invoked with
//! [`Invoke`](crate::client::Invoke).

mod result;

pub use result::ResultShape;
#[cfg(feature = "client")]
pub(crate) use result::{Decoded, decode_result};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::entity::{Availability, PathArgs, PathTemplate, Throttling};

/// A Microsoft Graph action declared with `#[graph_action]`: its path (ending in the action's
/// segment), its parameters (the struct's fields, written as the JSON body of the `POST`) and
/// its result.
///
/// The macro implements it and generates nothing else in your namespace; invoke an action with
/// [`Invoke::invoke`](crate::client::Invoke::invoke) (`use graph_entity::prelude::*`).
///
/// ```
/// use graph_entity_runtime::action::{GraphAction, ResultShape};
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
    /// Whether invoking the action twice has the effect of invoking it once
    /// (`#[graph_action(idempotent)]`, as `assign`, which replaces the assignments): then a
    /// `POST` whose answer was lost is sent again, instead of failing with
    /// [`Error::UnknownOutcome`](crate::Error::UnknownOutcome).
    const IDEMPOTENT: bool = false;
    /// Where the result is in the answer's body.
    const RESULT: ResultShape;

    /// The arguments that fill the path's placeholders, in order: `()`, `&str`, or a tuple.
    type PathArgs<'a>: PathArgs<'a>;
    /// The result: `()` when the action has none.
    type Output: DeserializeOwned + Send + 'static;
}
