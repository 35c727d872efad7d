//! Credentials: where bearer tokens come from.
//!
//! [`TokenCredential`] is the interface (scope in, token out); [`StaticToken`] serves a token
//! obtained elsewhere; [`ClientSecretCredential`] and [`ClientCertificateCredential`] run the
//! OAuth 2.0 client-credentials flow against Microsoft Entra ID (`flow`: one cached token per
//! scope and one request in flight; `endpoint`: the token endpoint's protocol; `assertion`: the
//! certificate's signed client assertion); [`EnvironmentCredential`] picks one from the
//! variables the Azure SDKs read.

mod assertion;
mod cache;
mod certificate;
mod claims;
mod endpoint;
mod environment;
mod flow;
mod secret;
mod token;

pub use certificate::ClientCertificateCredential;
pub use claims::Granted;
pub(crate) use endpoint::parse_token_response;
pub use environment::EnvironmentCredential;
/// A boxed future, as returned by [`TokenCredential::get_token`].
pub use futures_util::future::BoxFuture;
pub use secret::ClientSecretCredential;
pub use token::{AccessToken, StaticToken, TokenCredential};
