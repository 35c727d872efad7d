//! The token of one scope, and the single flight that renews it: what a client-credentials
//! credential keeps per scope.

use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::token::AccessToken;
use crate::error::AuthError;

/// How long renewals pause after one failed while the token was still valid.
const RENEWAL_PAUSE: Duration = Duration::from_secs(15);

/// The token of one scope and the single flight that renews it.
#[derive(Default)]
pub(super) struct Slot {
    /// The newest token, readable without waiting for a flight.
    token: Mutex<Option<AccessToken>>,
    /// Held while a token request is under way; keeps the last request's failure.
    pub(super) flight: tokio::sync::Mutex<Option<AuthError>>,
    /// Token requests finished, counted: a caller that waited through one takes its outcome.
    pub(super) flights: AtomicU64,
    /// After a renewal failed while the token was still valid: no new attempt before this, so
    /// that calls are not each held up by a token endpoint that is down.
    renew_after: Mutex<Option<Instant>>,
}

impl Slot {
    pub(super) fn current(&self) -> Option<AccessToken> {
        lock(&self.token).clone()
    }

    pub(super) fn set(&self, token: Option<AccessToken>) {
        *lock(&self.token) = token;
    }

    /// The cached token while the service still accepts it.
    pub(super) fn unexpired(&self) -> Option<AccessToken> {
        self.current().filter(|t| !t.is_expired())
    }

    /// The cached token if it needs no renewal now: fresh, or valid while renewals pause after
    /// a failure.
    pub(super) fn usable(&self) -> Option<AccessToken> {
        let token = self.current()?;
        if !token.needs_refresh() {
            return Some(token);
        }
        (self.renewals_paused_at(Instant::now()) && !token.is_expired()).then_some(token)
    }

    pub(super) fn pause_renewals(&self, paused: bool) {
        self.pause_renewals_at(paused, Instant::now());
    }

    fn pause_renewals_at(&self, paused: bool, now: Instant) {
        *lock(&self.renew_after) = paused.then(|| now + RENEWAL_PAUSE);
    }

    fn renewals_paused_at(&self, now: Instant) -> bool {
        lock(&self.renew_after).is_some_and(|at| now < at)
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewals_pause_for_fifteen_seconds_after_a_failure() {
        let slot = Slot::default();
        let failed = Instant::now();
        assert!(!slot.renewals_paused_at(failed));
        slot.pause_renewals_at(true, failed);
        assert!(slot.renewals_paused_at(failed + Duration::from_millis(14_999)));
        assert!(!slot.renewals_paused_at(failed + Duration::from_secs(15)));
        // A renewal that succeeds ends the pause.
        slot.pause_renewals_at(false, failed);
        assert!(!slot.renewals_paused_at(failed));
    }
}
