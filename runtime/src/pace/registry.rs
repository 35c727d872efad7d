//! The pacers of the (service root, principal) pairs with a live client, so that every client
//! of one application against one service shares one limiter.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, Weak};

use super::{Pacer, Rate};

static SHARED: OnceLock<Mutex<HashMap<String, Weak<Pacer>>>> = OnceLock::new();

/// The pacer for a client of `base_url` whose credential names `principal` (its own when the
/// principal is unknown), for the writes of one Graph `service` (or of any), paced at `rate`
/// when given.
pub(crate) fn shared(
    base_url: &str,
    principal: Option<&str>,
    service: Option<&str>,
    rate: Option<Rate>,
) -> Arc<Pacer> {
    let pacer = match principal {
        None => Arc::new(Pacer::default()),
        Some(principal) => {
            let key = format!("{base_url} {principal} {}", service.unwrap_or_default());
            let mut shared =
                SHARED.get_or_init(Mutex::default).lock().unwrap_or_else(PoisonError::into_inner);
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
