//! Intune types, declared with this crate's own attributes.
//!
//! They are the first real users of the macros and double as examples.

mod user_status;

pub use user_status::{ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus};
