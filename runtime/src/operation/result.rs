//! Where an action's result is in Graph's answer, and reading it from there.

#[cfg(feature = "client")]
use super::Returned;
#[cfg(feature = "client")]
use crate::error::Error;

/// Where an action's or a function's result is in the answer's body (OData JSON Format 4.01,
/// 19): the macro writes it from the metadata's return type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResultShape {
    /// No result: `204 No Content` (a body, if any, is not read).
    None,
    /// One entity: the body is the entity.
    Entity,
    /// One primitive, enum or complex value: the body's `value` member.
    Value,
    /// A collection: the body's `value` array, continued through `@odata.nextLink`.
    Collection,
    /// A stream (`Edm.Stream`): the body itself, read as it arrives, with its content type.
    Stream,
}

/// A page of a result: what it holds and where the rest is.
#[cfg(feature = "client")]
pub(crate) enum Decoded<T> {
    /// The whole result.
    Done(T),
    /// The items of one page of a collection, and the link to the next page, if any.
    Page(Vec<serde_json::Value>, Option<String>),
}

/// Reads the result of an action that took effect from one answer's body: a body that does not
/// match is [`Error::UnreadableSuccess`]. A stream is never in a body read whole: for one,
/// `T` says so in its error.
#[cfg(feature = "client")]
pub(crate) fn decode_result<T: Returned>(
    shape: ResultShape,
    status: u16,
    body: &[u8],
    location: Option<String>,
) -> Result<Decoded<T>, Error> {
    use serde_json::value::RawValue;

    use crate::transport::response::written;

    #[derive(serde::Deserialize)]
    #[serde(bound = "V: serde::de::DeserializeOwned")]
    struct Wrapped<V> {
        value: V,
        #[serde(rename = "@odata.nextLink")]
        next_link: Option<String>,
    }

    match shape {
        // Nothing to read, whatever came: `()`.
        ResultShape::None => decode_whole(status, b"null", location).map(Decoded::Done),
        ResultShape::Entity | ResultShape::Stream => {
            decode_whole(status, body, location).map(Decoded::Done)
        }
        ResultShape::Value => {
            let wrapped = written::<Wrapped<Box<RawValue>>>(status, body, location.clone())?;
            T::__decode(wrapped.value.get().as_bytes()).map(Decoded::Done).map_err(|mut error| {
                error.path = match error.path.as_str() {
                    "" => "value".to_owned(),
                    path => format!("value.{path}"),
                };
                unreadable_as(status, location, body, error)
            })
        }
        ResultShape::Collection => {
            written::<Wrapped<Vec<serde_json::Value>>>(status, body, location)
                .map(|w| Decoded::Page(w.value, w.next_link))
        }
    }
}

/// `T` read from the whole of `json`, the result of an action that took effect: one that does
/// not match is [`Error::UnreadableSuccess`].
#[cfg(feature = "client")]
pub(crate) fn decode_whole<T: Returned>(
    status: u16,
    json: &[u8],
    location: Option<String>,
) -> Result<T, Error> {
    T::__decode(json).map_err(|error| unreadable_as(status, location, json, error))
}

#[cfg(feature = "client")]
fn unreadable_as(
    status: u16,
    location: Option<String>,
    body: &[u8],
    mut error: crate::error::DecodeError,
) -> Error {
    error.status = Some(status);
    crate::transport::response::unreadable(status, location, body, Error::from(error))
}

#[cfg(all(test, feature = "client"))]
mod tests {
    use super::*;

    fn done<T: Returned>(shape: ResultShape, body: &str) -> Result<T, Error> {
        match decode_result::<T>(shape, 200, body.as_bytes(), None)? {
            Decoded::Done(value) => Ok(value),
            Decoded::Page(..) => panic!("a page"),
        }
    }

    #[test]
    fn each_shape_reads_its_part_of_the_body() {
        done::<()>(ResultShape::None, "").unwrap();
        done::<()>(ResultShape::None, "{\"ignored\":1}").unwrap();
        let value: String =
            done(ResultShape::Value, r#"{"@odata.context":"x","value":"ok"}"#).unwrap();
        assert_eq!(value, "ok");
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Thing {
            id: String,
        }
        let thing: Thing = done(ResultShape::Entity, r#"{"id":"1"}"#).unwrap();
        assert_eq!(thing, Thing { id: "1".into() });
        let page = decode_result::<Vec<u8>>(
            ResultShape::Collection,
            200,
            br#"{"value":[1,2],"@odata.nextLink":"https://graph.microsoft.com/v1.0/x?$skiptoken=2"}"#,
            None,
        )
        .unwrap();
        assert!(matches!(page, Decoded::Page(items, Some(_)) if items.len() == 2));
    }

    #[test]
    fn a_body_that_does_not_match_is_an_unreadable_success() {
        let error = done::<String>(ResultShape::Value, r#"{"value":3,"id":"42"}"#).unwrap_err();
        assert!(
            matches!(error, Error::UnreadableSuccess { status: 200, ref id, .. } if id.as_deref() == Some("42")),
            "{error}"
        );
        let error = done::<String>(ResultShape::Value, "not json").unwrap_err();
        assert!(matches!(error, Error::UnreadableSuccess { .. }), "{error}");
    }
}
