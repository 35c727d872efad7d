//! The sliding window of one pacer: what it let through, the limit in force, the pause a `429`
//! asked for, and the line of requests waiting for room, served in order.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

use super::Rate;

/// How much longer than the service's window the pacer keeps a request counted, beyond the
/// time its answer came (by when the service had surely counted it).
const MARGIN: f64 = 0.005;

/// The longest a `429` pauses the pacer, whatever its `Retry-After`.
pub(super) const MAX_PAUSE: Duration = Duration::from_secs(60);

/// Requests let through together (one, or a `$batch`'s items), and when the service had them.
#[derive(Debug, Clone, Copy)]
struct Entry {
    id: u64,
    count: u32,
    /// When they were sent, then when their answer came: the service counted them before.
    at: Instant,
    /// Whether their answer came (or their caller gave up on it). Until then they stay in the
    /// window however long ago they were sent: the service counts a request when it arrives,
    /// which may be long after it left (a slow `$batch`).
    answered: bool,
}

#[derive(Debug)]
pub(super) struct State {
    /// The configured rate: where the limit starts, and the most it climbs back to.
    rate: Rate,
    /// The window, with the margin.
    window: Duration,
    /// Requests currently allowed per window.
    limit: u32,
    /// What was let through in the last window.
    sent: VecDeque<Entry>,
    next_id: u64,
    /// The requests waiting for room, in the order they asked: a ticket and its count.
    line: VecDeque<(u64, u32)>,
    next_ticket: u64,
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
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Go, as this entry.
    Go(u64),
    /// First in line: there is room at this time.
    WaitUntil(Instant),
    /// Others asked first.
    Behind,
}

impl State {
    pub(super) fn new(rate: Rate, now: Instant) -> State {
        State {
            rate,
            window: window(rate),
            limit: rate.requests,
            sent: VecDeque::new(),
            next_id: 0,
            line: VecDeque::new(),
            next_ticket: 0,
            paused_until: None,
            changed: now,
            ceiling: None,
            last_throttle: None,
        }
    }

    fn expire(&mut self, now: Instant) {
        let window = self.window;
        self.sent.retain(|e| !e.answered || now.saturating_duration_since(e.at) < window);
    }

    fn used(&self) -> u32 {
        self.sent.iter().fold(0u32, |sum, e| sum.saturating_add(e.count))
    }

    /// Paces at `rate` from now on, keeping what was sent.
    pub(super) fn set_rate(&mut self, rate: Rate, now: Instant) {
        if self.rate != rate {
            self.rate = rate;
            self.window = window(rate);
            self.limit = rate.requests;
            self.changed = now;
            self.ceiling = None;
        }
    }

    /// Requests currently allowed per window.
    pub(super) fn limit(&self) -> u32 {
        self.limit
    }

    /// Takes a place in line for `n` requests.
    pub(super) fn enqueue(&mut self, n: u32) -> u64 {
        let ticket = self.next_ticket;
        self.next_ticket += 1;
        self.line.push_back((ticket, n.max(1)));
        ticket
    }

    /// Gives up a place in line.
    pub(super) fn leave(&mut self, ticket: u64) {
        self.line.retain(|(t, _)| *t != ticket);
    }

    /// Whether the requests of `ticket` may go now: only the first in line goes, when its
    /// requests fit under the limit (or, more than the whole limit, into an empty window).
    pub(super) fn admit(&mut self, ticket: u64, now: Instant) -> Verdict {
        match self.line.front() {
            Some(&(first, n)) if first == ticket => {
                let verdict = self.room_for(n, now);
                if matches!(verdict, Verdict::Go(_)) {
                    self.line.pop_front();
                }
                verdict
            }
            Some(_) => Verdict::Behind,
            // Not in line (it left): take a new place at the end.
            None => Verdict::Behind,
        }
    }

    fn room_for(&mut self, n: u32, now: Instant) -> Verdict {
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
        let used = self.used();
        // More than the whole limit at once goes alone, into an empty window.
        if used.saturating_add(n) <= self.limit || (used == 0 && n > self.limit) {
            let id = self.next_id;
            self.next_id += 1;
            self.sent.push_back(Entry { id, count: n, at: now, answered: false });
            return Verdict::Go(id);
        }
        let must_leave = used.saturating_add(n).saturating_sub(self.limit);
        Verdict::WaitUntil(self.room_at(must_leave, now).max(now + Duration::from_micros(100)))
    }

    /// When `must_leave` requests will have left the window: the oldest answered first. When the
    /// answered ones are not enough, a window from now: an answer (`settle`) wakes the line
    /// before.
    fn room_at(&self, must_leave: u32, now: Instant) -> Instant {
        let mut times: Vec<(Instant, u32)> =
            self.sent.iter().filter(|e| e.answered).map(|e| (e.at, e.count)).collect();
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
        if freed < must_leave { now + self.window } else { when }
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

    /// The answer to what entry `id` let through came: `accepted` of them count in the
    /// service's window from `now`; the others it refused.
    pub(super) fn settle(&mut self, id: u64, accepted: u32, now: Instant) {
        if let Some(index) = self.sent.iter().position(|e| e.id == id) {
            if accepted == 0 {
                self.sent.remove(index);
            } else {
                let entry = &mut self.sent[index];
                entry.count = entry.count.min(accepted);
                entry.at = now;
                entry.answered = true;
            }
        }
    }

    /// The service throttled: `refused` items of an answered `$batch` leave the window, the
    /// limit falls, and sending pauses.
    pub(super) fn throttled(&mut self, retry_after: Option<Duration>, refused: u32, now: Instant) {
        self.forget_newest(refused);
        self.throttle(retry_after, now);
    }

    /// How long `remaining` more requests take at the current limit.
    pub(super) fn eta(&self, remaining: usize) -> Duration {
        let windows = remaining as f64 / f64::from(self.limit.max(1));
        Duration::try_from_secs_f64(self.window.as_secs_f64() * windows).unwrap_or(Duration::MAX)
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
        // However long the service asks, a pause ends after `MAX_PAUSE`: what it asked is the
        // throttled call's to wait (or give up on), not every writer's.
        let until = now + pause.min(MAX_PAUSE);
        self.paused_until = Some(self.paused_until.map_or(until, |p| p.max(until)));
    }
}

fn window(rate: Rate) -> Duration {
    rate.per().mul_f64(1.0 + MARGIN)
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

    impl State {
        /// Asks once for `n` at `now`, alone in line; what goes is answered at once.
        fn ask(&mut self, n: u32, now: Instant) -> Verdict {
            let verdict = self.send(n, now);
            if let Verdict::Go(id) = verdict {
                self.settle(id, n, now);
            }
            verdict
        }

        /// Asks once for `n` at `now`, alone in line; what goes waits for its answer.
        fn send(&mut self, n: u32, now: Instant) -> Verdict {
            let ticket = self.enqueue(n);
            let verdict = self.admit(ticket, now);
            self.leave(ticket);
            verdict
        }
    }

    #[test]
    fn requests_go_in_the_order_they_asked() {
        let start = Instant::now();
        let mut s = state(10, 1000, start);
        assert!(go(s.ask(1, start)));
        let batch = s.enqueue(20);
        let single = s.enqueue(1);
        // The batch needs an empty window; the single write behind it waits its turn, though
        // it would fit.
        assert_eq!(s.admit(batch, start), Verdict::WaitUntil(start + s.window));
        assert_eq!(s.admit(single, start), Verdict::Behind);
        assert!(go(s.admit(batch, start + s.window)));
        assert!(matches!(s.admit(single, start + s.window), Verdict::WaitUntil(_)));
        // One that leaves the line lets the next go.
        let third = s.enqueue(1);
        s.leave(single);
        assert!(matches!(s.admit(third, start + s.window), Verdict::WaitUntil(_)));
    }

    #[test]
    fn lets_the_rate_through_and_no_more() {
        let start = Instant::now();
        let mut s = state(10, 1000, start);
        for _ in 0..10 {
            assert!(go(s.ask(1, start)));
        }
        let Verdict::WaitUntil(when) = s.ask(1, start) else { panic!("an 11th in the window") };
        assert_eq!(when, start + s.window);
        // A batch of 5 waits for the 5 oldest to leave.
        assert!(!go(s.ask(5, start + Duration::from_millis(10))));
        assert!(go(s.ask(5, start + s.window)));
    }

    #[test]
    fn a_batch_larger_than_the_limit_goes_alone() {
        let start = Instant::now();
        let mut s = state(10, 1000, start);
        assert!(go(s.ask(20, start)));
        assert!(!go(s.ask(1, start)));
    }

    #[test]
    fn a_request_counts_from_its_answer() {
        let start = Instant::now();
        let mut s = state(1, 1000, start);
        let Verdict::Go(id) = s.ask(1, start) else { panic!() };
        // Answered 300 ms later: the service counted it by then, so it holds the window until
        // a window after the answer.
        let answered = start + Duration::from_millis(300);
        s.settle(id, 1, answered);
        let Verdict::WaitUntil(when) = s.ask(1, start + s.window) else { panic!() };
        assert_eq!(when, answered + s.window);
    }

    #[test]
    fn a_request_without_an_answer_holds_its_place() {
        let start = Instant::now();
        let mut s = state(1, 1000, start);
        let Verdict::Go(id) = s.send(1, start) else { panic!() };
        // Still unanswered three windows later (a slow `$batch`): the service may count it
        // only now, so nothing more goes.
        let later = start + s.window * 3;
        assert!(!go(s.ask(1, later)));
        s.settle(id, 1, later);
        assert!(!go(s.ask(1, later + s.window / 2)));
        assert!(go(s.ask(1, later + s.window)));
    }

    #[test]
    fn a_429_lowers_the_limit_to_what_the_service_accepted_and_probes_rarely() {
        let start = Instant::now();
        let mut s = state(100, 1000, start);
        let later = start + Duration::from_millis(500);
        for _ in 0..60 {
            assert!(go(s.ask(1, later)));
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
        assert!(go(s.ask(1, clean)));
        assert_eq!(s.limit, 60);
        // ...until fifty have passed: then it probes a twentieth of the rate higher.
        let probe = later + s.window * 51;
        assert!(go(s.ask(1, probe)));
        assert_eq!(s.limit, 65);
    }

    #[test]
    fn retry_after_pauses_everything() {
        let start = Instant::now();
        let mut s = state(100, 1000, start);
        s.throttle(Some(Duration::from_millis(300)), start);
        assert!(!go(s.ask(1, start + Duration::from_millis(299))));
        assert!(go(s.ask(1, start + Duration::from_millis(300))));
    }
}
