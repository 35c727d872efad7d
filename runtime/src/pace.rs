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

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, Weak};
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

/// How much longer than the service's window the pacer keeps a request counted, beyond the
/// time its answer came (by when the service had surely counted it).
const MARGIN: f64 = 0.005;

/// The limiter one client shares among all its calls.
#[derive(Debug, Default)]
pub(crate) struct Pacer {
    state: Mutex<Option<State>>,
}

/// Requests let through together (one, or a `$batch`'s items), and when the service had them.
#[derive(Debug, Clone, Copy)]
struct Entry {
    id: u64,
    count: u32,
    /// When they were sent, then when their answer came: the service counted them before.
    at: Instant,
}

#[derive(Debug)]
struct State {
    /// The configured rate: where the limit starts, and the most it climbs back to.
    rate: Rate,
    /// The window, with the margin.
    window: Duration,
    /// Requests currently allowed per window.
    limit: u32,
    /// What was let through in the last window.
    sent: VecDeque<Entry>,
    next_id: u64,
    /// No request before this (a `Retry-After`).
    paused_until: Option<Instant>,
    /// When the limit last changed: it climbs after a full window without a `429`.
    changed: Instant,
    /// One more than the requests the service had accepted in the window when it last
    /// throttled: climbing stops below it; fifty windows without a `429` raise it a step (a
    /// probe, in case the service accepts more again).
    ceiling: Option<u32>,
    /// When the service last throttled.
    last_throttle: Option<Instant>,
}

/// What the pacer says about a request.
enum Verdict {
    Go(u64),
    WaitUntil(Instant),
}

/// Requests the pacer let through: settle it when the answer comes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Permit {
    id: Option<u64>,
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
                current.ceiling = None;
            }
            None => *state = Some(State::new(rate, now)),
        }
    }

    /// The most items one request may carry now: the current limit, or `None` when not pacing.
    pub(crate) fn limit(&self) -> Option<u32> {
        lock(&self.state).as_ref().map(|s| s.limit)
    }

    /// Waits until `n` requests (a `$batch` of `n` items counts `n`) fit in the window, and
    /// counts them as sent. At once when not pacing.
    pub(crate) async fn acquire(&self, n: u32) -> Permit {
        loop {
            let verdict = {
                let mut state = lock(&self.state);
                let Some(state) = state.as_mut() else { return Permit { id: None } };
                state.admit(n, Instant::now())
            };
            match verdict {
                Verdict::Go(id) => return Permit { id: Some(id) },
                Verdict::WaitUntil(when) => tokio::time::sleep_until(when).await,
            }
        }
    }

    /// The answer to what `permit` let through came: `accepted` of them count in the service's
    /// window from now (the service counted them before its answer); the others it refused.
    pub(crate) fn settle(&self, permit: Permit, accepted: u32) {
        let Some(id) = permit.id else { return };
        if let Some(state) = lock(&self.state).as_mut() {
            let now = Instant::now();
            if let Some(index) = state.sent.iter().position(|e| e.id == id) {
                if accepted == 0 {
                    state.sent.remove(index);
                } else {
                    let entry = &mut state.sent[index];
                    entry.count = entry.count.min(accepted);
                    entry.at = now;
                }
            }
        }
    }

    /// The service throttled: lower the limit at once and pause for `retry_after` (or until
    /// the window has room again). `refused` items of an answered `$batch` leave the window.
    pub(crate) fn throttled(&self, retry_after: Option<Duration>, refused: u32) {
        if let Some(state) = lock(&self.state).as_mut() {
            state.forget_newest(refused);
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
    fn new(rate: Rate, now: Instant) -> State {
        State {
            rate,
            window: window(rate),
            limit: rate.requests,
            sent: VecDeque::new(),
            next_id: 0,
            paused_until: None,
            changed: now,
            ceiling: None,
            last_throttle: None,
        }
    }

    fn expire(&mut self, now: Instant) {
        let window = self.window;
        self.sent.retain(|e| now.saturating_duration_since(e.at) < window);
    }

    fn used(&self) -> u32 {
        self.sent.iter().fold(0u32, |sum, e| sum.saturating_add(e.count))
    }

    fn admit(&mut self, n: u32, now: Instant) -> Verdict {
        if let Some(until) = self.paused_until {
            if until > now {
                return Verdict::WaitUntil(until);
            }
            self.paused_until = None;
        }
        self.expire(now);
        // Fifty windows without a `429`: the service may accept more again; probe a step up.
        if self.last_throttle.is_some_and(|t| now.duration_since(t) >= self.window * 50) {
            let step = (self.rate.requests / 20).max(1);
            self.ceiling =
                self.ceiling.map(|c| c.saturating_add(step)).filter(|&c| c <= self.rate.requests);
            self.last_throttle = self.ceiling.map(|_| now);
        }
        // A full window without a `429`: climb back a twentieth of the rate, short of where the
        // service last throttled.
        let top = self.ceiling.map_or(self.rate.requests, |c| c.saturating_sub(1).max(1));
        if now.duration_since(self.changed) >= self.window && self.limit < top {
            let step = (self.rate.requests / 20).max(1);
            self.limit = (self.limit + step).min(top);
            self.changed = now;
        }
        let n = n.max(1);
        let used = self.used();
        // More than the whole limit at once goes alone, into an empty window.
        if used.saturating_add(n) <= self.limit || (used == 0 && n > self.limit) {
            let id = self.next_id;
            self.next_id += 1;
            self.sent.push_back(Entry { id, count: n, at: now });
            return Verdict::Go(id);
        }
        let must_leave = used.saturating_add(n).saturating_sub(self.limit);
        Verdict::WaitUntil(self.room_at(must_leave, now).max(now + Duration::from_micros(100)))
    }

    /// When `must_leave` requests will have left the window: the oldest first.
    fn room_at(&self, must_leave: u32, now: Instant) -> Instant {
        let mut times: Vec<(Instant, u32)> = self.sent.iter().map(|e| (e.at, e.count)).collect();
        times.sort_unstable_by_key(|(at, _)| *at);
        let mut freed = 0u32;
        let mut when = now;
        for (at, count) in times {
            if freed >= must_leave {
                break;
            }
            freed = freed.saturating_add(count);
            when = at + self.window;
        }
        when
    }

    /// Takes `n` requests off the newest entries: they were refused.
    fn forget_newest(&mut self, mut n: u32) {
        while n > 0 {
            let Some(newest) = self.sent.iter_mut().max_by_key(|e| e.at) else { return };
            let taken = newest.count.min(n);
            newest.count -= taken;
            n -= taken;
            if newest.count == 0 {
                let id = newest.id;
                self.sent.retain(|e| e.id != id);
            }
        }
    }

    fn throttle(&mut self, retry_after: Option<Duration>, now: Instant) {
        self.expire(now);
        self.last_throttle = Some(now);
        // What the service had accepted when it refused (this log holds every request at least
        // as long as the service does, and not the refused ones): its limit is no more.
        let accepted = self.used();
        let ceiling =
            Some(self.ceiling.map_or(accepted, |c| c.min(accepted.max(1))).saturating_add(1));
        if accepted < self.limit {
            // Refused below the limit: the service's is lower; follow it at once.
            self.limit = accepted.max(1);
            self.ceiling = ceiling;
            self.changed = now;
        } else if now.duration_since(self.changed) >= self.window / 10 {
            // Refused at the limit: cut it by a quarter (once for a burst of refusals).
            self.ceiling = ceiling;
            let cut = (f64::from(self.limit) * 0.75).floor() as u32;
            self.limit = cut.min(accepted).max(1);
            self.changed = now;
        }
        let pause = retry_after.unwrap_or_else(|| {
            // No `Retry-After` (Intune often sends none): until the window has room again, and
            // at least a twentieth of a window: the service knows better than this log.
            let over = self.used().saturating_sub(self.limit);
            self.room_at(over, now).saturating_duration_since(now).max(self.window / 20)
        });
        let until = now + pause;
        self.paused_until = Some(self.paused_until.map_or(until, |p| p.max(until)));
    }
}

/// The pacers of the (service root, principal) pairs with a live client, so that every client
/// of one application against one service shares one limiter.
static SHARED: std::sync::OnceLock<Mutex<HashMap<String, Weak<Pacer>>>> =
    std::sync::OnceLock::new();

/// The pacer for a client of `base_url` whose credential names `principal` (its own when the
/// principal is unknown), paced at `rate` when given.
pub(crate) fn shared(base_url: &str, principal: Option<String>, rate: Option<Rate>) -> Arc<Pacer> {
    let pacer = match principal {
        None => Arc::new(Pacer::default()),
        Some(principal) => {
            let key = format!("{base_url} {principal}");
            let mut shared = SHARED
                .get_or_init(Mutex::default)
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            shared.retain(|_, pacer| pacer.strong_count() > 0);
            match shared.get(&key).and_then(Weak::upgrade) {
                Some(pacer) => pacer,
                None => {
                    let pacer = Arc::new(Pacer::default());
                    shared.insert(key, Arc::downgrade(&pacer));
                    pacer
                }
            }
        }
    };
    if let Some(rate) = rate {
        pacer.set_rate(rate);
    }
    pacer
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
        State::new(Rate::new(requests, Duration::from_millis(ms)), now)
    }

    fn go(verdict: Verdict) -> bool {
        matches!(verdict, Verdict::Go(_))
    }

    #[test]
    fn lets_the_rate_through_and_no_more() {
        let start = Instant::now();
        let mut s = state(10, 1000, start);
        for _ in 0..10 {
            assert!(go(s.admit(1, start)));
        }
        let Verdict::WaitUntil(when) = s.admit(1, start) else { panic!("an 11th in the window") };
        assert_eq!(when, start + s.window);
        // A batch of 5 waits for the 5 oldest to leave.
        assert!(!go(s.admit(5, start + Duration::from_millis(10))));
        assert!(go(s.admit(5, start + s.window)));
    }

    #[test]
    fn a_batch_larger_than_the_limit_goes_alone() {
        let start = Instant::now();
        let mut s = state(10, 1000, start);
        assert!(go(s.admit(20, start)));
        assert!(!go(s.admit(1, start)));
    }

    #[test]
    fn a_request_counts_from_its_answer() {
        let start = Instant::now();
        let mut s = state(1, 1000, start);
        let Verdict::Go(id) = s.admit(1, start) else { panic!() };
        // Answered 300 ms later: the service counted it by then, so it holds the window until
        // a window after the answer.
        let answered = start + Duration::from_millis(300);
        s.sent.iter_mut().find(|e| e.id == id).unwrap().at = answered;
        let Verdict::WaitUntil(when) = s.admit(1, start + s.window) else { panic!() };
        assert_eq!(when, answered + s.window);
    }

    #[tokio::test]
    async fn refused_requests_leave_the_window() {
        let pacer = Pacer::default();
        pacer.set_rate(Rate::new(2, Duration::from_secs(60)));
        let first = pacer.acquire(1).await;
        let second = pacer.acquire(1).await;
        pacer.settle(first, 1);
        // Refused: its place is free at once.
        pacer.settle(second, 0);
        let third = tokio::time::timeout(Duration::from_millis(100), pacer.acquire(1)).await;
        assert!(third.is_ok());
    }

    #[test]
    fn a_429_lowers_the_limit_to_what_the_service_accepted_and_probes_rarely() {
        let start = Instant::now();
        let mut s = state(100, 1000, start);
        let later = start + Duration::from_millis(500);
        for _ in 0..60 {
            assert!(go(s.admit(1, later)));
        }
        // Refused with 60 counted: the service accepts at most 60 now.
        s.throttle(None, later);
        assert_eq!(s.limit, 60);
        assert_eq!(s.ceiling, Some(61));
        assert!(s.paused_until.is_some());
        // A second 429 of the same burst does not lower it again.
        s.throttle(Some(Duration::from_millis(1)), later);
        assert_eq!(s.limit, 60);
        // Windows without a 429 do not take it past what the service accepted...
        let clean = later + s.window * 2;
        assert!(go(s.admit(1, clean)));
        assert_eq!(s.limit, 60);
        // ...until fifty have passed: then it probes a twentieth of the rate higher.
        let probe = later + s.window * 51;
        assert!(go(s.admit(1, probe)));
        assert_eq!(s.limit, 65);
    }

    #[test]
    fn retry_after_pauses_everything() {
        let start = Instant::now();
        let mut s = state(100, 1000, start);
        s.throttle(Some(Duration::from_millis(300)), start);
        assert!(!go(s.admit(1, start + Duration::from_millis(299))));
        assert!(go(s.admit(1, start + Duration::from_millis(300))));
    }
}
