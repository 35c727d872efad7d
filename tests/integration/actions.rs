//! Actions against the emulator, through the public API: `assign` replaces a configuration's
//! assignments (listable afterwards), device actions are recorded on the device (pending, then
//! done), results are read where the metadata puts them, and what the metadata refuses is
//! refused as Graph would, before or after the wire.

use graph_emulator::{Emulator, RunningEmulator};
use graph_entity::client::ByteStream;
use graph_entity::intune::{
    AllDevicesAssignmentTarget, AssignMobileAppConfiguration,
    DeviceAndAppManagementAssignmentTarget as Target, GroupAssignmentTarget,
    ManagedDeviceMobileAppConfigurationAssignment as Assignment,
};
use graph_entity::prelude::*;
use graph_entity::{
    Client, DateTimeOffset, Error, NationalCloud, graph_action, graph_complex, graph_entity,
    graph_enum, graph_function,
};

use crate::common;

async fn start() -> (RunningEmulator, Client) {
    let emulator = common::emulator(Emulator::builder()).await;
    let roles = [
        common::WRITE,
        "DeviceManagementManagedDevices.ReadWrite.All",
        "DeviceManagementManagedDevices.PrivilegedOperations.All",
        "DeviceManagementServiceConfig.ReadWrite.All",
        "User.ReadWrite.All",
        "Chat.Read.All",
        "Calendars.Read",
    ];
    let client = common::token_client(&emulator, &roles).build().unwrap();
    (emulator, client)
}

fn group(id: &str) -> Assignment {
    let target = GroupAssignmentTarget { group_id: Some(id.into()) };
    Assignment { id: None, target: Some(Target::Group(target)) }
}

#[tokio::test]
async fn assign_replaces_the_assignments_and_sends_the_documented_body() {
    let (emulator, client) = start().await;
    let configuration = common::configuration(&client).await;
    let first = AssignMobileAppConfiguration { assignments: vec![group("g1"), group("g2")] };
    first.invoke(&client, &configuration).await.unwrap();
    let sent = emulator.requests().into_iter().rev().find(|r| r.method == "POST").unwrap();
    assert!(
        sent.path.ends_with(&format!("/mobileAppConfigurations/{configuration}/assign")),
        "{}",
        sent.path
    );
    assert_eq!(
        String::from_utf8(sent.body).unwrap(),
        r##"{"assignments":[{"@odata.type":"#microsoft.graph.managedDeviceMobileAppConfigurationAssignment","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g1"}},{"@odata.type":"#microsoft.graph.managedDeviceMobileAppConfigurationAssignment","target":{"@odata.type":"#microsoft.graph.groupAssignmentTarget","groupId":"g2"}}]}"##
    );
    let listed = Assignment::list(&client, &configuration).collect_all().await.unwrap();
    let targets: Vec<_> = listed.iter().map(|a| a.target.clone()).collect();
    assert_eq!(targets, [group("g1").target, group("g2").target]);
    assert!(listed.iter().all(|a| a.id.is_some()));

    // Assigning again replaces: one assignment, to every device.
    let all =
        Assignment { id: None, target: Some(Target::AllDevices(AllDevicesAssignmentTarget {})) };
    AssignMobileAppConfiguration { assignments: vec![all.clone()] }
        .invoke(&client, &configuration)
        .await
        .unwrap();
    let listed = Assignment::list(&client, &configuration).collect_all().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].target, all.target);
    // And an empty list removes them all.
    AssignMobileAppConfiguration::default().invoke(&client, &configuration).await.unwrap();
    assert!(Assignment::list(&client, &configuration).collect_all().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_action_on_an_entity_that_does_not_exist_is_not_found() {
    let (_emulator, client) = start().await;
    let error = AssignMobileAppConfiguration::default().invoke(&client, "nope").await.unwrap_err();
    assert!(matches!(error, Error::NotFound(_)), "{error}");
}

#[graph_enum]
#[derive(Debug, Clone, PartialEq)]
enum ActionState {
    None,
    Pending,
    Canceled,
    Active,
    Done,
    Failed,
    NotSupported,
    #[graph(other)]
    Other(String),
}

#[graph_complex]
#[derive(Debug, Clone, PartialEq)]
struct DeviceActionResult {
    action_name: Option<String>,
    action_state: ActionState,
    start_date_time: DateTimeOffset,
    last_updated_date_time: DateTimeOffset,
}

#[graph_enum]
#[derive(Debug, Clone, Default, PartialEq)]
enum ManagedDeviceOwnerType {
    #[default]
    Unknown,
    Company,
    Personal,
    #[graph(other)]
    Other(String),
}

#[graph_entity(path = "/deviceManagement/managedDevices")]
#[derive(Debug, Clone, Default)]
struct ManagedDevice {
    #[graph(key)]
    id: Option<String>,
    device_name: Option<String>,
    managed_device_owner_type: ManagedDeviceOwnerType,
    last_sync_date_time: Option<DateTimeOffset>,
    device_action_results: Option<Vec<DeviceActionResult>>,
}

#[graph_action(path = "/deviceManagement/managedDevices/{managedDeviceId}/syncDevice")]
struct SyncDevice {}

#[graph_action(path = "/deviceManagement/managedDevices/{managedDeviceId}/wipe")]
#[derive(Default)]
struct Wipe {
    keep_user_data: Option<bool>,
    mac_os_unlock_code: Option<String>,
}

#[tokio::test]
async fn device_actions_are_recorded_pending_then_done_and_sync_sets_the_time() {
    let (_emulator, client) = start().await;
    let device = ManagedDevice {
        device_name: Some("Contoso laptop".into()),
        managed_device_owner_type: ManagedDeviceOwnerType::Company,
        ..ManagedDevice::default()
    };
    let id = device.create(&client, ()).await.unwrap().id.unwrap();
    SyncDevice {}.invoke(&client, &id).await.unwrap();
    Wipe { keep_user_data: Some(true), ..Wipe::default() }.invoke(&client, &id).await.unwrap();

    let read = ManagedDevice::get(&client, (), &id).await.unwrap();
    let results = read.device_action_results.unwrap();
    let names: Vec<_> = results.iter().map(|r| r.action_name.as_deref().unwrap()).collect();
    assert_eq!(names, ["syncDevice", "wipe"]);
    assert!(results.iter().all(|r| r.action_state == ActionState::Pending));
    assert!(read.last_sync_date_time.is_some());
    let again = ManagedDevice::get(&client, (), &id).await.unwrap();
    assert!(
        again.device_action_results.unwrap().iter().all(|r| r.action_state == ActionState::Done)
    );
}

#[graph_action(path = "/users/{userId}/getMemberGroups", returns = Vec<String>)]
struct GetMemberGroups {
    security_enabled_only: Option<bool>,
}

#[graph_entity(path = "/users")]
struct User {
    #[graph(key)]
    id: Option<String>,
    account_enabled: Option<bool>,
    display_name: Option<String>,
    mail_nickname: Option<String>,
    user_principal_name: Option<String>,
    password_profile: Option<PasswordProfile>,
}

#[graph_complex]
struct PasswordProfile {
    password: Option<String>,
}

/// Creates a user; its id.
async fn adele(client: &Client) -> String {
    let user = User {
        id: None,
        account_enabled: Some(true),
        display_name: Some("Adele".into()),
        mail_nickname: Some("adele".into()),
        user_principal_name: Some("adele@contoso.com".into()),
        password_profile: Some(PasswordProfile { password: Some("x".into()) }),
    };
    user.create(client, ()).await.unwrap().id.unwrap()
}

#[tokio::test]
async fn a_result_is_read_from_where_the_metadata_puts_it() {
    let (_emulator, client) = start().await;
    let id = adele(&client).await;
    let groups =
        GetMemberGroups { security_enabled_only: Some(true) }.invoke(&client, &id).await.unwrap();
    assert!(groups.is_empty());
}

#[tokio::test]
async fn a_cloud_without_the_action_fails_before_any_io() {
    // Cloud PC's `runHealthChecks` is not in China's metadata.
    #[graph_action(
        path = "/deviceManagement/virtualEndpoint/onPremisesConnections/{cloudPcOnPremisesConnectionId}/runHealthChecks"
    )]
    struct RunHealthChecks {}
    let client = Client::builder().cloud(NationalCloud::China).bearer_token("t").build().unwrap();
    let error = RunHealthChecks {}.invoke(&client, "p").await.unwrap_err();
    assert!(matches!(error, Error::NotInCloud { cloud: NationalCloud::China, .. }), "{error}");
}

#[graph_function(
    path = "/deviceManagement/verifyWindowsEnrollmentAutoDiscovery",
    returns = bool
)]
struct VerifyAutoDiscovery {
    domain_name: Option<String>,
}

#[graph_complex]
#[derive(Debug)]
struct Reminder {
    event_subject: Option<String>,
}

#[graph_function(path = "/users/{userId}/reminderView", returns = Vec<Reminder>)]
struct ReminderView {
    #[graph(rename = "StartDateTime")]
    start_date_time: String,
    #[graph(rename = "EndDateTime")]
    end_date_time: Option<String>,
}

#[tokio::test]
async fn functions_are_called_with_get_and_their_parameters_as_literals() {
    let (emulator, client) = start().await;
    let hostile = "contoso.com/../users?x=1#y,z)'";
    let verified =
        VerifyAutoDiscovery { domain_name: Some(hostile.into()) }.call(&client, ()).await;
    assert!(!verified.unwrap());
    let sent = emulator.requests().into_iter().rev().find(|r| r.method == "GET").unwrap();
    // The value stays inside its literal: quoted, its quote doubled, the rest percent-encoded.
    assert!(
        sent.path.ends_with(
            "/deviceManagement/verifyWindowsEnrollmentAutoDiscovery(domainName='contoso.com%2F..%2Fusers%3Fx%3D1%23y%2Cz%29''')"
        ),
        "{}",
        sent.path
    );

    let id = adele(&client).await;
    let view = ReminderView { start_date_time: "2026-12-01T08:00:00Z".into(), end_date_time: None };
    assert!(view.call(&client, &id).await.unwrap().is_empty());
    let sent = emulator.requests().into_iter().rev().find(|r| r.method == "GET").unwrap();
    // Nullable and not optional: `None` is written `null`.
    assert!(
        sent.path
            .ends_with("/reminderView(StartDateTime='2026-12-01T08%3A00%3A00Z',EndDateTime=null)"),
        "{}",
        sent.path
    );
    let missing = view.call(&client, "nobody").await.unwrap_err();
    assert!(matches!(missing, Error::NotFound(_)), "{missing}");
}

#[tokio::test]
async fn many_actions_travel_in_batches_with_a_result_each() {
    let (emulator, client) = start().await;
    let mut ids = Vec::new();
    for n in 0..3 {
        let device = ManagedDevice {
            device_name: Some(format!("Device {n}")),
            managed_device_owner_type: ManagedDeviceOwnerType::Company,
            ..ManagedDevice::default()
        };
        ids.push(device.create(&client, ()).await.unwrap().id.unwrap());
    }
    ids.insert(1, "gone".to_owned());
    let items = ids.iter().map(|id| (SyncDevice {}, [id.as_str()]));
    let before = emulator.requests().len();
    let results =
        client.invoke_many(items, &graph_entity::client::BulkOptions::default()).await.unwrap();
    let batches: Vec<_> =
        emulator.requests().into_iter().skip(before).map(|r| (r.method, r.path)).collect();
    // One `$batch` (the emulator logs its items after it).
    let batch_count = batches.iter().filter(|(_, path)| path.ends_with("/$batch")).count();
    assert_eq!((batch_count, batches.len()), (1, 5), "{batches:?}");
    assert!(batches[0].1.ends_with("/$batch"), "{batches:?}");
    assert!(results[0].is_ok() && results[2].is_ok() && results[3].is_ok(), "{results:?}");
    assert!(matches!(&results[1], Err(Error::NotFound(_))), "{:?}", results[1]);
    for id in [&ids[0], &ids[2], &ids[3]] {
        let device = ManagedDevice::get(&client, (), id).await.unwrap();
        assert!(device.last_sync_date_time.is_some(), "{id}");
    }
    // An invalid input is refused before anything is sent, naming its index.
    let before = emulator.requests().len();
    let items = [(SyncDevice {}, [""]), (SyncDevice {}, ["d"])];
    let error = client.invoke_many(items, &graph_entity::client::BulkOptions::default()).await;
    assert!(
        matches!(error, Err(Error::InvalidInputs { ref invalid, .. }) if invalid.len() == 1 && invalid[0].0 == 0),
        "{error:?}"
    );
    assert_eq!(emulator.requests().len(), before);
}

/// Intune's cached report: an action whose result is a stream.
#[graph_action(path = "/deviceManagement/reports/getCachedReport", returns = ByteStream)]
struct GetCachedReport {
    id: Option<String>,
    select: Option<Vec<String>>,
    top: Option<i32>,
}

/// A usage report: a function whose result is a stream.
#[graph_function(path = "/reports/getEmailActivityUserDetail", returns = ByteStream)]
struct GetEmailActivityUserDetail {
    period: String,
}

#[tokio::test]
async fn a_stream_result_is_read_as_it_arrives_past_the_response_limit() {
    let emulator = common::emulator(Emulator::builder()).await;
    let roles = ["DeviceManagementConfiguration.Read.All", "Reports.Read.All"];
    // Bodies read whole are at most 16 bytes: a stream is never read whole.
    let client = common::token_client(&emulator, &roles).max_response_bytes(16).build().unwrap();
    let report = GetCachedReport {
        id: Some("DevicesWithInventory_00000000".into()),
        select: None,
        top: Some(50),
    };
    let mut stream = report.invoke(&client, ()).await.unwrap();
    assert_eq!(stream.content_type(), Some("application/octet-stream"));
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next_chunk().await {
        bytes.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "getCachedReport report from the graph-entity emulator\n"
    );
    assert_eq!(stream.received(), 54);
    let sent = emulator.requests().into_iter().rev().find(|r| r.method == "POST").unwrap();
    assert_eq!(
        String::from_utf8(sent.body).unwrap(),
        r#"{"id":"DevicesWithInventory_00000000","top":50}"#
    );

    // A function's stream, gathered up to a limit, or refused past it.
    let detail = GetEmailActivityUserDetail { period: "D7".into() };
    let all = detail.call(&client, ()).await.unwrap().to_vec(1024).await.unwrap();
    assert!(all.starts_with(b"getEmailActivityUserDetail report"), "{all:?}");
    let error = detail.call(&client, ()).await.unwrap().to_vec(10).await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { limit: 10, .. }), "{error}");
    let mut file = Vec::new();
    let written = detail.call(&client, ()).await.unwrap().write_to(&mut file).await.unwrap();
    assert_eq!((written, file.len()), (all.len() as u64, all.len()));
}

#[graph_entity(path = "/users/{userId}/chats/{chatId}/messages")]
#[derive(Debug)]
struct ChatMessage {
    #[graph(key)]
    id: Option<String>,
    subject: Option<String>,
}

/// Composable: its result, a collection of chat messages, takes query options.
#[graph_function(path = "/users/{userId}/chats/getAllMessages", returns = Vec<ChatMessage>)]
struct GetAllMessages {}

#[tokio::test]
async fn a_composable_function_takes_query_options_on_its_entities() {
    let (emulator, client) = start().await;
    let user = adele(&client).await;
    let f = ChatMessage::fields();
    let query = ChatMessage::query().filter(f.subject.eq("Hello")).top(5);
    GetAllMessages {}.call_with(&client, &user, &query).await.unwrap();
    let sent = emulator.requests().into_iter().rev().find(|r| r.method == "GET").unwrap();
    assert_eq!(
        sent.path,
        format!(
            "/v1.0/users/{user}/chats/getAllMessages()?$select=id,subject&$filter=subject%20eq%20%27Hello%27&$top=5"
        )
    );
    // Without options, the entities' declared properties are still what is selected.
    GetAllMessages {}.call_with(&client, &user, &ChatMessage::query()).await.unwrap();
    let sent = emulator.requests().into_iter().rev().find(|r| r.method == "GET").unwrap();
    assert!(sent.path.ends_with("/getAllMessages()?$select=id,subject"), "{}", sent.path);
}
