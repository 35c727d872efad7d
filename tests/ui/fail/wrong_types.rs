use graph_entity::{graph_entity, graph_enum};

#[graph_entity(path = "/things", unchecked)]
struct ExtraNotAMap {
    #[graph(extra)]
    extra: Vec<String>,
}

#[graph_enum(unchecked)]
enum OtherNotAString {
    A,
    #[graph(other)]
    Other(u32),
}

fn main() {}
