//! Paging through collections ends: a next link that repeats a page, or too many pages, stop
//! with an error instead of looping and growing memory.

use std::sync::atomic::{AtomicUsize, Ordering};

use graph_entity::intune::ManagedDeviceMobileAppConfigurationUserStatus as Status;
use graph_entity::{Client, Error};

use crate::stub::{Reply, Stub};

fn page(next: &str) -> String {
    format!(r#"{{"value":[],"@odata.nextLink":"{next}"}}"#)
}

#[tokio::test]
async fn a_next_link_that_repeats_a_page_stops_the_listing() {
    let stub = Stub::start(|seen| {
        let host = seen.headers["host"].to_str().unwrap().to_owned();
        Reply::json(200, &page(&format!("http://{host}/v1.0/same?$skiptoken=1")))
    })
    .await;
    let error = stub.client().list::<Status>(&["c"]).collect_all().await.unwrap_err();
    assert!(
        matches!(&error, Error::Paging { pages: 2, reason } if reason.contains("repeats")),
        "{error:?}"
    );
    assert_eq!(stub.requests().len(), 2);
}

#[tokio::test]
async fn a_next_link_back_to_the_first_page_stops_the_listing() {
    // The page links back to itself: the very URL the client asked for, query included.
    let stub = Stub::start(move |seen| {
        let host = seen.headers["host"].to_str().unwrap().to_owned();
        Reply::json(200, &page(&format!("http://{host}{}", seen.path)))
    })
    .await;
    let error = stub.client().list::<Status>(&["c"]).collect_all().await.unwrap_err();
    assert!(matches!(&error, Error::Paging { pages: 1, .. }), "{error:?}");
    assert_eq!(stub.requests().len(), 1);
}

#[tokio::test]
async fn more_pages_than_the_cap_stop_the_listing() {
    let served = std::sync::Arc::new(AtomicUsize::new(0));
    let count = std::sync::Arc::clone(&served);
    let stub = Stub::start(move |seen| {
        let n = count.fetch_add(1, Ordering::Relaxed);
        let host = seen.headers["host"].to_str().unwrap().to_owned();
        Reply::json(200, &page(&format!("http://{host}/v1.0/next?$skiptoken={n}")))
    })
    .await;
    let client =
        Client::builder().base_url(&stub.base_url).bearer_token("t").max_pages(5).build().unwrap();
    let error = client.list::<Status>(&["c"]).collect_all().await.unwrap_err();
    assert!(
        matches!(&error, Error::Paging { pages: 5, reason } if reason.contains("max_pages")),
        "{error:?}"
    );
    assert_eq!(served.load(Ordering::Relaxed), 5);
}
