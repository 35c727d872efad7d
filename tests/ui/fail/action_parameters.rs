use graph_entity::{graph_action, graph_entity};

// `wipe`'s parameters are nullable: each is an `Option`. One is misspelt, one has another
// type, one is not a parameter at all, and the extra map does not apply.
#[graph_action(path = "/deviceManagement/managedDevices/{managedDeviceId}/wipe")]
struct Wipe {
    keep_user_data: bool,
    keep_enrolment_data: Option<bool>,
    mac_os_unlock_code: Option<i32>,
    reason: Option<String>,
}

// `assign` requires its `assignments`, a collection: not declared, here; declared as an
// `Option`, below.
#[graph_action(path = "/deviceAppManagement/mobileAppConfigurations/{id}/assign")]
struct AssignNothing {}

#[graph_entity(path = "/deviceAppManagement/mobileAppConfigurations/{id}/assignments")]
struct Assignment {
    #[graph(key)]
    id: Option<String>,
}

#[graph_action(path = "/deviceAppManagement/mobileAppConfigurations/{id}/assign")]
struct AssignMaybe {
    assignments: Option<Vec<Assignment>>,
}

// An entity-typed parameter holding another entity type.
#[graph_entity(path = "/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses")]
struct UserStatus {
    #[graph(key)]
    id: Option<String>,
}

#[graph_action(path = "/deviceAppManagement/mobileAppConfigurations/{id}/assign")]
struct AssignStatuses {
    assignments: Vec<UserStatus>,
}

fn main() {}
