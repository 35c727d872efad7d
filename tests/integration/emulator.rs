//! End to end over loopback HTTP against `graph-emulator`: the seed's create, reading back,
//! paging, every error status, path encoding, clouds and headers.

use std::time::Duration;

use graph_emulator::{Emulator, RunningEmulator};
use graph_entity::intune::{
    ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus as Status,
};
use graph_entity::prelude::*;
use graph_entity::{Client, Error, NationalCloud, auth::ClientSecretCredential, cloud::ApiVersion};
use serde_json::{Value, json};

use crate::Stored as _;
use crate::{common, configuration, doc_example};

async fn start(page_size: usize) -> RunningEmulator {
    common::emulator(Emulator::builder().page_size(page_size)).await
}

/// A client that gets its tokens from the emulator's token endpoint.
fn client(emulator: &RunningEmulator) -> Client {
    common::secret_client(emulator).build().unwrap()
}

fn with_token(emulator: &RunningEmulator, token: &str) -> Client {
    Client::builder().base_url(emulator.graph_url("v1.0")).bearer_token(token).build().unwrap()
}

#[tokio::test]
async fn create_then_read_back_by_id_and_in_the_collection() {
    let emulator = start(100).await;
    let client = client(&emulator);
    let parent = configuration(&client).await;

    let created = doc_example().create(&client, &parent).await.unwrap();
    let id = created.id.clone().expect("a new id");
    assert_eq!(id.len(), 36, "a GUID: {id}");
    assert_eq!(Status { id: None, ..created.clone() }, doc_example());

    let read: Status = client.get(&[&parent], &id).await.unwrap();
    assert_eq!(read, created);
    let all: Vec<Status> = client.list(&[&parent]).collect_all().await.unwrap();
    assert_eq!(all, [created]);

    // Stored exactly once, with the values as sent (the emulator's own view).
    let stored = emulator.user_statuses(&parent).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["lastReportedDateTime"], json!("2017-01-01T00:00:17.7769392-08:00"));
    assert_eq!(stored[0]["status"], json!("notApplicable"));
}

#[tokio::test]
async fn list_follows_next_links_across_pages() {
    let emulator = start(3).await;
    let client = client(&emulator);
    let parent = configuration(&client).await;
    let mut created = Vec::new();
    for count in 0..7 {
        let status = Status { devices_count: count, ..doc_example() };
        created.push(status.create(&client, &parent).await.unwrap());
    }
    let all: Vec<Status> = client.list(&[&parent]).collect_all().await.unwrap();
    assert_eq!(all, created);
    let pages: Vec<String> =
        emulator.requests().into_iter().filter(|r| r.method == "GET").map(|r| r.path).collect();
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(pages[1].contains("$skiptoken=3"), "{pages:?}");
    assert!(pages[2].contains("$skiptoken=6"), "{pages:?}");
}

#[tokio::test]
async fn an_unknown_configuration_is_resource_not_found_with_ids() {
    let emulator = start(100).await;
    let client = client(&emulator);
    let error = doc_example().create(&client, "no-such-configuration").await.unwrap_err();
    let graph = error.as_graph().unwrap_or_else(|| panic!("{error:?}"));
    assert_eq!((graph.status, graph.code.as_str()), (404, "ResourceNotFound"));
    assert!(graph.message.contains("no-such-configuration"), "{graph}");
    let sent = emulator.requests().pop().unwrap();
    let sent_id = sent.header("client-request-id").unwrap();
    assert_eq!(graph.client_request_id.as_deref(), Some(sent_id), "echoed");
    assert_eq!(graph.request_id.as_ref().map(String::len), Some(36));
    assert!(graph.date.is_some());
}

#[tokio::test]
async fn authentication_and_permission_errors() {
    let emulator = start(100).await;
    let parent = configuration(&client(&emulator)).await;
    let expired = emulator.issue_token(&["DeviceManagementApps.ReadWrite.All"], Duration::ZERO);
    let read_only =
        emulator.issue_token(&["DeviceManagementApps.Read.All"], Duration::from_secs(60));
    let cases = [
        ("", 401, "InvalidAuthenticationToken", "Access token is empty"),
        ("not-a-token", 401, "InvalidAuthenticationToken", "validation failure"),
        (expired.as_str(), 401, "InvalidAuthenticationToken", "expired"),
    ];
    for (token, status, code, message) in cases {
        let error = doc_example().create(&with_token(&emulator, token), &parent).await.unwrap_err();
        let graph = error.as_graph().unwrap_or_else(|| panic!("{error:?}"));
        assert_eq!((graph.status, graph.code.as_str()), (status, code), "{graph}");
        assert!(graph.message.contains(message), "{graph}");
        if !token.is_empty() {
            assert!(!error.to_string().contains(token) && !format!("{error:?}").contains(token));
        }
    }
    // Without the permission: refused before sending by the client, with `403` by the emulator
    // when the client's check is off.
    let sent = emulator.requests().len();
    let error =
        doc_example().create(&with_token(&emulator, &read_only), &parent).await.unwrap_err();
    let Error::MissingPermission(missing) = &error else { panic!("{error:?}") };
    assert_eq!(missing.least, Some("DeviceManagementApps.ReadWrite.All"));
    assert_eq!(emulator.requests().len(), sent, "nothing sent");
    let unchecked = common::token_client(&emulator, &[]).check_permissions(false);
    let unchecked = unchecked.bearer_token(&read_only).build().unwrap();
    let error = doc_example().create(&unchecked, &parent).await.unwrap_err();
    let graph = error.as_graph().unwrap_or_else(|| panic!("{error:?}"));
    assert_eq!((graph.status, graph.code.as_str()), (403, "Forbidden"), "{graph}");
    assert!(graph.message.contains("scopes: DeviceManagementApps.ReadWrite.All"), "{graph}");
    // Reading is allowed with Read.All.
    let listed: Vec<Status> =
        with_token(&emulator, &read_only).list(&[&parent]).collect_all().await.unwrap();
    assert!(listed.is_empty());
    assert_eq!(emulator.user_statuses(&parent).unwrap().len(), 0, "nothing stored");
}

#[tokio::test]
async fn token_endpoint_errors_are_auth_errors_without_the_secret() {
    let emulator = start(100).await;
    let (id, _) = emulator.default_client();
    let secret = "wrong-secret-value";
    let cases = [
        (emulator.tenant(), id, "invalid_client", "AADSTS7000215"),
        ("other-tenant", id, "invalid_tenant", "AADSTS90002"),
        (emulator.tenant(), "unknown-app", "unauthorized_client", "AADSTS700016"),
    ];
    for (tenant, client_id, code, aadsts) in cases {
        let credential =
            ClientSecretCredential::new(emulator.root_url(), tenant, client_id, secret).unwrap();
        let client = Client::builder()
            .base_url(emulator.graph_url("v1.0"))
            .credential(credential)
            .build()
            .unwrap();
        let error = doc_example().create(&client, "c").await.unwrap_err();
        let Error::Auth(auth) = &error else { panic!("{error:?}") };
        assert_eq!(auth.code, code, "{auth}");
        assert!(auth.description.starts_with(aadsts), "{auth}");
        assert!(!error.to_string().contains(secret) && !format!("{error:?}").contains(secret));
    }
    let token_requests =
        emulator.requests().into_iter().filter(|r| r.path.ends_with("/token")).count();
    assert_eq!(token_requests, 3);
    assert!(emulator.requests().iter().all(|r| !String::from_utf8_lossy(&r.body).contains(secret)));
}

#[tokio::test]
async fn one_token_request_serves_many_calls() {
    let emulator = start(100).await;
    let client = client(&emulator);
    let parent = configuration(&client).await;
    for _ in 0..3 {
        doc_example().create(&client, &parent).await.unwrap();
    }
    let token_requests =
        emulator.requests().into_iter().filter(|r| r.path.ends_with("/token")).count();
    assert_eq!(token_requests, 1);
}

#[tokio::test]
async fn the_service_rejects_what_its_schema_rejects() {
    let emulator = start(100).await;
    let client = client(&emulator);
    let parent = configuration(&client).await;
    // Our types let a caller send an enum member the service does not know: it answers 400.
    let newer = Status { status: ComplianceStatus::Other("pendingReboot".into()), ..doc_example() };
    let error = newer.create(&client, &parent).await.unwrap_err();
    let graph = error.as_graph().unwrap_or_else(|| panic!("{error:?}"));
    assert_eq!((graph.status, graph.code.as_str()), (400, "BadRequest"));
    assert_eq!(graph.details.len(), 1);
    assert_eq!(graph.details[0].target.as_deref(), Some("status"));
    assert!(graph.message.contains("pendingReboot"), "{graph}");
}

/// Raw bodies, sent without our types, to show the emulator's validation on its own.
#[tokio::test]
async fn raw_bodies_get_graph_400s_naming_each_problem() {
    let emulator = Emulator::builder().max_body_bytes(4096).start().await.unwrap();
    let client = client(&emulator);
    let parent = configuration(&client).await;
    let token =
        emulator.issue_token(&["DeviceManagementApps.ReadWrite.All"], Duration::from_secs(60));
    let url = format!(
        "{}/deviceAppManagement/mobileAppConfigurations/{parent}/userStatuses",
        emulator.graph_url("v1.0")
    );
    let valid = json!({
        "@odata.type": "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus",
        "userDisplayName": "a", "devicesCount": 1, "status": "compliant",
        "lastReportedDateTime": "2017-01-01T00:00:17Z", "userPrincipalName": "a@contoso.com"
    });
    let with = |key: &str, value: Value| {
        let mut body = valid.clone();
        body[key] = value;
        body.to_string()
    };
    let without = |key: &str| {
        let mut body = valid.clone();
        body.as_object_mut().unwrap().remove(key);
        body.to_string()
    };
    let cases: Vec<(String, u16, &str)> = vec![
        (with("devicesCount", json!("12")), 400, "devicesCount"),
        (with("devicesCount", json!(2_147_483_648_i64)), 400, "devicesCount"),
        (with("devicesCount", json!(1.5)), 400, "devicesCount"),
        (with("devicesCount", Value::Null), 400, "devicesCount"),
        (with("status", json!("pendingReboot")), 400, "status"),
        (with("lastReportedDateTime", json!("2017-02-30T00:00:00Z")), 400, "lastReportedDateTime"),
        (with("lastReportedDateTime", json!("2017-01-01T00:00:00")), 400, "lastReportedDateTime"),
        (with("userDisplayName", json!(7)), 400, "userDisplayName"),
        (with("unknownProperty", json!(1)), 400, "unknownProperty"),
        (with("@odata.type", json!("#microsoft.graph.user")), 400, "@odata.type"),
        (without("status"), 400, "status"),
        (without("lastReportedDateTime"), 400, "lastReportedDateTime"),
        ("{\"devicesCount\":".into(), 400, ""),
        (format!("{{\"pad\":\"{}\"}}", "x".repeat(5000)), 413, ""),
    ];
    let http = reqwest::Client::new();
    for (body, status, target) in cases {
        let response = http
            .post(&url)
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "{body}");
        assert!(response.headers().contains_key("request-id"));
        let error: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        assert!(error["error"]["code"].is_string(), "{error}");
        assert!(error["error"]["innerError"]["request-id"].is_string(), "{error}");
        if !target.is_empty() {
            let targets: Vec<&str> = error["error"]["details"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["target"].as_str().unwrap())
                .collect();
            assert_eq!(targets, [target], "{body}: {error}");
        }
    }
    // Several problems at once are all named.
    let mut body = valid.clone();
    body["devicesCount"] = json!("x");
    body["status"] = json!(1);
    let response = http.post(&url).bearer_auth(&token).body(body.to_string()).send().await.unwrap();
    let error: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(error["error"]["details"].as_array().unwrap().len(), 2, "{error}");
    assert_eq!(emulator.user_statuses(&parent).unwrap().len(), 0, "nothing stored");
}

#[tokio::test]
async fn path_arguments_stay_in_their_segment_at_the_service() {
    let emulator = start(100).await;
    let client = client(&emulator);
    for id in ["../users", "a/b?c#d%", "\u{e9}t\u{e9} \u{1f600}", "%2e%2e"] {
        let error = doc_example().create(&client, id).await.unwrap_err();
        let graph = error.as_graph().unwrap_or_else(|| panic!("{id}: {error:?}"));
        // The service routed to the user statuses of a configuration whose id is exactly the
        // argument: it stayed one segment.
        assert_eq!((graph.status, graph.code.as_str()), (404, "ResourceNotFound"), "{id}: {graph}");
        assert!(graph.message.contains(&format!("'{id}'")), "{id}: {graph}");
    }
    let paths: Vec<String> =
        emulator.requests().into_iter().filter(|r| r.method == "POST").map(|r| r.path).collect();
    assert!(
        paths.contains(
            &"/v1.0/deviceAppManagement/mobileAppConfigurations/..%2Fusers/userStatuses".to_owned()
        ),
        "{paths:?}"
    );
}

#[tokio::test]
async fn requests_carry_the_specified_headers() {
    let emulator = start(100).await;
    let client = client(&emulator);
    let parent = configuration(&client).await;
    doc_example().create(&client, &parent).await.unwrap();
    let _: Vec<Status> = client.list(&[&parent]).collect_all().await.unwrap();
    let requests: Vec<_> =
        emulator.requests().into_iter().filter(|r| !r.path.ends_with("/token")).collect();
    let mut ids = Vec::new();
    for request in &requests {
        assert_eq!(request.header("authorization"), Some("Bearer <redacted>"), "{request:?}");
        assert_eq!(request.header("accept"), Some("application/json"));
        let version = format!("graph-entity/{}", env!("CARGO_PKG_VERSION"));
        assert_eq!(request.header("user-agent"), Some(version.as_str()));
        assert_eq!(request.header("sdkversion"), Some(version.as_str()));
        let id = request.header("client-request-id").unwrap();
        assert!(uuid_like(id), "{id}");
        ids.push(id.to_owned());
        let has_body = request.method == "POST";
        assert_eq!(
            request.header("content-type"),
            has_body.then_some("application/json"),
            "{request:?}"
        );
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), requests.len(), "a fresh client-request-id per call");
}

fn uuid_like(s: &str) -> bool {
    s.len() == 36
        && s.chars().enumerate().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() }
        })
}

#[test]
fn the_four_clouds_build_the_right_urls_and_scopes() {
    let expected = [
        (NationalCloud::Global, "https://graph.microsoft.com", "https://login.microsoftonline.com"),
        (NationalCloud::UsGovL4, "https://graph.microsoft.us", "https://login.microsoftonline.us"),
        (
            NationalCloud::UsGovL5Dod,
            "https://dod-graph.microsoft.us",
            "https://login.microsoftonline.us",
        ),
        (
            NationalCloud::China,
            "https://microsoftgraph.chinacloudapi.cn",
            "https://login.chinacloudapi.cn",
        ),
    ];
    for (cloud, graph, login) in expected {
        for (version, segment) in [(ApiVersion::V1, "v1.0"), (ApiVersion::Beta, "beta")] {
            let client = Client::builder()
                .cloud(cloud)
                .api_version(version)
                .bearer_token("t")
                .build()
                .unwrap();
            assert_eq!(client.base_url(), format!("{graph}/{segment}"));
            assert_eq!(client.scope(), format!("{graph}/.default"));
        }
        let credential =
            ClientSecretCredential::new(cloud.login_host(), "contoso.onmicrosoft.com", "id", "s")
                .unwrap();
        assert_eq!(
            credential.token_url(),
            format!("{login}/contoso.onmicrosoft.com/oauth2/v2.0/token")
        );
        assert_eq!(cloud.name().parse::<NationalCloud>().unwrap(), cloud);
    }
    assert!("mars".parse::<NationalCloud>().unwrap_err().to_string().contains("global"));
    // The default is the global cloud, v1.0.
    let client = Client::builder().bearer_token("t").build().unwrap();
    assert_eq!(client.base_url(), graph_entity::client::DEFAULT_BASE_URL);
    // A credential never sends its secret over plain http to a host that is not loopback.
    assert!(ClientSecretCredential::new("http://login.example.com", "t", "id", "s").is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_are_each_stored_once() {
    let emulator = start(1000).await;
    let client = client(&emulator);
    let parent = configuration(&client).await;
    let tasks: Vec<_> = (0..64)
        .map(|n| {
            let (client, parent) = (client.clone(), parent.clone());
            tokio::spawn(async move {
                Status { devices_count: n, ..doc_example() }.create(&client, &parent).await
            })
        })
        .collect();
    let mut created = Vec::new();
    for task in tasks {
        created.push(task.await.unwrap().unwrap());
    }
    let mut created_ids: Vec<String> = created.iter().map(|s| s.id.clone().unwrap()).collect();
    created_ids.sort();
    let mut stored_ids: Vec<String> = emulator
        .user_statuses(&parent)
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    stored_ids.sort();
    assert_eq!(stored_ids.len(), 64);
    assert_eq!(created_ids, stored_ids);
    let mut counts: Vec<i32> = created.iter().map(|s| s.devices_count).collect();
    counts.sort_unstable();
    assert_eq!(counts, (0..64).collect::<Vec<_>>());
}
