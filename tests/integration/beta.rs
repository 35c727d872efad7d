//! Graph beta beside v1.0: one client sends each declaration to the version it was checked
//! against, whatever its default; the emulator serves `/beta` from beta's metadata.

use graph_emulator::{Emulator, RunningEmulator};
use graph_entity::client::BulkOptions;
use graph_entity::prelude::*;
use graph_entity::{Client, Error, graph_entity, graph_enum};

use crate::common;

/// Settings Catalog: beta only.
#[graph_entity(path = "/deviceManagement/configurationPolicies", beta)]
#[derive(Debug, Clone, Default, PartialEq)]
struct Policy {
    #[graph(key)]
    id: Option<String>,
    name: Option<String>,
    platforms: Option<Platforms>,
    setting_count: Option<i32>,
}

#[graph_enum(name = "deviceManagementConfigurationPlatforms", beta)]
#[derive(Debug, Clone, PartialEq, Eq)]
enum Platforms {
    Windows10,
    #[graph(other)]
    Other(String),
}

/// The same path, unchecked, with a property of the wrong type: the emulator refuses it from
/// beta's metadata.
#[graph_entity(path = "/deviceManagement/configurationPolicies", beta, unchecked)]
#[derive(Debug, Clone)]
struct WrongPolicy {
    #[graph(key)]
    id: Option<String>,
    name: i32,
}

const ROLES: [&str; 2] = [common::WRITE, "DeviceManagementConfiguration.ReadWrite.All"];

async fn start() -> RunningEmulator {
    common::emulator(Emulator::builder()).await
}

fn client_of(emulator: &RunningEmulator, version: &str) -> Client {
    let token = emulator.issue_token(&ROLES, std::time::Duration::from_secs(600));
    Client::builder().base_url(emulator.graph_url(version)).bearer_token(token).build().unwrap()
}

fn policy(name: &str) -> Policy {
    Policy { name: Some(name.into()), platforms: Some(Platforms::Windows10), ..Policy::default() }
}

/// The paths of the requests received after the first `seen`.
fn paths_since(emulator: &RunningEmulator, seen: usize) -> Vec<String> {
    emulator.requests().into_iter().skip(seen).map(|r| format!("{} {}", r.method, r.path)).collect()
}

#[tokio::test]
async fn one_client_sends_v1_and_beta_declarations_each_to_its_version() {
    let emulator = start().await;
    for default in ["v1.0", "beta"] {
        let client = client_of(&emulator, default);
        let seen = emulator.requests().len();
        let configuration = common::configuration(&client).await;
        let status = crate::doc_example().create(&client, &configuration).await.unwrap();
        let created = policy("Contoso").create(&client, ()).await.unwrap();
        let id = created.id.clone().unwrap();
        assert_eq!(created.setting_count, Some(0), "beta's non-nullable Int32, filled in");
        let read = Policy::get(&client, (), &id).await.unwrap();
        assert_eq!(read, created);
        let paths = paths_since(&emulator, seen);
        assert_eq!(paths[0], "POST /v1.0/deviceAppManagement/mobileAppConfigurations", "{default}");
        assert_eq!(
            paths[1],
            format!(
                "POST /v1.0/deviceAppManagement/mobileAppConfigurations/{configuration}/userStatuses"
            )
        );
        assert_eq!(paths[2], "POST /beta/deviceManagement/configurationPolicies");
        assert!(
            paths[3]
                .starts_with(&format!("GET /beta/deviceManagement/configurationPolicies/{id}?"))
        );
        assert!(status.id.is_some());
        // The emulator keeps beta's entities in the one store.
        let stored = emulator.entities("/deviceManagement/configurationPolicies").unwrap();
        assert!(stored.iter().any(|p| p["id"] == id.as_str()));
    }
}

#[tokio::test]
async fn bulk_operations_batch_under_their_own_version() {
    let emulator = start().await;
    let client = client_of(&emulator, "v1.0");
    let seen = emulator.requests().len();
    let items = (0..3).map(|n| (policy(&format!("policy {n}")), [] as [&str; 0]));
    let results = client.create_many(items, &BulkOptions::default()).await.unwrap();
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let sent = emulator.requests().into_iter().skip(seen).collect::<Vec<_>>();
    // One `$batch` to beta's root; the emulator logs its items as served, under `/beta`.
    let paths: Vec<&str> = sent.iter().map(|r| r.path.as_str()).collect();
    let item = "/beta/deviceManagement/configurationPolicies";
    assert_eq!(paths, ["/beta/$batch", item, item, item]);
    let body = String::from_utf8_lossy(&sent[0].body);
    assert!(body.contains(r#""url":"/deviceManagement/configurationPolicies""#), "{body}");
    assert_eq!(emulator.entities("/deviceManagement/configurationPolicies").unwrap().len(), 3);
}

#[tokio::test]
async fn a_base_url_without_a_version_cannot_reach_beta_and_sends_nothing() {
    let emulator = start().await;
    let token = emulator.issue_token(&ROLES, std::time::Duration::from_secs(600));
    let base = format!("{}/graph", emulator.root_url());
    let client = Client::builder().base_url(base).bearer_token(token).build().unwrap();
    let seen = emulator.requests().len();
    let error = policy("Contoso").create(&client, ()).await.unwrap_err();
    assert!(matches!(&error, Error::Config(message) if message.contains("`beta`")), "{error}");
    // In bulk too: the whole call fails before anything is sent, not each item.
    let items = [(policy("a"), [] as [&str; 0])];
    let error = client.create_many(items, &BulkOptions::default()).await.unwrap_err();
    assert!(matches!(&error, Error::Config(_)), "{error}");
    assert_eq!(emulator.requests().len(), seen);
}

#[tokio::test]
async fn the_emulator_checks_beta_bodies_against_betas_metadata() {
    let emulator = start().await;
    let client = client_of(&emulator, "v1.0");
    let error = WrongPolicy { id: None, name: 7 }.create(&client, ()).await.unwrap_err();
    let Error::Graph(graph) = &error else { panic!("{error}") };
    assert_eq!(graph.status, 400);
    assert!(graph.message.contains("name"), "{error}");
    // Each version's own metadata routes: v1.0 has no Settings Catalog.
    let response = reqwest::Client::new()
        .get(format!("{}/deviceManagement/configurationPolicies", emulator.graph_url("v1.0")))
        .bearer_auth(emulator.issue_token(&ROLES, std::time::Duration::from_secs(60)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400, "v1.0 has no Settings Catalog");
}
