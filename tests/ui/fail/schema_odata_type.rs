use graph_entity::graph_entity;

// An abstract type cannot be created: the error lists the derived types that can.
#[graph_entity(path = "/deviceAppManagement/mobileAppConfigurations")]
struct Abstract {
    display_name: String,
}

// `@odata.type` must be the addressed type or derive from it.
#[graph_entity(path = "/deviceAppManagement/mobileAppConfigurations", odata_type = "#microsoft.graph.user")]
struct NotDerived {
    display_name: String,
}

// A type Graph does not have, with the derived type it was probably meant to be.
#[graph_entity(path = "/deviceAppManagement/mobileAppConfigurations", odata_type = "#microsoft.graph.iosMobileAppConfig")]
struct Unknown {
    display_name: String,
}

fn main() {}
