use graph_entity::graph_entity;
use graph_entity::intune::ComplianceStatus;

// A misspelled property, with the name it was probably meant to be, and one Graph does not have.
#[graph_entity(path = "/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses")]
struct Misspelled {
    user_dispaly_name: Option<String>,
    devices_count: i32,
    status: ComplianceStatus,
    colour: Option<String>,
}

fn main() {}
