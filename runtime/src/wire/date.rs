//! `Edm.Date` and `Edm.TimeOfDay`.

use std::fmt;

use super::calendar::days_in_month;
use super::scan::{Scan, WireParseError, shortest_fraction, string_serde, write_fraction};

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
        Some(Self { hour, minute, second, nanosecond, precision: shortest_fraction(nanosecond) })
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
