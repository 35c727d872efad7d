//! Delta through the public API, against the emulator: `Group::delta` reads every group, page
//! by page with the declared fields as `$select`, and ends with a link that serializes;
//! `Group::delta_from` reads what was created, changed or removed since, deletions included;
//! an expired link is `Error::DeltaExpired`, a link to another origin or collection is never
//! followed.

use graph_emulator::{Emulator, RunningEmulator};
use graph_entity::client::{Change, DeltaLink, RemovedReason};
use graph_entity::prelude::*;
use graph_entity::{Client, Error, graph_entity};

use crate::common;

#[graph_entity(path = "/groups")]
#[derive(Debug, Clone, PartialEq)]
struct Group {
    #[graph(key)]
    id: Option<String>,
    display_name: Option<String>,
    mail_enabled: Option<bool>,
    mail_nickname: Option<String>,
    security_enabled: Option<bool>,
}

fn group(name: &str) -> Group {
    Group {
        id: None,
        display_name: Some(name.into()),
        mail_enabled: Some(false),
        mail_nickname: Some(name.into()),
        security_enabled: Some(true),
    }
}

async fn start(builder: Emulator) -> (RunningEmulator, Client) {
    let emulator = common::emulator(builder.page_size(2)).await;
    let client = common::token_client(&emulator, &["Group.ReadWrite.All"]).build().unwrap();
    (emulator, client)
}

fn changed_names(changes: &[Change<Group>]) -> Vec<&str> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::Changed(g) => g.display_name.as_deref(),
            Change::Removed { .. } => None,
        })
        .collect()
}

#[tokio::test]
async fn every_group_then_what_changed_since_deletions_included() {
    let (emulator, client) = start(Emulator::builder()).await;
    let mut ids = Vec::new();
    for name in ["a", "b", "c", "d", "e"] {
        ids.push(group(name).create(&client, ()).await.unwrap().id.unwrap());
    }
    let mut round = Group::delta(&client, ());
    let mut first = Vec::new();
    while let Some(change) = round.next().await {
        first.push(change.unwrap());
    }
    assert_eq!(changed_names(&first), ["a", "b", "c", "d", "e"]);
    assert_eq!(round.pages(), 3);
    let link = round.delta_link().unwrap().clone();
    let sent = emulator.requests().into_iter().find(|r| r.path.contains("/delta")).unwrap();
    assert_eq!(
        sent.path,
        "/v1.0/groups/delta?$select=id,displayName,mailEnabled,mailNickname,securityEnabled"
    );

    // The link is what a program stores between runs.
    let stored = serde_json::to_string(&link).unwrap();
    let link: DeltaLink = serde_json::from_str(&stored).unwrap();

    Group::delete(&client, (), &ids[1]).await.unwrap();
    let patch = Group::patch().display_name(Some("c2".into()));
    Group::update(&client, (), &ids[2], &patch).await.unwrap();
    let f = group("f").create(&client, ()).await.unwrap().id.unwrap();
    let (changes, next) = Group::delta_from(&client, &link).collect_all().await.unwrap();
    assert_eq!(changes[0], Change::Removed { id: ids[1].clone(), reason: RemovedReason::Changed });
    assert_eq!(changed_names(&changes), ["c2", "f"]);
    assert!(matches!(&changes[2], Change::Changed(g) if g.id.as_deref() == Some(f.as_str())));
    assert_ne!(next, link);

    // Nothing since: an empty round, and another link.
    let (changes, _) = Group::delta_from(&client, &next).collect_all().await.unwrap();
    assert!(changes.is_empty(), "{changes:?}");
}

#[tokio::test]
async fn an_expired_link_says_to_start_over() {
    let (_emulator, client) = start(Emulator::builder().delta_removals(1)).await;
    let a = group("a").create(&client, ()).await.unwrap().id.unwrap();
    let b = group("b").create(&client, ()).await.unwrap().id.unwrap();
    let (_, link) = Group::delta(&client, ()).collect_all().await.unwrap();
    Group::delete(&client, (), &a).await.unwrap();
    Group::delete(&client, (), &b).await.unwrap();
    let error = Group::delta_from(&client, &link).collect_all().await.unwrap_err();
    assert!(matches!(&error, Error::DeltaExpired(e) if e.code == "syncStateNotFound"), "{error:?}");
    assert_eq!(error.status(), Some(410));
    assert!(error.to_string().contains("start over"), "{error}");
    // Starting over reads what is there.
    let (changes, _) = Group::delta(&client, ()).collect_all().await.unwrap();
    assert!(changes.is_empty(), "{changes:?}");
}

#[tokio::test]
async fn a_link_to_another_origin_or_collection_is_not_followed() {
    let (emulator, client) = start(Emulator::builder()).await;
    let link =
        DeltaLink::from("https://graph.example.net/v1.0/groups/delta?$deltatoken=x".to_owned());
    let error = Group::delta_from(&client, &link).collect_all().await.unwrap_err();
    assert!(matches!(error, Error::UntrustedNextLink { .. }), "{error:?}");
    // A round of users is not one of groups.
    let users = format!("{}/users/delta?$deltatoken=x", emulator.graph_url("v1.0"));
    let error =
        Group::delta_from(&client, &DeltaLink::from(users)).collect_all().await.unwrap_err();
    assert!(matches!(error, Error::DeltaLinkMismatch { template: "/groups", .. }), "{error:?}");
    assert!(emulator.requests().iter().all(|r| !r.path.contains("delta")));
}
