// What the compiler refuses in reads and updates: a `null` for a property Graph does not allow
// it in, a setter for the key or a computed property, a filter value of the wrong type, and a
// property of another entity in a query.
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

fn main() {
    // `devicesCount` is not nullable: its setter takes an `i32`, not an `Option`.
    let _ = Status::patch().devices_count(None);
    // A collection is never `null`, at most empty.
    let _ = TodoTask::patch().categories(None);
    // The key and computed properties have no setter.
    let _ = MobileAppCategory::patch().id(Some("x".into()));
    let _ = MobileAppCategory::patch().last_modified_date_time(None);
    // A filter compares a property with a value of its own type.
    let _ = Status::query().filter(Status::fields().devices_count.eq("12"));
    // A property of another entity.
    let _ = Status::query().select(MobileAppCategory::fields().display_name);
}
