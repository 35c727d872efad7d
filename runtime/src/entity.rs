//! The traits every declared entity and enum implements.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ValidationError;
use crate::path::PathTemplate;

/// A Microsoft Graph entity type declared with `#[graph_entity]`.
///
/// Generic code can use any entity through it, for example to send any entity with
/// [`Client::create`](crate::Client::create):
///
/// ```
/// use graph_entity_runtime::{Client, Error, GraphEntity};
///
/// async fn create_all<E: GraphEntity>(client: &Client, parent_id: &str, items: &[E]) -> Vec<Result<E, Error>> {
///     let mut results = Vec::with_capacity(items.len());
///     for item in items {
///         results.push(client.create(item, &[parent_id]).await);
///     }
///     results
/// }
/// ```
pub trait GraphEntity: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The path of the entity's collection, checked at compile time.
    const TEMPLATE: PathTemplate;
    /// The `@odata.type` written first in request bodies, such as `#microsoft.graph.user`.
    const ODATA_TYPE: &'static str;
    /// The JSON names of the declared properties, in field order.
    const PROPERTIES: &'static [&'static str];

    /// Checks the rules the compiler cannot, returning every problem at once.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] listing each violation.
    fn validate(&self) -> Result<(), ValidationError>;
}

/// A Microsoft Graph enum type declared with `#[graph_enum]`.
///
/// Graph writes members as camelCase strings and adds members over time: a member this code does
/// not know is kept, as read, in the enum's `#[graph(other)]` variant and written back unchanged.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `#[graph_enum]`: the property is a Graph enum",
    label = "declare this type with `#[graph_enum]`"
)]
pub trait GraphEnum: Sized {
    /// The enum's qualified Graph name, such as `microsoft.graph.complianceStatus`: checked
    /// against the property a field of this type declares.
    const GRAPH_NAME: &'static str;

    /// The known member strings, in declaration order.
    const MEMBERS: &'static [&'static str];

    /// The known member with this string.
    fn from_member(member: &str) -> Option<Self>;

    /// The catch-all value for a string that is not a known member.
    fn from_unknown(member: String) -> Self;

    /// The member string.
    fn as_str(&self) -> &str;
}
