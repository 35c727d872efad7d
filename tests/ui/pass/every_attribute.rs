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

fn main() {
    let _ = call;
    assert_eq!(generic::<Thing>(), "/a/{aId}/b/{type}/c('{cId}')");
    assert_eq!(Thing::ODATA_TYPE, "#contoso.thing");
}
