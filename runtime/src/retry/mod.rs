//! Retrying throttled and failed requests without losing or duplicating work: the policy (how
//! long and how often), the one rule that decides after each attempt ([`rule`]), and
//! `Retry-After`.

mod policy;
mod retry_after;
pub(crate) mod rule;

pub use policy::RetryPolicy;
pub(crate) use retry_after::retry_after;
