//! Optimistic concurrency over loopback HTTP, as Graph does it: `@odata.etag` on every entity
//! answered (created, read, listed, selected, expanded, inside `$batch`), changing on each
//! `PATCH`; `If-Match` on `PATCH` and `DELETE` (the current etag, weak or strong, or `*`;
//! `412 PreconditionFailed` otherwise), also in `$batch`; and Planner, which requires it.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Api, Reply, group, user};
use graph_emulator::{Emulator, RunningEmulator};
use reqwest::Method;
use serde_json::{Value, json};

/// The etag of an answer, where Graph puts it.
trait Etag {
    fn etag(&self) -> String;
}

impl Etag for Reply {
    /// The `@odata.etag` of the entity answered, after checking it is written as Graph writes
    /// it (weak) and sits right after `@odata.context`, before the properties.
    fn etag(&self) -> String {
        assert!(matches!(self.status, 200 | 201), "{self:?}");
        let etag =
            self.json()["@odata.etag"].as_str().unwrap_or_else(|| panic!("{self:?}")).to_owned();
        assert!(etag.starts_with("W/\"") && etag.ends_with('"') && etag.len() > 4, "{etag}");
        let context = self.text.find("\"@odata.context\"").unwrap();
        let at = self.text.find("\"@odata.etag\"").unwrap();
        let value_end = context + self.text[context..].find("\",\"").unwrap() + 2;
        assert_eq!(at, value_end, "right after @odata.context: {}", self.text);
        etag
    }
}

impl Api {
    async fn patch(&self, path: &str, body: Value, if_match: Option<&str>) -> Reply {
        let headers: Vec<(&str, &str)> = if_match.map(|m| ("If-Match", m)).into_iter().collect();
        self.send(Method::PATCH, path, Some(body), &headers).await
    }

    async fn delete(&self, path: &str, if_match: Option<&str>) -> Reply {
        let headers: Vec<(&str, &str)> = if_match.map(|m| ("If-Match", m)).into_iter().collect();
        self.send(Method::DELETE, path, None, &headers).await
    }
}

async fn start() -> (RunningEmulator, Api) {
    let emulator = Emulator::builder().start().await.unwrap();
    let api =
        Api::new(&emulator, &["Group.ReadWrite.All", "User.ReadWrite.All", "Tasks.ReadWrite.All"]);
    (emulator, api)
}

/// The strong form of a weak etag: `"…"` for `W/"…"`.
fn strong(etag: &str) -> &str {
    etag.strip_prefix("W/").unwrap()
}

#[tokio::test]
async fn every_entity_answered_carries_an_etag_that_changes_on_patch() {
    let (_emulator, api) = start().await;
    let created = api.post("/groups", group("a")).await;
    let id = created.id();
    let first = created.etag();
    let other = api.post("/groups", group("b")).await.etag();
    assert_ne!(first, other, "each entity its own");
    let path = format!("/groups/{id}");

    assert_eq!(api.get(&path).await.etag(), first, "the same until it changes");
    let selected = api.get(&format!("{path}?$select=displayName")).await;
    assert_eq!(selected.etag(), first, "$select keeps it");
    assert!(selected.json().get("mailNickname").is_none(), "{selected:?}");

    let listed = api.get("/groups?$select=displayName").await;
    assert_eq!(listed.status, 200);
    let items = listed.json()["value"].as_array().unwrap().clone();
    let etags: Vec<&str> = items.iter().map(|i| i["@odata.etag"].as_str().unwrap()).collect();
    assert_eq!(etags, [first.as_str(), other.as_str()]);
    // First in each item.
    assert_eq!(listed.text.matches("{\"@odata.etag\":").count(), 2, "{}", listed.text);

    let patched = api.patch(&path, json!({"description": "x"}), None).await;
    assert_eq!((patched.status, patched.text.as_str()), (204, ""));
    let second = api.get(&path).await.etag();
    assert_ne!(second, first, "a PATCH changes it");
    assert_eq!(api.get("/groups").await.json()["value"][0]["@odata.etag"], json!(second));
    // Even a PATCH that sets what is already there is a new version.
    assert_eq!(api.patch(&path, json!({"description": "x"}), None).await.status, 204);
    let third = api.get(&path).await.etag();
    assert!(third != first && third != second, "{first} {second} {third}");
    // A refused PATCH is no change.
    assert_eq!(api.patch(&path, json!({"description": 5}), None).await.status, 400);
    assert_eq!(api.get(&path).await.etag(), third);
}

#[tokio::test]
async fn singles_and_expanded_children_carry_etags() {
    let (_emulator, api) = start().await;
    let user = api.post("/users", user("ada")).await.id();
    let todo = format!("/users/{user}/todo");
    let single = api.get(&todo).await.etag();
    let list = api.post(&format!("{todo}/lists"), json!({"displayName": "l"})).await;
    let (list_id, list_etag) = (list.id(), list.etag());
    let task = api.post(&format!("{todo}/lists/{list_id}/tasks"), json!({"title": "t"})).await;
    let task_etag = task.etag();

    let expanded = api.get(&format!("{todo}?$expand=lists($select=displayName)")).await;
    assert_eq!(expanded.etag(), single);
    let lists = expanded.json()["lists"].clone();
    assert_eq!(lists[0]["@odata.etag"], json!(list_etag), "{lists}");
    assert!(expanded.text.contains("\"lists\":[{\"@odata.etag\":"), "first: {}", expanded.text);
    let tasks = api.get(&format!("{todo}/lists/{list_id}?$expand=tasks")).await.json();
    assert_eq!(tasks["tasks"][0]["@odata.etag"], json!(task_etag), "{tasks}");

    // A single-valued navigation's etag changes when it is written, and is checked.
    let stale = api.patch(&todo, json!({}), Some("W/\"other\"")).await;
    assert_eq!((stale.status, stale.code().as_str()), (412, "PreconditionFailed"));
    assert_eq!(api.patch(&todo, json!({}), Some(&single)).await.status, 204);
    assert_ne!(api.get(&todo).await.etag(), single);
}

#[tokio::test]
async fn patch_honours_if_match() {
    let (_emulator, api) = start().await;
    let created = api.post("/groups", group("a")).await;
    let (path, etag) = (format!("/groups/{}", created.id()), created.etag());

    // Stale: refused in Graph's format, naming the current etag, and nothing changed.
    let stale = api.patch(&path, json!({"description": "lost"}), Some("W/\"bm90IHRoaXM=\"")).await;
    assert_eq!((stale.status, stale.code().as_str()), (412, "PreconditionFailed"), "{stale:?}");
    assert!(stale.message().contains(&etag), "{}", stale.message());
    let read = api.get(&path).await;
    assert_eq!((read.etag(), read.json()["description"].clone()), (etag.clone(), Value::Null));
    // Even a body that would be refused: the precondition is checked first.
    assert_eq!(api.patch(&path, json!({"description": 5}), Some("W/\"x\"")).await.status, 412);
    let not_json = api.send(Method::PATCH, &path, None, &[("If-Match", "W/\"x\"")]).await;
    assert_eq!(not_json.status, 412, "{not_json:?}");

    // The current etag applies, and is stale afterwards.
    let applied = api.patch(&path, json!({"description": "one"}), Some(&etag)).await;
    assert_eq!(applied.status, 204, "{applied:?}");
    assert_eq!(api.get(&path).await.json()["description"], json!("one"));
    let again = api.patch(&path, json!({"description": "two"}), Some(&etag)).await;
    assert_eq!(again.status, 412, "the etag read before the change");
    assert_eq!(api.get(&path).await.json()["description"], json!("one"));

    // The strong form, one of a list, `*`, and no If-Match at all.
    let current = api.get(&path).await.etag();
    assert_eq!(
        api.patch(&path, json!({"description": "two"}), Some(strong(&current))).await.status,
        204
    );
    let current = api.get(&path).await.etag();
    let list = format!("W/\"x\", {current}");
    assert_eq!(api.patch(&path, json!({"description": "three"}), Some(&list)).await.status, 204);
    assert_eq!(api.patch(&path, json!({"description": "four"}), Some("*")).await.status, 204);
    assert_eq!(api.patch(&path, json!({"description": "five"}), None).await.status, 204);
    assert_eq!(api.get(&path).await.json()["description"], json!("five"));

    // A missing entity is 404 whatever If-Match says.
    let missing = api.patch("/groups/nope", json!({}), Some("*")).await;
    assert_eq!((missing.status, missing.code().as_str()), (404, "Request_ResourceNotFound"));
}

#[tokio::test]
async fn a_delete_with_a_stale_etag_is_refused_and_the_entity_kept() {
    let (emulator, api) = start().await;
    let created = api.post("/groups", group("a")).await;
    let (path, etag) = (format!("/groups/{}", created.id()), created.etag());
    assert_eq!(api.patch(&path, json!({"description": "x"}), None).await.status, 204);

    let refused = api.delete(&path, Some(&etag)).await;
    assert_eq!((refused.status, refused.code().as_str()), (412, "PreconditionFailed"));
    assert_eq!(api.get(&path).await.status, 200, "kept");
    assert_eq!(emulator.entities("/groups").unwrap().len(), 1);

    let current = api.get(&path).await.etag();
    assert_eq!(api.delete(&path, Some(&current)).await.status, 204);
    assert_eq!(api.get(&path).await.status, 404);
    assert_eq!(api.delete(&path, Some("*")).await.status, 404, "`*` needs an entity");

    let other = api.post("/groups", group("b")).await.id();
    assert_eq!(api.delete(&format!("/groups/{other}"), Some("*")).await.status, 204);
}

#[tokio::test]
async fn batch_requests_carry_etags_and_honour_if_match() {
    let (_emulator, api) = start().await;
    let a = api.post("/groups", group("a")).await;
    let b = api.post("/groups", group("b")).await;
    let c = api.post("/groups", group("c")).await;
    let (a_id, a_etag, b_id, b_etag, c_id) = (a.id(), a.etag(), b.id(), b.etag(), c.id());
    let json_type = json!({"Content-Type": "application/json"});
    let with = |etag: &str| json!({"Content-Type": "application/json", "If-Match": etag});
    let batch = json!({"requests": [
        {"id": "stale", "method": "PATCH", "url": format!("/groups/{a_id}"), "headers": with("W/\"x\""), "body": {"description": "lost"}},
        {"id": "current", "method": "PATCH", "url": format!("/groups/{b_id}"), "headers": with(&b_etag), "body": {"description": "kept"}},
        {"id": "read", "method": "GET", "url": format!("/groups/{b_id}"), "dependsOn": ["current"]},
        {"id": "gone", "method": "DELETE", "url": format!("/groups/{c_id}"), "headers": {"If-Match": "W/\"x\""}},
        {"id": "made", "method": "POST", "url": "/groups", "headers": json_type, "body": group("d")},
    ]});
    let reply = api.post("/$batch", batch).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let responses = reply.json()["responses"].as_array().unwrap().clone();
    let by_id = |id: &str| responses.iter().find(|r| r["id"] == json!(id)).unwrap().clone();
    let stale = by_id("stale");
    assert_eq!(stale["status"], json!(412), "{stale}");
    assert_eq!(stale["body"]["error"]["code"], json!("PreconditionFailed"));
    assert_eq!(by_id("current")["status"], json!(204));
    assert_eq!(by_id("gone")["status"], json!(412));
    let read = by_id("read");
    let new_etag = read["body"]["@odata.etag"].as_str().unwrap();
    assert_ne!(new_etag, b_etag, "{read}");
    assert_eq!(read["body"]["description"], json!("kept"));
    assert!(by_id("made")["body"]["@odata.etag"].as_str().unwrap().starts_with("W/\""));

    assert_eq!(api.get(&format!("/groups/{a_id}")).await.etag(), a_etag, "untouched");
    assert_eq!(api.get(&format!("/groups/{c_id}")).await.status, 200, "kept");
}

#[tokio::test]
async fn planner_requires_if_match() {
    let (_emulator, api) = start().await;
    let group = api.post("/groups", group("team")).await.id();
    let container = json!({"containerId": group, "type": "group", "url": format!("https://graph.microsoft.com/v1.0/groups/{group}")});
    let plan = api.post("/planner/plans", json!({"container": container, "title": "p"})).await;
    let (plan_id, plan_etag) = (plan.id(), plan.etag());
    let task = api.post("/planner/tasks", json!({"planId": plan_id, "title": "t"})).await;
    let (task_id, task_etag) = (task.id(), task.etag());
    let bucket = api.post("/planner/buckets", json!({"planId": plan_id, "name": "b"})).await;
    let bucket_path = format!("/planner/buckets/{}", bucket.id());
    let task_path = format!("/planner/tasks/{task_id}");

    for (path, body) in [
        (task_path.clone(), json!({"percentComplete": 50})),
        (format!("/planner/plans/{plan_id}"), json!({"title": "q"})),
        (bucket_path.clone(), json!({"name": "c"})),
        (format!("{task_path}/details"), json!({"description": "d"})),
        (format!("/planner/plans/{plan_id}/details"), json!({})),
    ] {
        let refused = api.patch(&path, body, None).await;
        assert_eq!(
            (refused.status, refused.code().as_str()),
            (412, "PreconditionFailed"),
            "{path}"
        );
        assert!(refused.message().contains("If-Match header must be specified"), "{refused:?}");
    }
    let read = api.get(&task_path).await;
    assert_eq!(
        (read.etag(), read.json()["percentComplete"].clone()),
        (task_etag.clone(), Value::Null)
    );
    let refused = api.delete(&bucket_path, None).await;
    assert_eq!(refused.status, 412, "{refused:?}");
    assert_eq!(api.get(&bucket_path).await.status, 200, "kept");

    // With the etag read, as Graph's documentation has it.
    let applied = api.patch(&task_path, json!({"percentComplete": 50}), Some(&task_etag)).await;
    assert_eq!(applied.status, 204, "{applied:?}");
    let stale = api.patch(&task_path, json!({"percentComplete": 60}), Some(&task_etag)).await;
    assert_eq!(stale.status, 412);
    let details = format!("{task_path}/details");
    let details_etag = api.get(&details).await.etag();
    assert_eq!(
        api.patch(&details, json!({"description": "d"}), Some(&details_etag)).await.status,
        204
    );
    assert_eq!(api.get(&format!("/planner/plans/{plan_id}")).await.etag(), plan_etag);
    let current = api.get(&task_path).await.etag();
    assert_eq!(api.delete(&task_path, Some(&current)).await.status, 204);
    assert_eq!(api.delete(&bucket_path, Some("*")).await.status, 204);

    // Elsewhere If-Match stays optional.
    let user = api.post("/users", user("ada")).await.id();
    let lists = format!("/users/{user}/todo/lists");
    let list = api.post(&lists, json!({"displayName": "l"})).await.id();
    assert_eq!(
        api.patch(&format!("{lists}/{list}"), json!({"displayName": "m"}), None).await.status,
        204
    );
    assert_eq!(api.delete(&format!("{lists}/{list}"), None).await.status, 204);
}
