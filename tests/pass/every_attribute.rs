// Every attribute of every macro, used at once, compiles and gives what it says.
// A user's crate: the workspace's own lints on public items do not apply.
#![allow(missing_debug_implementations, unreachable_pub)]

use graph_entity::prelude::*;
use graph_entity::{DateTimeOffset, ExtraProperties};

#[graph_enum(unchecked)]
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    First,
    #[graph(rename = "SECOND")]
    Second,
    #[graph(other)]
    Other(String),
}

#[graph_entity(path = "/a/{aId}/b/{type}/c('{cId}')", odata_type = "#contoso.thing", unchecked)]
#[derive(Debug, Clone, PartialEq)]
pub struct Thing {
    #[graph(key)]
    pub id: Option<String>,
    #[graph(required)]
    pub name: Option<String>,
    #[graph(rename = "when")]
    pub at: DateTimeOffset,
    pub kind: Kind,
    pub count: std::option::Option<i64>,
    #[graph(extra)]
    pub extra: ExtraProperties,
}

async fn call(thing: &Thing, client: &graph_entity::Client) -> Result<Thing, graph_entity::Error> {
    // Three placeholders, `{type}` among them: three `&str`, in order.
    thing.create(client, ("a", "b", "c")).await
}

fn generic<E: GraphEntity>() -> &'static str {
    E::PATH.as_str()
}

#[graph_entity(path = "/deviceAppManagement/mobileAppConfigurations/{id}/assignments")]
#[derive(Debug)]
pub struct Assignment {
    #[graph(key)]
    pub id: Option<String>,
}

// Every argument of an action: it returns nothing, the others below do.
#[graph_action(
    path = "/deviceAppManagement/mobileAppConfigurations/{id}/microsoft.graph.assign",
    idempotent,
    clouds(global, us_gov, china),
    crate = ::graph_entity
)]
#[derive(Debug)]
pub struct Assign {
    pub assignments: Vec<Assignment>,
}

#[graph_action(path = "/users/{userId}/getMemberGroups", returns = Vec<String>)]
#[derive(Debug)]
pub struct MemberGroups {
    #[graph(rename = "securityEnabledOnly")]
    pub only_security: Option<bool>,
}

async fn act(client: &graph_entity::Client) -> Result<Vec<String>, graph_entity::Error> {
    Assign { assignments: Vec::new() }.invoke(client, "configuration").await?;
    let options = graph_entity::client::RequestOptions::default();
    MemberGroups { only_security: None }.invoke_with(client, "user", &options).await
}

fn main() {
    let _ = call;
    let _ = act;
    const { assert!(<Assign as GraphAction>::IDEMPOTENT) };
    assert_eq!(generic::<Thing>(), "/a/{aId}/b/{type}/c('{cId}')");
    assert_eq!(Thing::ODATA_TYPE, "#contoso.thing");
}
