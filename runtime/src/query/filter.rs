//! `$filter` expressions: comparisons of [`Field`](super::Field)s with values, combined with
//! `and`, `or` and `not`.

use std::fmt;
use std::marker::PhantomData;

/// A `$filter` expression on entity `E`: built from [`Field`](super::Field)s, combined with `&`, `|` and `!`
/// (or [`and`](Self::and) and [`or`](Self::or)).
pub struct Filter<E> {
    text: String,
    /// Whether the text is a combination that needs parentheses inside another.
    compound: bool,
    /// Whether it uses what Graph calls an advanced query on directory objects (`ne`, `not`,
    /// `endswith`): those need `$count=true` and `ConsistencyLevel: eventual`.
    advanced: bool,
    /// Why Graph would refuse it, when it would: the query fails before anything is sent.
    problem: Option<String>,
    marker: PhantomData<fn() -> E>,
}

impl<E> Clone for Filter<E> {
    fn clone(&self) -> Self {
        Filter {
            text: self.text.clone(),
            compound: self.compound,
            advanced: self.advanced,
            problem: self.problem.clone(),
            marker: PhantomData,
        }
    }
}

impl<E> fmt::Debug for Filter<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Filter").field(&self.text).finish()
    }
}

impl<E> fmt::Display for Filter<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<E> Filter<E> {
    fn new(text: String, compound: bool, advanced: bool, problem: Option<String>) -> Self {
        Filter { text, compound, advanced, problem, marker: PhantomData }
    }

    pub(super) fn atom(text: String) -> Self {
        Filter::new(text, false, false, None)
    }

    pub(super) fn advanced(mut self) -> Self {
        self.advanced = true;
        self
    }

    /// The filter Graph would refuse, and why.
    pub(super) fn invalid(mut self, problem: String) -> Self {
        self.problem = Some(problem);
        self
    }

    /// A filter written by hand, for what [`Field`](super::Field) does not express (lambda
    /// operators on collections, properties of complex values). It is sent as written: nothing
    /// checks it.
    pub fn raw(text: impl Into<String>) -> Self {
        Filter::new(text.into(), true, false, None)
    }

    pub(super) fn operand(&self) -> String {
        if self.compound { format!("({})", self.text) } else { self.text.clone() }
    }

    pub(super) fn into_parts(self) -> (String, bool, Option<String>) {
        (self.text, self.advanced, self.problem)
    }

    fn join(self, operator: &str, other: Filter<E>) -> Filter<E> {
        Filter::new(
            format!("{} {operator} {}", self.operand(), other.operand()),
            true,
            self.advanced || other.advanced,
            self.problem.or(other.problem),
        )
    }

    /// Both filters.
    #[must_use]
    pub fn and(self, other: Filter<E>) -> Filter<E> {
        self.join("and", other)
    }

    /// Either filter.
    #[must_use]
    pub fn or(self, other: Filter<E>) -> Filter<E> {
        self.join("or", other)
    }
}

impl<E> std::ops::BitAnd for Filter<E> {
    type Output = Filter<E>;
    fn bitand(self, other: Filter<E>) -> Filter<E> {
        self.and(other)
    }
}

impl<E> std::ops::BitOr for Filter<E> {
    type Output = Filter<E>;
    fn bitor(self, other: Filter<E>) -> Filter<E> {
        self.or(other)
    }
}

impl<E> std::ops::Not for Filter<E> {
    type Output = Filter<E>;
    /// The opposite filter: `not (...)`.
    fn not(self) -> Filter<E> {
        Filter::new(format!("not ({})", self.text), false, true, self.problem)
    }
}
