//! `Edm.Guid`.

use std::fmt;

use super::scan::{Scan, WireParseError, string_serde};

/// A GUID: Graph's `Edm.Guid`, written `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in lowercase hex
/// (read in either case).
///
/// ```
/// use graph_entity_runtime::Guid;
///
/// let id: Guid = "44960944-0944-4496-4409-964444099644".parse()?;
/// assert_eq!(id.to_string(), "44960944-0944-4496-4409-964444099644");
/// assert_eq!(id, "44960944-0944-4496-4409-964444099644".to_uppercase().parse()?);
/// assert_eq!(id.as_bytes()[0], 0x44);
/// # Ok::<(), graph_entity_runtime::wire::WireParseError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Guid([u8; 16]);

impl Guid {
    /// The GUID with these 16 bytes, in the order they are written.
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// Its 16 bytes, in the order they are written.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Parses the hyphenated form, 36 characters. Same as [`str::parse`].
    ///
    /// # Errors
    ///
    /// A [`WireParseError`] naming what is wrong and at which byte.
    pub fn parse(input: &str) -> Result<Self, WireParseError> {
        let scan = Scan::new("Guid", input);
        let bytes = input.as_bytes();
        let mut out = [0u8; 16];
        let mut at = 0;
        for (group, len) in [4usize, 2, 2, 2, 6].into_iter().enumerate() {
            if group > 0 {
                scan.expect(at, b'-')?;
                at += 1;
            }
            for _ in 0..len {
                let pair = bytes
                    .get(at..at + 2)
                    .ok_or_else(|| scan.error(at, "ended early: expected hex digits"))?;
                let high = hex(pair[0]).ok_or_else(|| scan.error(at, "expected a hex digit"))?;
                let low = hex(pair[1]).ok_or_else(|| scan.error(at + 1, "expected a hex digit"))?;
                let index = (at - group) / 2;
                out[index] = high << 4 | low;
                at += 2;
            }
        }
        scan.end(at)?;
        Ok(Self(out))
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, byte) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Guid({self})")
    }
}

string_serde!(Guid, "a Guid string such as \"44960944-0944-4496-4409-964444099644\"");
