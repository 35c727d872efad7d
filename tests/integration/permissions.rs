//! What each declaration's requests need, from Microsoft's permissions reference, as the macros
//! write it: facts read by hand from the reference (`schema/metadata/permissions.json`).

use graph_entity::entity::{EntityPermissions, RequestPermissions};
use graph_entity::intune::ManagedDeviceMobileAppConfigurationUserStatus as Status;
use graph_entity::operation::{GraphAction, GraphFunction};
use graph_entity::prelude::*;

#[graph_entity(path = "/groups")]
struct Group {
    #[graph(key)]
    id: Option<String>,
}

#[graph_entity(path = "/users/{userId}/todo/lists/{todoTaskListId}/tasks")]
struct TodoTask {
    #[graph(key)]
    id: Option<String>,
}

#[graph_entity(path = "/contoso/widgets", unchecked)]
struct Widget {
    #[graph(key)]
    id: Option<String>,
}

#[graph_action(path = "/deviceManagement/managedDevices/{managedDeviceId}/syncDevice")]
struct SyncDevice {}

#[graph_function(path = "/users/{userId}/reminderView", returns = Vec<Reminder>)]
struct ReminderView {
    #[graph(rename = "StartDateTime")]
    start: String,
    #[graph(rename = "EndDateTime")]
    end: Option<String>,
}

#[graph_complex]
struct Reminder {
    event_subject: Option<String>,
}

fn least(needs: RequestPermissions) -> (Option<&'static str>, Option<&'static str>) {
    (needs.application, needs.delegated)
}

#[test]
fn the_seed_is_written_and_read_with_intune_apps_permissions() {
    let write = Some("DeviceManagementApps.ReadWrite.All");
    let read = Some("DeviceManagementApps.Read.All");
    assert_eq!(least(Status::PERMISSIONS.create), (write, write));
    assert_eq!(least(Status::PERMISSIONS.get), (read, read));
    assert_eq!(least(Status::PERMISSIONS.list), (read, read));
    assert!(
        Status::PERMISSIONS.create.all_application.contains(&"DeviceManagementApps.ReadWrite.All")
    );
    assert!(!Status::PERMISSIONS.create.all_application.contains(&"DeviceManagementApps.Read.All"));
}

#[test]
fn a_group_a_to_do_task_and_a_device_action() {
    assert_eq!(
        least(Group::PERMISSIONS.create),
        (Some("Group.Create"), Some("Group.ReadWrite.All"))
    );
    assert_eq!(
        least(TodoTask::PERMISSIONS.create),
        (Some("Tasks.ReadWrite.All"), Some("Tasks.ReadWrite"))
    );
    let privileged = Some("DeviceManagementManagedDevices.PrivilegedOperations.All");
    assert_eq!(least(<SyncDevice as GraphAction>::PERMISSIONS), (privileged, privileged));
    assert!(<ReminderView as GraphFunction>::PERMISSIONS.is_known());
}

#[test]
fn an_unchecked_declaration_knows_none() {
    assert_eq!(Widget::PERMISSIONS, EntityPermissions::UNKNOWN);
    assert!(!Widget::PERMISSIONS.create.is_known());
}
