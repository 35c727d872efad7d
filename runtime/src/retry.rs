//! Retrying throttled and failed requests without losing or duplicating work.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::error::GiveUp;

/// When and how long the client retries a request.
///
/// Retried: `429 Too Many Requests` and `503 Service Unavailable` for every method (the service
/// did not act on the request), `504 Gateway Timeout` for requests that are safe to repeat, and
/// failures to connect (nothing was sent). The wait is the `Retry-After` the service sent
/// (whole seconds, fractional seconds or an HTTP date) or, without one, exponential backoff
/// with jitter. Every retry carries `Retry-Attempt: <n>` and the call's `client-request-id`.
///
/// **`POST` is not idempotent.** When a `POST` was sent and no answer came (a timeout, a dropped
/// connection), or a gateway answered `504`, the service may or may not have created the
/// entity, so it is not resent: the call fails with
/// [`Error::UnknownOutcome`](crate::Error::UnknownOutcome). A caller that can make its `POST`
/// safe to repeat says so with [`RequestOptions::idempotent`].
///
/// When the client gives up, [`Error::RetriesExhausted`](crate::Error::RetriesExhausted) says
/// which limit stopped it ([`GiveUp`](crate::error::GiveUp)); with no retries at all
/// ([`RetryPolicy::none`]) the first error is returned as it came.
///
/// ```
/// use std::time::Duration;
/// use graph_entity_runtime::client::RetryPolicy;
///
/// // The defaults: 3 retries, as the official SDKs, waiting at most 180 s in all.
/// let policy = RetryPolicy::default();
/// assert_eq!(policy.max_retries_value(), 3);
/// let patient = RetryPolicy::default().max_retries(10).max_total_delay(Duration::from_secs(600));
/// let never = RetryPolicy::none();
/// assert_eq!(never.max_retries_value(), 0);
/// # let _ = patient;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_total_delay: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries (as the official SDKs), backoff from 1 s doubling up to 60 s per wait, at most
    /// 180 s of waiting in all (the SDKs' cumulative limit).
    fn default() -> Self {
        Self {
            max_retries: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            max_total_delay: Duration::from_secs(180),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }

    /// How many times a request may be retried after its first attempt.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The first backoff wait when the service sends no `Retry-After`; it doubles with each
    /// retry, plus a random jitter of up to the same amount.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest single wait. A `Retry-After` longer than this is not waited for: the call
    /// fails with [`Error::RetriesExhausted`](crate::Error::RetriesExhausted) and
    /// [`GiveUp::RetryAfterTooLong`](crate::error::GiveUp::RetryAfterTooLong), keeping the throttling
    /// error.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest total wait across the retries of one call.
    pub fn max_total_delay(mut self, delay: Duration) -> Self {
        self.max_total_delay = delay;
        self
    }

    /// The configured number of retries.
    pub fn max_retries_value(&self) -> u32 {
        self.max_retries
    }

    /// How long to wait before retry number `retry` (1-based), or why to give up.
    ///
    /// `retry_after` is the service's own answer; `waited` is the total waited so far.
    pub(crate) fn wait(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
        waited: Duration,
    ) -> Result<Duration, GiveUp> {
        if retry > self.max_retries {
            return Err(GiveUp::MaxRetries { max_retries: self.max_retries });
        }
        let wait = match retry_after {
            Some(asked) if asked > self.max_delay => {
                return Err(GiveUp::RetryAfterTooLong { asked, max_delay: self.max_delay });
            }
            Some(after) => after,
            None => self.backoff(retry),
        };
        if waited.saturating_add(wait) > self.max_total_delay {
            return Err(GiveUp::MaxTotalDelay { wait, waited, limit: self.max_total_delay });
        }
        Ok(wait)
    }

    /// Exponential backoff with jitter: `base * 2^(retry-1) + random(0..base)`, capped.
    fn backoff(&self, retry: u32) -> Duration {
        let exponential = self.base_delay.saturating_mul(1_u32 << retry.saturating_sub(1).min(20));
        let jitter = self.base_delay.mul_f64(fastrand::f64());
        exponential.saturating_add(jitter).min(self.max_delay)
    }
}

/// Options of one call.
///
/// ```
/// use graph_entity_runtime::client::{RequestOptions, RetryPolicy};
///
/// // This POST carries a key the service deduplicates on: resending it is safe.
/// let options = RequestOptions::default().idempotent(true).retry(RetryPolicy::default().max_retries(5));
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestOptions {
    pub(crate) idempotent: bool,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) if_match: Option<String>,
    /// `ConsistencyLevel: eventual`, which `$count` and `$search` on directory objects need.
    pub(crate) eventual: bool,
    /// What one attempt counts against the throttling limit, when not its method's default (a
    /// `$batch` counts its items).
    pub(crate) permits: Option<u32>,
}

impl RequestOptions {
    /// Declares the request safe to send twice (for a `POST`: the service deduplicates it,
    /// for example on a client-supplied key). Then a `POST` whose answer was lost is resent,
    /// and a `504` is retried, as for a `GET`.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// The retry policy of this call, instead of the client's.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// `If-Match: etag`: the service applies an update or delete only if the entity is still
    /// at this version (its `@odata.etag`), and answers `412` otherwise, so that a change made
    /// in between is not overwritten.
    pub fn if_match(mut self, etag: impl Into<String>) -> Self {
        self.if_match = Some(etag.into());
        self
    }

    /// `If-Match` with the `@odata.etag` `entity` was read with (its `#[graph(etag)]` field),
    /// when it has one: the update or delete applies only to that version.
    pub fn if_match_of<E: crate::GraphEntity>(mut self, entity: &E) -> Self {
        if let Some(etag) = entity.etag() {
            self.if_match = Some(etag.to_owned());
        }
        self
    }
}

/// What to do about an error status, as [`RetryPolicy`] describes: the one rule for single
/// calls and for the items of a `$batch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatusRule {
    /// Send it again, within the policy: the service did not act (`429`, `503`), or a request
    /// safe to repeat met a gateway timeout (`504`).
    Retry,
    /// Stop: a request that is not safe to repeat may have acted
    /// ([`may_have_acted`]); its outcome is unknown.
    UnknownOutcome,
    /// Stop with the error as it came.
    Fail,
}

/// The rule for an error `status` to a request that is a `write` or a read, `repeatable`
/// (a `GET`, `PATCH` or `DELETE`, or a `POST` declared [`RequestOptions::idempotent`]) or not.
///
/// A gateway timeout (`504`) is retried when repeating is safe; a `500` or `502` never is, and
/// leaves a write's outcome unknown: the service may have acted before failing.
pub(crate) fn status_rule(status: u16, write: bool, repeatable: bool) -> StatusRule {
    match status {
        429 | 503 => StatusRule::Retry,
        504 if repeatable => StatusRule::Retry,
        status if write && may_have_acted(status) => StatusRule::UnknownOutcome,
        _ => StatusRule::Fail,
    }
}

/// Whether an error status to a write leaves its outcome unknown: a server error after which the
/// service, or the service behind a gateway, may have acted (`500`, `502`, `504`). `503` says the
/// service did not act; `501` and `505` that it could not.
pub(crate) fn may_have_acted(status: u16) -> bool {
    matches!(status, 500 | 502 | 504)
}

/// The wait an answer's `Retry-After` header asks for, if it has a readable one.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(parse_retry_after)
}

/// `Retry-After` as whole seconds, fractional seconds (Graph sends `2.128`) or an HTTP date.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::from_secs_f64(seconds.min(86_400.0)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(std::time::SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_up_after_max_retries_and_total_delay() {
        let policy = RetryPolicy::default().base_delay(Duration::from_millis(10));
        assert!(policy.wait(1, None, Duration::ZERO).is_ok());
        assert!(policy.wait(3, None, Duration::ZERO).is_ok());
        assert_eq!(
            policy.wait(4, None, Duration::ZERO),
            Err(GiveUp::MaxRetries { max_retries: 3 })
        );
        assert_eq!(
            RetryPolicy::none().wait(1, Some(Duration::ZERO), Duration::ZERO),
            Err(GiveUp::MaxRetries { max_retries: 0 })
        );
        let tight = RetryPolicy::default().max_total_delay(Duration::from_secs(5));
        assert_eq!(
            tight.wait(1, Some(Duration::from_secs(4)), Duration::from_secs(2)),
            Err(GiveUp::MaxTotalDelay {
                wait: Duration::from_secs(4),
                waited: Duration::from_secs(2),
                limit: Duration::from_secs(5)
            })
        );
        assert_eq!(
            tight.wait(1, Some(Duration::from_secs(3)), Duration::from_secs(2)),
            Ok(Duration::from_secs(3))
        );
        assert!(tight.wait(1, None, Duration::MAX).is_err(), "no overflow");
    }

    #[test]
    fn honours_retry_after_up_to_max_delay() {
        let policy = RetryPolicy::default().max_delay(Duration::from_secs(10));
        assert_eq!(
            policy.wait(1, Some(Duration::from_millis(2128)), Duration::ZERO),
            Ok(Duration::from_millis(2128))
        );
        let too_long = policy.wait(1, Some(Duration::from_secs(200)), Duration::ZERO).unwrap_err();
        assert_eq!(
            too_long,
            GiveUp::RetryAfterTooLong {
                asked: Duration::from_secs(200),
                max_delay: Duration::from_secs(10)
            }
        );
        let text = too_long.to_string();
        assert!(text.contains("200 s") && text.contains("RetryPolicy::max_delay"), "{text}");
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(700));
        for _ in 0..100 {
            let first = policy.backoff(1);
            assert!(
                first >= Duration::from_millis(100) && first < Duration::from_millis(200),
                "{first:?}"
            );
            let third = policy.backoff(3);
            assert!(
                third >= Duration::from_millis(400) && third <= Duration::from_millis(500),
                "{third:?}"
            );
            assert_eq!(policy.backoff(30), Duration::from_millis(700));
        }
    }

    #[test]
    fn reads_retry_after_in_every_form() {
        assert_eq!(parse_retry_after("10"), Some(Duration::from_secs(10)));
        assert_eq!(parse_retry_after("2.128"), Some(Duration::from_millis(2128)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        let in_a_minute =
            httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(61));
        let wait = parse_retry_after(&in_a_minute).unwrap();
        assert!(wait > Duration::from_secs(55) && wait <= Duration::from_secs(61), "{wait:?}");
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO),
            "past dates wait not at all"
        );
        for bad in ["", "-1", "soon", "NaN", "inf"] {
            assert_eq!(parse_retry_after(bad), None, "{bad}");
        }
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert("retry-after", reqwest::header::HeaderValue::from_static("2.128"));
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(2128)));
    }

    #[test]
    fn one_rule_for_error_statuses() {
        use StatusRule::{Fail, Retry, UnknownOutcome};
        // (status, write, repeatable): a POST, a PATCH or DELETE, a GET.
        for (status, write, repeatable, rule) in [
            (429, true, false, Retry),
            (503, true, false, Retry),
            (504, true, false, UnknownOutcome),
            (500, true, false, UnknownOutcome),
            (502, true, false, UnknownOutcome),
            (501, true, false, Fail),
            (400, true, false, Fail),
            (429, true, true, Retry),
            (504, true, true, Retry),
            (500, true, true, UnknownOutcome),
            (502, true, true, UnknownOutcome),
            (404, true, true, Fail),
            (504, false, true, Retry),
            (500, false, true, Fail),
            (502, false, true, Fail),
            (404, false, true, Fail),
        ] {
            assert_eq!(
                status_rule(status, write, repeatable),
                rule,
                "{status} {write} {repeatable}"
            );
        }
    }
}
