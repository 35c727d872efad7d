//! Typed, compile-time checked Microsoft Graph calls.
//!
//! Declare the Graph entity you need as a plain struct; `#[graph_entity]` gives it Graph's
//! wire format, required-property validation and the operations Microsoft documents (`create`,
//! `get`, `list`, `count`, `update`, `delete`) whose path arguments the compiler checks. The
//! macro implements traits and takes no other name in your namespace; `use
//! graph_entity::prelude::*` brings the traits whose methods you call.
//!
//! ```
//! use graph_entity::DateTimeOffset;
//! use graph_entity::prelude::*;
//!
//! #[graph_enum]
//! #[derive(Debug, Clone, PartialEq)]
//! pub enum Importance {
//!     Low,
//!     Normal,
//!     High,
//!     /// A member added to Graph after this code was written, kept as read.
//!     #[graph(other)]
//!     Other(String),
//! }
//!
//! #[graph_entity(path = "/users/{userId}/todo/lists/{todoTaskListId}/tasks")]
//! #[derive(Debug, Clone, PartialEq)]
//! pub struct TodoTask {
//!     #[graph(key)]
//!     pub id: Option<String>,
//!     /// Required when creating; Graph may leave it out when reading.
//!     #[graph(required)]
//!     pub title: Option<String>,
//!     pub importance: Importance,
//!     pub created_date_time: Option<DateTimeOffset>,
//! }
//!
//! let task = TodoTask {
//!     id: None,
//!     title: Some("Renew the certificate".into()),
//!     importance: Importance::High,
//!     created_date_time: None,
//! };
//! assert_eq!(
//!     serde_json::to_string(&task)?,
//!     r##"{"@odata.type":"#microsoft.graph.todoTask","title":"Renew the certificate","importance":"high"}"##,
//! );
//! assert_eq!(TodoTask::PATH.as_str(), "/users/{userId}/todo/lists/{todoTaskListId}/tasks");
//!
//! let untitled = TodoTask { title: None, ..task };
//! assert_eq!(untitled.validate().unwrap_err().to_string(), "invalid #microsoft.graph.todoTask: missing required property `title`");
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! The operations take the client and the path's arguments, in the order of its placeholders:
//! `()` for a path without any, one `&str` for one, a tuple for more
//! ([`GraphEntity::PathArgs`]); a wrong count or type does not compile:
//!
//! ```no_run
//! # use graph_entity::{Client, prelude::*};
//! # #[graph_entity(path = "/users/{userId}/todo/lists/{todoTaskListId}/tasks")]
//! # pub struct TodoTask { #[graph(key)] pub id: Option<String>, pub title: Option<String> }
//! # async fn run(task: TodoTask) -> Result<(), graph_entity::Error> {
//! let client = Client::builder().bearer_token(std::env::var("GRAPH_TOKEN").unwrap_or_default()).build()?;
//! let created = task.create(&client, ("adele@contoso.com", "AAMkAGI2")).await?;
//! println!("created task {:?}", created.id);
//! # Ok(()) }
//! ```
//!
//! # The attributes
//!
//! | attribute | meaning |
//! |---|---|
//! | `#[graph_entity(path = "...")]` | the collection's path; its `{placeholder}`s are the operations' path arguments, in order. A single entity's path (a singleton such as `/deviceManagement`, a single-valued navigation) declares an entity read and updated there, with `SingleOperations`' `get` and `update` |
//! | `#[graph_entity(odata_type = "#microsoft.graph.x")]` | the `@odata.type` written first: the type `path` addresses (the default) or a type derived from it, as an abstract type needs |
//! | `#[graph_entity(unchecked)]` | not checked against Microsoft's metadata, for what it does not cover (beta-only types, extensions); `odata_type` then defaults to `#microsoft.graph.` + the struct name in lowerCamelCase |
//! | `#[graph_entity(crate = ::path)]`, `#[graph_enum(crate = ::path)]` | where generated code finds this crate, for crates that re-export it |
//! | `#[graph(rename = "jsonName")]` | the JSON name of a field or enum member (default: lowerCamelCase) |
//! | `#[graph(required)]` | an `Option` field that must be `Some` when creating, but may be absent or `null` when read |
//! | `#[graph(key)]` | the server-assigned key (`Option<String>`), written only when `Some` |
//! | `#[graph(extra)]` | an [`ExtraProperties`] map keeping the properties the struct does not declare |
//! | `#[graph(etag)]` | an `Option<String>` holding `@odata.etag` as read, for `RequestOptions::if_match_of`; never selected nor sent in a body |
//! | `#[graph(other)]` | the catch-all variant `Other(String)` of a `#[graph_enum]` |
//! | `#[graph_complex]`, `#[graph_complex(name = "itemBody")]` | a complex type: a struct checked like an entity, without path or key, nested in entities and other complex values; `odata_type = "#..."` writes `@odata.type` first |
//! | `#[graph_complex(name = "deviceAndAppManagementAssignmentTarget")]` on an enum | a value of one of a complex type's derived types: each variant holds the `#[graph_complex]` struct of one (declared with `odata_type`, or the type itself), read by the value's `@odata.type` (the type itself when it names none); the `#[graph(other)]` variant, `Other(Json)`, keeps any other whole |
//! | `#[graph_enum(name = "complianceStatus")]` | the Graph enum declared (default: the enum's name in lowerCamelCase), checked with its members; `unchecked` skips that |
//! | `#[graph_action(path = ".../{id}/assign")]` | an action: the path of what it is bound to, then its name; the fields are its parameters (an `Option` exactly where one may be left out, every required one declared); invoked with `Invoke::invoke` |
//! | `#[graph_action(returns = Type)]` | the Rust type of the action's result, declared exactly when the metadata has one: a primitive, a `#[graph_enum]`, `#[graph_complex]` or `#[graph_entity]` of its type, or a `Vec` of them |
//! | `#[graph_function(path = ".../reminderView", returns = Type)]` | a function: declared and checked as an action is, called with `Call::call` (`GET`, its parameters in the URL as OData literals, complex and collection values as parameter aliases) |
//! | `#[graph_action(idempotent)]` | invoking it twice does what invoking it once does (`assign` replaces the assignments): a `POST` whose answer was lost is sent again rather than reported as `UnknownOutcome` |
//!
//! # Actions
//!
//! Intune's verbs (assign a configuration, sync or wipe a device …) are actions bound to an
//! entity. Declare one as a struct of its parameters at the path of what it is bound to; the
//! compiler checks the action, each parameter's name, type and nullability, the parameters it
//! requires and its result against Microsoft's metadata:
//!
//! ```
//! use graph_entity::prelude::*;
//!
//! /// `POST /deviceManagement/managedDevices/{id}/wipe`: every parameter may be left out.
//! #[graph_action(path = "/deviceManagement/managedDevices/{managedDeviceId}/wipe")]
//! #[derive(Debug, Default)]
//! pub struct Wipe {
//!     pub keep_enrollment_data: Option<bool>,
//!     pub keep_user_data: Option<bool>,
//! }
//!
//! /// `POST /users/{id}/getMemberGroups`: a result, `Collection(Edm.String)`.
//! #[graph_action(path = "/users/{userId}/getMemberGroups", returns = Vec<String>)]
//! pub struct MemberGroups {
//!     pub security_enabled_only: Option<bool>,
//! }
//!
//! let wipe = Wipe { keep_user_data: Some(true), ..Wipe::default() };
//! assert_eq!(serde_json::to_string(&wipe)?, r#"{"keepUserData":true}"#);
//! assert_eq!(<Wipe as GraphAction>::NAME, "microsoft.graph.wipe");
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! `wipe.invoke(&client, device_id).await?` sends it; `MemberGroups { .. }.invoke(..)` returns
//! the `Vec<String>`. An action is a write: paced with its service's writes, and not sent again
//! after an attempt that may have acted unless declared `idempotent`
//! ([`GraphAction::IDEMPOTENT`]).
//!
//! A function changes nothing: `#[graph_function]` declares one the same way, and
//! [`Call::call`] sends `GET` with the parameters in the URL:
//!
//! ```
//! use graph_entity::operation::{FunctionParameters, GraphFunction};
//! use graph_entity::prelude::*;
//!
//! #[graph_function(path = "/deviceManagement/verifyWindowsEnrollmentAutoDiscovery", returns = bool)]
//! pub struct VerifyAutoDiscovery {
//!     pub domain_name: Option<String>,
//! }
//!
//! let verify = VerifyAutoDiscovery { domain_name: Some("contoso.com".into()) };
//! let mut parameters = FunctionParameters::new();
//! verify.write_parameters(&mut parameters)?;
//! assert_eq!(parameters.to_string(), "(domainName='contoso.com')");
//! # Ok::<(), graph_entity::Error>(())
//! ```
//!
//! Put `#[graph_entity]` above any `#[derive]`, so that the derives do not see the `#[graph]`
//! helper attributes. The wire format is written by the macro, so do not also derive serde's
//! traits.
//!
//! # The wire format
//!
//! - Properties are written in field order after `"@odata.type"`; `None` is omitted, never `null`.
//! - Reading ignores `@odata.type`, `@odata.context` and unknown properties (or keeps them in the
//!   `#[graph(extra)]` map), reads `null` or an absent property as `None` for an `Option`
//!   field, and reports **all** missing non-`Option` properties in one error. A property that
//!   appears twice is an error.
//! - Use [`from_slice`] to decode with the JSON path of any problem in the error.

#![deny(missing_docs)]

pub mod intune;

pub use graph_entity_macros::{
    graph_action, graph_complex, graph_entity, graph_enum, graph_function,
};
// The runtime's whole public API, its modules (`auth`, `client`, `cloud`, `entity`, `error`,
// `query`, `wire`) and its root names: one re-export, so that nothing public can be left out.
// (`prelude` is the facade's own, below: it adds the attributes.)
pub use graph_entity_runtime::*;

/// OData query options with names the compiler checks: `$select`, `$filter`, `$orderby`,
/// `$top`, `$skip`, `$count`, `$search` and `$expand`.
///
/// Each `#[graph_entity]` has `fields()`, one [`Field`](query::Field) per declared property,
/// typed by the entity and by the property's type: a filter compares a property with a value of
/// its own type, a search matches words in a string property, and a property of another entity
/// does not fit. Its `navigations()` are what `$expand` names, from Microsoft's metadata.
/// Values are data: strings are quoted and escaped, search words are escaped inside their
/// phrase, and the query string is percent-encoded once; only the `raw` forms take text as
/// written.
///
/// ```
/// use graph_entity::prelude::*;
/// use graph_entity::query::Search;
///
/// #[graph_entity(path = "/users/{userId}/todo/lists/{todoTaskListId}/tasks")]
/// pub struct TodoTask {
///     #[graph(key)]
///     pub id: Option<String>,
///     pub title: Option<String>,
///     pub is_reminder_on: Option<bool>,
/// }
///
/// let f = TodoTask::fields();
/// let query = TodoTask::query()
///     .filter(f.title.starts_with("Renew") & !f.is_reminder_on.eq(true))
///     .order_by(f.title.asc())
///     .expand(TodoTask::navigations().checklist_items)
///     .top(10);
/// assert_eq!(
///     query.to_query_string(),
///     "$expand=checklistItems&$filter=startswith(title,%27Renew%27)%20and%20not%20(isReminderOn%20eq%20true)&$orderby=title%20asc&$top=10"
/// );
///
/// // Search words cannot end their phrase: the quote is data.
/// let search: Search<TodoTask> = f.title.search(r#"x" OR "body:y"#);
/// assert_eq!(search.to_string(), r#""title:x\" OR \"body:y""#);
/// ```
pub mod query {
    pub use graph_entity_runtime::query::*;
}

/// The traits whose methods everyday code calls, and the attributes that declare types:
/// `use graph_entity::prelude::*`.
///
/// A declared entity's operations (`status.create(...)`, `Status::get(...)`), its `fields()`,
/// `query()`, `patch()` and `validate()`, an enum's `as_str()`: each is a method of one of these
/// traits, so that the macros put no names of their own in your namespace.
pub mod prelude {
    pub use graph_entity_macros::{
        graph_action, graph_complex, graph_entity, graph_enum, graph_function,
    };
    pub use graph_entity_runtime::prelude::*;
}

/// The README's examples, compiled as doctests so that they stay true.
#[cfg(all(doctest, feature = "client"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// Not public API: the paths generated code uses. Anything here may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use core::clone::Clone;
    pub use core::convert::From;
    pub use core::default::Default;
    pub use core::fmt;
    pub use core::marker::Copy;
    pub use core::option::Option::{self, None, Some};
    pub use core::primitive::usize;
    pub use core::result::Result::{self, Err, Ok};
    pub use core::unreachable;
    pub use std::string::String;

    pub use graph_entity_runtime::__private::*;
    pub use serde;

    /// The `#[graph(extra)]` map type.
    pub type Map = serde_json::Map<String, serde_json::Value>;
}
