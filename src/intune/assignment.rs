use crate::{Json, graph_action, graph_complex, graph_entity};

/// To whom an Intune app or configuration is assigned: Graph's abstract
/// `microsoft.graph.deviceAndAppManagementAssignmentTarget`, one of its derived types told
/// apart by `@odata.type`.
///
/// A type Graph adds later, or one this enum does not name (`configurationManagerCollection…`),
/// reads as [`Other`](Self::Other) with its JSON as sent, and is written back unchanged.
///
/// ```
/// use graph_entity::intune::{DeviceAndAppManagementAssignmentTarget, GroupAssignmentTarget};
///
/// let target = DeviceAndAppManagementAssignmentTarget::Group(GroupAssignmentTarget {
///     group_id: Some("b8f2ab5a-1c6b-4e4c-8fc8-d5d3f5c8ef01".into()),
/// });
/// let json = serde_json::to_string(&target)?;
/// assert_eq!(
///     json,
///     r##"{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"b8f2ab5a-1c6b-4e4c-8fc8-d5d3f5c8ef01"}"##
/// );
/// assert_eq!(serde_json::from_str::<DeviceAndAppManagementAssignmentTarget>(&json)?, target);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[graph_complex(name = "deviceAndAppManagementAssignmentTarget", crate = crate)]
#[derive(Debug, Clone, PartialEq)]
pub enum DeviceAndAppManagementAssignmentTarget {
    /// The members of a group.
    Group(GroupAssignmentTarget),
    /// Everyone but the members of a group.
    ExclusionGroup(ExclusionGroupAssignmentTarget),
    /// Every device.
    AllDevices(AllDevicesAssignmentTarget),
    /// Every licensed user.
    AllLicensedUsers(AllLicensedUsersAssignmentTarget),
    /// A target of a type this enum does not name, as Graph sent it.
    #[graph(other)]
    Other(Json),
}

/// Graph's `microsoft.graph.groupAssignmentTarget`: the members of a group.
#[graph_complex(odata_type = "#microsoft.graph.groupAssignmentTarget", crate = crate)]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupAssignmentTarget {
    /// The group's id.
    pub group_id: Option<String>,
}

/// Graph's `microsoft.graph.exclusionGroupAssignmentTarget`: excludes a group's members.
#[graph_complex(odata_type = "#microsoft.graph.exclusionGroupAssignmentTarget", crate = crate)]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExclusionGroupAssignmentTarget {
    /// The group's id.
    pub group_id: Option<String>,
}

/// Graph's `microsoft.graph.allDevicesAssignmentTarget`: every device.
#[graph_complex(odata_type = "#microsoft.graph.allDevicesAssignmentTarget", crate = crate)]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AllDevicesAssignmentTarget {}

/// Graph's `microsoft.graph.allLicensedUsersAssignmentTarget`: every licensed user.
#[graph_complex(odata_type = "#microsoft.graph.allLicensedUsersAssignmentTarget", crate = crate)]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AllLicensedUsersAssignmentTarget {}

/// An assignment of an MDM mobile app configuration: Graph's
/// `microsoft.graph.managedDeviceMobileAppConfigurationAssignment`, listed at
/// `/deviceAppManagement/mobileAppConfigurations/{id}/assignments` and written all at once
/// with [`AssignMobileAppConfiguration`].
#[graph_entity(
    path = "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/assignments",
    crate = crate
)]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ManagedDeviceMobileAppConfigurationAssignment {
    /// The key, assigned by the service: `None` when assigning.
    #[graph(key)]
    pub id: Option<String>,
    /// To whom the configuration is assigned.
    pub target: Option<DeviceAndAppManagementAssignmentTarget>,
}

/// The `assign` action of an MDM mobile app configuration: replaces the configuration's
/// assignments with these (an empty list removes them all). Invoking it twice does what
/// invoking it once does, so a `POST` whose answer was lost is sent again.
///
/// `POST /deviceAppManagement/mobileAppConfigurations/{id}/assign` (permission
/// `DeviceManagementApps.ReadWrite.All`), in every national cloud; Graph answers
/// `204 No Content`.
///
/// ```no_run
/// use graph_entity::intune::{
///     AssignMobileAppConfiguration, DeviceAndAppManagementAssignmentTarget,
///     GroupAssignmentTarget, ManagedDeviceMobileAppConfigurationAssignment,
/// };
/// use graph_entity::prelude::*;
///
/// # async fn run(client: graph_entity::Client) -> Result<(), graph_entity::Error> {
/// let target = GroupAssignmentTarget { group_id: Some("b8f2ab5a-1c6b-4e4c-8fc8-d5d3f5c8ef01".into()) };
/// let assign = AssignMobileAppConfiguration {
///     assignments: vec![ManagedDeviceMobileAppConfigurationAssignment {
///         id: None,
///         target: Some(DeviceAndAppManagementAssignmentTarget::Group(target)),
///     }],
/// };
/// assign.invoke(&client, "configuration-id").await?;
/// # Ok(())
/// # }
/// ```
#[graph_action(
    path = "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/assign",
    idempotent,
    crate = crate
)]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssignMobileAppConfiguration {
    /// The assignments the configuration is to have.
    pub assignments: Vec<ManagedDeviceMobileAppConfigurationAssignment>,
}
