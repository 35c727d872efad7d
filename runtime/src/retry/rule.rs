//! The one rule for what to do after each attempt of a request: send it again after a wait,
//! take the answer, or give up and say what became of the request. Single calls and the items of
//! a `$batch` are driven through it alike ([`Exchange`]); it does no I/O and keeps no clock, so
//! that it is tested as a table of (method, history, answer) → decision.
//!
//! The rule, as `RELIABILITY.md` states it:
//!
//! - `429` and `503` say the service did not act: always sent again, within the policy.
//! - A connection that could not be made sent nothing: sent again.
//! - A lost answer (a timeout, a dropped connection) and `504` leave it open whether the service
//!   acted: sent again only when repeating is safe (a read, a `PATCH` or `DELETE` of absolute
//!   values, a `POST` the caller declared idempotent), and from then on the request is
//!   *uncertain*; otherwise the outcome is unknown.
//! - `500` and `502` to a write leave its outcome unknown (the service may have acted before
//!   failing); to a read they are the error.
//! - A write refused after an uncertain attempt may have been refused because of that attempt (a
//!   `412` once it changed the etag): its outcome is unknown. A `DELETE` answered `404` after an
//!   uncertain attempt was deleted by that attempt: done.
//! - A success after an uncertain attempt is the request's success; the caller learns it was
//!   resent (a `$batch` resent may have applied each of its items twice).
//! - An expired token (`401 InvalidAuthenticationToken`) is refreshed once and the request sent
//!   again at once.
//! - Giving up after retries names the policy setting that stopped them; an uncertain request
//!   that gives up is an unknown outcome.

use std::time::Duration;

use crate::error::{Error, GiveUp};

use super::RetryPolicy;

/// What a request is, as far as resending it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Request {
    /// It changes something (`POST`, `PUT`, `PATCH`, `DELETE`).
    pub(crate) write: bool,
    /// Sending it twice leaves the same state: a read, an absolute update or deletion, or a
    /// `POST` the caller declared idempotent.
    pub(crate) repeatable: bool,
    /// A `DELETE`: gone after an uncertain attempt means deleted.
    pub(crate) delete: bool,
}

impl Request {
    /// A read (`GET`).
    pub(crate) const READ: Request = Request { write: false, repeatable: true, delete: false };

    /// A write; `repeatable` when sending it twice is safe.
    pub(crate) const fn write(repeatable: bool) -> Request {
        Request { write: true, repeatable, delete: false }
    }

    /// A `DELETE`.
    pub(crate) const DELETE: Request = Request { write: true, repeatable: true, delete: true };
}

/// What an attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    /// A success status, its body read.
    Succeeded,
    /// A success status whose body could not be read whole.
    BodyLost,
    /// An error status, with the wait the service asked for; `expired_token` for a `401` a fresh
    /// token may cure.
    Refused { status: u16, retry_after: Option<Duration>, expired_token: bool },
    /// A redirect, with this status, that was not followed.
    Redirected { status: u16 },
    /// Connecting failed: nothing was sent.
    NotSent,
    /// The request left and no complete answer came.
    Lost,
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Take the answer; `resent` when an earlier attempt may have acted too.
    Done { resent: bool },
    /// A `DELETE` that an earlier, uncertain attempt carried out: take it as deleted.
    Gone,
    /// Refresh the token and send again at once.
    Refresh,
    /// Send again after this wait.
    Resend { after: Duration },
    /// Stop with the error, as the verdict says.
    GiveUp(Verdict),
}

/// How the error of the last attempt is reported when giving up: the one place that says a
/// request's outcome is unknown or that the retries ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verdict {
    /// Attempts made, the last one included.
    pub(crate) attempts: u32,
    /// The policy setting that stopped the retries, when retrying was what stopped.
    pub(crate) exhausted: Option<GiveUp>,
    /// The service may or may not have acted on the request.
    pub(crate) unknown: bool,
}

impl Verdict {
    /// The error to report, from the error of the last attempt.
    pub(crate) fn apply(self, error: Error) -> Error {
        let error = match self.exhausted {
            // Retries are off: the error as it came.
            None | Some(GiveUp::MaxRetries { max_retries: 0 }) => error,
            Some(reason) => {
                Error::RetriesExhausted { attempts: self.attempts, reason, last: Box::new(error) }
            }
        };
        if self.unknown {
            Error::UnknownOutcome { attempts: self.attempts, source: Box::new(error) }
        } else {
            error
        }
    }
}

/// One request's history: its attempts, its waits, and whether an earlier attempt may have
/// acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Exchange {
    request: Request,
    /// Attempts made so far (the one being decided on included).
    attempts: u32,
    /// Total waited between attempts.
    waited: Duration,
    /// An earlier attempt may have acted (a lost answer, a `504`, a resent `$batch`).
    uncertain: bool,
    refreshed: bool,
}

impl Exchange {
    /// A request about to be sent for the first time.
    pub(crate) fn new(request: Request) -> Self {
        Exchange {
            request,
            attempts: 1,
            waited: Duration::ZERO,
            uncertain: false,
            refreshed: false,
        }
    }

    /// The attempt being made: 1 for the first.
    pub(crate) fn attempt(&self) -> u32 {
        self.attempts
    }

    /// An attempt may have acted without this exchange seeing it: the `$batch` that carried an
    /// item was resent after a lost answer.
    pub(crate) fn mark_uncertain(&mut self) {
        self.uncertain = true;
    }

    /// The decision after an attempt came to `event`, within `policy`. After `Resend` and
    /// `Refresh` the next call is about the next attempt.
    pub(crate) fn decide(&mut self, event: Event, policy: &RetryPolicy) -> Decision {
        let Request { write, repeatable, delete } = self.request;
        let stop = |unknown: bool| {
            Decision::GiveUp(Verdict { attempts: self.attempts, exhausted: None, unknown })
        };
        // What the attempt leaves, if it is sent again: the wait it asks for and whether it may
        // have acted.
        let (retry_after, acted) = match event {
            Event::Succeeded => return Decision::Done { resent: self.uncertain },
            // A write answered with success took effect, whatever became of its body.
            Event::BodyLost if write => return Decision::Done { resent: self.uncertain },
            Event::BodyLost => (None, false),
            // `303` answers a write the service acted on; `301` and `302` too, in the old
            // Post/Redirect/Get pattern; only `307` and `308` say "send it there instead".
            Event::Redirected { status } => return stop(write && !matches!(status, 307 | 308)),
            Event::NotSent => (None, false),
            Event::Lost if repeatable => (None, write),
            Event::Lost => return stop(true),
            Event::Refused { status: 401, expired_token: true, .. } if !self.refreshed => {
                self.refreshed = true;
                self.attempts += 1;
                return Decision::Refresh;
            }
            Event::Refused { status, retry_after, .. } => match status {
                429 | 503 => (retry_after, false),
                504 if repeatable => (retry_after, write),
                // The service may have acted before failing, or before its gateway timed out.
                500 | 502 | 504 if write => return stop(true),
                // A resent deletion that finds nothing: the earlier attempt deleted it.
                404 if delete && self.uncertain => return Decision::Gone,
                // Refused after an attempt that may have acted: that attempt may have done it.
                _ => return stop(write && self.uncertain),
            },
        };
        self.uncertain |= acted;
        match policy.wait(self.attempts, retry_after, self.waited) {
            Ok(after) => {
                self.waited = self.waited.saturating_add(after);
                self.attempts += 1;
                Decision::Resend { after }
            }
            Err(reason) => Decision::GiveUp(Verdict {
                attempts: self.attempts,
                exhausted: Some(reason),
                unknown: self.uncertain,
            }),
        }
    }

    /// The request will not be sent again for a reason outside it (the `$batch` carrying it
    /// failed as a whole): how its error is reported.
    pub(crate) fn abandon(&self) -> Verdict {
        Verdict { attempts: self.attempts, exhausted: None, unknown: self.uncertain }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POST: Request = Request::write(false);
    const IDEMPOTENT_POST: Request = Request::write(true);
    const PATCH: Request = Request::write(true);
    const GET: Request = Request::READ;
    const DELETE: Request = Request::DELETE;

    fn refused(status: u16) -> Event {
        Event::Refused { status, retry_after: None, expired_token: false }
    }

    fn policy() -> RetryPolicy {
        RetryPolicy::default().base_delay(Duration::from_millis(10))
    }

    /// The decision for `event` after `history` (events of earlier attempts, each resent).
    fn decide(request: Request, history: &[Event], event: Event) -> Decision {
        let policy = policy();
        let mut exchange = Exchange::new(request);
        for &earlier in history {
            let decision = exchange.decide(earlier, &policy);
            assert!(
                matches!(decision, Decision::Resend { .. } | Decision::Refresh),
                "{request:?} {earlier:?} was not resent: {decision:?}"
            );
        }
        exchange.decide(event, &policy)
    }

    fn stop(attempts: u32, unknown: bool) -> Decision {
        Decision::GiveUp(Verdict { attempts, exhausted: None, unknown })
    }

    fn resends(decision: Decision) -> bool {
        matches!(decision, Decision::Resend { .. })
    }

    #[test]
    fn the_rule_as_a_table() {
        let lost = Event::Lost;
        let gateway = refused(504);
        let throttled = refused(429);
        let expired = Event::Refused { status: 401, retry_after: None, expired_token: true };
        // (request, history, answer) → decision.
        let table: Vec<(Request, Vec<Event>, Event, Decision)> = vec![
            // Success, after nothing or after an attempt that may have acted.
            (POST, vec![], Event::Succeeded, Decision::Done { resent: false }),
            (PATCH, vec![lost], Event::Succeeded, Decision::Done { resent: true }),
            (GET, vec![lost], Event::Succeeded, Decision::Done { resent: false }),
            (POST, vec![throttled], Event::Succeeded, Decision::Done { resent: false }),
            (IDEMPOTENT_POST, vec![gateway], Event::Succeeded, Decision::Done { resent: true }),
            // A success whose body was cut: a write took effect; a read is read again.
            (POST, vec![], Event::BodyLost, Decision::Done { resent: false }),
            // Throttled or unavailable: the service did not act.
            (POST, vec![], refused(429), Decision::Resend { after: Duration::ZERO }),
            (POST, vec![], refused(503), Decision::Resend { after: Duration::ZERO }),
            (POST, vec![], Event::NotSent, Decision::Resend { after: Duration::ZERO }),
            // A lost answer or a gateway timeout: resent when repeating is safe, else unknown.
            (POST, vec![], lost, stop(1, true)),
            (POST, vec![], gateway, stop(1, true)),
            (POST, vec![], refused(500), stop(1, true)),
            (POST, vec![], refused(502), stop(1, true)),
            (PATCH, vec![], refused(500), stop(1, true)),
            (GET, vec![], refused(500), stop(1, false)),
            (GET, vec![], refused(502), stop(1, false)),
            (POST, vec![], refused(501), stop(1, false)),
            (POST, vec![], refused(400), stop(1, false)),
            (GET, vec![], refused(404), stop(1, false)),
            (DELETE, vec![], refused(404), stop(1, false)),
            // Refused after an attempt that may have acted.
            (PATCH, vec![lost], refused(412), stop(2, true)),
            (PATCH, vec![gateway], refused(400), stop(2, true)),
            (GET, vec![lost], refused(404), stop(2, false)),
            (PATCH, vec![throttled], refused(412), stop(2, false)),
            (DELETE, vec![lost], refused(404), Decision::Gone),
            (DELETE, vec![gateway], refused(404), Decision::Gone),
            (DELETE, vec![throttled], refused(404), stop(2, false)),
            // Redirects not followed: a write's outcome is unknown.
            (POST, vec![], Event::Redirected { status: 303 }, stop(1, true)),
            (POST, vec![], Event::Redirected { status: 302 }, stop(1, true)),
            (POST, vec![], Event::Redirected { status: 307 }, stop(1, false)),
            (GET, vec![], Event::Redirected { status: 302 }, stop(1, false)),
            // An expired token is refreshed once, then the `401` is the error.
            (POST, vec![], expired, Decision::Refresh),
            (POST, vec![expired], expired, stop(2, false)),
            (POST, vec![], refused(401), stop(1, false)),
        ];
        for (request, history, event, expected) in table {
            let decision = decide(request, &history, event);
            let same = match (decision, expected) {
                (Decision::Resend { .. }, Decision::Resend { .. }) => true,
                (decision, expected) => decision == expected,
            };
            assert!(
                same,
                "{request:?} after {history:?}, {event:?}: {decision:?}, not {expected:?}"
            );
        }
        // A lost answer to a read, a repeatable write or a declared-idempotent POST is resent.
        for request in [GET, PATCH, DELETE, IDEMPOTENT_POST] {
            assert!(resends(decide(request, &[], Event::Lost)), "{request:?}");
            assert!(resends(decide(request, &[], refused(504))), "{request:?}");
        }
        assert!(resends(decide(GET, &[], Event::BodyLost)));
    }

    #[test]
    fn the_wait_is_the_services_then_a_backoff() {
        let policy = policy();
        let mut exchange = Exchange::new(POST);
        let asked = Event::Refused {
            status: 429,
            retry_after: Some(Duration::from_millis(2128)),
            expired_token: false,
        };
        assert_eq!(
            exchange.decide(asked, &policy),
            Decision::Resend { after: Duration::from_millis(2128) }
        );
        assert_eq!(exchange.attempt(), 2);
        let Decision::Resend { after } = exchange.decide(refused(503), &policy) else { panic!() };
        assert!(after >= Duration::from_millis(20) && after < Duration::from_millis(40));
    }

    #[test]
    fn giving_up_names_the_setting_and_keeps_an_uncertain_request_unknown() {
        let policy = policy().max_retries(1);
        let mut exchange = Exchange::new(PATCH);
        assert!(resends(exchange.decide(Event::Lost, &policy)));
        let Decision::GiveUp(verdict) = exchange.decide(refused(429), &policy) else { panic!() };
        assert_eq!(
            verdict,
            Verdict {
                attempts: 2,
                exhausted: Some(GiveUp::MaxRetries { max_retries: 1 }),
                unknown: true
            }
        );
        let error = verdict.apply(Error::MissingSubResponse);
        assert!(
            matches!(&error, Error::UnknownOutcome { attempts: 2, source } if matches!(**source, Error::RetriesExhausted { .. })),
            "{error:?}"
        );
        // Retries off: the error as it came.
        let none = RetryPolicy::none();
        let mut exchange = Exchange::new(POST);
        let Decision::GiveUp(verdict) = exchange.decide(refused(429), &none) else { panic!() };
        assert!(matches!(verdict.apply(Error::MissingSubResponse), Error::MissingSubResponse));
        // A `Retry-After` longer than the policy waits stops at once.
        let mut exchange = Exchange::new(POST);
        let long = Event::Refused {
            status: 429,
            retry_after: Some(Duration::from_secs(3600)),
            expired_token: false,
        };
        let Decision::GiveUp(verdict) = exchange.decide(long, &policy) else { panic!() };
        assert!(matches!(verdict.exhausted, Some(GiveUp::RetryAfterTooLong { .. })));
        assert!(!verdict.unknown);
    }

    #[test]
    fn an_item_of_a_resent_batch_is_uncertain() {
        let mut exchange = Exchange::new(POST);
        exchange.mark_uncertain();
        assert_eq!(exchange.decide(Event::Succeeded, &policy()), Decision::Done { resent: true });
        let mut exchange = Exchange::new(POST);
        exchange.mark_uncertain();
        assert_eq!(exchange.decide(refused(400), &policy()), stop(1, true));
        assert!(exchange.abandon().unknown);
        assert!(!Exchange::new(POST).abandon().unknown);
    }
}
