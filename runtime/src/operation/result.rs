//! Where an action's result is in Graph's answer, and reading it from there.

#[cfg(feature = "client")]
use serde::de::{DeserializeOwned, IntoDeserializer};

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
/// match is [`Error::UnreadableSuccess`].
#[cfg(feature = "client")]
pub(crate) fn decode_result<T: DeserializeOwned>(
    shape: ResultShape,
    status: u16,
    body: &[u8],
    location: Option<String>,
) -> Result<Decoded<T>, Error> {
    use crate::transport::response::{unreadable, written};

    #[derive(serde::Deserialize)]
    #[serde(bound = "V: DeserializeOwned")]
    struct Wrapped<V> {
        value: V,
        #[serde(rename = "@odata.nextLink")]
        next_link: Option<String>,
    }

    match shape {
        ResultShape::None => {
            let unit: serde::de::value::UnitDeserializer<serde_json::Error> =
                ().into_deserializer();
            T::deserialize(unit)
                .map(Decoded::Done)
                .map_err(|e| unreadable(status, location, body, Error::Encode(e)))
        }
        ResultShape::Entity => written(status, body, location).map(Decoded::Done),
        ResultShape::Value => {
            written::<Wrapped<T>>(status, body, location).map(|w| Decoded::Done(w.value))
        }
        ResultShape::Collection => {
            written::<Wrapped<Vec<serde_json::Value>>>(status, body, location)
                .map(|w| Decoded::Page(w.value, w.next_link))
        }
    }
}

#[cfg(all(test, feature = "client"))]
mod tests {
    use super::*;

    fn done<T: DeserializeOwned>(shape: ResultShape, body: &str) -> Result<T, Error> {
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
