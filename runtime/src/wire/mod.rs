//! Graph's primitive types on the wire: [`DateTimeOffset`] for `Edm.DateTimeOffset`, and
//! [`Date`], [`TimeOfDay`], [`Duration`], [`Guid`] and [`Base64`] for `Edm.Date`,
//! `Edm.TimeOfDay`, `Edm.Duration`, `Edm.Guid` and `Edm.Binary`. Each reads the form Graph writes
//! and writes it back, so that a value read and written again is the same value; all of them
//! read through one scanner (`scan`) and fail with one error, [`WireParseError`]. Also the map of
//! undeclared properties, [`ExtraProperties`], and [`from_slice`], which decodes with the JSON
//! path of any problem.
//!
//! [`Duration`] is `Edm.Duration`, not `std::time::Duration` (it converts to and from one): it
//! is not re-exported at the crate's root.

mod binary;
mod calendar;
mod date;
mod date_time;
mod decode;
mod duration;
mod guid;
pub(crate) mod member;
mod scan;
#[cfg(test)]
mod tests;

pub use binary::Base64;
pub use date::{Date, TimeOfDay};
pub use date_time::DateTimeOffset;
pub use decode::from_slice;
#[cfg(feature = "client")]
pub(crate) use decode::from_text;
pub use duration::Duration;
pub use guid::Guid;
pub use scan::WireParseError;

/// Graph's `microsoft.graph.Json`: any JSON value, as read (a workbook range's `values` are
/// arrays of arrays, a policy's `definition` an object). The metadata declares it as a complex
/// type without properties; a struct would drop what it holds, so it is a JSON value.
///
/// ```
/// let values: graph_entity_runtime::Json = serde_json::from_str("[[1, \"a\"], [2, \"b\"]]").unwrap();
/// assert_eq!(values[1][1], "b");
/// ```
pub type Json = serde_json::Value;

/// The type of a `#[graph(extra)]` field: the properties an entity does not declare, as read.
pub type ExtraProperties = serde_json::Map<String, serde_json::Value>;
