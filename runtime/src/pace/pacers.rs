//! A client's pacers: one for the writes of each documented service, or one for all its writes,
//! as its [`Pacing`] says; shared with the other clients of the same application
//! ([`super::registry`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::registry::shared;
use super::{Pacer, Pacing, Rate};
use crate::entity::Throttling;

/// The pacers of one client.
#[derive(Debug)]
pub(crate) struct Pacers {
    base_url: String,
    principal: Option<String>,
    pacing: Pacing,
    /// The writes of no documented service (or all, without documented pacing).
    default: Arc<Pacer>,
    /// By service name, under documented pacing.
    by_service: Mutex<HashMap<&'static str, Arc<Pacer>>>,
}

impl Pacers {
    pub(crate) fn new(base_url: &str, principal: Option<String>, pacing: Pacing) -> Self {
        let rate = match pacing {
            Pacing::Rate(rate) => Some(rate),
            Pacing::Off | Pacing::Documented { .. } => None,
        };
        Pacers {
            default: shared(base_url, principal.as_deref(), None, rate),
            base_url: base_url.to_owned(),
            principal,
            pacing,
            by_service: Mutex::default(),
        }
    }

    /// The pacer of a write to an entity with this documented limit.
    pub(crate) fn get(&self, throttling: Option<Throttling>) -> Arc<Pacer> {
        let (Pacing::Documented { time_scale }, Some(throttling)) = (self.pacing, throttling)
        else {
            return Arc::clone(&self.default);
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
        Arc::clone(pacer)
    }
}
