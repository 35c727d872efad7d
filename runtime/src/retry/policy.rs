//! How long and how often the client retries: [`RetryPolicy`].

use std::time::Duration;

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
/// safe to repeat says so with [`RequestOptions::idempotent`](crate::client::RequestOptions::idempotent).
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

    /// The configured longest single wait.
    pub fn max_delay_value(&self) -> Duration {
        self.max_delay
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
}
