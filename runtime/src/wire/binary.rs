//! `Edm.Binary`: bytes, in base64.

use std::fmt;

use base64::Engine as _;

use super::scan::{WireParseError, string_serde};

/// Bytes: Graph's `Edm.Binary`, written in base64.
///
/// Reads the standard alphabet and the URL-safe one, padded or not (OData allows base64url;
/// Graph writes standard base64), and writes standard base64 with padding, as Graph does.
///
/// ```
/// use graph_entity_runtime::Base64;
///
/// let xml: Base64 = "PD94bWw+".parse()?;
/// assert_eq!(xml.as_bytes(), b"<?xml>");
/// assert_eq!(xml.to_string(), "PD94bWw+");
/// assert_eq!("PD94bWw-".parse::<Base64>()?, xml); // base64url
/// assert_eq!(Base64::from(b"hi".to_vec()).to_string(), "aGk=");
/// # Ok::<(), graph_entity_runtime::wire::WireParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Decodes base64 or base64url, padded or not. Same as [`str::parse`].
    ///
    /// # Errors
    ///
    /// A [`WireParseError`] naming the first byte that is not base64.
    pub fn parse(input: &str) -> Result<Self, WireParseError> {
        let url = input.bytes().any(|b| b == b'-' || b == b'_');
        let config = base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent);
        let alphabet = if url { &base64::alphabet::URL_SAFE } else { &base64::alphabet::STANDARD };
        base64::engine::GeneralPurpose::new(alphabet, config).decode(input).map(Self).map_err(
            |error| {
                let position = match error {
                    base64::DecodeError::InvalidByte(at, _)
                    | base64::DecodeError::InvalidLastSymbol { offset: at, .. } => at,
                    _ => input.len(),
                };
                WireParseError::new("Base64", input, position, error.to_string())
            },
        )
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl fmt::Display for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

string_serde!(Base64, "a base64 string");
