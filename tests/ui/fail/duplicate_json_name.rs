use graph_entity::graph_entity;

#[graph_entity(path = "/users")]
struct User {
    display_name: String,
    #[graph(rename = "displayName")]
    name: String,
}

fn main() {}
