use graph_entity::{graph_entity, graph_enum};

// Members Graph's enum does not have, one with the member it was probably meant to be.
#[graph_enum]
enum ComplianceStatus {
    NotAplicable,
    Quarantined,
    #[graph(other)]
    Other(String),
}

// A Graph enum that exists, but is not the one the property holds.
#[graph_enum]
enum TaskStatus {
    Completed,
    #[graph(other)]
    Other(String),
}

#[graph_entity(path = "/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses")]
struct WrongEnum {
    status: TaskStatus,
}

fn main() {}
