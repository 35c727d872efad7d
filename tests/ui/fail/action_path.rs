use graph_entity::{graph_action, graph_function};

// An action the configuration does not have: a suggestion.
#[graph_action(path = "/deviceAppManagement/mobileAppConfigurations/{id}/asign")]
struct Misspelt {
    assignments: Vec<String>,
}

// A function declared as an action.
#[graph_action(path = "/users/{id}/reminderView")]
struct Reminders {
    start_date_time: String,
}

// An action declared as a function.
#[graph_function(path = "/deviceManagement/managedDevices/{id}/syncDevice")]
struct SyncAsAFunction {}

// An action bound to one configuration, addressed at their collection.
#[graph_action(path = "/deviceAppManagement/mobileAppConfigurations/assign")]
struct OnTheCollection {}

// An action bound to another type than the path addresses.
#[graph_action(path = "/deviceManagement/deviceCompliancePolicies/{id}/syncDevice")]
struct SyncPolicy {}

// An action a cloud the declaration requires does not have.
#[graph_action(
    path = "/deviceManagement/virtualEndpoint/onPremisesConnections/{id}/runHealthChecks",
    clouds(global, china)
)]
struct HealthChecksInChina {}

fn main() {}
