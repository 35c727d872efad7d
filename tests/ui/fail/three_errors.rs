use graph_entity::graph_entity;

// Three mistakes, all reported in one compile.
#[graph_entity(path = "/users/{}", pth = 1)]
struct User {
    #[graph(required)]
    display_name: String,
}

fn main() {}
