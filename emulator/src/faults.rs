//! Injected faults, in the manner of Microsoft's Dev Proxy (`GraphRandomErrorPlugin`,
//! `RetryAfterPlugin`, latency): throttling with or without `Retry-After`, `503` and `504`,
//! added latency, a second `429` for a client that comes back too early, and a connection
//! dropped after the entity was stored. Every injected fault is counted.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use crate::bounded::Deadlines;
use crate::lock::lock;
use crate::retry_after::{RetryAfter, Unit, written};

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
                    retry_after: Some(written(left, Unit::Milliseconds)),
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

    /// Faults that throttle every request, remembering at most `clients` throttled clients.
    fn throttling(retry_after: RetryAfter, clients: usize) -> FaultState {
        FaultState::new(Faults { throttle_rate: 1.0, retry_after, ..Faults::default() }, clients)
    }

    #[test]
    fn throttled_clients_are_bounded_and_forgotten_when_their_time_passes() {
        let state = throttling(RetryAfter::Seconds(60), 5);
        for n in 0..50 {
            let _ = state.before_handler(&n.to_string());
            assert!(lock(&state.not_before).len() <= 5);
        }
        assert_eq!(state.counts().throttled, 50);
        // The latest five are remembered.
        let _ = state.before_handler("49");
        assert_eq!(state.counts().early_retries, 1);

        let state = throttling(RetryAfter::Fractional(0.001), 100);
        for n in 0..20 {
            let _ = state.before_handler(&n.to_string());
        }
        std::thread::sleep(Duration::from_millis(5));
        let _ = state.before_handler("another");
        assert_eq!(lock(&state.not_before).len(), 1, "only the one just throttled");
    }

    #[test]
    fn a_client_back_too_early_is_throttled_again() {
        let state = throttling(RetryAfter::Seconds(60), 100);
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

    #[test]
    fn the_wait_left_is_rounded_up_so_that_waiting_it_is_never_early() {
        let state = throttling(RetryAfter::Fractional(0.0015), 100);
        let _ = state.before_handler("a");
        let Some(Injected::Status { status: 429, retry_after: Some(left) }) =
            state.before_handler("a")
        else {
            panic!()
        };
        assert_eq!(state.counts().early_retries, 1);
        std::thread::sleep(Duration::from_secs_f64(left.parse().unwrap()));
        let _ = state.before_handler("a");
        assert_eq!(state.counts().early_retries, 1, "waited {left} s as told: not early");
    }
}
