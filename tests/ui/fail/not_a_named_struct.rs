use graph_entity::graph_entity;

#[graph_entity(path = "/things", unchecked)]
enum Enum {
    A,
}

#[graph_entity(path = "/things", unchecked)]
union Union {
    a: u32,
}

#[graph_entity(path = "/things", unchecked)]
struct Tuple(i32);

#[graph_entity(path = "/things", unchecked)]
struct Unit;

fn main() {}
