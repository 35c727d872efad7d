use graph_entity::graph_entity;

#[graph_entity(path = "/users", unchecked)]
struct User {
    #[graph(key)]
    id: Option<String>,
    #[graph(key)]
    user_principal_name: Option<String>,
}

fn main() {}
