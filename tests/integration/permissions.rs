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

#[graph_entity(path = "/users")]
#[derive(Debug)]
struct User {
    #[graph(key)]
    id: Option<String>,
    display_name: Option<String>,
}

#[test]
fn a_round_of_changes_has_its_own_permissions() {
    // `GET /users/delta`: the reference's least privileged, read by hand.
    let read = Some("User.Read.All");
    assert_eq!(least(User::PERMISSIONS.delta), (read, read));
    // A collection without `delta` knows none for it.
    assert!(!Status::PERMISSIONS.delta.is_known());
}

#[tokio::test]
async fn a_delegated_token_is_checked_against_the_delegated_permissions() {
    use std::time::Duration;

    let emulator = crate::common::emulator(graph_emulator::Emulator::builder()).await;
    let client = |scopes: &[&str]| {
        let token = emulator.issue_delegated_token(scopes, Duration::from_secs(600));
        let builder = graph_entity::Client::builder().base_url(emulator.graph_url("v1.0"));
        builder.bearer_token(token).build().unwrap()
    };
    let sent = emulator.requests().len();
    let error = User::list(&client(&["Tasks.ReadWrite"]), ()).collect_all().await.unwrap_err();
    let graph_entity::Error::MissingPermission(missing) = &error else { panic!("{error:?}") };
    // `GET /users`, delegated: `User.ReadBasic.All` is the least privileged.
    assert_eq!((missing.method, missing.path.as_str()), ("GET", "/users"));
    assert_eq!(missing.least, Some("User.ReadBasic.All"));
    assert!(!missing.application);
    assert!(error.to_string().contains("the token holds Tasks.ReadWrite"), "{error}");
    assert_eq!(emulator.requests().len(), sent, "nothing sent");
    // The same call with a permission that works reaches the emulator, which agrees.
    let users: Vec<User> = User::list(&client(&["User.Read.All"]), ()).collect_all().await.unwrap();
    assert!(users.is_empty());
    assert_eq!(emulator.requests().len(), sent + 1);
}

#[tokio::test]
async fn a_bulk_operation_the_token_cannot_make_sends_nothing() {
    use graph_entity::client::BulkOptions;

    let emulator = crate::common::emulator(graph_emulator::Emulator::builder()).await;
    let writer = crate::common::token_client(&emulator, &[crate::common::WRITE]).build().unwrap();
    let parent = crate::common::configuration(&writer).await;
    let reader = crate::common::token_client(&emulator, &["DeviceManagementApps.Read.All"]);
    let reader = reader.build().unwrap();
    let sent = emulator.requests().len();
    let items = (0..3).map(|_| (crate::doc_example(), [parent.as_str()]));
    for batching in [true, false] {
        let options = BulkOptions::default().batching(batching);
        let error = reader.create_many(items.clone(), &options).await.unwrap_err();
        let graph_entity::Error::MissingPermission(missing) = &error else { panic!("{error:?}") };
        assert_eq!(missing.least, Some("DeviceManagementApps.ReadWrite.All"));
    }
    assert_eq!(emulator.requests().len(), sent, "nothing sent");
}
