use graph_entity::graph_entity;

// A misspelled segment, with a suggestion.
#[graph_entity(path = "/deviceAppManagment/mobileAppConfigurations")]
struct Misspelled {
    id: Option<String>,
}

// A navigation straight after a collection: the key placeholder is missing.
#[graph_entity(path = "/users/events")]
struct NoKey {
    id: Option<String>,
}

// A key placeholder after a single entity.
#[graph_entity(path = "/me/{id}/events")]
struct KeyAfterSingle {
    id: Option<String>,
}

// `create` posts to a collection: one entity is not one.
#[graph_entity(path = "/me")]
struct NotACollection {
    id: Option<String>,
}

fn main() {}
