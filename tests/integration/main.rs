//! Integration tests: one binary, one module per topic.

#![allow(clippy::unwrap_used)]

mod actions;
mod api;
mod beta;
mod bulk;
mod create;
mod credentials;
mod delta;
mod emulator;
mod faults;
mod hostile;
mod lifecycle;
mod lints;
mod operations;
mod pacing;
mod paging;
mod permissions;
mod proxy;
mod required;
mod security;
mod stub;
mod tokens;
mod wire;

use graph_entity::intune::{ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus};

/// The documentation's example user status.
pub(crate) fn doc_example() -> ManagedDeviceMobileAppConfigurationUserStatus {
    ManagedDeviceMobileAppConfigurationUserStatus {
        id: None,
        user_display_name: Some("User Display Name value".into()),
        devices_count: 12,
        status: ComplianceStatus::NotApplicable,
        last_reported_date_time: "2017-01-01T00:00:17.7769392-08:00".parse().unwrap(),
        user_principal_name: Some("User Principal Name value".into()),
    }
}

#[path = "../common/mod.rs"]
mod common;

pub(crate) use common::configuration;

/// What the tests read of the emulator's store: the user statuses under a configuration, through
/// its accessor of any collection ([`graph_emulator::RunningEmulator::entities`]).
pub(crate) trait Stored {
    fn user_statuses(&self, configuration: &str) -> Option<Vec<serde_json::Value>>;
}

impl Stored for graph_emulator::RunningEmulator {
    fn user_statuses(&self, configuration: &str) -> Option<Vec<serde_json::Value>> {
        let path =
            format!("/deviceAppManagement/mobileAppConfigurations/{configuration}/userStatuses");
        self.entities(&path)
    }
}

/// The `devicesCount` of every user status the emulator stored under `parent`, sorted: the
/// tests give each input its own count, so this shows what was stored, and how often.
pub(crate) fn stored_counts(emulator: &graph_emulator::RunningEmulator, parent: &str) -> Vec<i64> {
    let mut counts: Vec<i64> = emulator
        .user_statuses(parent)
        .unwrap()
        .iter()
        .map(|s| s["devicesCount"].as_i64().unwrap())
        .collect();
    counts.sort_unstable();
    counts
}

/// A fixture without the final newline the file ends with.
pub(crate) fn fixture(text: &'static str) -> &'static str {
    text.strip_suffix('\n').unwrap_or(text)
}

pub(crate) const REQUEST: &str = include_str!("../fixtures/create-request.json");
pub(crate) const RESPONSE: &str = include_str!("../fixtures/create-response.json");
