// What the compiler refuses in reads and updates: a `null` for a property Graph does not allow
// it in, a setter for a computed property, a filter value of the wrong type, a property of
// another entity in a query, creating a singleton, reading the changes of a collection
// without a `delta` function, and query options on a function that is not composable.
use graph_entity::prelude::*;
use graph_entity::intune::ManagedDeviceMobileAppConfigurationUserStatus as Status;

#[graph_entity(path = "/deviceAppManagement/mobileAppCategories")]
pub struct MobileAppCategory {
    #[graph(key)]
    pub id: Option<String>,
    pub display_name: Option<String>,
    /// Computed by the service.
    pub last_modified_date_time: Option<graph_entity::DateTimeOffset>,
}

#[graph_entity(path = "/users/{userId}/todo/lists/{todoTaskListId}/tasks")]
pub struct TodoTask {
    pub categories: Option<Vec<String>>,
}

// A singleton: read and updated at its path, never created.
#[graph_entity(path = "/deviceManagement")]
#[derive(Default)]
pub struct DeviceManagement {
    #[graph(key)]
    pub id: Option<String>,
}

async fn singleton(client: &graph_entity::Client) {
    let _ = DeviceManagement::default().create(client, ()).await;
}

// `reminderView` is not composable: its result takes no query options.
#[graph_complex]
pub struct Reminder {
    pub event_subject: Option<String>,
}

#[graph_function(path = "/users/{userId}/reminderView", returns = Vec<Reminder>)]
pub struct ReminderView {
    #[graph(rename = "StartDateTime")]
    pub start: String,
    #[graph(rename = "EndDateTime")]
    pub end: Option<String>,
}

async fn reminders(client: &graph_entity::Client) {
    let view = ReminderView { start: "2026-12-01T08:00:00Z".into(), end: None };
    let _ = view.call_with(client, "adele", &Status::query()).await;
}

// The user statuses' collection has no `delta` function in the metadata.
fn changes(client: &graph_entity::Client) {
    let _ = Status::delta(client, "configuration");
}

fn main() {
    let _ = singleton;
    let _ = changes;
    let _ = reminders;
    // `devicesCount` is not nullable: its setter takes an `i32`, not an `Option`.
    let _ = Status::patch().devices_count(None);
    // A collection is never `null`, at most empty.
    let _ = TodoTask::patch().categories(None);
    // Computed properties have no setter (nor has the key: see the seed's expansion snapshot,
    // `macros/tests/snapshots/`; `id` is a method name the compiler's hints answer with traits of
    // dependencies, which would tie this file to their versions).
    let _ = MobileAppCategory::patch().last_modified_date_time(None);
    // A filter compares a property with a value of its own type (an enum here: a primitive's
    // conversions from other crates would be listed in the hint).
    let _ = Status::query().filter(Status::fields().status.eq("compliant"));
    // A property of another entity.
    let _ = Status::query().select(MobileAppCategory::fields().display_name);
}
