//! `Retry-After`: how long the service asks a client to wait, in every form it writes.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// The longest wait read from a `Retry-After`, whatever it says: a day. A longer one (or an HTTP
/// date years ahead) is read as a day, so that no answer holds a client, or the pacer every
/// client of an application shares, for longer.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// The wait an answer's `Retry-After` header asks for, if it has a readable one.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(parse)
}

/// `Retry-After` as whole seconds, fractional seconds (Graph sends `2.128`) or an HTTP date, at
/// most [`MAX_RETRY_AFTER`].
fn parse(value: &str) -> Option<Duration> {
    let value = value.trim();
    let wait = if let Ok(seconds) = value.parse::<f64>() {
        if !seconds.is_finite() || seconds < 0.0 {
            return None;
        }
        Duration::from_secs_f64(seconds.min(MAX_RETRY_AFTER.as_secs_f64()))
    } else {
        let at = httpdate::parse_http_date(value).ok()?;
        at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO)
    };
    Some(wait.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_retry_after_in_every_form() {
        assert_eq!(parse("10"), Some(Duration::from_secs(10)));
        assert_eq!(parse("2.128"), Some(Duration::from_millis(2128)));
        assert_eq!(parse(" 0 "), Some(Duration::ZERO));
        let in_a_minute = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(61));
        let wait = parse(&in_a_minute).unwrap();
        assert!(wait > Duration::from_secs(55) && wait <= Duration::from_secs(61), "{wait:?}");
        assert_eq!(
            parse("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO),
            "past dates wait not at all"
        );
        for bad in ["", "-1", "soon", "NaN", "inf"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert("retry-after", reqwest::header::HeaderValue::from_static("2.128"));
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(2128)));
    }

    /// Found by the attack review: the seconds form was capped, the date form was not.
    #[test]
    fn no_form_asks_for_more_than_a_day() {
        assert_eq!(parse("86401"), Some(MAX_RETRY_AFTER));
        assert_eq!(parse("1e300"), Some(MAX_RETRY_AFTER));
        assert_eq!(parse("Fri, 31 Dec 9999 23:59:59 GMT"), Some(MAX_RETRY_AFTER));
        let in_two_days = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(172_800));
        assert_eq!(parse(&in_two_days), Some(MAX_RETRY_AFTER));
    }
}
