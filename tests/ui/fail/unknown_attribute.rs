use graph_entity::graph_entity;

#[graph_entity(path = "/users", unchecked, pth = "/users")]
struct UnknownArgument {
    a: i32,
}

#[graph_entity(path = "/users", unchecked)]
struct UnknownFieldAttribute {
    #[graph(requird)]
    a: Option<i32>,
}

fn main() {}
