//! Graph's primitive literals (OData's `Edm` types) as the emulator reads and writes them:
//! `DateTimeOffset`, `Date`, `TimeOfDay` and `Guid`, and type names in `@odata.type`. The
//! calendar is the `time` crate's; GUIDs are the `uuid` crate's.

use graph_entity_schema::{Schema, TypeKind, TypeRef};
use serde_json::{Map, Value};
use time::{Date, Month, OffsetDateTime, Time, UtcOffset};

/// A type name as Graph reads it from an `@odata.type`: with the leading `#` that OData's JSON
/// format writes (`#microsoft.graph.mimeContent`) or without it, as Microsoft's documentation
/// writes nested values in its examples of working requests, and as Graph accepts.
pub(crate) fn type_name(written: &str) -> &str {
    written.strip_prefix('#').unwrap_or(written)
}

/// Writes every `@odata.type` in `value` (at any depth) as Graph answers it: with its `#`.
pub(crate) fn mark_types(value: &mut Value) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(ty)) = object.get_mut("@odata.type")
                && !ty.starts_with('#')
            {
                ty.insert(0, '#');
            }
            object.values_mut().for_each(mark_types);
        }
        Value::Array(items) => items.iter_mut().for_each(mark_types),
        _ => {}
    }
}

/// A GUID as OData writes it: 32 hexadecimal digits in groups of 8-4-4-4-12, without braces.
pub(crate) fn is_guid(s: &str) -> bool {
    // Of the forms `uuid` reads, the hyphenated one is the only one 36 characters long.
    s.len() == 36 && uuid::Uuid::try_parse(s).is_ok()
}

/// Reads an `Edm.DateTimeOffset` by Graph's OpenAPI pattern,
/// `^[0-9]{4,}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,12})?(Z|[+-][0-9][0-9]:[0-9][0-9])$`,
/// with the calendar (no 30 February) and the years of .NET's `DateTimeOffset`, which the
/// service parses it with: four digits (a fifth is refused). Fractions past the nanosecond
/// are cut.
pub(crate) fn date_time_offset(s: &str) -> Option<OffsetDateTime> {
    let (date, rest) = s.split_once('T')?;
    let date = self::date(date)?;
    let (time, offset) = match rest.strip_suffix('Z') {
        Some(time) => (time, UtcOffset::UTC),
        None => {
            let at = rest.len().checked_sub(6)?;
            let (time, offset) = (rest.get(..at)?, rest.get(at..)?);
            (time, self::offset(offset)?)
        }
    };
    Some(date.with_time(time_of_day(time)?).assume_offset(offset))
}

/// Whether `s` is an `Edm.DateTimeOffset` ([`date_time_offset`]).
pub(crate) fn is_date_time_offset(s: &str) -> bool {
    date_time_offset(s).is_some()
}

/// The instant of an `Edm.DateTimeOffset`: seconds since 1970 (UTC) and nanoseconds.
pub(crate) fn instant(s: &str) -> Option<(i64, u32)> {
    date_time_offset(s).map(|t| (t.unix_timestamp(), t.nanosecond()))
}

/// `[+-]hh:mm`.
fn offset(s: &str) -> Option<UtcOffset> {
    let b = s.as_bytes();
    let sign: i8 = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    if b.len() != 6 || b[3] != b':' {
        return None;
    }
    let (hours, minutes): (i8, i8) = (digits(b.get(1..3)?)?, digits(b.get(4..6)?)?);
    UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()
}

/// An `Edm.Date`: `YYYY-MM-DD`, a real day of the years 0000 to 9999.
pub(crate) fn date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i32 = digits(&b[..4])?;
    let month = Month::try_from(digits::<u8>(&b[5..7])?).ok()?;
    Date::from_calendar_date(year, month, digits(&b[8..10])?).ok()
}

/// An `Edm.TimeOfDay`: `hh:mm:ss`, with 1 to 12 fractional digits or none.
pub(crate) fn time_of_day(s: &str) -> Option<Time> {
    let b = s.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let nanos = match s.get(8..) {
        Some("") => 0,
        Some(fraction) => {
            let fraction = fraction.strip_prefix('.')?;
            if !(1..=12).contains(&fraction.len()) {
                return None;
            }
            // Nine digits of nanoseconds: the first nine, padded with zeros.
            let nine: String = fraction.chars().chain(std::iter::repeat('0')).take(9).collect();
            digits(nine.as_bytes())?
        }
        None => return None,
    };
    Time::from_hms_nano(digits(&b[..2])?, digits(&b[3..5])?, digits(&b[6..8])?, nanos).ok()
}

/// ASCII digits as a number (no sign, no blank).
fn digits<T: std::str::FromStr>(b: &[u8]) -> Option<T> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

/// `innerError.date` as Graph writes it: UTC, no offset, no fraction.
pub(crate) fn utc_now_without_offset() -> String {
    without_offset(OffsetDateTime::now_utc())
}

/// The time now as a `DateTimeOffset`, with seven fractional digits (100 ns, .NET's ticks), as
/// Graph writes them.
pub(crate) fn now_date_time_offset() -> String {
    let now = OffsetDateTime::now_utc();
    format!("{}.{:07}Z", without_offset(now), now.nanosecond() / 100)
}

fn without_offset(t: OffsetDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The zero value of a type: what a create fills a missing non-nullable property with, and an
/// operation's result holds where nothing else is known. An empty collection, `false`, `0`, an
/// empty string, the earliest instant, an enum's first member, an empty complex value.
pub(crate) fn zero(schema: &Schema, ty: &TypeRef) -> Value {
    if ty.collection {
        return Value::Array(Vec::new());
    }
    match ty.name.as_str() {
        "Edm.Boolean" => Value::Bool(false),
        "Edm.Byte" | "Edm.SByte" | "Edm.Int16" | "Edm.Int32" | "Edm.Int64" | "Edm.Double"
        | "Edm.Single" | "Edm.Decimal" => Value::from(0),
        "Edm.String" | "Edm.Binary" => Value::String(String::new()),
        "Edm.DateTimeOffset" => Value::String("0001-01-01T00:00:00Z".into()),
        "Edm.Date" => Value::String("0001-01-01".into()),
        "Edm.TimeOfDay" => Value::String("00:00:00".into()),
        "Edm.Duration" => Value::String("PT0S".into()),
        "Edm.Guid" => Value::String("00000000-0000-0000-0000-000000000000".into()),
        other => match schema.get(other) {
            Some(def) if def.kind == TypeKind::Enum => {
                def.members.first().map_or(Value::Null, |m| Value::String(m.name.clone()))
            }
            Some(def) if def.kind == TypeKind::Complex => Value::Object(Map::new()),
            _ => Value::Null,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_time_offset_pattern() {
        for ok in [
            "2017-01-01T00:00:17.7769392-08:00",
            "2017-01-01T00:00:17Z",
            "2024-02-29T23:59:59.123456789012+14:00",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.9999999Z",
        ] {
            assert!(is_date_time_offset(ok), "{ok}");
        }
        for bad in [
            "2017-01-01T00:00:17",
            "2017-13-01T00:00:17Z",
            "2017-02-29T00:00:17Z",
            "2017-01-01T24:00:00Z",
            "2017-01-01T00:60:00Z",
            "2017-01-01T00:00:60Z",
            "2017-01-01T00:00:17.Z",
            "2017-01-01T00:00:17.1234567890123Z",
            "2017-01-01t00:00:17Z",
            "2017-01-01T00:00:17+0800",
            "2017-01-01T00:00:17+08:0a",
            "2017-01-01T00:00:17 08:00",
            "2017-01-01T00:00:17+-8:00",
            "17-01-01T00:00:17Z",
            // .NET's DateTimeOffset, which Graph parses with, ends in the year 9999.
            "12017-01-01T00:00:00Z",
            "+2017-01-01T00:00:00Z",
            "2017-1-01T00:00:00Z",
            "2017-01-01T0:00:00Z",
            "2017-01-01T00:00:00.+1Z",
            "２０１７-01-01T00:00:00Z",
            "",
        ] {
            assert!(!is_date_time_offset(bad), "{bad}");
        }
    }

    #[test]
    fn instants_compare_across_offsets() {
        assert_eq!(instant("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(instant("1970-01-01T01:00:00+01:00"), Some((0, 0)));
        assert_eq!(
            instant("2017-01-01T00:00:17.7769392-08:00"),
            Some((1_483_257_617, 776_939_200))
        );
        assert_eq!(instant("2000-03-01T00:00:00Z"), Some((11_017 * 86_400, 0)));
        assert_eq!(instant("2017-01-01"), None);
    }

    #[test]
    fn dates_times_and_guids() {
        assert!(date("2024-02-29").is_some() && date("2023-02-29").is_none());
        assert!(date("2024-2-29").is_none() && date("2024-02-29T").is_none());
        assert!(time_of_day("23:59:59.5").is_some() && time_of_day("24:00:00").is_none());
        assert!(time_of_day("12:00").is_none() && time_of_day("12:00:00.").is_none());
        assert!(is_guid("0e6bcd32-1b1c-4ef7-a1f5-6fd4d1a3c2b9"));
        assert!(is_guid("0E6BCD32-1B1C-4EF7-A1F5-6FD4D1A3C2B9"));
        for bad in [
            "0e6bcd321b1c4ef7a1f56fd4d1a3c2b9",
            "{0e6bcd32-1b1c-4ef7-a1f5-6fd4d1a3c2b9}",
            "0e6bcd32-1b1c-4ef7-a1f5-6fd4d1a3c2bz",
            "0e6bcd32-1b1c-4ef7-a1f56-fd4d1a3c2b9",
            "",
        ] {
            assert!(!is_guid(bad), "{bad}");
        }
    }

    #[test]
    fn now_has_seven_fractional_digits() {
        let now = now_date_time_offset();
        assert!(is_date_time_offset(&now), "{now}");
        assert_eq!(now.split('.').nth(1).map(str::len), Some(8), "{now}");
        assert!(date(&utc_now_without_offset()[..10]).is_some());
    }
}
