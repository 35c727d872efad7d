//! The traits whose methods everyday code calls: `use graph_entity::prelude::*`.
//!
//! A declared entity's operations (`status.create(...)`, `Status::get(...)`), its `fields()`,
//! `query()`, `patch()` and `validate()`, an enum's `as_str()`: each is a method of one of these
//! traits, so that the macros generate no names of their own in your namespace.

#[cfg(feature = "client")]
pub use crate::client::{Call, DeltaOperations, Invoke, Operations, SingleOperations};
pub use crate::entity::{GraphComplex, GraphEntity, GraphEnum, GraphPatch};
pub use crate::operation::{GraphAction, GraphFunction};
