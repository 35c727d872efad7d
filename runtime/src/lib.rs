//! Runtime of the [`graph-entity`](https://docs.rs/graph-entity) crate: the HTTP client, the
//! error type and Graph's wire types such as [`DateTimeOffset`].
//!
//! Depend on `graph-entity`, which re-exports everything here together with the
//! `#[graph_entity]` and `#[graph_enum]` attributes; code the macros generate calls into this
//! crate through the facade's hidden `__private` module.

#![deny(missing_docs)]

mod auth;
mod bulk;
mod client;
mod cloud;
mod datetime;
mod decode;
mod entity;
mod error;
mod path;
mod retry;

#[doc(hidden)]
pub mod __private;

pub use auth::{
    AccessToken, AuthError, BoxFuture, ClientCertificateCredential, ClientSecretCredential,
    EnvironmentCredential, StaticToken, TokenCredential,
};
pub use bulk::{BulkOptions, MAX_BATCH_SIZE};
pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES};
pub use cloud::{ApiVersion, NationalCloud, UnknownCloud};
pub use datetime::{DateTimeOffset, DateTimeParseError};
pub use decode::from_slice;
pub use entity::{GraphEntity, GraphEnum};
pub use error::{
    DecodeError, Error, ErrorDetail, GraphError, PathError, SNIPPET_LEN, TransportError,
    ValidationError, Violation,
};
pub use path::PathTemplate;
pub use retry::{RequestOptions, RetryPolicy};

/// The type of a `#[graph(extra)]` field: the properties an entity does not declare, as read.
pub type ExtraProperties = serde_json::Map<String, serde_json::Value>;
