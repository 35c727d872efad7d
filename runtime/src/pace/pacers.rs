//! A client's pacers: one for the writes of each documented service, or one for all its writes,
//! as its [`Pacing`] says; shared with the other clients of the same application
//! ([`super::registry`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use super::registry::shared;
use super::{Pacer, Pacing, Rate};
use crate::entity::Throttling;

/// The pacers of one client.
#[derive(Debug)]
pub(crate) struct Pacers {
    base_url: String,
    principal: Option<String>,
    pacing: Pacing,
    /// The writes of no documented service (or all): paced under `Pacing::Rate`, once a bulk
    /// call asked for a rate, or when another client of the application paces them.
    default: OnceLock<Arc<Pacer>>,
    /// By service name, under documented pacing.
    by_service: Mutex<HashMap<&'static str, Arc<Pacer>>>,
}

impl Pacers {
    pub(crate) fn new(base_url: &str, principal: Option<String>, pacing: Pacing) -> Self {
        // Shared with the other clients of the application even when this one does not pace:
        // another may, and the service counts every client's writes together.
        let rate = match pacing {
            Pacing::Rate(rate) => Some(rate),
            Pacing::Off | Pacing::Documented { .. } => None,
        };
        let default = OnceLock::new();
        let _ = default.set(shared(base_url, principal.as_deref(), None, rate));
        Pacers {
            default,
            base_url: base_url.to_owned(),
            principal,
            pacing,
            by_service: Mutex::default(),
        }
    }

    /// The pacer of a write to an entity with this documented limit; `None` when such a write
    /// is not paced.
    pub(crate) fn get(&self, throttling: Option<Throttling>) -> Option<Arc<Pacer>> {
        let (Pacing::Documented { time_scale }, Some(throttling)) = (self.pacing, throttling)
        else {
            return self.default.get().cloned();
        };
        let mut by_service = self.by_service.lock().unwrap_or_else(PoisonError::into_inner);
        let pacer = by_service.entry(throttling.service()).or_insert_with(|| {
            let window = throttling.window().div_f64(time_scale);
            let rate = Rate::new(throttling.writes(), window);
            shared(
                &self.base_url,
                self.principal.as_deref(),
                Some(throttling.service()),
                Some(rate),
            )
        });
        Some(Arc::clone(pacer))
    }

    /// The pacer of writes to an entity with this documented limit, paced at `rate` from now on
    /// (a bulk call's [`BulkOptions::rate`](crate::client::BulkOptions::rate)).
    pub(crate) fn pace(&self, throttling: Option<Throttling>, rate: Rate) -> Arc<Pacer> {
        let pacer = self.get(throttling).unwrap_or_else(|| {
            Arc::clone(
                self.default
                    .get_or_init(|| shared(&self.base_url, self.principal.as_deref(), None, None)),
            )
        });
        pacer.set_rate(rate);
        pacer
    }
}
