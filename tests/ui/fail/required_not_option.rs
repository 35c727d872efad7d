use graph_entity::graph_entity;

#[graph_entity(path = "/users", unchecked)]
struct User {
    #[graph(required)]
    display_name: String,
}

fn main() {}
