//! What Graph's date and time types share: the scanner that reads digits at fixed positions,
//! the error every wire type fails with, the fraction writer, and serde through `FromStr` and
//! `Display`.

use std::fmt;

use super::calendar::days_in_month;

/// Why a string is not a value of a Graph type: which type, what was expected, and at which
/// byte.
///
/// ```
/// let error = "2024-02-30".parse::<graph_entity_runtime::Date>().unwrap_err();
/// assert_eq!(error.to_string(), "invalid Date \"2024-02-30\": day 30 does not exist in 2024-02 (at byte 8)");
/// assert_eq!(error.position(), 8);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireParseError {
    type_name: &'static str,
    input: String,
    position: usize,
    reason: String,
}

impl WireParseError {
    pub(super) fn new(
        type_name: &'static str,
        input: &str,
        position: usize,
        reason: impl Into<String>,
    ) -> Self {
        // A bounded copy: errors must not carry unbounded hostile data.
        let mut kept: String = input.chars().take(64).collect();
        if kept.len() < input.len() {
            kept.push('…');
        }
        Self { type_name, input: kept, position, reason: reason.into() }
    }

    /// The byte offset in the input where the problem is.
    pub fn position(&self) -> usize {
        self.position
    }
}

impl fmt::Display for WireParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} {:?}: {} (at byte {})",
            self.type_name, self.input, self.reason, self.position
        )
    }
}

impl std::error::Error for WireParseError {}

/// Reads ASCII digits at fixed positions: the parts Graph's date and time types share.
pub(super) struct Scan<'a> {
    type_name: &'static str,
    input: &'a str,
}

impl<'a> Scan<'a> {
    pub(super) fn new(type_name: &'static str, input: &'a str) -> Self {
        Self { type_name, input }
    }

    pub(super) fn error(&self, at: usize, reason: impl Into<String>) -> WireParseError {
        WireParseError::new(self.type_name, self.input, at, reason)
    }

    /// `YYYY-MM-DD` at the start, a date that exists.
    #[inline]
    pub(super) fn date(&self) -> Result<(u32, u32, u32), WireParseError> {
        let year = self.digits(0, 4, "year")?;
        self.expect(4, b'-')?;
        let month = self.digits(5, 2, "month")?;
        if !(1..=12).contains(&month) {
            return Err(self.error(5, format!("month {month} is out of range (01 to 12)")));
        }
        self.expect(7, b'-')?;
        let day = self.digits(8, 2, "day")?;
        if day == 0 || day > days_in_month(year, month) {
            return Err(self.error(8, format!("day {day} does not exist in {year:04}-{month:02}")));
        }
        Ok((year, month, day))
    }

    /// `hh:mm:ss` at `at`, a time that exists.
    #[inline]
    pub(super) fn time(&self, at: usize) -> Result<(u32, u32, u32), WireParseError> {
        let hour = self.digits(at, 2, "hour")?;
        if hour > 23 {
            return Err(self.error(at, format!("hour {hour} is out of range (00 to 23)")));
        }
        self.expect(at + 2, b':')?;
        let minute = self.digits(at + 3, 2, "minute")?;
        if minute > 59 {
            return Err(self.error(at + 3, format!("minute {minute} is out of range (00 to 59)")));
        }
        self.expect(at + 5, b':')?;
        let second = self.digits(at + 6, 2, "second")?;
        if second > 59 {
            return Err(self.error(at + 6, format!("second {second} is out of range (00 to 59)")));
        }
        Ok((hour, minute, second))
    }

    #[inline(always)]
    pub(super) fn digits(&self, at: usize, n: usize, what: &str) -> Result<u32, WireParseError> {
        // One pass: every date of every answer is read here.
        if let Some(bytes) = self.input.as_bytes().get(at..at.saturating_add(n)) {
            let mut value = 0u32;
            let mut all_digits = true;
            for &byte in bytes {
                let digit = byte.wrapping_sub(b'0');
                all_digits &= digit < 10;
                value = value.wrapping_mul(10).wrapping_add(u32::from(digit));
            }
            if all_digits {
                return Ok(value);
            }
        }
        Err(self.error(at, format!("expected {n} digits for the {what}")))
    }

    #[inline(always)]
    pub(super) fn expect(&self, at: usize, byte: u8) -> Result<(), WireParseError> {
        match self.input.as_bytes().get(at) {
            Some(&b) if b == byte => Ok(()),
            Some(_) => Err(self.error(at, format!("expected `{}`", char::from(byte)))),
            None => Err(self.error(at, format!("ended early: expected `{}`", char::from(byte)))),
        }
    }

    pub(super) fn end(&self, at: usize) -> Result<(), WireParseError> {
        match at == self.input.len() {
            true => Ok(()),
            false => Err(self.error(at, "unexpected characters after the value")),
        }
    }

    /// `.f{1,max}` at `at`, if present: (nanoseconds, digits kept up to 9, end).
    pub(super) fn fraction(
        &self,
        at: usize,
        max: usize,
    ) -> Result<(u32, u8, usize), WireParseError> {
        let bytes = self.input.as_bytes();
        if bytes.get(at) != Some(&b'.') {
            return Ok((0, 0, at));
        }
        let count = bytes[at + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return Err(self.error(at + 1, "expected digits after `.`"));
        }
        if count > max {
            return Err(
                self.error(at + 1, format!("{count} fractional digits; at most {max} are allowed"))
            );
        }
        let kept = count.min(9);
        let mut nanos = 0u32;
        for b in &bytes[at + 1..at + 1 + kept] {
            nanos = nanos * 10 + u32::from(b - b'0');
        }
        nanos *= 10u32.pow(9 - kept as u32);
        Ok((nanos, kept as u8, at + 1 + count))
    }
}

/// The fewest fractional digits that write `nanos` exactly (0 for none).
pub(super) fn shortest_fraction(nanos: u32) -> u8 {
    if nanos == 0 {
        return 0;
    }
    let mut precision = 9u8;
    let mut rest = nanos;
    while rest % 10 == 0 {
        rest /= 10;
        precision -= 1;
    }
    precision
}

/// Writes `.ddd` with `precision` digits of `nanos`.
pub(super) fn write_fraction(f: &mut fmt::Formatter<'_>, nanos: u32, precision: u8) -> fmt::Result {
    if precision == 0 {
        return Ok(());
    }
    let digits = nanos / 10u32.pow(9 - u32::from(precision));
    write!(f, ".{digits:0width$}", width = usize::from(precision))
}

/// Serde as a string, through `FromStr` and `Display`.
macro_rules! string_serde {
    ($ty:ident, $expecting:literal) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::wire::WireParseError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}

pub(super) use string_serde;
