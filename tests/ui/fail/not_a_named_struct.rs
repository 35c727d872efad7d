use graph_entity::graph_entity;

#[graph_entity(path = "/things")]
enum Enum {
    A,
}

#[graph_entity(path = "/things")]
union Union {
    a: u32,
}

#[graph_entity(path = "/things")]
struct Tuple(i32);

#[graph_entity(path = "/things")]
struct Unit;

fn main() {}
