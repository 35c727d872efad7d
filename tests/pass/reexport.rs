// A crate that re-exports graph_entity points the generated code at its own path.
// A user's crate: the workspace's own lints on public items do not apply.
#![allow(missing_debug_implementations, unreachable_pub)]

mod sdk {
    pub use graph_entity;
}

use sdk::graph_entity::prelude::*;

#[graph_enum(crate = crate::sdk::graph_entity, unchecked)]
pub enum Level {
    Low,
    #[graph(other)]
    Other(String),
}

#[graph_entity(path = "/levels", crate = crate::sdk::graph_entity, unchecked)]
pub struct Levelled {
    pub level: Level,
}

fn main() {
    let value = Levelled { level: Level::Low };
    assert!(value.validate().is_ok());
    assert_eq!(Levelled::PATH.as_str(), "/levels");
}
