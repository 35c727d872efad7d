use graph_entity::graph_entity;

#[graph_entity(path = "/users", unchecked)]
struct User {
    display_name: String,
    #[graph(rename = "displayName")]
    name: String,
}

fn main() {}
