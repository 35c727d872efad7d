//! `Edm.Duration`: an ISO 8601 day-time duration.

use std::fmt;

use super::scan::{Scan, WireParseError, shortest_fraction, string_serde, write_fraction};

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
        let precision = shortest_fraction(nanosecond);
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
