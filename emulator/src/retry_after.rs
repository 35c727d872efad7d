//! How throttled answers say when to come back: the modes of the injected faults
//! ([`RetryAfter`]) and of the documented limits ([`LimitsRetryAfter`]), and the one rule by
//! which a wait the emulator computes is written ([`written`]).

use std::time::{Duration, SystemTime};

/// The unit a computed wait is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// Whole seconds: `Retry-After: 2`.
    Seconds,
    /// Seconds with three decimals: `Retry-After: 0.123`.
    Milliseconds,
}

/// A wait the emulator computed (until a window has room, until a throttled client may come
/// back), as a `Retry-After` value. The one rule: rounded **up** to the unit, so that a client
/// that waits what it is told never comes back early; at least one unit (`1`, `0.001`: never
/// `0`, which would invite an immediate retry); at most [`RetryAfter::MAX_SECONDS`] (a day).
pub(crate) fn written(wait: Duration, unit: Unit) -> String {
    let wait = wait.min(Duration::from_secs(RetryAfter::MAX_SECONDS));
    match unit {
        Unit::Seconds => {
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            seconds.max(1).to_string()
        }
        Unit::Milliseconds => {
            let millis = wait.as_millis() + u128::from(wait.subsec_nanos() % 1_000_000 > 0);
            let millis = millis.max(1);
            format!("{}.{:03}", millis / 1000, millis % 1000)
        }
    }
}

/// How throttled answers say when to come back. A configured wait is written as configured; the
/// wait left to a client that comes back too early is computed, and written by the rule of
/// [`LimitsRetryAfter`] in fractional seconds (rounded up to the millisecond).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RetryAfter {
    /// No `Retry-After` header, as Intune often answers: the client must back off on its own.
    Omitted,
    /// Whole seconds, such as `Retry-After: 2`.
    Seconds(u64),
    /// Fractional seconds, such as `Retry-After: 2.128` (Graph's documentation shows this).
    Fractional(f64),
    /// An HTTP date this many seconds ahead (rounded up to the next whole second).
    HttpDate(u64),
}

impl RetryAfter {
    /// The longest wait the emulator asks for, in seconds: a day. Longer waits (and infinite
    /// ones) are answered as a day; negative and NaN fractional ones as `0`. Parsing refuses
    /// them.
    pub const MAX_SECONDS: u64 = 86_400;

    /// The header value and how long the client must wait, as of `now`; clamped to
    /// [`RetryAfter::MAX_SECONDS`].
    pub(crate) fn header_and_wait(self, now: SystemTime) -> (Option<String>, Option<Duration>) {
        let max = Self::MAX_SECONDS;
        match self {
            RetryAfter::Omitted => (None, None),
            RetryAfter::Seconds(s) => {
                let s = s.min(max);
                (Some(s.to_string()), Some(Duration::from_secs(s)))
            }
            RetryAfter::Fractional(s) => {
                // `max as f64` is exact; NaN and negative values (and -0.0) become 0.
                let s = if s > 0.0 { s.min(max as f64) } else { 0.0 };
                let wait = Duration::try_from_secs_f64(s).unwrap_or(Duration::from_secs(max));
                (Some(format!("{s}")), Some(wait))
            }
            RetryAfter::HttpDate(s) => {
                // HTTP dates have whole seconds: come back at the next whole second after `s`.
                let Some(at) = now.checked_add(Duration::from_secs(s.min(max) + 1)) else {
                    return (None, None);
                };
                let fraction = at.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
                let at = at
                    .checked_sub(Duration::from_nanos(u64::from(fraction.subsec_nanos())))
                    .unwrap_or(at);
                (
                    Some(httpdate::fmt_http_date(at)),
                    Some(at.duration_since(now).unwrap_or_default()),
                )
            }
        }
    }
}

impl std::fmt::Display for RetryAfter {
    /// As parsed: `none`, `2`, `2.128` or `date:2`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RetryAfter::Omitted => f.write_str("none"),
            RetryAfter::Seconds(s) => write!(f, "{s}"),
            RetryAfter::Fractional(s) => write!(f, "{s}"),
            RetryAfter::HttpDate(s) => write!(f, "date:{s}"),
        }
    }
}

impl std::str::FromStr for RetryAfter {
    type Err = String;

    /// `none`, `2`, `2.128` or `date:2`, of at most [`RetryAfter::MAX_SECONDS`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad =
            || format!("`{s}` is not a Retry-After mode: use `none`, `2`, `2.128` or `date:2`");
        let max = Self::MAX_SECONDS;
        let too_long = || format!("`{s}`: a Retry-After must be at most {max} seconds (a day)");
        if s == "none" {
            return Ok(RetryAfter::Omitted);
        }
        let (date, seconds) = match s.strip_prefix("date:") {
            Some(seconds) => (true, seconds),
            None => (false, s),
        };
        if let Ok(whole) = seconds.parse::<u64>() {
            return match (whole <= max, date) {
                (false, _) => Err(too_long()),
                (true, true) => Ok(RetryAfter::HttpDate(whole)),
                (true, false) => Ok(RetryAfter::Seconds(whole)),
            };
        }
        match seconds.parse::<f64>() {
            _ if date => Err(bad()),
            Ok(fraction) if fraction.is_finite() && fraction > max as f64 => Err(too_long()),
            Ok(fraction) if fraction.is_finite() && fraction >= 0.0 => {
                Ok(RetryAfter::Fractional(fraction))
            }
            _ => Err(bad()),
        }
    }
}

/// What an answer refused by the [`Limits`](crate::Limits) says about when to come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LimitsRetryAfter {
    /// Whole seconds, rounded up, of real time until the windows have room: `Retry-After: 1`.
    #[default]
    Seconds,
    /// Seconds with three decimals, rounded up to the millisecond: `Retry-After: 0.123`, as
    /// Graph's documentation shows (`2.128`).
    Fractional,
    /// No `Retry-After`, as Intune often answers: the client must find out on its own.
    Omitted,
}

impl LimitsRetryAfter {
    /// The header value for a wait of `wait`, written by [`written`].
    pub(crate) fn header(self, wait: Duration) -> Option<String> {
        match self {
            LimitsRetryAfter::Seconds => Some(written(wait, Unit::Seconds)),
            LimitsRetryAfter::Fractional => Some(written(wait, Unit::Milliseconds)),
            LimitsRetryAfter::Omitted => None,
        }
    }
}

impl std::fmt::Display for LimitsRetryAfter {
    /// As parsed: `seconds`, `fractional` or `none`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LimitsRetryAfter::Seconds => "seconds",
            LimitsRetryAfter::Fractional => "fractional",
            LimitsRetryAfter::Omitted => "none",
        })
    }
}

impl std::str::FromStr for LimitsRetryAfter {
    type Err = String;

    /// `seconds`, `fractional` or `none`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "seconds" => Ok(LimitsRetryAfter::Seconds),
            "fractional" => Ok(LimitsRetryAfter::Fractional),
            "none" => Ok(LimitsRetryAfter::Omitted),
            _ => Err(format!(
                "`{s}` is not a Retry-After mode: use `seconds`, `fractional` or `none`"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn parses_retry_after_modes() {
        assert_eq!("none".parse::<RetryAfter>(), Ok(RetryAfter::Omitted));
        assert_eq!("2".parse::<RetryAfter>(), Ok(RetryAfter::Seconds(2)));
        assert_eq!("2.128".parse::<RetryAfter>(), Ok(RetryAfter::Fractional(2.128)));
        assert_eq!("date:3".parse::<RetryAfter>(), Ok(RetryAfter::HttpDate(3)));
        for bad in ["", "-1", "soon", "date:x", "NaN", "inf", "date:1.5"] {
            assert!(bad.parse::<RetryAfter>().is_err(), "{bad}");
        }
        for mode in [RetryAfter::Omitted, RetryAfter::Seconds(2), RetryAfter::HttpDate(3)] {
            assert_eq!(mode.to_string().parse::<RetryAfter>(), Ok(mode), "round trip");
        }
    }

    #[test]
    fn retry_after_is_at_most_a_day() {
        assert_eq!("86400".parse::<RetryAfter>(), Ok(RetryAfter::Seconds(86_400)));
        assert_eq!("date:86400".parse::<RetryAfter>(), Ok(RetryAfter::HttpDate(86_400)));
        assert_eq!("86400.0".parse::<RetryAfter>(), Ok(RetryAfter::Fractional(86_400.0)));
        for long in ["86401", "86400.5", "1e300", "date:86401", "18446744073709551615"] {
            let error = long.parse::<RetryAfter>().unwrap_err();
            assert!(error.contains("at most 86400 seconds"), "{long}: {error}");
        }
        let now = SystemTime::now();
        let day = Duration::from_secs(RetryAfter::MAX_SECONDS);
        for mode in [
            RetryAfter::Seconds(u64::MAX),
            RetryAfter::Fractional(1e300),
            RetryAfter::Fractional(f64::INFINITY),
        ] {
            let (header, wait) = mode.header_and_wait(now);
            assert_eq!((header.as_deref(), wait), (Some("86400"), Some(day)), "{mode:?}");
        }
        for mode in [RetryAfter::Fractional(f64::NAN), RetryAfter::Fractional(-0.0)] {
            let (header, wait) = mode.header_and_wait(now);
            assert_eq!((header.as_deref(), wait), (Some("0"), Some(Duration::ZERO)), "{mode:?}");
        }
        let (header, wait) = RetryAfter::HttpDate(u64::MAX).header_and_wait(now);
        assert!(header.is_some());
        let wait = wait.unwrap();
        assert!(wait > day && wait <= day + Duration::from_secs(1), "{wait:?}");
    }

    #[test]
    fn retry_after_values_round_up() {
        let ms = Duration::from_millis;
        let seconds = LimitsRetryAfter::Seconds;
        let fractional = LimitsRetryAfter::Fractional;
        assert_eq!(seconds.header(ms(1)).as_deref(), Some("1"));
        assert_eq!(seconds.header(ms(1000)).as_deref(), Some("1"));
        assert_eq!(seconds.header(ms(1001)).as_deref(), Some("2"));
        assert_eq!(seconds.header(Duration::ZERO).as_deref(), Some("1"), "never 0");
        assert_eq!(fractional.header(ms(123)).as_deref(), Some("0.123"));
        assert_eq!(fractional.header(Duration::from_micros(122_001)).as_deref(), Some("0.123"));
        assert_eq!(fractional.header(ms(20_000)).as_deref(), Some("20.000"));
        assert_eq!(fractional.header(Duration::ZERO).as_deref(), Some("0.001"));
        assert_eq!(LimitsRetryAfter::Omitted.header(ms(5)), None);
        assert_eq!(seconds.header(Duration::MAX).as_deref(), Some("86400"), "at most a day");
        assert_eq!(fractional.header(Duration::MAX).as_deref(), Some("86400.000"));
    }
}
