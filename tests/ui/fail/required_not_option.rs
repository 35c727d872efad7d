use graph_entity::graph_entity;

#[graph_entity(path = "/users")]
struct User {
    #[graph(required)]
    display_name: String,
}

fn main() {}
