//! Shared by the test binaries and the benchmark: the parent of user statuses.
#![allow(dead_code, unreachable_pub)]

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

/// Creates a configuration and returns its id.
///
/// # Panics
///
/// When the creation fails: callers are tests.
#[allow(clippy::unwrap_used)]
pub async fn configuration(client: &graph_entity::Client) -> String {
    let created = Configuration { id: None, display_name: "Test configuration".into() };
    graph_entity::Operations::create(&created, client, ()).await.unwrap().id.unwrap()
}
