use graph_entity::graph_entity;

#[graph_entity(path = "users/{userId}")]
struct NoLeadingSlash {
    a: i32,
}

#[graph_entity(path = "/users?$top=1")]
struct Query {
    a: i32,
}

#[graph_entity(path = "/users#top")]
struct Fragment {
    a: i32,
}

#[graph_entity(path = "/users//events")]
struct EmptySegment {
    a: i32,
}

#[graph_entity(path = "/users/{userId/events")]
struct Unclosed {
    a: i32,
}

#[graph_entity(path = "/users/userId}/events")]
struct Unopened {
    a: i32,
}

#[graph_entity(path = "/users/{}/events")]
struct EmptyPlaceholder {
    a: i32,
}

#[graph_entity(path = "/users/{id}/events/{id}")]
struct DuplicatePlaceholder {
    a: i32,
}

#[graph_entity(path = "/users/{user-id}/events")]
struct NotAnIdentifier {
    a: i32,
}

#[graph_entity(path = "/users/{userId}%2e/events")]
struct EncodedDot {
    a: i32,
}

fn main() {}
