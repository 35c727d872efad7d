//! `$search` expressions: phrases, each in double quotes, on one property (`"displayName:a b"`)
//! or on the entity's default search properties (`"pizza"`), combined with `AND` and `OR`.
//!
//! A phrase's words are data: within the quotes a `"` is written `\"` and a `\` is written `\\`
//! (OData 4.01's escapes), so that no input can end the phrase or add a clause.

use std::fmt;
use std::marker::PhantomData;

/// A `$search` expression on entity `E`: [`Field::search`](super::Field::search) for a property,
/// [`Search::text`] for the default search properties, combined with `&` and `|` (or
/// [`and`](Self::and) and [`or`](Self::or)).
pub struct Search<E> {
    text: String,
    /// The operator of a combination (`AND`, `OR`), or `""` for text written by hand: inside a
    /// combination of another operator it takes parentheses.
    operator: Option<&'static str>,
    marker: PhantomData<fn() -> E>,
}

impl<E> Clone for Search<E> {
    fn clone(&self) -> Self {
        Search { text: self.text.clone(), operator: self.operator, marker: PhantomData }
    }
}

impl<E> fmt::Debug for Search<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Search").field(&self.text).finish()
    }
}

impl<E> fmt::Display for Search<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<E> Search<E> {
    /// `"words"`: the words in the entity's default search properties (a message's `from`,
    /// `subject` and `body`).
    pub fn text(words: &str) -> Self {
        Self::phrase(None, words)
    }

    /// `"property:words"`, or `"words"` without a property, escaped.
    pub(super) fn phrase(property: Option<&str>, words: &str) -> Self {
        let mut text = String::with_capacity(words.len() + 16);
        text.push('"');
        if let Some(property) = property {
            text.push_str(property);
            text.push(':');
        }
        for c in words.chars() {
            if matches!(c, '"' | '\\') {
                text.push('\\');
            }
            text.push(c);
        }
        text.push('"');
        Search { text, operator: None, marker: PhantomData }
    }

    /// Text as written, which any combination puts in parentheses.
    pub(super) fn raw(text: String) -> Self {
        Search { text, operator: Some(""), marker: PhantomData }
    }

    fn operand(&self, operator: &str) -> String {
        match self.operator {
            Some(own) if own != operator => format!("({})", self.text),
            _ => self.text.clone(),
        }
    }

    /// Both.
    #[must_use]
    pub fn and(self, other: Search<E>) -> Search<E> {
        self.join("AND", &other)
    }

    /// Either.
    #[must_use]
    pub fn or(self, other: Search<E>) -> Search<E> {
        self.join("OR", &other)
    }

    fn join(&self, operator: &'static str, other: &Search<E>) -> Search<E> {
        Search {
            text: format!("{} {operator} {}", self.operand(operator), other.operand(operator)),
            operator: Some(operator),
            marker: PhantomData,
        }
    }

    /// The expression as sent, before percent-encoding.
    pub(super) fn as_str(&self) -> &str {
        &self.text
    }
}

impl<E> std::ops::BitAnd for Search<E> {
    type Output = Search<E>;
    fn bitand(self, other: Search<E>) -> Search<E> {
        self.and(other)
    }
}

impl<E> std::ops::BitOr for Search<E> {
    type Output = Search<E>;
    fn bitor(self, other: Search<E>) -> Search<E> {
        self.or(other)
    }
}
