//! Pacing: sending no faster than the service's throttling limit instead of finding it with
//! `429`s.
//!
//! Graph limits requests per app and tenant in sliding windows (Intune: 100 writes per 20 s per
//! app, each `$batch` item counted). A [`Pacer`] keeps the times of the requests it let through
//! in the last window ([`window`]) and lets a request (or a `$batch` of `n` items) go only when
//! it fits under the current limit, in the order they asked. The limit starts at the configured
//! [`Rate`]; a `429` lowers it at once (to what the service evidently accepts) and pauses
//! sending for the `Retry-After`, or for the window when there is none; windows that pass
//! without a `429` raise it back towards the configured rate. Clients of one application share
//! one pacer ([`registry`]).

mod pacers;
mod registry;
mod window;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

pub(crate) use pacers::Pacers;
use window::{State, Verdict};

/// At most `requests` requests in any `per` window: a documented or configured throttling limit.
///
/// ```
/// use graph_entity_runtime::client::Rate;
/// use std::time::Duration;
///
/// assert_eq!(Rate::INTUNE_WRITES, Rate::new(100, Duration::from_secs(20)));
/// // Out-of-range values are brought within range: at least one request, in a window from a
/// // millisecond to a day.
/// assert_eq!(Rate::new(0, Duration::MAX), Rate::new(1, Duration::from_secs(86_400)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    requests: u32,
    per: Duration,
}

impl Rate {
    /// Intune's documented limit for `POST`, `PUT`, `PATCH` and `DELETE` per app per tenant:
    /// 100 requests in 20 seconds, each `$batch` item counted.
    pub const INTUNE_WRITES: Rate = Rate { requests: 100, per: Duration::from_secs(20) };

    /// The longest window: a day (Graph's longest documented windows are an hour).
    pub const MAX_WINDOW: Duration = Duration::from_secs(24 * 60 * 60);

    /// `requests` in any window of `per`: at least one request, in a window of at least a
    /// millisecond and at most [`MAX_WINDOW`](Self::MAX_WINDOW).
    pub fn new(requests: u32, per: Duration) -> Rate {
        Rate {
            requests: requests.max(1),
            per: per.clamp(Duration::from_millis(1), Self::MAX_WINDOW),
        }
    }

    /// The requests allowed in a window.
    pub fn requests(&self) -> u32 {
        self.requests
    }

    /// The window.
    pub fn per(&self) -> Duration {
        self.per
    }
}

/// How a client paces its writes, so that they stay under the service's throttling limit
/// instead of meeting `429`s.
///
/// ```
/// use graph_entity_runtime::client::{Pacing, Rate};
///
/// // Each write at the documented limit of its entity's service (Intune applications: 100 in
/// // 20 s; Intune devices: 200), each service paced apart.
/// let documented = Pacing::documented();
/// // Against an emulator whose windows run 100 times faster.
/// let fast = Pacing::documented().time_scale(100.0);
/// // Every write of the client at one rate, whatever its service.
/// let one = Pacing::Rate(Rate::INTUNE_WRITES);
/// # let _ = (documented, fast, one);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub enum Pacing {
    /// No pacing: throttled requests are retried after their `Retry-After`.
    #[default]
    Off,
    /// Every write of the client at this rate, whatever the service.
    Rate(Rate),
    /// Each write at the documented write limit per application per tenant of its entity's
    /// service ([`GraphEntity::THROTTLING`](crate::GraphEntity::THROTTLING): Intune's services,
    /// from Microsoft's throttling-limits page), each service paced apart, as Graph counts them;
    /// writes to entities of no documented service are not paced. `time_scale` divides the
    /// windows (an emulator whose windows run faster).
    Documented {
        /// How much faster than real time the service's windows run (1 for Graph).
        time_scale: f64,
    },
}

impl Pacing {
    /// Each write at its service's documented limit, in real time.
    pub fn documented() -> Self {
        Pacing::Documented { time_scale: 1.0 }
    }

    /// The documented limits' windows, divided by `scale` (finite and above zero, else 1).
    #[must_use]
    pub fn time_scale(self, scale: f64) -> Self {
        match self {
            Pacing::Documented { .. } => Pacing::Documented {
                time_scale: if scale.is_finite() && scale > 0.0 { scale } else { 1.0 },
            },
            other => other,
        }
    }
}

/// The limiter one client shares among all its calls.
#[derive(Debug, Default)]
pub(crate) struct Pacer {
    /// Pacing: a rate was set. Read without the lock, so that a client that does not pace pays
    /// nothing per request.
    active: AtomicBool,
    state: Mutex<Option<State>>,
    /// Wakes the waiters when the first in line changes or room appears.
    changed: Notify,
}

/// Requests the pacer let through, whose answer is awaited: [`settle`](Self::settle) it when
/// the answer comes. Dropped unsettled (its caller gave up on the answer), all its requests
/// count from then, as the service may have counted them.
pub(crate) struct Permit<'a> {
    pacer: &'a Pacer,
    /// The window's entry; `None` when not pacing, or once settled.
    id: Option<u64>,
    count: u32,
}

impl Permit<'_> {
    /// The answer came: `accepted` of the requests count in the service's window from now (the
    /// service counted them before its answer); the others it refused.
    pub(crate) fn settle(mut self, accepted: u32) {
        self.settle_now(accepted);
    }

    fn settle_now(&mut self, accepted: u32) {
        let Some(id) = self.id.take() else { return };
        if let Some(state) = self.pacer.lock().as_mut() {
            state.settle(id, accepted, Instant::now());
        }
        // Refused ones left; answered ones now leave at a known time: the line looks again.
        self.pacer.changed.notify_waiters();
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.settle_now(self.count);
    }
}

impl Pacer {
    /// Paces at `rate` from now on (keeping what was sent).
    pub(crate) fn set_rate(&self, rate: Rate) {
        let mut state = self.lock();
        let now = Instant::now();
        match state.as_mut() {
            Some(current) => current.set_rate(rate, now),
            None => *state = Some(State::new(rate, now)),
        }
        self.active.store(true, Ordering::Release);
        drop(state);
        self.changed.notify_waiters();
    }

    /// The most items one request may carry now: the current limit, or `None` when not pacing.
    pub(crate) fn limit(&self) -> Option<u32> {
        self.lock().as_ref().map(State::limit)
    }

    /// Waits until `n` requests (a `$batch` of `n` items counts `n`) fit in the window, after
    /// every request that asked before, and counts them as sent. At once when not pacing. A
    /// caller that stops waiting (its future dropped) leaves the line.
    pub(crate) async fn acquire(&self, n: u32) -> Permit<'_> {
        let unpaced = Permit { pacer: self, id: None, count: n };
        if !self.active.load(Ordering::Acquire) {
            return unpaced;
        }
        let ticket = match self.lock().as_mut() {
            None => return unpaced,
            Some(state) => state.enqueue(n),
        };
        let mut place = Place { pacer: self, ticket: Some(ticket) };
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            // Registered before the lock is released, so that no change is missed.
            notified.as_mut().enable();
            let verdict = {
                let mut state = self.lock();
                state.as_mut().map(|state| state.admit(ticket, Instant::now()))
            };
            match verdict {
                // Pacing cannot be turned off once on; were it, nothing would be counted.
                None => {
                    place.ticket = None;
                    return unpaced;
                }
                Some(Verdict::Go(id)) => {
                    place.ticket = None;
                    // The next in line may go now.
                    self.changed.notify_waiters();
                    return Permit { id: Some(id), ..unpaced };
                }
                Some(Verdict::WaitUntil(when)) => {
                    // Room by then, or a change before.
                    let _ = tokio::time::timeout_at(when, notified).await;
                }
                Some(Verdict::Behind) => notified.await,
            }
        }
    }

    /// The service throttled a write: lower the limit at once and pause for `retry_after` (or
    /// until the window has room again). `refused` items of an answered `$batch` leave the
    /// window.
    pub(crate) fn throttled(&self, retry_after: Option<Duration>, refused: u32) {
        if let Some(state) = self.lock().as_mut() {
            state.throttled(retry_after, refused, Instant::now());
        }
    }

    /// How long `remaining` more requests take at the current limit, when pacing.
    pub(crate) fn eta(&self, remaining: usize) -> Option<Duration> {
        self.lock().as_ref().map(|state| state.eta(remaining))
    }

    fn lock(&self) -> MutexGuard<'_, Option<State>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A place in the pacer's line: given up when the waiting caller goes away before its turn.
struct Place<'a> {
    pacer: &'a Pacer,
    ticket: Option<u64>,
}

impl Drop for Place<'_> {
    fn drop(&mut self) {
        if let Some(ticket) = self.ticket {
            if let Some(state) = self.pacer.lock().as_mut() {
                state.leave(ticket);
            }
            self.pacer.changed.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn refused_requests_leave_the_window() {
        let pacer = Pacer::default();
        pacer.set_rate(Rate::new(2, Duration::from_secs(60)));
        let first = pacer.acquire(1).await;
        let second = pacer.acquire(1).await;
        first.settle(1);
        // Refused: its place is free at once.
        second.settle(0);
        let third = tokio::time::timeout(Duration::from_millis(100), pacer.acquire(1)).await;
        assert!(third.is_ok());
    }

    /// Found by the attack review: a `$batch` larger than the room left went only into an empty
    /// window, and single writes keeping it non-empty starved it.
    #[tokio::test(start_paused = true)]
    async fn a_batch_is_not_starved_by_single_writes() {
        let pacer = Arc::new(Pacer::default());
        pacer.set_rate(Rate::new(10, Duration::from_secs(1)));
        let first = pacer.acquire(1).await;
        first.settle(1);
        let batch = tokio::spawn({
            let pacer = Arc::clone(&pacer);
            async move {
                let started = Instant::now();
                let permit = pacer.acquire(20).await;
                permit.settle(20);
                started.elapsed()
            }
        });
        tokio::task::yield_now().await;
        // A single write every 100 ms, for five seconds: the window is never empty.
        let singles = tokio::spawn({
            let pacer = Arc::clone(&pacer);
            async move {
                for _ in 0..50 {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    let permit = pacer.acquire(1).await;
                    permit.settle(1);
                }
            }
        });
        let waited = batch.await.unwrap();
        assert!(waited < Duration::from_secs(2), "the batch waited {waited:?}");
        singles.await.unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn a_caller_that_stops_waiting_leaves_the_line() {
        let pacer = Pacer::default();
        pacer.set_rate(Rate::new(1, Duration::from_secs(10)));
        let first = pacer.acquire(1).await;
        first.settle(1);
        // Gives up after a second, long before there is room.
        assert!(tokio::time::timeout(Duration::from_secs(1), pacer.acquire(1)).await.is_err());
        // The next caller is not behind a ghost.
        let started = Instant::now();
        let _ = pacer.acquire(1).await;
        assert!(started.elapsed() <= Duration::from_secs(10), "{:?}", started.elapsed());
    }

    /// Found by the attack review: `Rate::new(10, Duration::from_secs(u64::MAX / 10))` panicked
    /// at the first write, `Duration::MAX` at `build()`.
    #[tokio::test(start_paused = true)]
    async fn any_rate_paces_without_overflow() {
        for per in [Duration::MAX, Duration::from_secs(u64::MAX / 10), Duration::ZERO] {
            let pacer = Pacer::default();
            pacer.set_rate(Rate::new(10, per));
            let permit = pacer.acquire(1).await;
            permit.settle(1);
            pacer.throttled(Some(Duration::MAX), 0);
            pacer.throttled(None, 1);
            assert!(pacer.eta(usize::MAX).is_some());
        }
    }

    /// A `Retry-After` of any length pauses the pacer for at most `MAX_PAUSE`.
    #[tokio::test(start_paused = true)]
    async fn a_long_retry_after_pauses_for_a_bounded_time() {
        let pacer = Pacer::default();
        pacer.set_rate(Rate::new(100, Duration::from_secs(1)));
        pacer.throttled(Some(Duration::from_secs(86_400)), 0);
        let started = Instant::now();
        let _ = pacer.acquire(1).await;
        assert!(started.elapsed() <= window::MAX_PAUSE, "{:?}", started.elapsed());
    }
}
