//! Locking the state the routes share (its own module, so that the parts of the state need not
//! name the state that holds them).

use std::sync::{Mutex, MutexGuard};

/// Locks a mutex; a panic while holding it cannot leave this data half-written (every update is
/// done in one step under the lock), so a poisoned lock is used as is.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
