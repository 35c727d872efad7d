//! Runtime of the [`graph-entity`](https://docs.rs/graph-entity) crate: the HTTP client, the
//! error type and Graph's wire types such as [`DateTimeOffset`].
//!
//! Depend on `graph-entity`, which re-exports everything here together with the
//! `#[graph_entity]` and `#[graph_enum]` attributes; code the macros generate calls into this
//! crate through the facade's hidden `__private` module.
//!
//! The `client` feature (on by default) brings the HTTP client, credentials, retries and bulk
//! creation; without it the crate has the types, the wire format and validation only, and none
//! of reqwest, tokio or aws-lc.
//!
//! The root has what declarations and everyday calls name; the rest is grouped: [`auth`]
//! (credentials), [`client`] (the client, its options, paging and bulk), [`cloud`], [`entity`]
//! (the traits of declared types and their plumbing), [`error`], [`operation`] (the traits of
//! declared actions and functions), [`query`] (typed query
//! options) and [`wire`] (Graph's primitive types, among them `wire::Duration`, which is
//! `Edm.Duration`, not `std::time::Duration`). [`prelude`] brings the traits whose methods
//! everyday calls use.

#![deny(missing_docs)]

#[cfg(feature = "client")]
pub mod auth;
#[cfg(feature = "client")]
pub mod client;
pub mod cloud;
pub mod entity;
pub mod error;
#[cfg(feature = "client")]
mod http;
pub mod operation;
#[cfg(feature = "client")]
mod pace;
pub mod prelude;
pub mod query;
#[cfg(feature = "client")]
mod retry;
#[cfg(feature = "client")]
mod stream;
#[cfg(feature = "client")]
mod transport;
pub mod wire;

#[doc(hidden)]
pub mod __private;

// What declarations and everyday calls name; the rest is in the modules.
#[cfg(feature = "client")]
pub use client::Client;
#[cfg(feature = "client")]
pub use client::{Call, Invoke, Operations};
pub use cloud::NationalCloud;
pub use entity::{GraphComplex, GraphEntity, GraphEnum, GraphPatch};
pub use error::Error;
pub use operation::{GraphAction, GraphFunction};
pub use query::Query;
pub use wire::{Base64, Date, DateTimeOffset, ExtraProperties, Guid, Json, TimeOfDay, from_slice};
