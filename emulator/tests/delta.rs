//! `delta` over loopback HTTP, as Graph writes it: a first round of every entity, then rounds of
//! what was created, changed or removed (`@removed`) since the last page's `@odata.deltaLink`,
//! pages by `@odata.nextLink` that lose nothing changed meanwhile, and `410 syncStateNotFound`
//! for a link whose removals were forgotten.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Api, Reply, group, user};
use graph_emulator::{Emulator, RunningEmulator};
use reqwest::Method;
use serde_json::{Value, json};

async fn start(builder: Emulator) -> (RunningEmulator, Api) {
    let emulator = builder.start().await.unwrap();
    let api =
        Api::new(&emulator, &["User.ReadWrite.All", "Group.ReadWrite.All", "Tasks.ReadWrite.All"]);
    (emulator, api)
}

/// A round read to its end from `path`: its items, and its delta link (relative to the API's
/// base).
async fn round(api: &Api, path: &str) -> (Vec<Value>, String) {
    let mut items = Vec::new();
    let mut next = path.to_owned();
    for _ in 0..1000 {
        let reply = api.get(&next).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        let body = reply.json();
        items.extend(body["value"].as_array().unwrap().iter().cloned());
        match (body.get("@odata.nextLink"), body.get("@odata.deltaLink")) {
            (Some(Value::String(link)), None) => next = relative(api, link),
            (None, Some(Value::String(link))) => return (items, relative(api, link)),
            other => panic!("a page with {other:?}: {body}"),
        }
    }
    panic!("no end");
}

fn relative(api: &Api, link: &str) -> String {
    link.strip_prefix(&api.base).unwrap_or_else(|| panic!("{link}")).to_owned()
}

fn names(items: &[Value]) -> Vec<&str> {
    items.iter().filter_map(|i| i["displayName"].as_str()).collect()
}

#[tokio::test]
async fn rounds_of_users_give_every_user_then_what_changed_since() {
    let (_emulator, api) = start(Emulator::builder()).await;
    let ids: Vec<String> = {
        let mut ids = Vec::new();
        for name in ["ada", "bob", "cy"] {
            ids.push(api.post("/users", user(name)).await.id());
        }
        ids
    };
    let (items, link) = round(&api, "/users/delta?$select=displayName").await;
    assert_eq!(names(&items), ["ada", "bob", "cy"]);
    // The key comes with whatever is selected; nothing else does.
    assert_eq!(items[0]["id"], json!(ids[0]));
    assert!(items[0].get("mailNickname").is_none(), "{}", items[0]);
    assert!(link.starts_with("/users/delta?$select=displayName&$deltatoken="), "{link}");

    // Nothing changed: an empty round.
    let (items, same) = round(&api, &link).await;
    assert!(items.is_empty(), "{items:?}");

    assert_eq!(
        api.send(Method::DELETE, &format!("/users/{}", ids[1]), None, &[]).await.status,
        204
    );
    let patched = api
        .send(
            Method::PATCH,
            &format!("/users/{}", ids[2]),
            Some(json!({"displayName": "cyd"})),
            &[],
        )
        .await;
    assert_eq!(patched.status, 204, "{patched:?}");
    let dee = api.post("/users", user("dee")).await.id();
    for from in [&link, &same] {
        let (items, _) = round(&api, from).await;
        // A removed user can be restored for 30 days: Graph's reason is `changed`.
        assert_eq!(items[0], json!({"id": ids[1], "@removed": {"reason": "changed"}}));
        assert_eq!(names(&items[1..]), ["cyd", "dee"]);
        assert_eq!(items[2]["id"], json!(dee));
    }
}

#[tokio::test]
async fn a_change_while_a_round_is_read_comes_in_the_next_round() {
    let (_emulator, api) = start(Emulator::builder().page_size(2)).await;
    let mut ids = Vec::new();
    for n in 0..6 {
        ids.push(api.post("/groups", group(&format!("g{n}"))).await.id());
    }
    let first = api.get("/groups/delta").await.json();
    assert_eq!(names(first["value"].as_array().unwrap()), ["g0", "g1"]);
    let next = relative(&api, first["@odata.nextLink"].as_str().unwrap());
    // While the round is read: g0 (read) and g3 (not yet) change, g4 goes, g6 comes.
    for (id, name) in [(&ids[0], "g0'"), (&ids[3], "g3'")] {
        let reply = api
            .send(Method::PATCH, &format!("/groups/{id}"), Some(json!({"displayName": name})), &[])
            .await;
        assert_eq!(reply.status, 204);
    }
    api.send(Method::DELETE, &format!("/groups/{}", ids[4]), None, &[]).await;
    api.post("/groups", group("g6")).await.id();
    let (rest, link) = round(&api, &next).await;
    assert_eq!(names(&rest), ["g2", "g5"]);
    let (after, _) = round(&api, &link).await;
    assert_eq!(after[0], json!({"id": ids[4], "@removed": {"reason": "changed"}}));
    assert_eq!(names(&after[1..]), ["g0'", "g3'", "g6"]);
}

#[tokio::test]
async fn a_contained_collection_other_than_the_directory_is_removed_for_good() {
    let (_emulator, api) = start(Emulator::builder()).await;
    let user = api.post("/users", user("ada")).await.id();
    let lists = format!("/users/{user}/todo/lists");
    let list = api.post(&lists, json!({"displayName": "Groceries"})).await.id();
    let (items, link) = round(&api, &format!("{lists}/delta")).await;
    assert_eq!(names(&items), ["Groceries"]);
    api.send(Method::DELETE, &format!("{lists}/{list}"), None, &[]).await;
    let (items, _) = round(&api, &link).await;
    assert_eq!(items, [json!({"id": list, "@removed": {"reason": "deleted"}})]);
}

#[tokio::test]
async fn a_link_whose_removals_were_forgotten_has_expired() {
    let (_emulator, api) = start(Emulator::builder().delta_removals(1)).await;
    let a = api.post("/groups", group("a")).await.id();
    let b = api.post("/groups", group("b")).await.id();
    let (_, link) = round(&api, "/groups/delta").await;
    api.send(Method::DELETE, &format!("/groups/{a}"), None, &[]).await;
    // One removal is remembered: the link still tells.
    let (items, later) = round(&api, &link).await;
    assert_eq!(items.len(), 1);
    api.send(Method::DELETE, &format!("/groups/{b}"), None, &[]).await;
    let expired: Reply = api.get(&link).await;
    assert_eq!(
        (expired.status, expired.code().as_str()),
        (410, "syncStateNotFound"),
        "{expired:?}"
    );
    // The link from after the first removal still tells about the second.
    let (items, _) = round(&api, &later).await;
    assert_eq!(items, [json!({"id": b, "@removed": {"reason": "changed"}})]);
}

#[tokio::test]
async fn what_is_not_a_round_is_refused() {
    let (_emulator, api) = start(Emulator::builder()).await;
    for path in [
        "/groups/delta?$deltatoken=nonsense",
        "/groups/delta?$skiptoken=bm9uc2Vuc2U",
        "/groups/delta?$top=2",
        "/groups/delta?$expand=members",
    ] {
        let reply = api.get(path).await;
        assert_eq!(reply.status, 400, "{path}: {reply:?}");
    }
    let reply = api.send(Method::POST, "/groups/delta", None, &[]).await;
    assert_eq!(reply.status, 405, "{reply:?}");
}
