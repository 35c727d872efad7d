//! Pacing: sending no faster than the service's throttling limit instead of finding it with
//! `429`s.
//!
//! Graph limits requests per app and tenant in sliding windows (Intune: 100 writes per 20 s per
//! app, each `$batch` item counted). A [`Pacer`] keeps the times of the requests it let through
//! in the last window and lets a request (or a `$batch` of `n` items) go only when it fits under
//! the current limit. The limit starts at the configured [`Rate`]; a `429` lowers it at once
//! (to what the service evidently accepts, less a margin) and pauses sending for the
//! `Retry-After`, or for the window when there is none; each window that passes without a `429`
//! raises it a little, back towards the configured rate.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// At most `requests` requests in any `per` window: a documented or configured throttling limit.
///
/// ```
/// use graph_entity_runtime::client::Rate;
/// use std::time::Duration;
///
/// assert_eq!(Rate::INTUNE_WRITES, Rate::new(100, Duration::from_secs(20)));
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

    /// `requests` in any window of `per` (at least one request, in at least a millisecond).
    pub fn new(requests: u32, per: Duration) -> Rate {
        Rate { requests: requests.max(1), per: per.max(Duration::from_millis(1)) }
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

/// How much longer than the service's window the pacer keeps a request counted: the service
/// counts a request when it arrives, which is after it was sent.
const MARGIN: f64 = 0.02;

/// The limiter one client shares among all its calls.
#[derive(Debug, Default)]
pub(crate) struct Pacer {
    state: Mutex<Option<State>>,
}

#[derive(Debug)]
struct State {
    /// The configured rate: where the limit starts, and the most it climbs back to.
    rate: Rate,
    /// The window, with the margin.
    window: Duration,
    /// Requests currently allowed per window.
    limit: u32,
    /// When each request let through in the last window went.
    sent: VecDeque<Instant>,
    /// No request before this (a `Retry-After`).
    paused_until: Option<Instant>,
    /// When the limit last changed: it climbs after a full window without a `429`.
    changed: Instant,
    /// `429`s seen, for reports.
    throttled: u64,
}

/// What the pacer says about a request.
enum Verdict {
    Go,
    WaitUntil(Instant),
}

impl Pacer {
    /// Paces at `rate` from now on (keeping what was sent).
    pub(crate) fn set_rate(&self, rate: Rate) {
        let mut state = lock(&self.state);
        let now = Instant::now();
        match state.as_mut() {
            Some(current) if current.rate == rate => {}
            Some(current) => {
                current.rate = rate;
                current.window = window(rate);
                current.limit = rate.requests;
                current.changed = now;
            }
            None => {
                *state = Some(State {
                    rate,
                    window: window(rate),
                    limit: rate.requests,
                    sent: VecDeque::new(),
                    paused_until: None,
                    changed: now,
                    throttled: 0,
                });
            }
        }
    }

    /// The most items one request may carry now: the current limit, or `None` when not pacing.
    pub(crate) fn limit(&self) -> Option<u32> {
        lock(&self.state).as_ref().map(|s| s.limit)
    }

    /// Waits until `n` requests (a `$batch` of `n` items counts `n`) fit in the window, and
    /// counts them as sent. At once when not pacing.
    pub(crate) async fn acquire(&self, n: u32) {
        loop {
            let verdict = {
                let mut state = lock(&self.state);
                let Some(state) = state.as_mut() else { return };
                state.admit(n, Instant::now())
            };
            match verdict {
                Verdict::Go => return,
                Verdict::WaitUntil(when) => tokio::time::sleep_until(when).await,
            }
        }
    }

    /// The service throttled a request: lower the limit at once and pause for `retry_after`
    /// (or until the window has room again).
    pub(crate) fn throttled(&self, retry_after: Option<Duration>) {
        if let Some(state) = lock(&self.state).as_mut() {
            state.throttle(retry_after, Instant::now());
        }
    }

    /// How long `remaining` more requests take at the current limit, when pacing.
    pub(crate) fn eta(&self, remaining: usize) -> Option<Duration> {
        let state = lock(&self.state);
        let state = state.as_ref()?;
        let windows = remaining as f64 / f64::from(state.limit.max(1));
        Some(state.window.mul_f64(windows))
    }
}

impl State {
    fn admit(&mut self, n: u32, now: Instant) -> Verdict {
        if let Some(until) = self.paused_until {
            if until > now {
                return Verdict::WaitUntil(until);
            }
            self.paused_until = None;
        }
        while self.sent.front().is_some_and(|&t| now.duration_since(t) >= self.window) {
            self.sent.pop_front();
        }
        // A full window without a `429`: climb back a twentieth of the rate.
        if now.duration_since(self.changed) >= self.window && self.limit < self.rate.requests {
            let step = (self.rate.requests / 20).max(1);
            self.limit = (self.limit + step).min(self.rate.requests);
            self.changed = now;
        }
        let n = n.max(1);
        let used = u32::try_from(self.sent.len()).unwrap_or(u32::MAX);
        // More than the whole limit at once goes alone, into an empty window.
        let fits = used.saturating_add(n) <= self.limit || (used == 0 && n > self.limit);
        if fits {
            self.sent.extend(std::iter::repeat_n(now, n as usize));
            return Verdict::Go;
        }
        // Room comes when enough of the oldest leave the window.
        let must_leave = (used.saturating_add(n).saturating_sub(self.limit)) as usize;
        let index = must_leave.saturating_sub(1).min(self.sent.len().saturating_sub(1));
        let when = self.sent.get(index).map_or(now, |&t| t + self.window);
        Verdict::WaitUntil(when.max(now + Duration::from_micros(100)))
    }

    fn throttle(&mut self, retry_after: Option<Duration>, now: Instant) {
        self.throttled += 1;
        while self.sent.front().is_some_and(|&t| now.duration_since(t) >= self.window) {
            self.sent.pop_front();
        }
        // The refused request does not hold a place in the service's window.
        self.sent.pop_back();
        // The service refused with `in_window` accepted: it accepts no more than that now.
        // Several `429`s of one burst lower the limit once.
        if now.duration_since(self.changed) >= self.window / 10 {
            let in_window = u32::try_from(self.sent.len()).unwrap_or(u32::MAX);
            let cut = (f64::from(self.limit) * 0.75).floor() as u32;
            self.limit = cut.min(in_window).max(1);
            self.changed = now;
        }
        let pause = retry_after.unwrap_or_else(|| {
            // No `Retry-After` (Intune often sends none): until the window has room again.
            let over = self.sent.len().saturating_sub(self.limit as usize);
            self.sent
                .get(over)
                .map_or(Duration::ZERO, |&t| (t + self.window).saturating_duration_since(now))
        });
        let until = now + pause;
        self.paused_until = Some(self.paused_until.map_or(until, |p| p.max(until)));
    }
}

fn window(rate: Rate) -> Duration {
    rate.per.mul_f64(1.0 + MARGIN)
}

fn lock(state: &Mutex<Option<State>>) -> std::sync::MutexGuard<'_, Option<State>> {
    state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(requests: u32, ms: u64, now: Instant) -> State {
        let rate = Rate::new(requests, Duration::from_millis(ms));
        State {
            rate,
            window: window(rate),
            limit: requests,
            sent: VecDeque::new(),
            paused_until: None,
            changed: now,
            throttled: 0,
        }
    }

    #[test]
    fn lets_the_rate_through_and_no_more() {
        let start = Instant::now();
        let mut s = state(10, 1000, start);
        for _ in 0..10 {
            assert!(matches!(s.admit(1, start), Verdict::Go));
        }
        let Verdict::WaitUntil(when) = s.admit(1, start) else { panic!("an 11th in the window") };
        assert_eq!(when, start + window(s.rate));
        // A batch of 5 waits for the 5 oldest to leave.
        assert!(matches!(s.admit(5, start + Duration::from_millis(10)), Verdict::WaitUntil(_)));
        assert!(matches!(s.admit(5, start + window(s.rate)), Verdict::Go));
    }

    #[test]
    fn a_batch_larger_than_the_limit_goes_alone() {
        let start = Instant::now();
        let mut s = state(10, 1000, start);
        assert!(matches!(s.admit(20, start), Verdict::Go));
        assert!(matches!(s.admit(1, start), Verdict::WaitUntil(_)));
    }

    #[test]
    fn a_429_lowers_the_limit_and_pauses_then_it_climbs_back() {
        let start = Instant::now();
        let mut s = state(100, 1000, start);
        let later = start + Duration::from_millis(500);
        for _ in 0..60 {
            assert!(matches!(s.admit(1, later), Verdict::Go));
        }
        // The 60th refused: the service accepts 59 now.
        s.throttle(None, later);
        assert_eq!(s.limit, 59);
        assert!(s.paused_until.is_some());
        // A second 429 of the same burst does not lower it again.
        s.throttle(Some(Duration::from_millis(1)), later);
        assert_eq!(s.limit, 59);
        // A window later, with no 429, it climbs by a twentieth of the rate.
        let clean = later + window(s.rate) * 2;
        assert!(matches!(s.admit(1, clean), Verdict::Go));
        assert_eq!(s.limit, 64);
    }

    #[test]
    fn retry_after_pauses_everything() {
        let start = Instant::now();
        let mut s = state(100, 1000, start);
        s.throttle(Some(Duration::from_millis(300)), start);
        assert!(matches!(s.admit(1, start + Duration::from_millis(299)), Verdict::WaitUntil(_)));
        assert!(matches!(s.admit(1, start + Duration::from_millis(300)), Verdict::Go));
    }
}
