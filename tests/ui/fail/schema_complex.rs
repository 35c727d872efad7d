use graph_entity::{graph_complex, graph_entity};

// A property the complex type does not have, and a key, which complex types have none of.
#[graph_complex]
struct ItemBody {
    content: Option<String>,
    content_typ: Option<String>,
    #[graph(key)]
    id: Option<String>,
}

// A complex type Graph does not have.
#[graph_complex]
struct ItemBodies {
    content: Option<String>,
}

// A complex type that exists, but is not the one the property holds.
#[graph_complex]
struct DateTimeTimeZone {
    date_time: String,
}

#[graph_entity(path = "/me/todo/lists/{todoTaskListId}/tasks")]
struct Task {
    body: Option<DateTimeTimeZone>,
}

fn main() {}
