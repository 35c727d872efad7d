//! OData query options with names the compiler checks: `$select`, `$filter`, `$orderby`,
//! `$top`, `$skip`, `$count`, `$search` and `$expand`.
//!
//! Each `#[graph_entity]` has `fields()`, one [`Field`] per declared property, typed by the entity
//! and by the property's Rust type: a filter compares a property with a value of its own type
//! ([`FilterValue`] writes it as an OData literal), an order sorts on a property, a search
//! matches words in one, and a property of another entity does not fit. Its `navigations()`
//! are what `$expand` names. The values are data: strings are quoted and escaped, search words
//! are escaped inside their phrase, and the whole query string is percent-encoded once; only
//! the `raw` forms ([`Filter::raw`], [`Query::search_raw`], [`Query::expand_raw`]) take text as
//! written. (The facade, `graph_entity::query`, shows them on a declared entity.)

mod field;
mod filter;
mod literal;
mod search;
#[cfg(test)]
mod tests;

use std::fmt;
use std::marker::PhantomData;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

pub use field::{Field, Navigation, Order};
pub use filter::Filter;
pub use literal::FilterValue;
pub use search::Search;

/// The query options of a read of entity `E`.
///
/// Without [`select`](Self::select), a read of a declared entity selects exactly its declared
/// properties (unless it keeps unknown ones in a `#[graph(extra)]` map).
pub struct Query<E> {
    select: Vec<&'static str>,
    select_all: bool,
    expand: Vec<String>,
    filter: Option<String>,
    /// The filter is an advanced query on directory objects.
    advanced: bool,
    order_by: Vec<String>,
    top: Option<u64>,
    skip: Option<u64>,
    count: bool,
    search: Option<Search<E>>,
    /// Why Graph would refuse the query, when it would: it fails before anything is sent.
    problem: Option<String>,
    marker: PhantomData<fn() -> E>,
}

impl<E> Default for Query<E> {
    fn default() -> Self {
        Query {
            select: Vec::new(),
            select_all: false,
            expand: Vec::new(),
            filter: None,
            advanced: false,
            order_by: Vec::new(),
            top: None,
            skip: None,
            count: false,
            search: None,
            problem: None,
            marker: PhantomData,
        }
    }
}

impl<E> Clone for Query<E> {
    fn clone(&self) -> Self {
        Query {
            select: self.select.clone(),
            select_all: self.select_all,
            expand: self.expand.clone(),
            filter: self.filter.clone(),
            advanced: self.advanced,
            order_by: self.order_by.clone(),
            top: self.top,
            skip: self.skip,
            count: self.count,
            search: self.search.clone(),
            problem: self.problem.clone(),
            marker: PhantomData,
        }
    }
}

impl<E> fmt::Debug for Query<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Query").field(&self.to_query_string()).finish()
    }
}

impl<E> Query<E> {
    /// No options: the defaults of the read.
    pub fn new() -> Self {
        Query::default()
    }

    /// Adds a property to `$select` (then only the selected properties are read; a field left
    /// out reads as `None`).
    #[must_use]
    pub fn select<T>(mut self, field: Field<E, T>) -> Self {
        if !self.select.contains(&field.name) {
            self.select.push(field.name);
        }
        self
    }

    /// Sends no `$select`: the service's default properties, and any it adds.
    #[must_use]
    pub fn select_all(mut self) -> Self {
        self.select_all = true;
        self.select.clear();
        self
    }

    /// Adds a navigation property of the entity to `$expand` (`Entity::navigations().x`). Its
    /// content is kept only by a `#[graph(extra)]` map.
    #[must_use]
    pub fn expand(mut self, navigation: Navigation<E>) -> Self {
        self.expand.push(navigation.name.to_owned());
        self
    }

    /// Adds `$expand` text as written, for what [`Navigation`] does not express (an `unchecked`
    /// entity's navigation, options inside the expansion such as `manager($select=id)`). It is
    /// sent as written: nothing checks it, so it must not hold text from untrusted input.
    #[must_use]
    pub fn expand_raw(mut self, expand: impl Into<String>) -> Self {
        self.expand.push(expand.into());
        self
    }

    /// `$filter`; a second call combines both with `and`.
    #[must_use]
    pub fn filter(mut self, filter: Filter<E>) -> Self {
        let operand = filter.operand();
        let (text, advanced, problem) = filter.into_parts();
        self.advanced |= advanced;
        self.problem = self.problem.take().or(problem);
        self.filter = Some(match self.filter.take() {
            None => text,
            Some(earlier) => format!("({earlier}) and {operand}"),
        });
        self
    }

    /// Adds an `$orderby` key, after the earlier ones.
    #[must_use]
    pub fn order_by(mut self, order: Order<E>) -> Self {
        self.order_by.push(order.text);
        self
    }

    /// `$top`: at most this many entities in all. (Graph often reads `$top` as a page size and
    /// links to more pages; the stream of a list stops at this many all the same.)
    #[must_use]
    pub fn top(mut self, top: u64) -> Self {
        self.top = Some(top);
        self
    }

    /// `$skip`: leave out this many first.
    #[must_use]
    pub fn skip(mut self, skip: u64) -> Self {
        self.skip = Some(skip);
        self
    }

    /// `$count=true`: the service counts the matches (sent with `ConsistencyLevel: eventual`,
    /// which directory objects need for it).
    #[must_use]
    pub fn count(mut self, count: bool) -> Self {
        self.count = count;
        self
    }

    /// `$search` (`f.display_name.search("Contoso")` sends `"displayName:Contoso"`), with
    /// `ConsistencyLevel: eventual`, which directory objects need. A second call combines both
    /// with `AND`.
    #[must_use]
    pub fn search(mut self, search: Search<E>) -> Self {
        self.search = Some(match self.search.take() {
            None => search,
            Some(earlier) => earlier.and(search),
        });
        self
    }

    /// `$search` text as written, quotes included, for what [`Search`] does not express. It is
    /// sent as written: nothing escapes it, so it must not hold text from untrusted input (a
    /// `"` in it ends the phrase and can add clauses).
    #[must_use]
    pub fn search_raw(mut self, search: impl Into<String>) -> Self {
        self.search = Some(Search::raw(search.into()));
        self
    }

    /// Why Graph would refuse this query, when it would (a filter `in` without values): a read
    /// with it fails with [`Error::InvalidQuery`](crate::Error::InvalidQuery) before anything is
    /// sent.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// The options `/$count` takes: `$filter` and `$search`.
    #[cfg(feature = "client")]
    pub(crate) fn for_count(&self) -> Query<E> {
        Query {
            select_all: true,
            filter: self.filter.clone(),
            advanced: self.advanced,
            search: self.search.clone(),
            problem: self.problem.clone(),
            ..Query::default()
        }
    }

    /// Whether the filter is what Graph calls an advanced query on directory objects (`ne`,
    /// `not`, `endswith`): a read of users, groups and other directory objects then sends
    /// `$count=true` and `ConsistencyLevel: eventual`, which Graph requires for it.
    pub fn is_advanced(&self) -> bool {
        self.advanced
    }

    /// The `$top`, if set.
    #[cfg(feature = "client")]
    pub(crate) fn top_value(&self) -> Option<u64> {
        self.top
    }

    /// Whether the request needs `ConsistencyLevel: eventual` (`$count` or `$search`).
    pub fn needs_eventual_consistency(&self) -> bool {
        self.count || self.search.is_some()
    }

    /// The query string, percent-encoded, without the leading `?` (empty without options).
    pub fn to_query_string(&self) -> String {
        self.render(&[])
    }

    /// The query string, with `default_select` when nothing is selected (and not
    /// [`select_all`](Self::select_all)).
    pub(crate) fn render(&self, default_select: &[&str]) -> String {
        let mut out = String::new();
        let mut option = |name: &str, value: &str| {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(name);
            out.push('=');
            out.extend(utf8_percent_encode(value, QUERY_VALUE));
        };
        let select = if self.select.is_empty() && !self.select_all {
            default_select
        } else {
            &self.select[..]
        };
        if !select.is_empty() {
            option("$select", &select.join(","));
        }
        if !self.expand.is_empty() {
            option("$expand", &self.expand.join(","));
        }
        if let Some(filter) = &self.filter {
            option("$filter", filter);
        }
        if !self.order_by.is_empty() {
            option("$orderby", &self.order_by.join(","));
        }
        if let Some(top) = self.top {
            option("$top", &top.to_string());
        }
        if let Some(skip) = self.skip {
            option("$skip", &skip.to_string());
        }
        if self.count {
            option("$count", "true");
        }
        if let Some(search) = &self.search {
            option("$search", search.as_str());
        }
        out
    }
}

/// What a query option's value escapes: what would end it (`&`, `#`), change its meaning
/// (`+` is a space to some servers, `%`), is not allowed in a URL, or what the URL parser would
/// escape anyway (`'`), so that the string is the one sent.
const QUERY_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'+')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');
