use graph_entity::graph_entity;

// Settings Catalog exists only in beta: without `beta`, the error says to add it.
#[graph_entity(path = "/deviceManagement/configurationPolicies")]
pub struct PolicyWithoutBeta {
    #[graph(key)]
    id: Option<String>,
}

// A beta declaration is checked against beta's metadata as a v1.0 one is against v1.0's:
// a misspelled property, with a suggestion, and a wrong type.
#[graph_entity(path = "/deviceManagement/configurationPolicies", beta)]
pub struct Policy {
    #[graph(key)]
    id: Option<String>,
    setting_cont: Option<i32>,
    name: Option<i32>,
}

// An integer whose width beta's metadata only infers takes `i32` or `i64`, and nothing else.
#[graph_entity(path = "/deviceManagement/managedDeviceCleanupRules", beta)]
pub struct CleanupRule {
    #[graph(key)]
    id: Option<String>,
    device_inactivity_before_retirement_in_days: String,
}

fn main() {}
