// Graph beta, checked: a `beta` declaration compiles against beta's metadata and is pinned to
// `/beta`; a v1.0 one to `/v1.0`; an unchecked one goes where the client points. Where beta's
// metadata only infers an integer's width, `i32` and `i64` both compile.
// A user's crate: the workspace's own lints on public items do not apply.
#![allow(missing_debug_implementations, unreachable_pub, dead_code)]

use graph_entity::cloud::ApiVersion;
use graph_entity::graph_entity;
use graph_entity::prelude::*;

/// `deviceInactivityBeforeRetirementInDays` is read from the SDK's `get_int_value`: its width
/// is inferred, so a narrow declaration compiles...
#[graph_entity(path = "/deviceManagement/managedDeviceCleanupRules", beta)]
pub struct NarrowRule {
    #[graph(key)]
    pub id: Option<String>,
    pub display_name: Option<String>,
    pub device_inactivity_before_retirement_in_days: i32,
}

/// ...and so does a wide one.
#[graph_entity(path = "/deviceManagement/managedDeviceCleanupRules", beta)]
pub struct WideRule {
    #[graph(key)]
    pub id: Option<String>,
    pub device_inactivity_before_retirement_in_days: i64,
}

/// The seed, v1.0.
#[graph_entity(path = "/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses")]
pub struct Status {
    #[graph(key)]
    pub id: Option<String>,
}

/// Unchecked, and beta: not checked, but sent to `/beta`.
#[graph_entity(path = "/deviceManagement/someFutureThings", beta, unchecked)]
pub struct Future {
    #[graph(key)]
    pub id: Option<String>,
}

/// Unchecked: sent to the client's default version.
#[graph_entity(path = "/someExtension", unchecked)]
pub struct Extension {
    #[graph(key)]
    pub id: Option<String>,
}

fn main() {
    assert_eq!(NarrowRule::PATH.version(), Some(ApiVersion::Beta));
    assert_eq!(WideRule::PATH.version(), Some(ApiVersion::Beta));
    assert_eq!(Status::PATH.version(), Some(ApiVersion::V1));
    assert_eq!(Future::PATH.version(), Some(ApiVersion::Beta));
    assert_eq!(Extension::PATH.version(), None);
    // What beta's metadata only infers is said in the generated documentation (on `PATH`),
    // and the permissions reference lists beta's requests as it does v1.0's.
    assert_eq!(
        Policy::PERMISSIONS.create.application,
        Some("DeviceManagementConfiguration.ReadWrite.All")
    );
    assert!(
        Policy::PERMISSIONS.get.all_application.contains(&"DeviceManagementConfiguration.Read.All")
    );
}

/// Settings Catalog, beta's only.
#[graph_entity(path = "/deviceManagement/configurationPolicies", beta)]
pub struct Policy {
    #[graph(key)]
    pub id: Option<String>,
    pub name: Option<String>,
}
