use graph_entity::graph_entity;

#[graph_entity]
struct MissingPath {
    a: i32,
}

#[graph_entity(path = 42)]
struct NotAString {
    a: i32,
}

#[graph_entity(path = "/a", path = "/b", unchecked)]
struct TwoPaths {
    a: i32,
}

fn main() {}
