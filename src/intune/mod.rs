//! Intune types, declared with this crate's own attributes.
//!
//! They are the first real users of the macros and double as examples.

mod assignment;
mod user_status;

pub use assignment::{
    AllDevicesAssignmentTarget, AllLicensedUsersAssignmentTarget, AssignMobileAppConfiguration,
    DeviceAndAppManagementAssignmentTarget, ExclusionGroupAssignmentTarget, GroupAssignmentTarget,
    ManagedDeviceMobileAppConfigurationAssignment,
};
pub use user_status::{ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus};
