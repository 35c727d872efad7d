//! Injected faults, in the manner of Microsoft's Dev Proxy (`GraphRandomErrorPlugin`,
//! `RetryAfterPlugin`, latency): throttling with or without `Retry-After`, `503` and `504`,
//! added latency, a second `429` for a client that comes back too early, and a connection
//! dropped after the entity was stored. Every injected fault is counted.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use crate::bounded::Deadlines;
use crate::lock::lock;

/// How throttled answers say when to come back.
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
    fn header_and_wait(self, now: SystemTime) -> (Option<String>, Option<Duration>) {
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

/// Which faults to inject, and how often. Rates are fractions of requests, from 0 to 1.
///
/// Faults apply to Graph calls, not to the token endpoint. They are drawn from a seeded random
/// generator, so a run with the same seed and the same requests injects the same faults.
#[derive(Debug, Clone, PartialEq)]
pub struct Faults {
    /// Requests answered `429 Too Many Requests` (before the service acts).
    pub throttle_rate: f64,
    /// What throttled answers say about when to retry.
    pub retry_after: RetryAfter,
    /// Requests answered `503 Service Unavailable` (before the service acts).
    pub unavailable_rate: f64,
    /// Requests answered `504 Gateway Timeout` (before the service acts).
    pub gateway_timeout_rate: f64,
    /// Latency added to every Graph call.
    pub latency: Duration,
    /// Creations under a parent entity (such as user statuses, `…/{id}/userStatuses`) that are
    /// stored and then lose their connection, with no answer. Creations in entity sets and in
    /// the collections of singletons (the parents tests create first) are never dropped.
    pub drop_after_store_rate: f64,
    /// The seed of the fault generator.
    pub seed: u64,
}

impl Default for Faults {
    /// No faults.
    fn default() -> Self {
        Self {
            throttle_rate: 0.0,
            retry_after: RetryAfter::Seconds(1),
            unavailable_rate: 0.0,
            gateway_timeout_rate: 0.0,
            latency: Duration::ZERO,
            drop_after_store_rate: 0.0,
            seed: 0x5eed,
        }
    }
}

/// How many faults were injected, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FaultCounts {
    /// `429`s drawn at random.
    pub throttled: u64,
    /// `429`s answered again because the client came back before `Retry-After` had passed.
    pub early_retries: u64,
    /// `503`s.
    pub unavailable: u64,
    /// `504`s.
    pub gateway_timeouts: u64,
    /// Connections dropped after storing an entity.
    pub dropped_after_store: u64,
    /// Requests delayed by the added latency.
    pub delayed: u64,
}

/// A fault decided for one request.
pub(crate) enum Injected {
    /// Answer with this status; a `Retry-After` header value for throttling.
    Status { status: u16, retry_after: Option<String> },
}

pub(crate) struct FaultState {
    pub(crate) config: Faults,
    rng: Mutex<fastrand::Rng>,
    /// When each throttled `client-request-id` may come back (bounded: the soonest are
    /// forgotten first).
    not_before: Mutex<Deadlines<()>>,
    throttled: AtomicU64,
    early_retries: AtomicU64,
    unavailable: AtomicU64,
    gateway_timeouts: AtomicU64,
    dropped_after_store: AtomicU64,
    delayed: AtomicU64,
}

impl FaultState {
    /// The state of `config`, remembering at most `throttled_clients` throttled clients.
    pub(crate) fn new(config: Faults, throttled_clients: usize) -> Self {
        Self {
            rng: Mutex::new(fastrand::Rng::with_seed(config.seed)),
            config,
            not_before: Mutex::new(Deadlines::new(throttled_clients)),
            throttled: AtomicU64::new(0),
            early_retries: AtomicU64::new(0),
            unavailable: AtomicU64::new(0),
            gateway_timeouts: AtomicU64::new(0),
            dropped_after_store: AtomicU64::new(0),
            delayed: AtomicU64::new(0),
        }
    }

    pub(crate) fn counts(&self) -> FaultCounts {
        FaultCounts {
            throttled: self.throttled.load(Ordering::Relaxed),
            early_retries: self.early_retries.load(Ordering::Relaxed),
            unavailable: self.unavailable.load(Ordering::Relaxed),
            gateway_timeouts: self.gateway_timeouts.load(Ordering::Relaxed),
            dropped_after_store: self.dropped_after_store.load(Ordering::Relaxed),
            delayed: self.delayed.load(Ordering::Relaxed),
        }
    }

    /// The added latency, counted.
    pub(crate) fn latency(&self) -> Option<Duration> {
        let latency = self.config.latency;
        (!latency.is_zero()).then(|| {
            self.delayed.fetch_add(1, Ordering::Relaxed);
            latency
        })
    }

    fn roll(&self, rate: f64) -> bool {
        rate > 0.0 && lock(&self.rng).f64() < rate
    }

    /// The fault for a Graph call from `client_request_id`, if any.
    pub(crate) fn before_handler(&self, client_request_id: &str) -> Option<Injected> {
        let (now, wall) = (Instant::now(), SystemTime::now());
        {
            let mut not_before = lock(&self.not_before);
            // Clients whose time has passed are forgotten.
            not_before.purge(now);
            if let Some(&(at, ())) = not_before.get(client_request_id) {
                self.early_retries.fetch_add(1, Ordering::Relaxed);
                let left = at.saturating_duration_since(now);
                return Some(Injected::Status {
                    status: 429,
                    retry_after: Some(format!("{:.3}", left.as_secs_f64())),
                });
            }
        }
        if self.roll(self.config.throttle_rate) {
            self.throttled.fetch_add(1, Ordering::Relaxed);
            let (header, wait) = self.config.retry_after.header_and_wait(wall);
            if let Some(at) = wait.and_then(|wait| now.checked_add(wait)) {
                lock(&self.not_before).insert(client_request_id.to_owned(), at, ());
            }
            return Some(Injected::Status { status: 429, retry_after: header });
        }
        if self.roll(self.config.unavailable_rate) {
            self.unavailable.fetch_add(1, Ordering::Relaxed);
            return Some(Injected::Status { status: 503, retry_after: None });
        }
        if self.roll(self.config.gateway_timeout_rate) {
            self.gateway_timeouts.fetch_add(1, Ordering::Relaxed);
            return Some(Injected::Status { status: 504, retry_after: None });
        }
        None
    }

    /// Whether to drop the connection of a creation that was just stored.
    pub(crate) fn drop_after_store(&self) -> bool {
        let drop = self.roll(self.config.drop_after_store_rate);
        if drop {
            self.dropped_after_store.fetch_add(1, Ordering::Relaxed);
        }
        drop
    }
}

/// Ends the connection's task without an answer: the client sees the connection close.
///
/// `resume_unwind` does not run the panic hook, so nothing is printed; the server runs each
/// connection in its own task, which the unwinding ends.
pub(crate) fn drop_connection() -> ! {
    std::panic::resume_unwind(Box::new("graph-emulator: connection dropped on purpose"))
}

#[cfg(test)]
mod tests {
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
    fn throttled_clients_are_bounded_and_forgotten_when_their_time_passes() {
        let faults = |retry_after| Faults { throttle_rate: 1.0, retry_after, ..Faults::default() };
        let state = FaultState::new(faults(RetryAfter::Seconds(60)), 5);
        for n in 0..50 {
            let _ = state.before_handler(&n.to_string());
            assert!(lock(&state.not_before).len() <= 5);
        }
        assert_eq!(state.counts().throttled, 50);
        // The latest five are remembered.
        let _ = state.before_handler("49");
        assert_eq!(state.counts().early_retries, 1);

        let state = FaultState::new(faults(RetryAfter::Fractional(0.001)), 100);
        for n in 0..20 {
            let _ = state.before_handler(&n.to_string());
        }
        std::thread::sleep(Duration::from_millis(5));
        let _ = state.before_handler("another");
        assert_eq!(lock(&state.not_before).len(), 1, "only the one just throttled");
    }

    #[test]
    fn a_client_back_too_early_is_throttled_again() {
        let state = FaultState::new(
            Faults {
                throttle_rate: 1.0,
                retry_after: RetryAfter::Seconds(60),
                ..Faults::default()
            },
            100,
        );
        assert!(matches!(state.before_handler("a"), Some(Injected::Status { status: 429, .. })));
        let Some(Injected::Status { status: 429, retry_after: Some(left) }) =
            state.before_handler("a")
        else {
            panic!()
        };
        assert!(left.parse::<f64>().unwrap() <= 60.0);
        assert_eq!(state.counts().early_retries, 1);
        assert_eq!(state.counts().throttled, 1);
    }

    #[test]
    fn rates_are_roughly_honoured_and_seeded() {
        let faults = Faults {
            throttle_rate: 0.2,
            unavailable_rate: 0.1,
            retry_after: RetryAfter::Omitted,
            ..Faults::default()
        };
        let run = || {
            let state = FaultState::new(faults.clone(), 100_000);
            for n in 0..10_000 {
                let _ = state.before_handler(&n.to_string());
            }
            state.counts()
        };
        let counts = run();
        assert!((1800..2200).contains(&counts.throttled), "{counts:?}");
        // 10 % of the 80 % not throttled.
        assert!((650..950).contains(&counts.unavailable), "{counts:?}");
        assert_eq!(run(), counts, "the same seed injects the same faults");
    }
}
