use graph_entity::graph_enum;

#[graph_enum(unchecked)]
enum NoCatchAll {
    Low,
    High,
}

#[graph_enum(unchecked)]
enum DataVariant {
    Low(u8),
    #[graph(other)]
    Other(String),
}

#[graph_enum(unchecked)]
struct NotAnEnum {
    a: i32,
}

fn main() {}
