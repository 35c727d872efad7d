use graph_entity::graph_entity;

#[graph_entity(path = "/things", unchecked, crate = graph_entity)]
struct Relative {
    a: i32,
}

fn main() {}
