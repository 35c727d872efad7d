//! A function's parameters as its URL writes them: OData literals after its name, and parameter
//! aliases for the values a literal cannot hold.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::error::Error;
use crate::query::FilterValue;

/// What stays as written in a literal: RFC 3986's unreserved characters and the quote, which a
/// string literal doubles. Everything else is escaped, so that a value stays inside its
/// parameter and its segment: `/`, `?`, `#`, `,`, `)` and `%` in a value are data.
const LITERAL: &AsciiSet =
    &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~').remove(b'\'');

/// A function's parameters, written by [`GraphFunction::write_parameters`](super::GraphFunction):
/// `(name=literal,…)` after the function's name, and the aliases' values in the query string.
/// `Display` writes the parenthesized list, percent-encoded.
///
/// ```
/// use graph_entity_runtime::operation::FunctionParameters;
///
/// let mut parameters = FunctionParameters::new();
/// parameters.literal("period", "D7");
/// parameters.literal("top", &5);
/// parameters.alias("ids", &["a", "b"])?;
/// assert_eq!(parameters.to_string(), "(period='D7',top=5,ids=@p1)");
/// assert_eq!(parameters.query(), "@p1=%5B%22a%22%2C%22b%22%5D");
/// # Ok::<(), graph_entity_runtime::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FunctionParameters {
    /// `name=literal`, each percent-encoded, in order.
    list: Vec<String>,
    /// `@pN=json`, percent-encoded.
    aliases: Vec<String>,
}

impl FunctionParameters {
    /// No parameters yet: `()`.
    pub fn new() -> Self {
        Self::default()
    }

    /// `name=literal`: a string or enum member quoted (`'it''s'`), a number, boolean, date,
    /// time or GUID as it is.
    pub fn literal<T: FilterValue + ?Sized>(&mut self, name: &str, value: &T) {
        let mut literal = String::new();
        value.write_literal(&mut literal);
        self.list.push(format!("{name}={}", utf8_percent_encode(&literal, LITERAL)));
    }

    /// `name=null`.
    pub fn null(&mut self, name: &str) {
        self.list.push(format!("{name}=null"));
    }

    /// `name=@pN`, with the value as JSON in the query string: how a complex or collection value
    /// is passed (OData URL conventions, 5.1.1.13.1).
    ///
    /// # Errors
    ///
    /// [`Error::Encode`] when the value cannot be written as JSON.
    pub fn alias<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let json = serde_json::to_string(value).map_err(Error::Encode)?;
        let alias = format!("@p{}", self.aliases.len() + 1);
        self.list.push(format!("{name}={alias}"));
        self.aliases.push(format!("{alias}={}", utf8_percent_encode(&json, LITERAL)));
        Ok(())
    }

    /// The aliases' values, as a query string without the `?`: empty when there are none.
    pub fn query(&self) -> String {
        self.aliases.join("&")
    }
}

impl fmt::Display for FunctionParameters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({})", self.list.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Date, DateTimeOffset, Guid};

    #[test]
    fn values_stay_inside_their_parameter() {
        let mut p = FunctionParameters::new();
        p.literal("q", "it's a/b?c#d,e)f%");
        p.literal("when", &"2026-12-01T08:00:00+01:00".parse::<DateTimeOffset>().unwrap());
        p.literal("day", &"2026-12-01".parse::<Date>().unwrap());
        p.literal("id", &"3f2504e0-4f89-11d3-9a0c-0305e82c3301".parse::<Guid>().unwrap());
        p.literal("ok", &true);
        p.null("end");
        assert_eq!(
            p.to_string(),
            "(q='it''s%20a%2Fb%3Fc%23d%2Ce%29f%25',when=2026-12-01T08%3A00%3A00%2B01%3A00,day=2026-12-01,id=3f2504e0-4f89-11d3-9a0c-0305e82c3301,ok=true,end=null)"
        );
        assert_eq!(p.query(), "");
        assert_eq!(FunctionParameters::new().to_string(), "()");
    }
}
