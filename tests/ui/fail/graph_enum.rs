use graph_entity::graph_enum;

#[graph_enum]
enum NoCatchAll {
    Low,
    High,
}

#[graph_enum]
enum DataVariant {
    Low(u8),
    #[graph(other)]
    Other(String),
}

#[graph_enum]
struct NotAnEnum {
    a: i32,
}

fn main() {}
