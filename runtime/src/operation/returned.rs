//! What an action's or a function's result is read as: [`Returned`].

use serde::de::DeserializeOwned;

use crate::error::DecodeError;
#[cfg(feature = "client")]
use crate::stream::ByteStream;

/// What an action's or a function's result is read as (`returns = Type`): any type serde
/// reads, `()` for no result, or, for an `Edm.Stream` result (a report's bytes),
/// `graph_entity::client::ByteStream`, read as it arrives instead of decoded whole.
///
/// Implemented for every `DeserializeOwned` type and for `ByteStream`; generated code and
/// generic code name it as a bound.
///
/// ```
/// use graph_entity_runtime::operation::Returned;
///
/// fn readable<T: Returned>() {}
/// readable::<Vec<String>>();
/// readable::<()>();
/// ```
pub trait Returned: Send + Sized + 'static {
    /// Reads the whole result from its JSON text.
    #[doc(hidden)]
    fn __decode(json: &[u8]) -> Result<Self, DecodeError>;

    /// Takes a result that is a stream, as it arrives: only a `ByteStream` does.
    #[doc(hidden)]
    #[cfg(feature = "client")]
    fn __from_stream(stream: ByteStream) -> Option<Self> {
        drop(stream);
        None
    }
}

impl<T: DeserializeOwned + Send + 'static> Returned for T {
    fn __decode(json: &[u8]) -> Result<Self, DecodeError> {
        crate::wire::from_slice(json)
    }
}

#[cfg(feature = "client")]
impl Returned for ByteStream {
    fn __decode(json: &[u8]) -> Result<Self, DecodeError> {
        Err(DecodeError {
            type_name: std::any::type_name::<ByteStream>(),
            path: String::new(),
            message: "a stream result is read as it arrives, never from a body read whole (nor from a `$batch` answer)".into(),
            line: 0,
            column: 0,
            status: None,
            body: json.to_vec(),
        })
    }

    fn __from_stream(stream: ByteStream) -> Option<Self> {
        Some(stream)
    }
}
