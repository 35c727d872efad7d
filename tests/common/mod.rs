//! Shared by the test binaries and the benchmarks: the emulator and clients of it, and the parent
//! of user statuses.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::time::Duration;

use graph_emulator::{Emulator, RunningEmulator};
use graph_entity::Client;
use graph_entity::auth::ClientSecretCredential;
use graph_entity::client::ClientBuilder;

/// The application permission the seed's writes need.
pub const WRITE: &str = "DeviceManagementApps.ReadWrite.All";

/// `managedDeviceMobileAppConfiguration` is abstract, so a configuration is created as a
/// derived type.
#[graph_entity::graph_entity(
    path = "/deviceAppManagement/mobileAppConfigurations",
    odata_type = "#microsoft.graph.iosMobileAppConfiguration"
)]
pub struct Configuration {
    #[graph(key)]
    pub id: Option<String>,
    pub display_name: String,
}

/// Starts the emulator as `builder` says, on a free loopback port.
///
/// # Panics
///
/// When it cannot start: callers are tests.
pub async fn emulator(builder: Emulator) -> RunningEmulator {
    builder.start().await.unwrap()
}

/// A client of `emulator` whose credential is the emulator's default registration, through its
/// token endpoint (client credentials with the published development secret).
pub fn secret_client(emulator: &RunningEmulator) -> ClientBuilder {
    let (id, secret) = emulator.default_client();
    let credential =
        ClientSecretCredential::new(emulator.root_url(), emulator.tenant(), id, secret).unwrap();
    Client::builder().base_url(emulator.graph_url("v1.0")).credential(credential)
}

/// A client of `emulator` with a token the emulator issued for `roles`, valid for an hour.
pub fn token_client(emulator: &RunningEmulator, roles: &[&str]) -> ClientBuilder {
    let token = emulator.issue_token(roles, Duration::from_secs(3600));
    Client::builder().base_url(emulator.graph_url("v1.0")).bearer_token(token)
}

/// The emulator, started as `builder` says, and a client of it with a token for the seed's
/// writes.
pub async fn with_writer(builder: Emulator) -> (RunningEmulator, Client) {
    let emulator = emulator(builder).await;
    let client = token_client(&emulator, &[WRITE]).build().unwrap();
    (emulator, client)
}

/// Creates a configuration and returns its id.
///
/// # Panics
///
/// When the creation fails: callers are tests.
pub async fn configuration(client: &Client) -> String {
    let created = Configuration { id: None, display_name: "Test configuration".into() };
    graph_entity::Operations::create(&created, client, ()).await.unwrap().id.unwrap()
}
