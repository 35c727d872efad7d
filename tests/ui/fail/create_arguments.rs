use graph_entity::intune::ManagedDeviceMobileAppConfigurationUserStatus as Status;
use graph_entity::Client;
use graph_entity::prelude::*;

async fn wrong_count(status: Status, client: Client) {
    let _ = status.create(&client).await;
    let _ = status.create(&client, ("a", "b")).await;
}

async fn wrong_type(status: Status, client: Client) {
    let _ = status.create(&client, 42).await;
}

fn main() {}
