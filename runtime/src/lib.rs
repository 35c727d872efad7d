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

#![deny(missing_docs)]

#[cfg(feature = "client")]
mod auth;
#[cfg(feature = "client")]
mod bulk;
#[cfg(feature = "client")]
mod client;
mod cloud;
mod datetime;
mod decode;
mod entity;
mod error;
#[cfg(feature = "client")]
mod http;
#[cfg(feature = "client")]
mod operations;
#[cfg(feature = "client")]
mod pages;
mod path;
mod query;
#[cfg(feature = "client")]
mod response;
#[cfg(feature = "client")]
mod retry;
#[cfg(feature = "client")]
mod transport;
mod wire;

#[doc(hidden)]
pub mod __private;

#[cfg(feature = "client")]
pub use auth::{
    AccessToken, BoxFuture, ClientCertificateCredential, ClientSecretCredential,
    EnvironmentCredential, StaticToken, TokenCredential,
};
#[cfg(feature = "client")]
pub use bulk::{BulkOptions, MAX_BATCH_SIZE};
#[cfg(feature = "client")]
pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_PAGES, DEFAULT_MAX_RESPONSE_BYTES,
};
pub use cloud::{ApiVersion, NationalCloud, UnknownCloud};
pub use datetime::{DateTimeOffset, DateTimeParseError};
pub use decode::from_slice;
pub use entity::{Availability, GraphComplex, GraphEntity, GraphEnum, GraphPatch};
#[cfg(feature = "client")]
pub use error::TransportError;
pub use error::{
    AuthError, DecodeError, Error, ErrorDetail, GiveUp, GraphError, Outcome, PathError,
    SNIPPET_LEN, ValidationError, Violation,
};
#[cfg(feature = "client")]
pub use pages::List;
pub use path::PathTemplate;
pub use query::{Field, Filter, FilterValue, Order, Query};
#[cfg(feature = "client")]
pub use retry::{RequestOptions, RetryPolicy};
pub use wire::{Base64, Date, Duration, Guid, TimeOfDay, WireParseError};

/// The type of a `#[graph(extra)]` field: the properties an entity does not declare, as read.
pub type ExtraProperties = serde_json::Map<String, serde_json::Value>;
