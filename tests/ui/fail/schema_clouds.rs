use graph_entity::graph_entity;

// To Do is not in the China cloud's metadata; `clouds(...)` makes that a compile error.
#[graph_entity(path = "/me/todo/lists/{todoTaskListId}/tasks", clouds(global, us_gov, china))]
struct Task {
    title: Option<String>,
}

fn main() {}
