//! Generated code compiles without warnings under strict lints (thiserror's `test_lints.rs`).

#![deny(warnings, unused_qualifications, missing_docs, clippy::pedantic)]

use graph_entity::prelude::*;
use graph_entity::{DateTimeOffset, ExtraProperties};

/// An enum under strict lints.
#[graph_enum(unchecked)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Strict {
    /// A member.
    First,
    /// A renamed member.
    #[graph(rename = "SECOND")]
    Second,
    /// The catch-all.
    #[graph(other)]
    Other(String),
}

/// An entity under strict lints, using every attribute.
#[graph_entity(path = "/a/{aId}/b/{type}/c", odata_type = "#contoso.strict", unchecked)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StrictEntity {
    /// The key.
    #[graph(key)]
    pub(crate) id: Option<String>,
    /// Required on create.
    #[graph(required)]
    pub(crate) name: Option<String>,
    /// Renamed.
    #[graph(rename = "when")]
    pub(crate) at: DateTimeOffset,
    /// An enum.
    pub(crate) kind: Strict,
    /// The rest.
    #[graph(extra)]
    pub(crate) extra: ExtraProperties,
}

/// A Graph complex type under strict lints.
#[graph_entity::graph_complex]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ItemBody {
    /// The content.
    pub(crate) content: Option<String>,
}

/// A checked entity under strict lints: its enum and complex fields get constant checks.
#[graph_entity(
    path = "/deviceAppManagement/mobileAppConfigurations/{configurationId}/userStatuses"
)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CheckedStrict {
    /// The key.
    #[graph(key)]
    pub(crate) id: Option<String>,
    /// A Graph enum.
    pub(crate) status: graph_entity::intune::ComplianceStatus,
}

/// A checked entity with a complex field under strict lints.
#[graph_entity(path = "/me/todo/lists/{todoTaskListId}/tasks")]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CheckedTask {
    /// A Graph complex value.
    pub(crate) body: Option<ItemBody>,
}

/// The call shape is checked by compiling this: one `&str` for each of the two placeholders.
async fn call(
    entity: StrictEntity,
    client: graph_entity::Client,
) -> Result<StrictEntity, graph_entity::Error> {
    entity.create(&client, ("a", "t")).await
}

#[test]
fn strict_lints_pass() {
    let _ = call;
    assert_eq!(StrictEntity::ODATA_TYPE, "#contoso.strict");
    assert_eq!(Strict::Second.as_str(), "SECOND");
    assert_eq!(
        CheckedStrict::ODATA_TYPE,
        "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus"
    );
    assert_eq!(CheckedTask::ODATA_TYPE, "#microsoft.graph.todoTask");
}
