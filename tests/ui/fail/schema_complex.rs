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

// A `#[graph_complex]` enum: a variant of a type that does not derive from the enum's, and
// one declared without `odata_type`, whose values would not name their type.
#[graph_complex(name = "mobileAppIdentifier")]
enum AppIdentifier {
    Body(ItemBody),
    Android(AndroidIdentifier),
    #[graph(other)]
    Other(graph_entity::Json),
}

#[graph_complex(name = "androidMobileAppIdentifier")]
struct AndroidIdentifier {
    package_id: Option<String>,
}

fn main() {}
