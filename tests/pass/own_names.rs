// The macros generate no names of their own beside the user's: a struct may have its own
// `count`, `patch`, `fields`, `query`, `validate` and `PATH`, an enum its own `as_str`, and types
// named `UserPatch` and `UserFields` may stand beside `User`. The operations stay reachable
// through the traits.
// A user's crate: the workspace's own lints on public items do not apply.
#![allow(missing_debug_implementations, unreachable_pub)]

use graph_entity::prelude::*;
use graph_entity::{Client, Error};

#[graph_enum]
#[derive(Debug, Clone, PartialEq)]
pub enum Importance {
    Low,
    Normal,
    High,
    #[graph(other)]
    Other(String),
}

impl Importance {
    pub fn as_str(&self) -> &'static str {
        "mine"
    }
}

#[graph_entity(path = "/users")]
pub struct User {
    #[graph(key)]
    pub id: Option<String>,
    pub display_name: Option<String>,
}

/// The user's own companion types, named as the macro once named its own.
pub struct UserPatch(pub u8);
pub struct UserFields;

impl User {
    pub const PATH: &'static str = "mine";

    pub fn count(&self) -> usize {
        1
    }

    pub fn patch(&self) -> UserPatch {
        UserPatch(2)
    }

    pub fn fields(&self) -> UserFields {
        UserFields
    }

    pub fn query(&self) -> u8 {
        3
    }

    pub fn validate(&self) -> bool {
        true
    }
}

async fn operations(client: &Client, user: &User) -> Result<u64, Error> {
    let f = <User as GraphEntity>::fields();
    let query = <User as GraphEntity>::query().filter(f.display_name.eq("Adele"));
    let patch = <User as GraphEntity>::patch().display_name(Some("Adele Vance".into()));
    <User as Operations>::update(client, (), "id", &patch).await?;
    user.create(client, ()).await?;
    <User as Operations>::count(client, (), &query).await
}

fn main() {
    let _ = operations;
    let user = User { id: None, display_name: None };
    assert_eq!((user.count(), user.patch().0, user.query()), (1, 2, 3));
    let _: UserFields = user.fields();
    assert!(user.validate());
    assert!(GraphEntity::validate(&user).is_ok());
    assert_eq!(User::PATH, "mine");
    assert_eq!(<User as GraphEntity>::PATH.as_str(), "/users");
    assert_eq!(Importance::High.as_str(), "mine");
    assert_eq!(GraphEnum::as_str(&Importance::High), "high");
}
