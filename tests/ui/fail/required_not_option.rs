use graph_entity::graph_entity;

#[graph_entity(path = "/users", unchecked)]
struct User {
    #[graph(required)]
    display_name: String,
}

// `@odata.etag` is set by the service: an `Option`, never also the key.
#[graph_entity(path = "/planner/tasks")]
pub struct PlannerTask {
    #[graph(key, etag)]
    pub id: Option<String>,
    #[graph(etag)]
    pub etag: String,
}

fn main() {}
