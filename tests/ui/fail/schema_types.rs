use graph_entity::graph_entity;

// Rust types that cannot hold the property's values: a string for an Int32, an i64 that could
// overflow it, a primitive for an enum, a single value for a collection.
#[graph_entity(path = "/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses")]
struct WrongTypes {
    devices_count: String,
    status: String,
}

#[graph_entity(path = "/deviceAppManagement/mobileAppConfigurations", odata_type = "#microsoft.graph.iosMobileAppConfiguration")]
struct Overflow {
    version: i64,
    targeted_mobile_apps: Option<String>,
}

fn main() {}
