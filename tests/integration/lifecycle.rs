//! The whole lifecycle — create, get, list, update, get, delete — against the emulator, on the
//! seed and on entities from other areas declared only here (To Do tasks under a user, groups),
//! with the requests checked as the emulator received them.

use graph_emulator::{Emulator, RunningEmulator};
use graph_entity::intune::{
    ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus as Status,
};
use graph_entity::prelude::*;
use graph_entity::{Client, graph_complex, graph_entity, graph_enum};

use crate::{common, configuration, doc_example};

async fn start() -> (RunningEmulator, Client) {
    let emulator = common::emulator(Emulator::builder().page_size(2)).await;
    let client = common::secret_client(&emulator).build().unwrap();
    (emulator, client)
}

/// The last request the emulator received with this method.
fn last(emulator: &RunningEmulator, method: &str) -> graph_emulator::RecordedRequest {
    emulator.requests().into_iter().rev().find(|r| r.method == method).unwrap()
}

#[tokio::test]
async fn the_seed_lifecycle() {
    let (emulator, client) = start().await;
    let parent = configuration(&client).await;
    let created = doc_example().create(&client, &parent).await.unwrap();
    let id = created.id.clone().unwrap();

    let read = Status::get(&client, &parent, &id).await.unwrap();
    assert_eq!(read, created);
    assert!(
        last(&emulator, "GET").path.ends_with(&format!(
            "/userStatuses/{id}?$select=id,userDisplayName,devicesCount,status,lastReportedDateTime,userPrincipalName"
        )),
        "{}",
        last(&emulator, "GET").path
    );

    for count in [1, 30, 40] {
        Status { devices_count: count, ..doc_example() }.create(&client, &parent).await.unwrap();
    }
    let f = Status::fields();
    let query = Status::query().filter(f.devices_count.ge(12)).order_by(f.devices_count.desc());
    let listed = Status::list_with(&client, &parent, &query).collect_all().await.unwrap();
    assert_eq!(listed.iter().map(|s| s.devices_count).collect::<Vec<_>>(), [40, 30, 12]);
    assert_eq!(Status::count(&client, &parent, &query).await.unwrap(), 3);

    let patch = Status::patch()
        .devices_count(13)
        .user_display_name(None)
        .status(ComplianceStatus::Compliant);
    assert!(Status::update(&client, &parent, &id, &patch).await.unwrap().is_none());
    let sent = last(&emulator, "PATCH");
    assert_eq!(
        String::from_utf8(sent.body).unwrap(),
        r##"{"@odata.type":"#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus","userDisplayName":null,"devicesCount":13,"status":"compliant"}"##
    );
    let read = Status::get(&client, &parent, &id).await.unwrap();
    assert_eq!(
        (read.devices_count, read.user_display_name, read.status),
        (13, None, ComplianceStatus::Compliant)
    );
    assert_eq!(read.user_principal_name, created.user_principal_name);

    Status::delete(&client, &parent, &id).await.unwrap();
    assert!(Status::get(&client, &parent, &id).await.unwrap_err().is_not_found());
    assert!(Status::delete(&client, &parent, &id).await.unwrap_err().is_not_found());
    // A parent that does not exist.
    let error = Status::list(&client, "no-such-configuration").collect_all().await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
}

#[graph_complex]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PasswordProfile {
    pub(crate) password: Option<String>,
    pub(crate) force_change_password_next_sign_in: Option<bool>,
}

#[graph_entity(path = "/users")]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct User {
    #[graph(key)]
    pub(crate) id: Option<String>,
    pub(crate) account_enabled: Option<bool>,
    pub(crate) display_name: Option<String>,
    pub(crate) mail_nickname: Option<String>,
    pub(crate) user_principal_name: Option<String>,
    pub(crate) password_profile: Option<PasswordProfile>,
}

#[graph_entity(path = "/users/{userId}/todo/lists")]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TodoTaskList {
    #[graph(key)]
    pub(crate) id: Option<String>,
    pub(crate) display_name: Option<String>,
}

#[graph_enum]
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Importance {
    Low,
    Normal,
    High,
    #[graph(other)]
    Other(String),
}

#[graph_entity(path = "/users/{userId}/todo/lists/{todoTaskListId}/tasks")]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TodoTask {
    #[graph(key)]
    pub(crate) id: Option<String>,
    #[graph(required)]
    pub(crate) title: Option<String>,
    pub(crate) importance: Option<Importance>,
}

fn f_importance() -> graph_entity::query::Field<TodoTask, Importance> {
    TodoTask::fields().importance
}

#[tokio::test]
async fn a_todo_task_under_a_user() {
    let (emulator, client) = start().await;
    let user = User {
        id: None,
        account_enabled: Some(true),
        display_name: Some("Adele Vance".into()),
        mail_nickname: Some("adele".into()),
        user_principal_name: Some("adele@contoso.com".into()),
        password_profile: Some(PasswordProfile {
            password: Some("xWwvJ]6NMw+bWH-d".into()),
            force_change_password_next_sign_in: Some(true),
        }),
    };
    let user_id = user.create(&client, ()).await.unwrap().id.unwrap();
    let list = TodoTaskList { id: None, display_name: Some("Renewals".into()) };
    let list_id = list.create(&client, &user_id).await.unwrap().id.unwrap();

    let mut ids = Vec::new();
    for (title, importance) in [
        ("Renew the certificate", Importance::High),
        ("Water the plants", Importance::Low),
        ("Renew the lease", Importance::Normal),
    ] {
        let task = TodoTask { id: None, title: Some(title.into()), importance: Some(importance) };
        ids.push(task.create(&client, (&user_id, &list_id)).await.unwrap().id.unwrap());
    }
    let read = TodoTask::get(&client, (&user_id, &list_id), &ids[0]).await.unwrap();
    assert_eq!(read.title.as_deref(), Some("Renew the certificate"));
    // `$expand` names a navigation property of the type, checked against the metadata.
    let steps = TodoTask::query().expand(TodoTask::navigations().checklist_items);
    TodoTask::get_with(&client, (&user_id, &list_id), &ids[0], &steps).await.unwrap();
    assert!(last(&emulator, "GET").path.ends_with("&$expand=checklistItems"));
    // A filter Graph would refuse fails before anything is sent.
    let sent = emulator.requests().len();
    let none: [Importance; 0] = [];
    let error = TodoTask::list_with(
        &client,
        (&user_id, &list_id),
        &TodoTask::query().filter(f_importance().is_in(none)),
    )
    .collect_all()
    .await
    .unwrap_err();
    assert!(
        matches!(&error, graph_entity::Error::InvalidQuery(reason) if reason.contains("importance in ()")),
        "{error}"
    );
    assert_eq!(emulator.requests().len(), sent, "nothing was sent");

    let f = TodoTask::fields();
    let renewals = TodoTask::list_with(
        &client,
        (&user_id, &list_id),
        &TodoTask::query().filter(f.title.starts_with("Renew")).order_by(f.title.asc()),
    )
    .collect_all()
    .await
    .unwrap();
    let titles: Vec<_> = renewals.iter().map(|t| t.title.clone().unwrap()).collect();
    assert_eq!(titles, ["Renew the certificate", "Renew the lease"]);
    let important =
        TodoTask::query().filter(f.importance.is_in([Importance::High, Importance::Normal]));
    assert_eq!(TodoTask::count(&client, (&user_id, &list_id), &important).await.unwrap(), 2);

    let patch = TodoTask::patch()
        .importance(Importance::Low)
        .title(Some("Renew the certificate (done)".into()));
    TodoTask::update(&client, (&user_id, &list_id), &ids[0], &patch).await.unwrap();
    let read = TodoTask::get(&client, (&user_id, &list_id), &ids[0]).await.unwrap();
    assert_eq!(
        (read.title.as_deref(), read.importance),
        (Some("Renew the certificate (done)"), Some(Importance::Low))
    );

    TodoTask::delete(&client, (&user_id, &list_id), &ids[1]).await.unwrap();
    assert_eq!(TodoTask::list(&client, (&user_id, &list_id)).collect_all().await.unwrap().len(), 2);
    // Deleting the list deletes the tasks it contains.
    TodoTaskList::delete(&client, &user_id, &list_id).await.unwrap();
    let error = TodoTask::get(&client, (&user_id, &list_id), &ids[0]).await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert!(
        emulator
            .requests()
            .iter()
            .any(|r| r.method == "DELETE" && r.path.ends_with(&format!("/todo/lists/{list_id}")))
    );
}

#[graph_entity(path = "/groups")]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    #[graph(key)]
    pub(crate) id: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) mail_enabled: Option<bool>,
    pub(crate) mail_nickname: Option<String>,
    pub(crate) security_enabled: Option<bool>,
}

#[tokio::test]
async fn a_group() {
    let (emulator, client) = start().await;
    for (name, security) in [("Finance", true), ("Field staff", true), ("Marketing", false)] {
        let group = Group {
            id: None,
            display_name: Some(name.into()),
            description: None,
            mail_enabled: Some(!security),
            mail_nickname: Some(name.to_lowercase().replace(' ', "-")),
            security_enabled: Some(security),
        };
        group.create(&client, ()).await.unwrap();
    }
    let f = Group::fields();
    let query = Group::query()
        .filter(f.security_enabled.eq(true))
        .order_by(f.display_name.asc())
        .count(true);
    let mut groups = Group::list_with(&client, (), &query);
    let first = groups.next().await.unwrap().unwrap();
    assert_eq!(first.display_name.as_deref(), Some("Field staff"));
    assert_eq!(groups.count(), Some(2));
    // `$count` on directory objects needs `ConsistencyLevel: eventual`, which the query sends.
    assert_eq!(last(&emulator, "GET").header("consistencylevel"), Some("eventual"));
    let id = first.id.clone().unwrap();
    // `ne` is an advanced query on directory objects: sent with `$count=true` and the header.
    let others =
        Group::list_with(&client, (), &Group::query().filter(f.display_name.ne("Finance")))
            .collect_all()
            .await
            .unwrap();
    assert_eq!(others.len(), 2);
    let sent = last(&emulator, "GET");
    assert!(sent.path.contains("&$count=true"), "{}", sent.path);
    assert_eq!(sent.header("consistencylevel"), Some("eventual"));

    // `$search` words are data: a quote in them cannot add a clause.
    let search = |words: &str| Group::query().search(f.display_name.search(words));
    let found = Group::list_with(&client, (), &search("field")).collect_all().await.unwrap();
    assert_eq!(found.len(), 1);
    let injected = r#"nobody" OR "displayName:Finance"#;
    let found = Group::list_with(&client, (), &search(injected)).collect_all().await.unwrap();
    assert!(found.is_empty(), "the quote added a clause: {found:?}");
    let raw = Group::query().search_raw(format!(r#""displayName:{injected}""#));
    let found = Group::list_with(&client, (), &raw).collect_all().await.unwrap();
    assert_eq!(found.len(), 1, "the raw form takes the text as written");

    let patch = Group::patch().description(Some("Everyone in the field".into()));
    Group::update(&client, (), &id, &patch).await.unwrap();
    assert_eq!(
        Group::get(&client, (), &id).await.unwrap().description.as_deref(),
        Some("Everyone in the field")
    );
    Group::update(&client, (), &id, &Group::patch().description(None)).await.unwrap();
    assert_eq!(Group::get(&client, (), &id).await.unwrap().description, None);

    Group::delete(&client, (), &id).await.unwrap();
    assert_eq!(Group::list(&client, ()).collect_all().await.unwrap().len(), 2);
    let error = Group::get(&client, (), &id).await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
}

#[graph_entity(path = "/deviceAppManagement/mobileApps", odata_type = "#microsoft.graph.webApp")]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WebApp {
    #[graph(key)]
    pub(crate) id: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) is_featured: Option<bool>,
    pub(crate) app_url: Option<String>,
    pub(crate) use_managed_browser: Option<bool>,
}

#[graph_complex]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AndroidMinimumOperatingSystem {
    #[graph(rename = "v8_0")]
    pub(crate) v8_0: Option<bool>,
}

#[graph_entity(
    path = "/deviceAppManagement/mobileApps",
    odata_type = "#microsoft.graph.androidStoreApp"
)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AndroidStoreApp {
    #[graph(key)]
    pub(crate) id: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) is_featured: Option<bool>,
    pub(crate) app_store_url: Option<String>,
    pub(crate) minimum_supported_operating_system: Option<AndroidMinimumOperatingSystem>,
}

#[tokio::test]
async fn a_derived_type_reads_only_its_own_kind() {
    let (emulator, client) = start().await;
    let web = WebApp {
        id: None,
        display_name: Some("Contoso portal".into()),
        is_featured: Some(false),
        app_url: Some("https://portal.contoso.com".into()),
        use_managed_browser: Some(true),
    };
    let web_id = web.create(&client, ()).await.unwrap().id.unwrap();
    let android = AndroidStoreApp {
        id: None,
        display_name: Some("Contoso for Android".into()),
        is_featured: Some(false),
        app_store_url: Some("https://play.google.com/store/apps/details?id=com.contoso".into()),
        minimum_supported_operating_system: Some(AndroidMinimumOperatingSystem {
            v8_0: Some(true),
        }),
    };
    let android_id = android.create(&client, ()).await.unwrap().id.unwrap();

    // The list casts to the type: only web apps, though the collection holds both.
    let webs = WebApp::list(&client, ()).collect_all().await.unwrap();
    assert_eq!(
        webs.iter().map(|w| w.id.as_deref().unwrap()).collect::<Vec<_>>(),
        [web_id.as_str()]
    );
    assert!(
        last(&emulator, "GET").path.contains("/mobileApps/microsoft.graph.webApp?"),
        "{}",
        last(&emulator, "GET").path
    );
    // A read by key casts too: another type's key is not found as a web app.
    assert_eq!(
        WebApp::get(&client, (), &web_id).await.unwrap().app_url.as_deref(),
        Some("https://portal.contoso.com")
    );
    let error = WebApp::get(&client, (), &android_id).await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(AndroidStoreApp::count(&client, (), &AndroidStoreApp::query()).await.unwrap(), 1);
    // Updates and deletions address the entity itself.
    WebApp::update(&client, (), &web_id, &WebApp::patch().use_managed_browser(false))
        .await
        .unwrap();
    assert_eq!(
        last(&emulator, "PATCH").path,
        format!("/v1.0/deviceAppManagement/mobileApps/{web_id}")
    );
    WebApp::delete(&client, (), &web_id).await.unwrap();
    assert!(WebApp::list(&client, ()).collect_all().await.unwrap().is_empty());
}

#[test]
fn companion_types_debug_as_their_json_names() {
    // `Copy` (a `Fields` value is used after being passed by value) and `Debug` listing what
    // Graph calls them.
    let fields = Status::fields();
    let again = fields;
    assert_eq!(
        format!("{fields:?} {:?}", again.status),
        r#"["id", "userDisplayName", "devicesCount", "status", "lastReportedDateTime", "userPrincipalName"] Field("status")"#
    );
    assert_eq!(format!("{:?}", Status::navigations()), "[]");
    let groups = format!("{:?}", Group::navigations());
    assert!(groups.starts_with('[') && groups.contains("\"members\""), "{groups}");
}

/// Intune's tenant-wide settings, the singleton `/deviceManagement`'s `settings`.
#[graph_complex]
#[derive(Debug, Clone, PartialEq, Default)]
struct DeviceManagementSettings {
    device_compliance_checkin_threshold_days: Option<i32>,
    is_scheduled_action_enabled: Option<bool>,
    secure_by_default: Option<bool>,
}

/// The singleton: read and updated at its path, never created, listed or deleted.
#[graph_entity(path = "/deviceManagement")]
#[derive(Debug, Clone, PartialEq, Default)]
struct DeviceManagement {
    #[graph(key)]
    id: Option<String>,
    settings: Option<DeviceManagementSettings>,
}

/// A single-valued navigation under a collection's entity: one path argument.
#[graph_entity(
    path = "/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/deviceStatusSummary"
)]
#[derive(Debug, Clone, PartialEq, Default)]
struct DeviceStatusSummary {
    #[graph(key)]
    id: Option<String>,
    configuration_version: Option<i32>,
}

#[tokio::test]
async fn a_singleton_is_read_and_updated_at_its_path() {
    let (emulator, client) = start().await;
    let settings = DeviceManagementSettings {
        device_compliance_checkin_threshold_days: Some(30),
        secure_by_default: Some(true),
        ..Default::default()
    };
    let patch = DeviceManagement::patch().settings(Some(settings.clone()));
    DeviceManagement::update(&client, (), &patch).await.unwrap();
    let sent = last(&emulator, "PATCH");
    assert!(sent.path.ends_with("/deviceManagement"), "{}", sent.path);
    let read = DeviceManagement::get(&client, ()).await.unwrap();
    assert_eq!(read.settings, Some(settings));
    let got = last(&emulator, "GET");
    assert!(got.path.ends_with("/deviceManagement?$select=id,settings"), "{}", got.path);

    // Under an entity of a collection: its path argument, percent-encoded as one segment.
    let parent = configuration(&client).await;
    DeviceStatusSummary::get(&client, &parent).await.unwrap();
    let got = last(&emulator, "GET");
    assert!(
        got.path.contains(&format!("/mobileAppConfigurations/{parent}/deviceStatusSummary?")),
        "{}",
        got.path
    );
    let requests = emulator.requests().len();
    let error = DeviceStatusSummary::get(&client, "").await.unwrap_err();
    assert!(matches!(error, graph_entity::Error::Path(_)), "{error:?}");
    assert_eq!(emulator.requests().len(), requests, "no request for an empty placeholder");
    let _ = DeviceStatusSummary::get(&client, "a/../b").await;
    let got = last(&emulator, "GET");
    assert!(
        got.path.contains("/mobileAppConfigurations/a%2F..%2Fb/deviceStatusSummary"),
        "{}",
        got.path
    );
}
