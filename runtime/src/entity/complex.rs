//! Complex types: structured values without a key.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ValidationError;

/// A Microsoft Graph complex type declared with `#[graph_complex]`: a structured value without
/// a key, nested in entities and in other complex values.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a `#[graph_complex]`: the property is a Graph complex type",
    label = "declare this type with `#[graph_complex]`"
)]
pub trait GraphComplex: Serialize + DeserializeOwned {
    /// The type's qualified Graph name, such as `microsoft.graph.itemBody`: checked against the
    /// property a field of this type declares.
    const GRAPH_NAME: &'static str;
    /// The type's name, then its base types' names: a field of a property of any of them may
    /// hold this type.
    const BASES: &'static [&'static str];
    /// The JSON names of the declared properties, in field order.
    const PROPERTIES: &'static [&'static str];
    /// Whether a value writes its `@odata.type` (declared with `odata_type`): a derived type in
    /// a field of its base's type must, or Graph could not tell which it is.
    const WRITES_TYPE: bool = false;

    /// Checks the rules the compiler cannot, returning every problem at once.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] listing each violation.
    fn validate(&self) -> Result<(), ValidationError>;
}

/// A boxed complex value is the value: a recursive complex type (a property holding its own
/// type, directly or through others) is declared as `Option<Box<T>>`.
impl<T: GraphComplex> GraphComplex for Box<T> {
    const GRAPH_NAME: &'static str = T::GRAPH_NAME;
    const BASES: &'static [&'static str] = T::BASES;
    const PROPERTIES: &'static [&'static str] = T::PROPERTIES;
    const WRITES_TYPE: bool = T::WRITES_TYPE;

    fn validate(&self) -> Result<(), ValidationError> {
        T::validate(self)
    }
}
