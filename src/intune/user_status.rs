use crate::{DateTimeOffset, graph_entity, graph_enum};

/// The compliance status of a policy report: Graph's `microsoft.graph.complianceStatus`.
///
/// Graph's enums gain members over time: a member this version does not know reads as
/// [`Other`](Self::Other) with the string as sent, and is written back unchanged.
///
/// ```
/// use graph_entity::intune::ComplianceStatus;
///
/// let status: ComplianceStatus = serde_json::from_str(r#""notApplicable""#)?;
/// assert_eq!(status, ComplianceStatus::NotApplicable);
/// let newer: ComplianceStatus = serde_json::from_str(r#""pendingReboot""#)?;
/// assert_eq!(newer, ComplianceStatus::Other("pendingReboot".into()));
/// assert_eq!(serde_json::to_string(&newer)?, r#""pendingReboot""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[graph_enum(crate = crate)]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ComplianceStatus {
    /// `unknown`
    Unknown,
    /// `notApplicable`
    NotApplicable,
    /// `compliant`
    Compliant,
    /// `remediated`
    Remediated,
    /// `nonCompliant`
    NonCompliant,
    /// `error`
    Error,
    /// `conflict`
    Conflict,
    /// `notAssigned`
    NotAssigned,
    /// A member this version does not know, as Graph sent it.
    #[graph(other)]
    Other(String),
}

/// The status of an MDM mobile app configuration for one user: Graph's
/// `microsoft.graph.managedDeviceMobileAppConfigurationUserStatus`.
///
/// Created with `POST /deviceAppManagement/mobileAppConfigurations/{id}/userStatuses`
/// (permission `DeviceManagementApps.ReadWrite.All`), in every national cloud.
///
/// ```
/// use graph_entity::DateTimeOffset;
/// use graph_entity::intune::{ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus};
/// use graph_entity::prelude::*;
///
/// let status = ManagedDeviceMobileAppConfigurationUserStatus {
///     id: None,
///     user_display_name: Some("User Display Name value".into()),
///     devices_count: 12,
///     status: ComplianceStatus::NotApplicable,
///     last_reported_date_time: "2017-01-01T00:00:17.7769392-08:00".parse()?,
///     user_principal_name: Some("User Principal Name value".into()),
/// };
/// assert!(status.validate().is_ok());
/// assert!(serde_json::to_string(&status)?.starts_with(
///     r##"{"@odata.type":"#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus","userDisplayName""##
/// ));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[graph_entity(
    path = "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses",
    crate = crate
)]
#[derive(Debug, Clone, PartialEq)]
pub struct ManagedDeviceMobileAppConfigurationUserStatus {
    /// The key, assigned by the service: `None` when creating.
    #[graph(key)]
    pub id: Option<String>,
    /// User name of the DevicePolicyStatus. Required when creating; may be `null` when read.
    #[graph(required)]
    pub user_display_name: Option<String>,
    /// Devices count for that user (`Edm.Int32`).
    pub devices_count: i32,
    /// Compliance status of the policy report.
    pub status: ComplianceStatus,
    /// Last modified date time of the policy report.
    pub last_reported_date_time: DateTimeOffset,
    /// UserPrincipalName. Required when creating; may be `null` when read.
    #[graph(required)]
    pub user_principal_name: Option<String>,
}
