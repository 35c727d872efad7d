//! Graph's primitive types on the wire: [`DateTimeOffset`] for `Edm.DateTimeOffset`, and
//! [`Date`], [`TimeOfDay`], [`Duration`], [`Guid`] and [`Base64`] for `Edm.Date`,
//! `Edm.TimeOfDay`, `Edm.Duration`, `Edm.Guid` and `Edm.Binary`. Each reads the form Graph writes
//! and writes it back, so that a value read and written again is the same value. Also the map
//! of undeclared properties, [`ExtraProperties`], and [`from_slice`], which decodes with the JSON
//! path of any problem.

pub use crate::datetime::DateTimeOffset;
pub use crate::decode::from_slice;

/// The type of a `#[graph(extra)]` field: the properties an entity does not declare, as read.
pub type ExtraProperties = serde_json::Map<String, serde_json::Value>;

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;

use crate::datetime::days_in_month;

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
    fn new(
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
pub(crate) struct Scan<'a> {
    type_name: &'static str,
    input: &'a str,
}

impl<'a> Scan<'a> {
    pub(crate) fn new(type_name: &'static str, input: &'a str) -> Self {
        Self { type_name, input }
    }

    pub(crate) fn error(&self, at: usize, reason: impl Into<String>) -> WireParseError {
        WireParseError::new(self.type_name, self.input, at, reason)
    }

    /// `YYYY-MM-DD` at the start, a date that exists.
    pub(crate) fn date(&self) -> Result<(u32, u32, u32), WireParseError> {
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
    pub(crate) fn time(&self, at: usize) -> Result<(u32, u32, u32), WireParseError> {
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

    pub(crate) fn digits(&self, at: usize, n: usize, what: &str) -> Result<u32, WireParseError> {
        let slice =
            self.input.as_bytes().get(at..at + n).filter(|s| s.iter().all(u8::is_ascii_digit));
        match slice {
            Some(s) => Ok(s.iter().fold(0, |acc, b| acc * 10 + u32::from(b - b'0'))),
            None => Err(self.error(at, format!("expected {n} digits for the {what}"))),
        }
    }

    pub(crate) fn expect(&self, at: usize, byte: u8) -> Result<(), WireParseError> {
        match self.input.as_bytes().get(at) {
            Some(&b) if b == byte => Ok(()),
            Some(_) => Err(self.error(at, format!("expected `{}`", char::from(byte)))),
            None => Err(self.error(at, format!("ended early: expected `{}`", char::from(byte)))),
        }
    }

    fn end(&self, at: usize) -> Result<(), WireParseError> {
        match at == self.input.len() {
            true => Ok(()),
            false => Err(self.error(at, "unexpected characters after the value")),
        }
    }

    /// `.f{1,max}` at `at`, if present: (nanoseconds, digits kept up to 9, end).
    fn fraction(&self, at: usize, max: usize) -> Result<(u32, u8, usize), WireParseError> {
        let bytes = self.input.as_bytes();
        if bytes.get(at) != Some(&b'.') {
            return Ok((0, 0, at));
        }
        let count = bytes[at + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 || count > max {
            return Err(self.error(at + 1, format!("expected 1 to {max} fractional digits")));
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

/// Writes `.ddd` with `precision` digits of `nanos`.
fn write_fraction(f: &mut fmt::Formatter<'_>, nanos: u32, precision: u8) -> fmt::Result {
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
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }

        impl FromStr for $ty {
            type Err = WireParseError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}

/// A calendar date without time or offset: Graph's `Edm.Date`, written `YYYY-MM-DD`.
///
/// ```
/// use graph_entity_runtime::Date;
///
/// let date: Date = "2024-02-29".parse()?;
/// assert_eq!((date.year(), date.month(), date.day()), (2024, 2, 29));
/// assert_eq!(date.to_string(), "2024-02-29");
/// assert_eq!(Date::new(2023, 2, 29), None);
/// # Ok::<(), graph_entity_runtime::wire::WireParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, when it exists (years 0000 to 9999).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let valid = year <= 9999
            && (1..=12).contains(&month)
            && day >= 1
            && u32::from(day) <= days_in_month(u32::from(year), u32::from(month));
        valid.then_some(Self { year, month, day })
    }

    /// Parses `YYYY-MM-DD`. Same as [`str::parse`].
    ///
    /// # Errors
    ///
    /// A [`WireParseError`] naming what is wrong and at which byte.
    pub fn parse(input: &str) -> Result<Self, WireParseError> {
        let scan = Scan::new("Date", input);
        let (year, month, day) = scan.date()?;
        scan.end(10)?;
        Ok(Self { year: year as u16, month: month as u8, day: day as u8 })
    }

    /// The year, `0..=9999`.
    pub fn year(&self) -> u16 {
        self.year
    }
    /// The month, `1..=12`.
    pub fn month(&self) -> u8 {
        self.month
    }
    /// The day of the month, `1..=31`.
    pub fn day(&self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

string_serde!(Date, "a Date string such as \"2024-02-29\"");

/// A time of day without date or offset: Graph's `Edm.TimeOfDay`, written `hh:mm:ss[.f]`.
///
/// It keeps up to 9 fractional digits, as many as it was given (more are read and dropped), and
/// writes them back: `08:30:00.0000000` stays `08:30:00.0000000`. Equality is by value: `.5`
/// equals `.50`.
///
/// ```
/// use graph_entity_runtime::TimeOfDay;
///
/// let t: TimeOfDay = "08:30:00.0000000".parse()?;
/// assert_eq!((t.hour(), t.minute(), t.second(), t.nanosecond()), (8, 30, 0, 0));
/// assert_eq!(t.to_string(), "08:30:00.0000000");
/// assert_eq!(TimeOfDay::new(23, 59, 59, 0).unwrap().to_string(), "23:59:59");
/// # Ok::<(), graph_entity_runtime::wire::WireParseError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct TimeOfDay {
    hour: u8,
    minute: u8,
    second: u8,
    nanosecond: u32,
    /// Fractional digits to write, `0..=9`.
    precision: u8,
}

impl TimeOfDay {
    /// The time, when it exists; written with as many fractional digits as `nanosecond` needs.
    pub fn new(hour: u8, minute: u8, second: u8, nanosecond: u32) -> Option<Self> {
        if hour > 23 || minute > 59 || second > 59 || nanosecond >= 1_000_000_000 {
            return None;
        }
        let mut precision = 9u8;
        let mut rest = nanosecond;
        if rest == 0 {
            precision = 0;
        } else {
            while rest % 10 == 0 {
                rest /= 10;
                precision -= 1;
            }
        }
        Some(Self { hour, minute, second, nanosecond, precision })
    }

    /// Parses `hh:mm:ss` with an optional fraction of 1 to 12 digits. Same as [`str::parse`].
    ///
    /// # Errors
    ///
    /// A [`WireParseError`] naming what is wrong and at which byte.
    pub fn parse(input: &str) -> Result<Self, WireParseError> {
        let scan = Scan::new("TimeOfDay", input);
        let (hour, minute, second) = scan.time(0)?;
        let (nanosecond, precision, end) = scan.fraction(8, 12)?;
        scan.end(end)?;
        Ok(Self {
            hour: hour as u8,
            minute: minute as u8,
            second: second as u8,
            nanosecond,
            precision,
        })
    }

    /// The hour, `0..=23`.
    pub fn hour(&self) -> u8 {
        self.hour
    }
    /// The minute, `0..=59`.
    pub fn minute(&self) -> u8 {
        self.minute
    }
    /// The second, `0..=59`.
    pub fn second(&self) -> u8 {
        self.second
    }
    /// The fraction of the second, in nanoseconds.
    pub fn nanosecond(&self) -> u32 {
        self.nanosecond
    }

    fn key(&self) -> (u8, u8, u8, u32) {
        (self.hour, self.minute, self.second, self.nanosecond)
    }
}

impl PartialEq for TimeOfDay {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for TimeOfDay {}

impl std::hash::Hash for TimeOfDay {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}:{:02}", self.hour, self.minute, self.second)?;
        write_fraction(f, self.nanosecond, self.precision)
    }
}

string_serde!(TimeOfDay, "a TimeOfDay string such as \"08:30:00.0000000\"");

/// A length of time: Graph's `Edm.Duration`, an ISO 8601 day-time duration such as `PT1H30M`,
/// `P2D` or `-PT0.5S`.
///
/// It keeps the components it was given (`PT90M` stays `PT90M`, `PT1H30M` stays `PT1H30M`; both
/// are 5,400 seconds, and equal), as the service's own values round-trip. Years and months are
/// refused: they have no fixed length, and `Edm.Duration` does not allow them.
///
/// ```
/// use std::time::Duration as StdDuration;
/// use graph_entity_runtime::wire::Duration;
///
/// let d: Duration = "PT1H30M".parse()?;
/// assert_eq!(d.to_std(), Some(StdDuration::from_secs(5400)));
/// assert_eq!(d.to_string(), "PT1H30M");
/// assert_eq!(d, "PT90M".parse()?);
/// assert_eq!(Duration::from_std(StdDuration::from_millis(90_061_500)).to_string(), "P1DT1H1M1.5S");
/// assert!("P1Y".parse::<Duration>().is_err());
/// # Ok::<(), graph_entity_runtime::wire::WireParseError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Duration {
    negative: bool,
    days: Option<u64>,
    hours: Option<u64>,
    minutes: Option<u64>,
    /// Whole seconds, with the fraction below.
    seconds: Option<u64>,
    nanosecond: u32,
    /// Fractional digits of the seconds to write, `0..=9`.
    precision: u8,
}

impl Duration {
    /// The duration, written with days, hours, minutes and seconds as needed (`PT0S` for
    /// zero).
    pub fn from_std(duration: std::time::Duration) -> Self {
        let total = duration.as_secs();
        let (days, rest) = (total / 86_400, total % 86_400);
        let (hours, minutes, seconds) = (rest / 3600, rest % 3600 / 60, rest % 60);
        let nanosecond = duration.subsec_nanos();
        let precision = TimeOfDay::new(0, 0, 0, nanosecond).map_or(0, |t| t.precision);
        let nonzero = |n: u64| (n > 0).then_some(n);
        let any_time = hours > 0 || minutes > 0 || seconds > 0 || nanosecond > 0;
        Self {
            negative: false,
            days: nonzero(days),
            hours: nonzero(hours),
            minutes: nonzero(minutes),
            seconds: if seconds > 0 || nanosecond > 0 || (!any_time && days == 0) {
                Some(seconds)
            } else {
                None
            },
            nanosecond,
            precision,
        }
    }

    /// Parses `[-]P[nD][T[nH][nM][n[.f]S]]`. Same as [`str::parse`].
    ///
    /// # Errors
    ///
    /// A [`WireParseError`] naming what is wrong and at which byte.
    pub fn parse(input: &str) -> Result<Self, WireParseError> {
        let scan = Scan::new("Duration", input);
        let bytes = input.as_bytes();
        let mut at = 0;
        let negative = bytes.first() == Some(&b'-');
        at += usize::from(negative);
        scan.expect(at, b'P')?;
        at += 1;
        let mut value = Self {
            negative,
            days: None,
            hours: None,
            minutes: None,
            seconds: None,
            nanosecond: 0,
            precision: 0,
        };
        let mut in_time = false;
        let mut last_unit = 0; // D=1, H=2, M=3, S=4: units in order, each once.
        let mut any = false;
        while at < bytes.len() {
            if bytes[at] == b'T' {
                if in_time {
                    return Err(scan.error(at, "a second `T`"));
                }
                in_time = true;
                at += 1;
                if at == bytes.len() {
                    return Err(scan.error(at, "expected hours, minutes or seconds after `T`"));
                }
                continue;
            }
            let start = at;
            let count = bytes[at..].iter().take_while(|b| b.is_ascii_digit()).count();
            if count == 0 {
                return Err(scan.error(at, "expected a number"));
            }
            let number: u64 = input[at..at + count]
                .parse()
                .map_err(|_| scan.error(at, "the number is too large"))?;
            at += count;
            let (mut nanos, mut precision) = (0, 0);
            if bytes.get(at) == Some(&b'.') {
                let (n, p, end) = scan.fraction(at, 9)?;
                (nanos, precision, at) = (n, p, end);
                if bytes.get(at) != Some(&b'S') {
                    return Err(scan.error(at, "only seconds may have a fraction"));
                }
            }
            let (unit, slot) = match (bytes.get(at), in_time) {
                (Some(b'D'), false) => (1, &mut value.days),
                (Some(b'H'), true) => (2, &mut value.hours),
                (Some(b'M'), true) => (3, &mut value.minutes),
                (Some(b'S'), true) => (4, &mut value.seconds),
                (Some(b'Y' | b'M' | b'W'), false) => {
                    return Err(scan.error(at, "years, months and weeks have no fixed length; `Edm.Duration` takes days, hours, minutes and seconds"));
                }
                (Some(_), _) | (None, _) => {
                    return Err(
                        scan.error(at, "expected a unit: `D` before `T`, `H`, `M` or `S` after it")
                    );
                }
            };
            if unit <= last_unit {
                return Err(scan.error(start, "units must come once each, in the order D, H, M, S"));
            }
            last_unit = unit;
            *slot = Some(number);
            value.nanosecond = nanos;
            value.precision = precision;
            any = true;
            at += 1;
        }
        if !any {
            return Err(scan.error(at, "expected at least one of days, hours, minutes or seconds"));
        }
        Ok(value)
    }

    /// Whether the duration is negative (written with a leading `-`).
    pub fn is_negative(&self) -> bool {
        self.negative && self.total_nanos() != 0
    }

    /// The duration as [`std::time::Duration`]; `None` when it is negative or too long.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        if self.is_negative() {
            return None;
        }
        let nanos = self.total_nanos();
        let seconds = u64::try_from(nanos / 1_000_000_000).ok()?;
        Some(std::time::Duration::new(seconds, (nanos % 1_000_000_000) as u32))
    }

    /// Nanoseconds in all, ignoring the sign.
    fn total_nanos(&self) -> u128 {
        let part = |n: Option<u64>, unit: u128| u128::from(n.unwrap_or(0)) * unit;
        part(self.days, 86_400)
            .saturating_add(part(self.hours, 3600))
            .saturating_add(part(self.minutes, 60))
            .saturating_add(part(self.seconds, 1))
            .saturating_mul(1_000_000_000)
            .saturating_add(u128::from(self.nanosecond))
    }
}

impl PartialEq for Duration {
    fn eq(&self, other: &Self) -> bool {
        (self.is_negative(), self.total_nanos()) == (other.is_negative(), other.total_nanos())
    }
}

impl Eq for Duration {}

impl std::hash::Hash for Duration {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.is_negative(), self.total_nanos()).hash(state);
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.negative {
            f.write_str("-")?;
        }
        f.write_str("P")?;
        if let Some(days) = self.days {
            write!(f, "{days}D")?;
        }
        if self.hours.is_some() || self.minutes.is_some() || self.seconds.is_some() {
            f.write_str("T")?;
        }
        if let Some(hours) = self.hours {
            write!(f, "{hours}H")?;
        }
        if let Some(minutes) = self.minutes {
            write!(f, "{minutes}M")?;
        }
        if let Some(seconds) = self.seconds {
            write!(f, "{seconds}")?;
            write_fraction(f, self.nanosecond, self.precision)?;
            f.write_str("S")?;
        }
        Ok(())
    }
}

string_serde!(Duration, "a Duration string such as \"PT1H30M\"");

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

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T>(text: &str)
    where
        T: FromStr<Err = WireParseError>
            + fmt::Display
            + fmt::Debug
            + PartialEq
            + serde::Serialize
            + serde::de::DeserializeOwned,
    {
        let value: T = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(value.to_string(), text, "written back as read");
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value);
    }

    #[test]
    fn each_type_writes_back_what_it_read() {
        for text in ["2024-02-29", "0001-01-01", "9999-12-31"] {
            round_trip::<Date>(text);
        }
        for text in ["00:00:00", "23:59:59", "08:30:00.0000000", "12:00:00.5", "12:00:00.123456789"]
        {
            round_trip::<TimeOfDay>(text);
        }
        for text in [
            "PT0S",
            "P0D",
            "PT1H30M",
            "PT90M",
            "P2D",
            "P1DT2H3M4.5S",
            "-PT0.25S",
            "PT1.0000000S",
            "P10675199DT2H48M5.4775807S",
        ] {
            round_trip::<Duration>(text);
        }
        for text in [
            "44960944-0944-4496-4409-964444099644",
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
        ] {
            round_trip::<Guid>(text);
        }
        for text in ["", "aGk=", "PD94bWw+", "AAECAwQFBgcICQ=="] {
            round_trip::<Base64>(text);
        }
    }

    #[test]
    fn values_compare_by_what_they_mean() {
        let t = |s: &str| s.parse::<TimeOfDay>().unwrap();
        assert_eq!(t("12:00:00.5"), t("12:00:00.500"));
        assert_eq!(
            t("12:00:00.1234567891"),
            t("12:00:00.123456789"),
            "digits past the ninth dropped"
        );
        let d = |s: &str| s.parse::<Duration>().unwrap();
        assert_eq!(d("PT1H30M"), d("PT90M"));
        assert_eq!(d("P1D"), d("PT24H"));
        assert_eq!(d("-PT0S"), d("PT0S"));
        assert_ne!(d("-PT1S"), d("PT1S"));
        assert_eq!(d("-PT1S").to_std(), None);
        assert_eq!(d("P1DT0.001S").to_std(), Some(std::time::Duration::from_millis(86_400_001)));
        let g = |s: &str| s.parse::<Guid>().unwrap();
        assert_eq!(
            g("44960944-0944-4496-4409-964444099644"),
            g("44960944-0944-4496-4409-964444099644".to_uppercase().as_str())
        );
        assert_eq!(Base64::parse("aGk").unwrap(), Base64::parse("aGk=").unwrap());
    }

    #[test]
    fn from_std_writes_the_shortest_form() {
        let f = |d: std::time::Duration| Duration::from_std(d).to_string();
        assert_eq!(f(std::time::Duration::ZERO), "PT0S");
        assert_eq!(f(std::time::Duration::from_secs(86_400)), "P1D");
        assert_eq!(f(std::time::Duration::from_secs(5400)), "PT1H30M");
        assert_eq!(f(std::time::Duration::from_millis(1500)), "PT1.5S");
        for d in [0u64, 1, 59, 3600, 86_399, 86_400, 1 << 40] {
            let std = std::time::Duration::from_secs(d);
            assert_eq!(Duration::from_std(std).to_std(), Some(std), "{d}");
            assert_eq!(f(std).parse::<Duration>().unwrap().to_std(), Some(std), "{d}");
        }
    }

    #[test]
    fn errors_name_the_problem_and_the_byte() {
        type Parse = fn(&str) -> Result<(), WireParseError>;
        let cases: &[(&str, Parse, usize, &str)] = &[
            ("2023-02-29", |s| Date::parse(s).map(drop), 8, "does not exist"),
            ("2024-13-01", |s| Date::parse(s).map(drop), 5, "month 13"),
            ("2024-01-01T", |s| Date::parse(s).map(drop), 10, "after the value"),
            ("24:00:00", |s| TimeOfDay::parse(s).map(drop), 0, "hour 24"),
            ("08:30:00.", |s| TimeOfDay::parse(s).map(drop), 9, "fractional"),
            ("P1Y", |s| Duration::parse(s).map(drop), 2, "years"),
            ("PT", |s| Duration::parse(s).map(drop), 2, "after `T`"),
            ("P", |s| Duration::parse(s).map(drop), 1, "at least one"),
            ("PT1M1H", |s| Duration::parse(s).map(drop), 4, "order"),
            ("PT1.5M", |s| Duration::parse(s).map(drop), 5, "only seconds"),
            ("P99999999999999999999D", |s| Duration::parse(s).map(drop), 1, "too large"),
            ("1H", |s| Duration::parse(s).map(drop), 0, "expected `P`"),
            (
                "44960944-0944-4496-4409-96444409964",
                |s| Guid::parse(s).map(drop),
                34,
                "ended early",
            ),
            (
                "44960944_0944-4496-4409-964444099644",
                |s| Guid::parse(s).map(drop),
                8,
                "expected `-`",
            ),
            ("4496094g-0944-4496-4409-964444099644", |s| Guid::parse(s).map(drop), 7, "hex digit"),
            ("aGk=!", |s| Base64::parse(s).map(drop), 4, "Invalid"),
        ];
        for (input, parse, position, reason) in cases {
            let error = parse(input).unwrap_err();
            assert_eq!(error.position(), *position, "{input}: {error}");
            assert!(error.to_string().contains(reason), "{input}: {error}");
        }
        let long = "9".repeat(10_000);
        assert!(Date::parse(&long).unwrap_err().to_string().len() < 200, "bounded");
    }
}
