//! The emulator's `$filter` (and `$orderby`) of arbitrary text against a few entity types, each
//! evaluated on a few stored entities: never a panic, never a stack overflow (run it with the
//! stack of the emulator's worker threads, `ulimit -s 2048`), and every refusal is Graph's `400`
//! (or `501 NotImplemented` for what the emulator does not serve), with a message.
//!
//! Input: one byte choosing the entity type, then UTF-8 text: the `$filter`, and after a first
//! newline, if any, the `$orderby`.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

/// Entity types with the stored entities their filters are evaluated on.
static CASES: LazyLock<Vec<(&'static str, Vec<Value>)>> = LazyLock::new(|| {
    vec![
        (
            "microsoft.graph.managedDeviceMobileAppConfigurationUserStatus",
            vec![
                json!({"id": "a", "userDisplayName": "Ada", "devicesCount": 1, "status": "compliant",
                       "lastReportedDateTime": "2024-01-01T00:00:00Z", "userPrincipalName": null}),
                json!({"id": "b", "userDisplayName": "bob", "devicesCount": -5, "status": "error",
                       "lastReportedDateTime": "2024-06-01T12:00:00.5+02:00"}),
                json!({"id": "c", "devicesCount": "x", "status": "unknownMember",
                       "lastReportedDateTime": "not a date"}),
            ],
        ),
        (
            "microsoft.graph.user",
            vec![
                json!({"id": "u1", "displayName": "Ada Lovelace", "accountEnabled": true,
                       "mail": "ada@contoso.com", "createdDateTime": "2020-02-29T00:00:00Z"}),
                json!({"id": "u2", "displayName": null, "accountEnabled": false}),
            ],
        ),
        (
            "microsoft.graph.todoTask",
            vec![
                json!({"id": "t1", "title": "Buy milk", "isReminderOn": true, "importance": "high",
                       "status": "completed"}),
                json!({"id": "t2", "title": "", "importance": "low"}),
            ],
        ),
        (
            "microsoft.graph.userExperienceAnalyticsMetric",
            vec![
                json!({"id": "m1", "value": "NaN"}),
                json!({"id": "m2", "value": "INF"}),
                json!({"id": "m3", "value": "-INF"}),
                json!({"id": "m4", "value": 1.5}),
                json!({"id": "m5", "value": -0.0}),
                json!({"id": "m6", "value": "oops"}),
            ],
        ),
        (
            "microsoft.graph.event",
            vec![
                json!({"id": "e1", "subject": "Plan", "start": {"dateTime": "2024-01-01T10:00:00",
                       "timeZone": "UTC"}, "isAllDay": false}),
                json!({"id": "e2", "start": null}),
            ],
        ),
    ]
});

fuzz_target!(|data: &[u8]| {
    let Some((&which, text)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(text) else { return };
    let (filter, order_by) = match text.split_once('\n') {
        Some((filter, order_by)) => (filter, Some(order_by)),
        None => (text, None),
    };
    let (ty, entities) = &CASES[usize::from(which) % CASES.len()];
    match graph_emulator::fuzz_query(ty, filter, order_by, entities) {
        Ok(kept) => assert!(kept <= entities.len()),
        Err((status, code, message)) => {
            assert!(
                status == 400 || (status == 501 && code == "NotImplemented"),
                "{status} {code}: {message}"
            );
            assert!(!code.is_empty() && !message.is_empty(), "{status} {code}: {message}");
        }
    }
});
