//! The store driven by the metadata, over loopback HTTP: the lifecycle of entities in three
//! areas (the seed's user statuses, `todoTask`s of a user, `group`s), parents, containment,
//! restrictions, computed properties, query options and paging, Graph's rules for directory
//! objects, permissions, `$batch`, the entity cap, and what is not served.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{Api, Reply, group, user};
use graph_emulator::{Emulator, RunningEmulator};
use reqwest::Method;
use serde_json::{Value, json};

const CONFIGURATIONS: &str = "/deviceAppManagement/mobileAppConfigurations";

/// What this file reads of a list.
trait Lists {
    fn values(&self) -> Vec<Value>;
    fn field(&self, name: &str) -> Vec<Value>;
}

impl Lists for Reply {
    fn values(&self) -> Vec<Value> {
        assert_eq!(self.status, 200, "{self:?}");
        self.json()["value"].as_array().unwrap().clone()
    }

    fn field(&self, name: &str) -> Vec<Value> {
        self.values().iter().map(|v| v[name].clone()).collect()
    }
}

impl Api {
    /// With the default registration's roles: every area's write permission.
    async fn default(emulator: &RunningEmulator) -> Api {
        let (id, secret) = emulator.default_client();
        let form = format!(
            "grant_type=client_credentials&client_id={id}&client_secret={secret}&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
        );
        let http = reqwest::Client::new();
        let reply = http
            .post(format!("{}/{}/oauth2/v2.0/token", emulator.root_url(), emulator.tenant()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap();
        let body: Value = serde_json::from_slice(&reply.bytes().await.unwrap()).unwrap();
        let token = body["access_token"].as_str().unwrap().to_owned();
        Api { http, base: emulator.graph_url("v1.0"), token, delegated: None }
    }

    async fn eventual(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None, &[("ConsistencyLevel", "eventual")]).await
    }

    async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PATCH, path, Some(body), &[]).await
    }

    async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None, &[]).await
    }
}

async fn start() -> RunningEmulator {
    Emulator::builder().start().await.unwrap()
}

async fn configuration(api: &Api) -> String {
    let body =
        json!({"@odata.type": "#microsoft.graph.iosMobileAppConfiguration", "displayName": "c"});
    api.post(CONFIGURATIONS, body).await.id()
}

fn status(name: &str, count: i64, compliance: &str, at: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.managedDeviceMobileAppConfigurationUserStatus",
        "userDisplayName": name, "devicesCount": count, "status": compliance,
        "lastReportedDateTime": at, "userPrincipalName": format!("{name}@contoso.com"),
    })
}

#[tokio::test]
async fn the_seed_lifecycle() {
    let emulator = start().await;
    let api = Api::default(&emulator).await;
    let parent = configuration(&api).await;
    let statuses = format!("{CONFIGURATIONS}/{parent}/userStatuses");

    let created = api.post(&statuses, status("ada", 1, "compliant", "2024-01-01T00:00:00Z")).await;
    let id = created.id();
    let body = created.json();
    assert_eq!(id.len(), 36, "a GUID");
    assert_eq!(
        body["@odata.context"],
        json!(format!(
            "{}/$metadata#deviceAppManagement/mobileAppConfigurations('{parent}')/userStatuses/$entity",
            emulator.graph_url("v1.0")
        ))
    );
    api.post(&statuses, status("bob", 5, "error", "2024-06-01T00:00:00Z")).await.id();

    let read = api.get(&format!("{statuses}/{id}")).await;
    assert_eq!(read.status, 200, "{read:?}");
    assert_eq!(read.json()["userDisplayName"], json!("ada"));
    let selected = api.get(&format!("{statuses}/{id}?$select=devicesCount,status")).await.json();
    assert_eq!(selected["devicesCount"], json!(1));
    assert!(selected.get("userDisplayName").is_none(), "{selected}");

    let listed = api.get(&format!("{statuses}?$filter=devicesCount%20gt%202")).await;
    assert_eq!(listed.field("userDisplayName"), [json!("bob")]);

    let patched = api.patch(&format!("{statuses}/{id}"), json!({"devicesCount": 7})).await;
    assert_eq!((patched.status, patched.text.as_str()), (204, ""));
    let read = api.get(&format!("{statuses}/{id}")).await.json();
    assert_eq!(
        (read["devicesCount"].clone(), read["userDisplayName"].clone()),
        (json!(7), json!("ada")),
        "merged"
    );
    let wrong =
        api.patch(&format!("{statuses}/{id}"), json!({"devicesCount": "seven", "colour": 1})).await;
    assert_eq!((wrong.status, wrong.code().as_str()), (400, "BadRequest"));
    assert_eq!(wrong.json()["error"]["details"].as_array().unwrap().len(), 2);
    let moved = api.patch(&format!("{statuses}/{id}"), json!({"id": "another"})).await;
    assert_eq!(moved.status, 400, "the key cannot change: {moved:?}");

    assert_eq!(api.delete(&format!("{statuses}/{id}")).await.status, 204);
    let gone = api.get(&format!("{statuses}/{id}")).await;
    assert_eq!((gone.status, gone.code().as_str()), (404, "ResourceNotFound"));
    assert!(gone.message().contains(&id), "{gone:?}");
    assert_eq!(api.delete(&format!("{statuses}/{id}")).await.status, 404);
    assert_eq!(api.patch(&format!("{statuses}/{id}"), json!({})).await.status, 404);
    let stored = emulator.entities(&format!("{CONFIGURATIONS}/{parent}/userStatuses")).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["userDisplayName"], json!("bob"));
}

#[tokio::test]
async fn a_todo_task_lifecycle_under_a_user() {
    let emulator = start().await;
    let api = Api::default(&emulator).await;
    let user_id = api.post("/users", user("ada")).await.id();
    // `todo` is a single-valued containment: it exists with its user.
    let todo = api.get(&format!("/users/{user_id}/todo")).await;
    assert_eq!(todo.status, 200, "{todo:?}");
    let lists = format!("/users/{user_id}/todo/lists");
    let missing = api.post(&lists, json!({})).await;
    assert_eq!(
        (missing.status, missing.json()["error"]["details"][0]["target"].clone()),
        (400, json!("displayName"))
    );
    let list_id = api.post(&lists, json!({"displayName": "Groceries"})).await.id();
    let tasks = format!("{lists}/{list_id}/tasks");

    let created = api.post(&tasks, json!({"title": "Milk", "importance": "high"})).await;
    let task_id = created.id();
    let task = created.json();
    assert_eq!(task["@odata.type"], json!("#microsoft.graph.todoTask"));
    // UTC with seven fractional digits, as Graph writes it: 2024-01-31T10:00:00.1234567Z.
    let created_at = task["createdDateTime"].as_str().unwrap();
    let shape: String =
        created_at.chars().map(|c| if c.is_ascii_digit() { '0' } else { c }).collect();
    assert_eq!(shape, "0000-00-00T00:00:00.0000000Z", "{task}");
    assert_eq!(task["createdDateTime"], task["lastModifiedDateTime"]);
    assert_eq!(task["isReminderOn"], json!(false), "a non-nullable property gets its zero value");
    api.post(&tasks, json!({"title": "Bread", "status": "completed"})).await.id();

    let read = api.get(&format!("{tasks}/{task_id}")).await.json();
    assert_eq!(read["title"], json!("Milk"));
    let open = api.get(&format!("{tasks}?$filter=status%20ne%20'completed'&$orderby=title")).await;
    assert_eq!(open.field("title"), [json!("Milk")]);
    let all = api.get(&format!("{tasks}?$orderby=title%20desc&$count=true")).await;
    assert_eq!(all.field("title"), [json!("Milk"), json!("Bread")]);
    assert_eq!(all.json()["@odata.count"], json!(2));

    std::thread::sleep(Duration::from_millis(2));
    let patched = api
        .patch(
            &format!("{tasks}/{task_id}"),
            json!({"title": "Oat milk", "body": {"content": "2 l", "contentType": "text"}}),
        )
        .await;
    assert_eq!(patched.status, 204, "{patched:?}");
    let read = api.get(&format!("{tasks}/{task_id}")).await.json();
    assert_eq!(
        (read["title"].clone(), read["body"]["content"].clone()),
        (json!("Oat milk"), json!("2 l"))
    );
    assert_ne!(read["lastModifiedDateTime"], read["createdDateTime"], "touched by the update");

    assert_eq!(api.delete(&format!("{tasks}/{task_id}")).await.status, 204);
    assert_eq!(api.get(&format!("{tasks}/{task_id}")).await.status, 404);
    let stored = emulator.entities(&tasks).unwrap();
    assert_eq!(stored.iter().map(|t| t["title"].clone()).collect::<Vec<_>>(), [json!("Bread")]);
}

#[tokio::test]
async fn a_group_lifecycle() {
    let emulator = start().await;
    let api = Api::default(&emulator).await;
    let incomplete = api.post("/groups", json!({"displayName": "x"})).await;
    assert_eq!(incomplete.status, 400, "{incomplete:?}");
    assert!(incomplete.message().contains("mailEnabled"), "{incomplete:?}");
    let id = api.post("/groups", group("Engineering")).await.id();
    api.post("/groups", group("Sales")).await.id();

    let read = api.get(&format!("/groups/{id}?$select=displayName,mailNickname")).await.json();
    assert_eq!(read["displayName"], json!("Engineering"));
    assert!(
        read["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("#groups(displayName,mailNickname)/$entity"),
        "{read}"
    );
    // Directory objects compare strings without case.
    let found = api.get("/groups?$filter=startswith(displayName,'eng')").await;
    assert_eq!(found.field("id"), [json!(id)]);

    assert_eq!(
        api.patch(&format!("/groups/{id}"), json!({"description": "R&D"})).await.status,
        204
    );
    let read = api.get(&format!("/groups/{id}")).await.json();
    assert_eq!(
        (read["description"].clone(), read["displayName"].clone()),
        (json!("R&D"), json!("Engineering"))
    );
    assert_eq!(api.delete(&format!("/groups/{id}")).await.status, 204);
    let gone = api.get(&format!("/groups/{id}")).await;
    assert_eq!((gone.status, gone.code().as_str()), (404, "Request_ResourceNotFound"));
    assert_eq!(emulator.entities("/groups").unwrap().len(), 1);
}

#[tokio::test]
async fn parents_must_exist_and_go_with_what_they_contain() {
    let emulator = start().await;
    let api = Api::default(&emulator).await;
    let unknown = api
        .post(
            &format!("{CONFIGURATIONS}/nope/userStatuses"),
            status("a", 1, "error", "2024-01-01T00:00:00Z"),
        )
        .await;
    assert_eq!((unknown.status, unknown.code().as_str()), (404, "ResourceNotFound"));
    assert!(unknown.message().contains("'nope'"), "{unknown:?}");
    let no_user = api.post("/users/nobody/todo/lists", json!({"displayName": "l"})).await;
    assert_eq!((no_user.status, no_user.code().as_str()), (404, "Request_ResourceNotFound"));
    assert_eq!(
        api.get("/users/nobody/todo").await.status,
        404,
        "a single navigation needs its parent"
    );

    let user_id = api.post("/users", user("ada")).await.id();
    let other = api.post("/users", user("bob")).await.id();
    let list =
        api.post(&format!("/users/{user_id}/todo/lists"), json!({"displayName": "l"})).await.id();
    let tasks = format!("/users/{user_id}/todo/lists/{list}/tasks");
    let task = api.post(&tasks, json!({"title": "t"})).await.id();
    let kept =
        api.post(&format!("/users/{other}/todo/lists"), json!({"displayName": "m"})).await.id();
    let no_list =
        api.post(&format!("/users/{user_id}/todo/lists/nope/tasks"), json!({"title": "t"})).await;
    assert_eq!(no_list.status, 404);

    assert_eq!(api.delete(&format!("/users/{user_id}")).await.status, 204);
    assert_eq!(api.get(&format!("{tasks}/{task}")).await.status, 404);
    assert!(emulator.entities(&tasks).is_none(), "gone with the user");
    assert_eq!(api.get(&format!("/users/{other}/todo/lists/{kept}")).await.status, 200);
    // Re-creating the user does not bring back what its namesake held.
    let parent = configuration(&api).await;
    api.post(
        &format!("{CONFIGURATIONS}/{parent}/userStatuses"),
        status("a", 1, "error", "2024-01-01T00:00:00Z"),
    )
    .await
    .id();
    assert_eq!(api.delete(&format!("{CONFIGURATIONS}/{parent}")).await.status, 204);
    assert!(emulator.entities(&format!("{CONFIGURATIONS}/{parent}/userStatuses")).is_none());
}

#[tokio::test]
async fn the_metadata_restrictions_are_held() {
    let emulator = start().await;
    let api = Api::default(&emulator).await;
    let user_id = api.post("/users", user("ada")).await.id();
    // `user/people`: InsertRestrictions, UpdateRestrictions and DeleteRestrictions all false.
    let people = api.post(&format!("/users/{user_id}/people"), json!({"displayName": "x"})).await;
    assert_eq!(people.status, 405, "{people:?}");
    assert!(people.message().contains("Insertable"), "{people:?}");
    assert_eq!(api.delete(&format!("/users/{user_id}/people/p")).await.status, 405);
    assert_eq!(api.patch(&format!("/users/{user_id}/people/p"), json!({})).await.status, 405);
    // `todoTask/attachments`: updatable false, insertable true.
    let list =
        api.post(&format!("/users/{user_id}/todo/lists"), json!({"displayName": "l"})).await.id();
    let task = api
        .post(&format!("/users/{user_id}/todo/lists/{list}/tasks"), json!({"title": "t"}))
        .await
        .id();
    let attachments = format!("/users/{user_id}/todo/lists/{list}/tasks/{task}/attachments");
    let attachment = api.post(&attachments, json!({"@odata.type": "#microsoft.graph.taskFileAttachment", "name": "a.txt", "contentBytes": "aGk="})).await;
    let attachment = attachment.id();
    let patch = api.patch(&format!("{attachments}/{attachment}"), json!({"name": "b.txt"})).await;
    assert_eq!(patch.status, 405, "{patch:?}");
    assert_eq!(api.delete(&format!("{attachments}/{attachment}")).await.status, 204);
    // Singletons and single navigations cannot be deleted; nor can a collection be patched.
    assert_eq!(api.delete("/deviceManagement").await.status, 405);
    assert_eq!(api.patch("/groups", json!({})).await.status, 405);
    assert_eq!(api.post(&format!("/users/{user_id}"), json!({})).await.status, 405);
}

#[tokio::test]
async fn computed_properties_in_a_patch_are_ignored() {
    let emulator = start().await;
    let api = Api::default(&emulator).await;
    let app = json!({
        "@odata.type": "#microsoft.graph.androidStoreApp", "displayName": "App",
        "isFeatured": false, "publishingState": "published", "appStoreUrl": "https://example.invalid",
    });
    let id = api.post("/deviceAppManagement/mobileApps", app).await.id();
    let path = format!("/deviceAppManagement/mobileApps/{id}");
    // OData: "If the request contains a value for one of these [non-updatable] properties, the
    // service MUST ignore that value when applying the update" (Part 1, 11.4.3).
    let ignored = api.patch(&path, json!({"packageId": "com.example", "notes": "n"})).await;
    assert_eq!(ignored.status, 204, "{ignored:?}");
    let read = api.get(&path).await.json();
    assert!(read.get("packageId").is_none(), "not written: {read}");
    assert_eq!(read["notes"], json!("n"), "the rest is");
    let patched = api
        .patch(
            &path,
            json!({"@odata.type": "#microsoft.graph.androidStoreApp", "displayName": "Renamed"}),
        )
        .await;
    assert_eq!(patched.status, 204, "{patched:?}");
    // Through a cast segment too, and a cast that does not fit is a 404.
    let cast = api.get(&format!("{path}/microsoft.graph.androidStoreApp")).await;
    assert_eq!(cast.json()["displayName"], json!("Renamed"));
    assert_eq!(api.get(&format!("{path}/microsoft.graph.iosStoreApp")).await.status, 404);
    // A singleton's PATCH is a merge into it.
    let singleton = api
        .patch("/deviceAppManagement", json!({"microsoftStoreForBusinessLanguage": "en-us"}))
        .await;
    assert_eq!(singleton.status, 204, "{singleton:?}");
    let read = api.get("/deviceAppManagement").await.json();
    assert_eq!(read["microsoftStoreForBusinessLanguage"], json!("en-us"));
}

#[tokio::test]
async fn directory_objects_need_consistency_level_for_count_and_search() {
    let emulator = start().await;
    let api = Api::default(&emulator).await;
    for name in ["Ada Lovelace", "Alan Turing", "Grace Hopper"] {
        api.post("/groups", group(name)).await.id();
    }
    let plain = api.get("/groups/$count").await;
    assert_eq!((plain.status, plain.code().as_str()), (400, "Request_BadRequest"));
    let counted = api.eventual("/groups/$count").await;
    assert_eq!((counted.status, counted.text.as_str()), (200, "3"));
    assert_eq!(api.get("/groups?$count=true").await.status, 400);
    assert_eq!(api.eventual("/groups?$count=true").await.json()["@odata.count"], json!(3));
    let search = "/groups?$search=%22displayName:tur%22";
    let refused = api.get(search).await;
    assert_eq!((refused.status, refused.code().as_str()), (400, "Request_UnsupportedQuery"));
    assert!(refused.message().contains("ConsistencyLevel"));
    assert_eq!(api.eventual(search).await.field("displayName"), [json!("Alan Turing")]);
    let advanced = "/groups?$filter=endswith(displayName,'per')";
    assert_eq!(api.eventual(advanced).await.code(), "Request_UnsupportedQuery");
    let with_count = api.eventual(&format!("{advanced}&$count=true")).await;
    assert_eq!(with_count.field("displayName"), [json!("Grace Hopper")]);
    assert_eq!(api.get("/groups?$skip=1").await.code(), "Request_BadRequest");
    // Not a directory object: no header needed.
    let parent = configuration(&api).await;
    let count = api.get(&format!("{CONFIGURATIONS}/{parent}/userStatuses/$count")).await;
    assert_eq!((count.status, count.text.as_str()), (200, "0"));
}

#[tokio::test]
async fn filter_orderby_top_skip_count_and_next_links() {
    let emulator = Emulator::builder().page_size(3).start().await.unwrap();
    let api = Api::default(&emulator).await;
    let parent = configuration(&api).await;
    let statuses = format!("{CONFIGURATIONS}/{parent}/userStatuses");
    let names = ["ada", "bob", "cy", "dee", "eve", "fay", "gus", "hal", "ivy", "jo"];
    let compliance = ["compliant", "error", "notApplicable"];
    for (n, name) in names.iter().enumerate() {
        let at = format!("2024-01-{:02}T00:00:00Z", n + 1);
        let body = status(name, i64::try_from(n).unwrap(), compliance[n % 3], &at);
        api.post(&statuses, body).await.id();
    }
    let query = |q: &str| format!("{statuses}?{q}");
    let all = |reply: Reply| reply.field("userDisplayName");
    let cases: &[(&str, &[&str])] = &[
        ("$filter=devicesCount eq 4", &["eve"]),
        ("$filter=devicesCount ne 0 and devicesCount lt 3", &["bob", "cy"]),
        ("$filter=devicesCount ge 8", &["ivy", "jo"]),
        ("$filter=devicesCount le 1 or devicesCount gt 8", &["ada", "bob", "jo"]),
        ("$filter=not (devicesCount gt 1)", &["ada", "bob"]),
        ("$filter=status eq 'error' and devicesCount lt 5", &["bob", "eve"]),
        ("$filter=userDisplayName in ('cy', 'jo', 'zed')", &["cy", "jo"]),
        ("$filter=startswith(userDisplayName, 'd')", &["dee"]),
        ("$filter=endswith(userDisplayName, 'y')", &["cy", "fay", "ivy"]),
        ("$filter=contains(userPrincipalName, 'al@')", &["hal"]),
        ("$filter=lastReportedDateTime gt 2024-01-08T12:00:00Z", &["ivy", "jo"]),
        (
            "$filter=(devicesCount lt 2 or devicesCount gt 7) and status ne 'compliant'",
            &["bob", "ivy"],
        ),
        // Enums order by their members' values: error (5) before compliant (2).
        ("$orderby=status desc,devicesCount desc&$top=2", &["hal", "eve"]),
    ];
    for (q, expected) in cases {
        let q = q.replace(' ', "%20");
        let reply = api.get(&query(&q)).await;
        assert_eq!(all(reply), expected.iter().map(|n| json!(n)).collect::<Vec<_>>(), "{q}");
    }
    // Pages of 3 (the emulator's page size), or fewer with $top; $skip first.
    let first = api.get(&query("$orderby=devicesCount%20desc&$skip=2&$count=true")).await;
    assert_eq!(
        all(Reply { status: first.status, text: first.text.clone() }),
        [json!("hal"), json!("gus"), json!("fay")]
    );
    let body = first.json();
    assert_eq!(body["@odata.count"], json!(10));
    let mut link = body["@odata.nextLink"].as_str().unwrap().to_owned();
    assert!(
        link.contains("$orderby=devicesCount%20desc") && link.ends_with("$top=3&$skiptoken=5"),
        "{link}"
    );
    let mut seen = Vec::new();
    loop {
        let page = api.http.get(&link).bearer_auth(&api.token).send().await.unwrap();
        let page: Value = serde_json::from_slice(&page.bytes().await.unwrap()).unwrap();
        seen.extend(page["value"].as_array().unwrap().iter().map(|v| v["userDisplayName"].clone()));
        match page["@odata.nextLink"].as_str() {
            Some(next) => link = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, ["eve", "dee", "cy", "bob", "ada"].map(|n| json!(n)));
    // `/$count` takes the filter.
    let count = api.get(&format!("{statuses}/$count?$filter=devicesCount%20gt%206")).await;
    assert_eq!(count.text, "3");
    // Invalid queries name the problem.
    for (q, words) in [
        ("$filter=colour eq 'red'", "Could not find a property named 'colour'"),
        ("$filter=devicesCount eq 'x'", "incompatible types"),
        ("$filter=status eq 'pending'", "not a valid enumeration type constant"),
        ("$filter=(devicesCount eq 1", "expected ')'"),
        ("$orderby=nope", "Could not find a property named 'nope'"),
        ("$top=0", "$top"),
        ("$select=nope", "nope"),
    ] {
        let reply = api.get(&query(&q.replace(' ', "%20"))).await;
        assert_eq!((reply.status, reply.code().as_str()), (400, "BadRequest"), "{q}");
        assert!(reply.message().contains(words), "{q}: {}", reply.message());
    }
    // $expand of a contained collection.
    let expanded = api
        .get(&format!("{CONFIGURATIONS}/{parent}?$expand=userStatuses($select=devicesCount)"))
        .await
        .json();
    let counts: Vec<i64> = expanded["userStatuses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["devicesCount"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, (0..10).collect::<Vec<_>>());
}

#[tokio::test]
async fn permissions_follow_microsofts_reference() {
    let emulator = start().await;
    let admin = Api::default(&emulator).await;
    let group_id = admin.post("/groups", group("g")).await.id();
    let user_id = admin.post("/users", user("u")).await.id();

    // Directory objects refuse in the directory's words, naming what works.
    let reader = Api::new(&emulator, &["Group.Read.All"]);
    assert_eq!(reader.get(&format!("/groups/{group_id}")).await.status, 200);
    let denied = reader.post("/groups", group("h")).await;
    assert_eq!((denied.status, denied.code().as_str()), (403, "Authorization_RequestDenied"));
    assert!(denied.message().contains("Group.Create"), "{denied:?}");
    assert_eq!(reader.get("/users").await.status, 403, "another area");
    // The reference's least privileged permission for a group's create is enough.
    assert_eq!(
        Api::new(&emulator, &["Group.Create"]).post("/groups", group("i")).await.status,
        201
    );

    let tasks = Api::new(&emulator, &["Tasks.ReadWrite.All"]);
    let lists = format!("/users/{user_id}/todo/lists");
    assert_eq!(tasks.post(&lists, json!({"displayName": "l"})).await.status, 201);
    assert_eq!(tasks.post("/users", user("v")).await.status, 403);

    // Intune's answer names the least privileged permission first.
    let apps = Api::new(&emulator, &["DeviceManagementApps.Read.All"]);
    assert_eq!(apps.get(CONFIGURATIONS).await.status, 200);
    let denied = apps.post(CONFIGURATIONS, json!({})).await;
    assert_eq!((denied.status, denied.code().as_str()), (403, "Forbidden"));
    assert!(
        denied.message().contains("following scopes: DeviceManagementApps.ReadWrite.All"),
        "{denied:?}"
    );

    // No role of another area stands in: the heuristic of `*.ReadWrite.All` is gone.
    let anything = Api::new(&emulator, &["Whatever.ReadWrite.All"]);
    assert_eq!(anything.post("/teams", json!({"displayName": "t"})).await.status, 403);
    let none = Api::new(&emulator, &[]);
    let denied = none.get("/sites").await;
    assert_eq!(denied.status, 403);
    assert!(denied.message().contains("Sites.Read.All"), "{denied:?}");
    // A device action needs the privileged operations permission, not the write one.
    let devices = Api::new(&emulator, &["DeviceManagementManagedDevices.ReadWrite.All"]);
    let denied = devices.post("/deviceManagement/managedDevices/x/syncDevice", json!({})).await;
    assert_eq!(denied.status, 403, "{denied:?}");
    assert!(
        denied.message().contains("DeviceManagementManagedDevices.PrivilegedOperations.All"),
        "{denied:?}"
    );

    // A delegated token is checked against the delegated permissions: `Tasks.ReadWrite` (not
    // the application's `Tasks.ReadWrite.All`) writes a To Do list.
    let user = |scopes: &[&str]| Api {
        token: emulator.issue_delegated_token(scopes, std::time::Duration::from_secs(60)),
        ..Api::new(&emulator, &[])
    };
    let list = json!({"displayName": "m"});
    assert_eq!(user(&["Tasks.ReadWrite"]).post(&lists, list.clone()).await.status, 201);
    let denied = user(&["User.Read"]).post(&lists, list).await;
    assert_eq!(denied.status, 403);
    assert!(denied.message().contains("Tasks.ReadWrite"), "{denied:?}");
    assert_eq!(user(&["Group.ReadWrite.All"]).post("/groups", group("d")).await.status, 201);
}

#[tokio::test]
async fn batch_requests_go_through_the_store() {
    let emulator = start().await;
    let api = Api::default(&emulator).await;
    let batch = json!({"requests": [
        {"id": "1", "method": "POST", "url": "/groups", "headers": {"Content-Type": "application/json"}, "body": group("a")},
        {"id": "2", "method": "POST", "url": "/groups", "headers": {"Content-Type": "application/json"}, "body": group("b")},
        {"id": "3", "method": "GET", "url": "/groups/$count", "headers": {"ConsistencyLevel": "eventual"}, "dependsOn": ["1", "2"]},
        {"id": "4", "method": "DELETE", "url": "/groups/nope"},
    ]});
    let reply = api.post("/$batch", batch).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let mut statuses: Vec<(String, u64)> = reply.json()["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_owned(), r["status"].as_u64().unwrap()))
        .collect();
    statuses.sort();
    assert_eq!(
        statuses,
        [("1".into(), 201), ("2".into(), 201), ("3".into(), 200), ("4".into(), 404)]
    );
    assert_eq!(emulator.entities("/groups").unwrap().len(), 2);
}

#[tokio::test]
async fn each_batch_item_is_checked_against_the_batchs_token() {
    let emulator = start().await;
    let admin = Api::default(&emulator).await;
    let reader = Api::new(&emulator, &["DeviceManagementApps.Read.All"]);
    let configuration =
        json!({"@odata.type": "#microsoft.graph.iosMobileAppConfiguration", "displayName": "c"});
    // An item that brings a token of its own is still checked against the batch's.
    let own = format!("Bearer {}", admin.token);
    let batch = json!({"requests": [
        {"id": "1", "method": "GET", "url": CONFIGURATIONS},
        {"id": "2", "method": "POST", "url": CONFIGURATIONS, "body": configuration,
         "headers": {"Content-Type": "application/json", "Authorization": own}},
    ]});
    let reply = reader.post("/$batch", batch).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let responses = reply.json()["responses"].as_array().unwrap().clone();
    let status = |id: &str| {
        let item = responses.iter().find(|r| r["id"] == id).unwrap();
        (item["status"].as_u64().unwrap(), item["body"]["error"]["message"].to_string())
    };
    assert_eq!(status("1").0, 200);
    let (refused, message) = status("2");
    assert_eq!(refused, 403);
    assert!(message.contains("DeviceManagementApps.ReadWrite.All"), "{message}");
    assert_eq!(emulator.entities(CONFIGURATIONS).unwrap().len(), 0);
}

#[tokio::test]
async fn a_function_with_parameters_is_checked_by_its_name() {
    let emulator = start().await;
    // `GET /reports/getEmailActivityUserDetail(period='D7')`: `Reports.Read.All`.
    let path = "/reports/getEmailActivityUserDetail(period='D7')";
    let denied = Api::new(&emulator, &["User.Read.All"]).get(path).await;
    assert_eq!(denied.status, 403, "{denied:?}");
    assert!(denied.message().contains("Reports.Read.All"), "{denied:?}");
    assert_ne!(Api::new(&emulator, &["Reports.Read.All"]).get(path).await.status, 403);
}

#[tokio::test]
async fn the_store_is_capped() {
    let emulator = Emulator::builder().max_entities(3).start().await.unwrap();
    let api = Api::default(&emulator).await;
    let mut ids = Vec::new();
    for n in 0..3 {
        ids.push(api.post("/groups", group(&format!("g{n}"))).await.id());
    }
    let full = api.post("/groups", group("g3")).await;
    assert_eq!((full.status, full.code().as_str()), (400, "Directory_QuotaExceeded"));
    assert_eq!(api.delete(&format!("/groups/{}", ids[0])).await.status, 204);
    assert_eq!(api.post("/groups", group("g3")).await.status, 201);
}

#[tokio::test]
async fn what_is_not_served_is_answered_as_graph_would() {
    let emulator = start().await;
    let api = Api::default(&emulator).await;
    let user_id = api.post("/users", user("u")).await.id();
    for (path, status) in [
        (format!("/users/{user_id}/memberOf"), 501),
        // An action invoked with GET: the method is wrong, not the path.
        (format!("/users/{user_id}/microsoft.graph.getMemberGroups"), 405),
        (format!("/users/{user_id}/microsoft.graph.noSuchAction"), 501),
        ("/userz".to_owned(), 400),
        ("/me".to_owned(), 400),
        (format!("/users/{user_id}/nope"), 400),
        ("/$metadata".to_owned(), 501),
        (format!("/users/{user_id}/displayName"), 200),
        ("/users/a%2Fb".to_owned(), 404),
    ] {
        let reply = api.get(&path).await;
        assert_eq!(reply.status, status, "{path}: {reply:?}");
        if status != 200 {
            reply.code();
        }
    }
    let property = api.get(&format!("/users/{user_id}/displayName")).await.json();
    assert_eq!(property["value"], json!("u"));
    // No token, no answer about the path.
    let anonymous = reqwest::get(format!("{}/userz", api.base)).await.unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
}

/// Odd segments and query strings over HTTP: always Graph's error, never a dropped connection.
#[tokio::test]
async fn odd_paths_and_queries_get_graph_errors() {
    let emulator = start().await;
    let api = Api::default(&emulator).await;
    let long = "k".repeat(4000);
    let paths = [
        "/users/%ZZ".to_owned(),
        "/users/%".to_owned(),
        "/users('".to_owned(),
        "/users('a'')".to_owned(),
        "/users()".to_owned(),
        format!("/users/{long}/todo/lists"),
        "/deviceAppManagement/mobileAppConfigurations/$count/x".to_owned(),
        "/deviceAppManagement/microsoft.graph.user".to_owned(),
        "/groups/microsoft.graph.".to_owned(),
        "/groups/%00".to_owned(),
        "/groups?$filter=((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((a"
            .to_owned(),
        "/groups?$filter=displayName%20eq%20'%F0%9F%98%80".to_owned(),
        "/groups?$orderby=,,,&$select=,".to_owned(),
        "/groups?$expand=((())".to_owned(),
        "/groups?$top=99999999999999999999999".to_owned(),
        "/groups?$skiptoken=99999999999999999999999".to_owned(),
    ];
    for path in &paths {
        for method in [Method::GET, Method::POST, Method::PATCH, Method::DELETE] {
            let body = (method != Method::GET && method != Method::DELETE).then(|| json!({}));
            let reply = api.send(method.clone(), path, body, &[]).await;
            assert!((400..=501).contains(&reply.status), "{method} {path}: {reply:?}");
            reply.code();
        }
    }
}

/// A client configured with `http://localhost:PORT` gets its links in that origin (a client
/// rightly refuses a next link to another origin): `@odata.nextLink` and `@odata.context` are
/// written from the request's `Host`, also inside `$batch`.
#[tokio::test]
async fn links_are_written_in_the_origin_the_client_used() {
    let emulator = Emulator::builder().page_size(1).start().await.unwrap();
    let mut api = Api::new(&emulator, &["Group.ReadWrite.All"]);
    let origin = format!("http://localhost:{}", emulator.address().port());
    api.base = format!("{origin}/v1.0");
    for name in ["a", "b"] {
        api.post("/groups", group(name)).await.id();
    }
    let page = api.get("/groups").await.json();
    assert_eq!(page["@odata.context"], json!(format!("{origin}/v1.0/$metadata#groups")));
    let next = page["@odata.nextLink"].as_str().unwrap();
    assert!(next.starts_with(&format!("{origin}/v1.0/groups?")), "{next}");
    let second = api.http.get(next).bearer_auth(&api.token).send().await.unwrap();
    let second: Value = serde_json::from_slice(&second.bytes().await.unwrap()).unwrap();
    assert_eq!(second["value"].as_array().map(Vec::len), Some(1), "{second}");
    let batch = json!({"requests": [{"id": "1", "method": "GET", "url": "/groups"}]});
    let answer = api.post("/$batch", batch).await.json();
    let inner = &answer["responses"][0]["body"];
    let next = inner["@odata.nextLink"].as_str().unwrap();
    assert!(next.starts_with(&format!("{origin}/v1.0/groups?")), "{inner}");
    // Without `localhost`, the address it is bound to.
    let api = Api::new(&emulator, &["Group.ReadWrite.All"]);
    let page = api.get("/groups").await.json();
    let next = page["@odata.nextLink"].as_str().unwrap();
    assert!(next.starts_with(&emulator.graph_url("v1.0")), "{next}");
}

/// Microsoft's documentation writes a nested value's `@odata.type` without the leading `#` in
/// its examples of working requests (here the create of a `webApp`, verbatim), and Graph accepts
/// both forms, at any depth; it answers with the `#`.
#[tokio::test]
async fn type_names_are_read_with_or_without_the_hash() {
    let emulator = start().await;
    let api = Api::default(&emulator).await;
    let documented = json!({
        "@odata.type": "#microsoft.graph.webApp",
        "displayName": "Display Name value",
        "description": "Description value",
        "publisher": "Publisher value",
        "largeIcon": {
            "@odata.type": "microsoft.graph.mimeContent",
            "type": "Type value",
            "value": "dmFsdWU="
        },
        "isFeatured": true,
        "privacyInformationUrl": "https://example.com/privacyInformationUrl/",
        "informationUrl": "https://example.com/informationUrl/",
        "owner": "Owner value",
        "developer": "Developer value",
        "notes": "Notes value",
        "publishingState": "processing",
        "appUrl": "https://example.com/appUrl/",
        "useManagedBrowser": true
    });
    let created = api.post("/deviceAppManagement/mobileApps", documented.clone()).await;
    assert_eq!(created.status, 201, "{created:?}");
    assert_eq!(created.json()["largeIcon"]["@odata.type"], json!("#microsoft.graph.mimeContent"));

    let mut bare = documented;
    bare["@odata.type"] = json!("microsoft.graph.webApp");
    let created = api.post("/deviceAppManagement/mobileApps", bare).await;
    assert_eq!(created.status, 201, "{created:?}");
    let read = api.get(&format!("/deviceAppManagement/mobileApps/{}", created.id())).await.json();
    assert_eq!(read["@odata.type"], json!("#microsoft.graph.webApp"));

    let id = created.id();
    let icon =
        json!({"largeIcon": {"@odata.type": "microsoft.graph.mimeContent", "value": "AA=="}});
    let patched = api.patch(&format!("/deviceAppManagement/mobileApps/{id}"), icon).await;
    assert_eq!(patched.status, 204, "{patched:?}");
    let read = api.get(&format!("/deviceAppManagement/mobileApps/{id}")).await.json();
    assert_eq!(read["largeIcon"]["@odata.type"], json!("#microsoft.graph.mimeContent"));

    // A name that resolves to nothing is refused in either form.
    let wrong = json!({"@odata.type": "microsoft.graph.webApp", "largeIcon": {"@odata.type": "mimeContent"}});
    let refused = api.post("/deviceAppManagement/mobileApps", wrong).await;
    assert_eq!(refused.status, 400, "{refused:?}");
}
