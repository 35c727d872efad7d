//! An action's or a function's result, read from its answer where the metadata says it is:
//! the body, its `value`, a collection's pages (the later ones read with `GET` through
//! `@odata.nextLink`), or the body itself as it arrives for a stream.

use std::collections::HashSet;

use super::Client;
use super::pages::next_page;
use crate::error::Error;
use crate::operation::{Decoded, ResultShape, Returned, decode_result, decode_whole};
use crate::stream::ByteStream;
use crate::transport::options::RequestOptions;
use crate::transport::response::Answer;
use reqwest::Method;

/// The result in `answer` (and, for a collection, its later pages), as `shape` says. A body
/// that does not match is [`Error::UnreadableSuccess`]: the operation took effect.
pub(super) async fn read<T: Returned>(
    client: &Client,
    shape: ResultShape,
    template: &'static str,
    answer: Answer,
) -> Result<T, Error> {
    if let Some(response) = answer.unread {
        if let Some(stream) = T::__from_stream(ByteStream::new(response)) {
            return Ok(stream);
        }
    }
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
    decode_whole(status, &all, location)
}
