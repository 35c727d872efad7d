//! JSON decoding that names the path of a problem.

use serde::de::DeserializeOwned;

use crate::error::DecodeError;

/// Decodes `body` as `T`, naming the JSON path of the problem on failure.
///
/// The happy path is plain `serde_json`; only a failure decodes again to learn the path, so
/// success costs nothing extra.
///
/// ```
/// use graph_entity_runtime::{DateTimeOffset, from_slice};
///
/// let error = from_slice::<Vec<DateTimeOffset>>(br#"["2017-01-01T00:00:00Z", "yesterday"]"#).unwrap_err();
/// assert_eq!(error.path, "[1]");
/// assert!(error.to_string().starts_with("cannot decode"));
/// ```
///
/// # Errors
///
/// A [`DecodeError`] with the path, the message and the position of the problem.
pub fn from_slice<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    serde_json::from_slice(body).map_err(|_| slow_path::<T>(body))
}

/// [`from_slice`] of text already known to be UTF-8: its strings are not validated again.
#[cfg(feature = "client")]
pub(crate) fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    serde_json::from_str(text).map_err(|_| slow_path::<T>(text.as_bytes()))
}

#[cold]
fn slow_path<T: DeserializeOwned>(body: &[u8]) -> DecodeError {
    let mut de = serde_json::Deserializer::from_slice(body);
    let (path, error) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(error) => {
            let path = error.path().to_string();
            (if path == "." { String::new() } else { path }, error.into_inner())
        }
        // The value decoded: the problem is what follows it, such as trailing characters.
        Ok(_) => match de.end() {
            Err(error) => (String::new(), error),
            Ok(()) => (String::new(), serde::de::Error::custom("decoding failed")),
        },
    };
    let (line, column) = (error.line(), error.column());
    let message = error.to_string();
    let suffix = format!(" at line {line} column {column}");
    let message = message.strip_suffix(&suffix).unwrap_or(&message).to_owned();
    DecodeError {
        type_name: std::any::type_name::<T>(),
        path,
        message,
        line,
        column,
        status: None,
        body: body.to_vec(),
    }
}
