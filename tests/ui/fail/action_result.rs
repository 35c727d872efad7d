use graph_entity::graph_action;

// `syncDevice` has no result.
#[graph_action(path = "/deviceManagement/managedDevices/{id}/syncDevice", returns = String)]
struct Sync {}

// `getMemberGroups` returns `Collection(Edm.String)`: its type is missing here, and another
// below.
#[graph_action(path = "/users/{id}/getMemberGroups")]
struct MemberGroups {
    security_enabled_only: Option<bool>,
}

#[graph_action(path = "/users/{id}/getMemberGroups", returns = Vec<i32>)]
struct MemberGroupsAsNumbers {
    security_enabled_only: Option<bool>,
}

// `getCachedReport` returns a stream (`Edm.Stream`): read as it arrives, never decoded.
#[graph_action(path = "/deviceManagement/reports/getCachedReport", returns = Vec<u8>)]
struct Report {
    id: Option<String>,
}

// An unknown attribute argument, and `unchecked`, which actions do not take.
#[graph_action(path = "/deviceManagement/managedDevices/{id}/syncDevice", retry, unchecked)]
struct SyncAgain {}

fn main() {}
