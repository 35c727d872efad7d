//! `Edm.DateTimeOffset`, as Microsoft Graph writes it.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use super::calendar::{civil_from_days, days_from_civil};
use super::scan::{Scan, WireParseError};

/// `"00"` to `"99"`, for writing two digits at a time.
const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";
const POWERS_OF_TEN: [u32; 10] =
    [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

/// The most fractional digits written: .NET's `DateTimeOffset` counts 100 ns ticks.
const MAX_WRITTEN_DIGITS: u8 = 7;
/// The resolution kept: .NET's tick, 100 ns, the most that 7 fractional digits carry.
const TICK_NANOS: u32 = 100;
/// The most fractional digits read (Graph's OpenAPI pattern allows 1 to 12).
const MAX_READ_DIGITS: usize = 12;

/// A date and time with a UTC offset: Graph's `Edm.DateTimeOffset`.
///
/// It keeps 100 ns resolution (.NET's ticks, what Graph stores and writes): more fractional
/// digits are read and dropped, so that what is written reads back as the same value.
///
/// It reads the form Graph's OpenAPI description gives,
/// `YYYY-MM-DDThh:mm:ss[.f{1,12}](Z|±hh:mm)`, keeps the offset it was given (and whether it was
/// written `Z`), and writes the same form back with at most 7 fractional digits, the precision
/// of .NET's ticks. A value with at most 7 fractional digits round-trips byte for byte:
///
/// ```
/// use graph_entity_runtime::DateTimeOffset;
///
/// let when: DateTimeOffset = "2017-01-01T00:00:17.7769392-08:00".parse()?;
/// assert_eq!(when.to_string(), "2017-01-01T00:00:17.7769392-08:00");
/// assert_eq!((when.year(), when.month(), when.day()), (2017, 1, 1));
/// assert_eq!(when.nanosecond(), 776_939_200);
/// assert_eq!(when.offset_minutes(), -8 * 60);
///
/// // More digits than .NET keeps are truncated when written.
/// let precise: DateTimeOffset = "2017-01-01T00:00:17.123456789012Z".parse()?;
/// assert_eq!(precise.to_string(), "2017-01-01T00:00:17.1234567Z");
/// # Ok::<(), graph_entity_runtime::wire::WireParseError>(())
/// ```
///
/// Two values are equal when they show the same local date and time and the same offset:
/// `Z` equals `+00:00`, and `.5` equals `.50`. Instants in different offsets are not equal;
/// compare [`unix_timestamp_nanos`](Self::unix_timestamp_nanos) for that.
#[derive(Clone, Copy)]
pub struct DateTimeOffset {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    nanosecond: u32,
    /// Fractional digits to write, `0..=7`.
    precision: u8,
    offset_minutes: i16,
    /// Written `Z` rather than `+00:00`.
    zulu: bool,
}

impl DateTimeOffset {
    /// Parses Graph's format. Same as [`str::parse`].
    ///
    /// ```
    /// let error = graph_entity_runtime::DateTimeOffset::parse("2017-02-30T00:00:00Z").unwrap_err();
    /// assert_eq!(error.to_string(), "invalid DateTimeOffset \"2017-02-30T00:00:00Z\": day 30 does not exist in 2017-02 (at byte 8)");
    /// ```
    ///
    /// # Errors
    ///
    /// A [`WireParseError`] naming what is wrong and at which byte.
    pub fn parse(input: &str) -> Result<Self, WireParseError> {
        parse(input)
    }

    /// The current time in UTC, written with `Z` and 7 fractional digits.
    ///
    /// ```
    /// let now = graph_entity_runtime::DateTimeOffset::now_utc();
    /// assert!(now.year() >= 2024);
    /// assert!(now.to_string().ends_with('Z'));
    /// ```
    pub fn now_utc() -> Self {
        let (secs, nanos) = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => (i64::try_from(d.as_secs()).unwrap_or(i64::MAX), d.subsec_nanos()),
            Err(e) => {
                let d = e.duration();
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                match d.subsec_nanos() {
                    0 => (-secs, 0),
                    n => (-secs - 1, 1_000_000_000 - n),
                }
            }
        };
        // A clock outside years 0000 to 9999 is a broken clock; fall back to the epoch.
        Self::from_unix_timestamp(secs, nanos)
            .or_else(|| Self::from_unix_timestamp(0, 0))
            .unwrap_or(Self::EPOCH)
    }

    const EPOCH: Self = Self {
        year: 1970,
        month: 1,
        day: 1,
        hour: 0,
        minute: 0,
        second: 0,
        nanosecond: 0,
        precision: MAX_WRITTEN_DIGITS,
        offset_minutes: 0,
        zulu: true,
    };

    /// The UTC time `seconds` and `nanoseconds` after 1970-01-01T00:00:00Z, written with `Z`
    /// and 7 fractional digits; `None` outside years 0000 to 9999 or when
    /// `nanoseconds >= 1_000_000_000`.
    ///
    /// ```
    /// use graph_entity_runtime::DateTimeOffset;
    ///
    /// let t = DateTimeOffset::from_unix_timestamp(1_483_257_617, 776_939_200).unwrap();
    /// assert_eq!(t.to_string(), "2017-01-01T08:00:17.7769392Z");
    /// ```
    pub fn from_unix_timestamp(seconds: i64, nanoseconds: u32) -> Option<Self> {
        if nanoseconds >= 1_000_000_000 {
            return None;
        }
        let days = seconds.div_euclid(86_400);
        let secs_of_day = seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let year = u16::try_from(year).ok().filter(|y| *y <= 9999)?;
        Some(Self {
            year,
            month,
            day,
            hour: (secs_of_day / 3600) as u8,
            minute: (secs_of_day % 3600 / 60) as u8,
            second: (secs_of_day % 60) as u8,
            nanosecond: nanoseconds - nanoseconds % TICK_NANOS,
            precision: MAX_WRITTEN_DIGITS,
            offset_minutes: 0,
            zulu: true,
        })
    }

    /// Nanoseconds since 1970-01-01T00:00:00Z: the instant, whatever the offset.
    ///
    /// ```
    /// use graph_entity_runtime::DateTimeOffset;
    ///
    /// let a: DateTimeOffset = "2017-01-01T00:00:00-08:00".parse()?;
    /// let b: DateTimeOffset = "2017-01-01T08:00:00Z".parse()?;
    /// assert_ne!(a, b);
    /// assert_eq!(a.unix_timestamp_nanos(), b.unix_timestamp_nanos());
    /// # Ok::<(), graph_entity_runtime::wire::WireParseError>(())
    /// ```
    pub fn unix_timestamp_nanos(&self) -> i128 {
        let days = days_from_civil(i64::from(self.year), self.month, self.day);
        let local = days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second);
        let utc = local - i64::from(self.offset_minutes) * 60;
        i128::from(utc) * 1_000_000_000 + i128::from(self.nanosecond)
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
    /// The fraction of the second in nanoseconds, at the 100 ns resolution of .NET's ticks
    /// (digits past the seventh are dropped when read).
    pub fn nanosecond(&self) -> u32 {
        self.nanosecond
    }
    /// The UTC offset in minutes: `-480` for `-08:00`, `0` for `Z`.
    pub fn offset_minutes(&self) -> i16 {
        self.offset_minutes
    }

    /// Writes the value into `buf` and returns the written text. Two digits at a time from a
    /// table, straight to their positions: this runs for every date of every request body.
    fn format<'b>(&self, buf: &'b mut [u8; 40]) -> &'b str {
        fn put(buf: &mut [u8; 40], at: usize, n: u32) {
            let i = (n % 100) as usize * 2;
            buf[at] = PAIRS[i];
            buf[at + 1] = PAIRS[i + 1];
        }
        let year = u32::from(self.year);
        put(buf, 0, year / 100);
        put(buf, 2, year);
        put(buf, 5, u32::from(self.month));
        put(buf, 8, u32::from(self.day));
        put(buf, 11, u32::from(self.hour));
        put(buf, 14, u32::from(self.minute));
        put(buf, 17, u32::from(self.second));
        (buf[4], buf[7], buf[10], buf[13], buf[16]) = (b'-', b'-', b'T', b':', b':');
        let mut len = 19;
        if self.precision > 0 {
            let precision = usize::from(self.precision);
            buf[19] = b'.';
            let mut fraction = self.nanosecond / POWERS_OF_TEN[9 - precision];
            let mut end = 20 + precision;
            while end - 20 >= 2 {
                put(buf, end - 2, fraction);
                fraction /= 100;
                end -= 2;
            }
            if end > 20 {
                buf[20] = b'0' + (fraction % 10) as u8;
            }
            len = 20 + precision;
        }
        if self.zulu {
            buf[len] = b'Z';
            len += 1;
        } else {
            let minutes = u32::from(self.offset_minutes.unsigned_abs());
            buf[len] = if self.offset_minutes < 0 { b'-' } else { b'+' };
            put(buf, len + 1, minutes / 60);
            buf[len + 3] = b':';
            put(buf, len + 4, minutes % 60);
            len += 6;
        }
        // Only ASCII was written.
        std::str::from_utf8(&buf[..len]).unwrap_or_default()
    }

    fn key(&self) -> (u16, u8, u8, u8, u8, u8, u32, i16) {
        (
            self.year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
            self.nanosecond,
            self.offset_minutes,
        )
    }
}

impl PartialEq for DateTimeOffset {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for DateTimeOffset {}

impl Hash for DateTimeOffset {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl fmt::Display for DateTimeOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.format(&mut [0; 40]))
    }
}

impl fmt::Debug for DateTimeOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTimeOffset({self})")
    }
}

impl FromStr for DateTimeOffset {
    type Err = WireParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl serde::Serialize for DateTimeOffset {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.format(&mut [0; 40]))
    }
}

impl<'de> serde::Deserialize<'de> for DateTimeOffset {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = DateTimeOffset;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a DateTimeOffset string such as \"2017-01-01T00:00:17.7769392-08:00\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                DateTimeOffset::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// Reads `YYYY-MM-DDThh:mm:ss[.f{1,12}](Z|±hh:mm)` with the scanner every wire type shares,
/// keeping .NET's ticks and the offset.
fn parse(input: &str) -> Result<DateTimeOffset, WireParseError> {
    let scan = Scan::new("DateTimeOffset", input);
    let bytes = input.as_bytes();
    let (year, month, day) = scan.date()?;
    scan.expect(10, b'T')?;
    let (hour, minute, second) = scan.time(11)?;
    let (nanosecond, kept, mut at) = scan.fraction(19, MAX_READ_DIGITS)?;
    // Keep what the wire carries (.NET's 100 ns ticks), so that reading what was written gives
    // the same value.
    let nanosecond = nanosecond - nanosecond % TICK_NANOS;
    let precision = kept.min(MAX_WRITTEN_DIGITS);
    let (offset_minutes, zulu) = match bytes.get(at) {
        Some(b'Z') => {
            at += 1;
            (0, true)
        }
        Some(&sign @ (b'+' | b'-')) => {
            let hours = scan.digits(at + 1, 2, "offset hours")?;
            if hours > 23 {
                return Err(
                    scan.error(at + 1, format!("offset hour {hours} is out of range (00 to 23)"))
                );
            }
            scan.expect(at + 3, b':')?;
            let minutes = scan.digits(at + 4, 2, "offset minutes")?;
            if minutes > 59 {
                return Err(scan
                    .error(at + 4, format!("offset minute {minutes} is out of range (00 to 59)")));
            }
            let total = (hours * 60 + minutes) as i16;
            at += 6;
            (if sign == b'-' { -total } else { total }, false)
        }
        Some(_) => return Err(scan.error(at, "expected `Z` or an offset such as `+01:00`")),
        None => {
            return Err(
                scan.error(at, "missing offset: expected `Z` or an offset such as `+01:00`")
            );
        }
    };
    if at != bytes.len() {
        return Err(scan.error(at, "unexpected text after the offset"));
    }
    Ok(DateTimeOffset {
        year: year as u16,
        month: month as u8,
        day: day as u8,
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
        nanosecond,
        precision,
        offset_minutes,
        zulu,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(s: &str) {
        let parsed = DateTimeOffset::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(parsed.to_string(), s);
    }

    #[test]
    fn round_trips_byte_for_byte_up_to_seven_digits() {
        for s in [
            "2017-01-01T00:00:17.7769392-08:00",
            "2017-01-01T00:00:17Z",
            "2017-01-01T00:00:17+00:00",
            "2017-01-01T00:00:17.5Z",
            "2017-01-01T00:00:17.50Z",
            "2025-11-14T08:55:03.0638909Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.9999999+14:00",
            "2024-02-29T12:30:00.000+05:30",
        ] {
            round_trip(s);
        }
    }

    #[test]
    fn reads_up_to_twelve_digits_and_writes_seven() {
        let t = DateTimeOffset::parse("2017-01-01T00:00:17.776939212345-08:00").unwrap();
        assert_eq!(t.nanosecond(), 776_939_200);
        assert_eq!(t.to_string(), "2017-01-01T00:00:17.7769392-08:00");
        assert!(DateTimeOffset::parse("2017-01-01T00:00:17.7769392123456Z").is_err());
    }

    /// Found by the `date_time_offset` fuzz target: nine fractional digits were kept but only
    /// seven written, so the value read back differed.
    #[test]
    fn what_is_written_reads_back_as_the_same_value() {
        for input in [
            "9859-04-01T10:30:56.904985590Z",
            "2017-01-01T00:00:17.123456789012+01:00",
            "2017-01-01T00:00:17.00000009Z",
        ] {
            let value = DateTimeOffset::parse(input).unwrap();
            assert_eq!(DateTimeOffset::parse(&value.to_string()).unwrap(), value, "{input}");
        }
        let odd = DateTimeOffset::from_unix_timestamp(0, 123_456_789).unwrap();
        assert_eq!(odd.nanosecond(), 123_456_700);
        assert_eq!(DateTimeOffset::parse(&odd.to_string()).unwrap(), odd);
    }

    #[test]
    fn equality_ignores_spelling_not_offset() {
        let p = |s| DateTimeOffset::parse(s).unwrap();
        assert_eq!(p("2017-01-01T00:00:17Z"), p("2017-01-01T00:00:17.000+00:00"));
        assert_ne!(p("2017-01-01T00:00:17Z"), p("2017-01-01T01:00:17+01:00"));
    }

    #[test]
    fn rejects_malformed_input_with_position() {
        let table: &[(&str, usize, &str)] = &[
            ("", 0, "4 digits for the year"),
            ("2017", 4, "ended early"),
            ("2017-13-01T00:00:00Z", 5, "month 13"),
            ("2017-00-01T00:00:00Z", 5, "month 0"),
            ("2017-02-29T00:00:00Z", 8, "day 29 does not exist in 2017-02"),
            ("2017-04-31T00:00:00Z", 8, "day 31"),
            ("2017-01-01 00:00:00Z", 10, "expected `T`"),
            ("2017-01-01t00:00:00Z", 10, "expected `T`"),
            ("2017-01-01T24:00:00Z", 11, "hour 24"),
            ("2017-01-01T00:60:00Z", 14, "minute 60"),
            ("2017-01-01T00:00:60Z", 17, "second 60"),
            ("2017-01-01T00:00:00", 19, "missing offset"),
            ("2017-01-01T00:00:00.Z", 20, "digits after `.`"),
            ("2017-01-01T00:00:00+0800", 22, "expected `:`"),
            ("2017-01-01T00:00:00+24:00", 20, "offset hour 24"),
            ("2017-01-01T00:00:00+01:60", 23, "offset minute 60"),
            ("2017-01-01T00:00:00Zjunk", 20, "after the offset"),
            ("2017-01-01T00:00:00z", 19, "expected `Z`"),
            ("+2017-01-01T00:00:00Z", 0, "year"),
            ("２017-01-01T00:00:00Z", 0, "year"),
        ];
        for (input, position, reason) in table {
            let e = DateTimeOffset::parse(input).expect_err(input);
            assert_eq!(e.position(), *position, "{input}: {e}");
            assert!(e.to_string().contains(reason), "{input}: {e}");
        }
    }

    #[test]
    fn bounds_the_input_kept_in_errors() {
        let long = "x".repeat(10_000);
        let e = DateTimeOffset::parse(&long).unwrap_err();
        assert!(e.to_string().len() < 200);
    }

    #[test]
    fn unix_conversions_agree() {
        for days in [-719_528_i64, -1, 0, 1, 11_016, 17_167, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        let t = DateTimeOffset::parse("2017-01-01T00:00:17.7769392-08:00").unwrap();
        let ns = t.unix_timestamp_nanos();
        let back = DateTimeOffset::from_unix_timestamp(
            i64::try_from(ns.div_euclid(1_000_000_000)).unwrap(),
            u32::try_from(ns.rem_euclid(1_000_000_000)).unwrap(),
        )
        .unwrap();
        assert_eq!(back.to_string(), "2017-01-01T08:00:17.7769392Z");
        assert!(DateTimeOffset::from_unix_timestamp(253_402_300_800, 0).is_none());
        assert!(DateTimeOffset::from_unix_timestamp(0, 1_000_000_000).is_none());
        assert_eq!(
            DateTimeOffset::from_unix_timestamp(-62_167_219_200, 0).unwrap().to_string(),
            "0000-01-01T00:00:00.0000000Z"
        );
    }
}
