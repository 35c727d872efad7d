use graph_entity::graph_entity;

// `userDisplayName` may be `null` in Graph: a plain `String` could not read it.
#[graph_entity(path = "/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses")]
struct PlainNullable {
    user_display_name: String,
}

fn main() {}
