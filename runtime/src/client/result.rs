//! An action's or a function's result, read from its answer where the metadata says it is:
//! the body, its `value`, or a collection's pages, the later ones read with `GET` through
//! `@odata.nextLink`.

use std::collections::HashSet;

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::Client;
use super::pages::next_page;
use crate::error::Error;
use crate::operation::{Decoded, ResultShape, decode_result};
use crate::transport::options::RequestOptions;
use crate::transport::response::{Answer, written};

/// The result in `answer` (and, for a collection, its later pages), as `shape` says. A body
/// that does not match is [`Error::UnreadableSuccess`]: the operation took effect.
pub(super) async fn read<T: DeserializeOwned>(
    client: &Client,
    shape: ResultShape,
    template: &'static str,
    answer: Answer,
) -> Result<T, Error> {
    let (status, location) = (answer.status, answer.location);
    let (mut items, mut next) =
        match decode_result::<T>(shape, status, &answer.body, location.clone())? {
            Decoded::Done(output) => return Ok(output),
            Decoded::Page(items, next) => (items, next),
        };
    let transport = client.transport();
    let (mut pages, mut seen) = (1, HashSet::new());
    while let Some(link) = next {
        let url = next_page(client, link, pages, &mut seen)?;
        let options = RequestOptions::default();
        let answer = transport.execute(Method::GET, template, url, None, &options).await?;
        match decode_result::<T>(shape, answer.status, &answer.body, None)? {
            Decoded::Page(more, link) => {
                items.extend(more);
                next = link;
            }
            Decoded::Done(output) => return Ok(output),
        }
        pages += 1;
    }
    // The pages' items, read as the declared collection: an item that does not fit is named by
    // its index.
    let all = serde_json::to_vec(&items).map_err(Error::Encode)?;
    written(status, &all, location)
}
