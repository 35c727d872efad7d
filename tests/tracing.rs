//! Each request is a `tracing` span without secrets.
//!
//! A test binary of its own: `tracing` caches which callsites are enabled process-wide, so a
//! thread-scoped subscriber is only reliable when no other test runs at the same time.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use graph_emulator::Emulator;
use graph_entity::Client;
use graph_entity::intune::{
    ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus as Status,
};
use graph_entity::prelude::*;

#[path = "common/mod.rs"]
mod common;

fn status() -> Status {
    Status {
        id: None,
        user_display_name: Some("a".into()),
        devices_count: 1,
        status: ComplianceStatus::Compliant,
        last_reported_date_time: "2017-01-01T00:00:17Z".parse().unwrap(),
        user_principal_name: Some("a@contoso.com".into()),
    }
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn each_request_is_a_tracing_span_without_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let emulator = common::emulator(Emulator::builder()).await;
    // The token itself, to look for it in what was logged.
    let token = emulator.issue_token(&[common::WRITE], Duration::from_secs(60));
    let client = Client::builder()
        .base_url(emulator.graph_url("v1.0"))
        .bearer_token(&token)
        .build()
        .unwrap();
    let parent = common::configuration(&client).await;
    status().create(&client, &parent).await.unwrap();
    let _ = status().create(&client, "missing").await.unwrap_err();

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let spans: Vec<&str> =
        output.lines().filter(|l| l.contains("graph.request") && l.contains("close")).collect();
    assert_eq!(spans.len(), 3, "{output}");
    let create = spans[1];
    for field in [
        "method=POST",
        "path=\"/deviceAppManagement/mobileAppConfigurations/{managedDeviceMobileAppConfigurationId}/userStatuses\"",
        "attempt=1",
        "status=201",
        "request_id=",
        "client_request_id=",
    ] {
        assert!(create.contains(field), "{field} in {create}");
    }
    assert!(spans[2].contains("status=404"), "{}", spans[2]);
    assert!(output.contains("graph request failed"), "{output}");
    assert!(!output.contains(&token), "{output}");
    assert!(!output.contains(&parent), "ids stay out of span names: {output}");
}
