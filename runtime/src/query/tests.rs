//! What a query renders, exactly.

use super::*;
use crate::wire::DateTimeOffset;
use crate::wire::member::GraphEnum;

struct Task;

#[derive(Debug, Clone, Copy)]
enum Importance {
    High,
}

impl GraphEnum for Importance {
    const GRAPH_NAME: &'static str = "microsoft.graph.importance";
    const MEMBERS: &'static [&'static str] = &["high"];
    fn from_member(_: &str) -> Option<Self> {
        Some(Importance::High)
    }
    fn from_unknown(_: String) -> Self {
        Importance::High
    }
    fn as_str(&self) -> &str {
        match self {
            Importance::High => "high",
        }
    }
}

const TITLE: Field<Task, String> = Field::__new("title");
const COUNT: Field<Task, i32> = Field::__new("count");
const IMPORTANCE: Field<Task, Importance> = Field::__new("importance");

#[test]
fn literals_are_odata_literals() {
    assert_eq!(TITLE.eq("it's").to_string(), "title eq 'it''s'");
    assert_eq!(IMPORTANCE.ne(Importance::High).to_string(), "importance ne 'high'");
    assert_eq!(COUNT.is_in([1, 2]).to_string(), "count in (1, 2)");
    let f: Field<Task, f64> = Field::__new("x");
    assert_eq!(f.gt(1.0).to_string(), "x gt 1.0");
    let d: Field<Task, DateTimeOffset> = Field::__new("due");
    let due: DateTimeOffset = "2024-01-02T03:04:05Z".parse().unwrap();
    assert_eq!(d.lt(due).to_string(), "due lt 2024-01-02T03:04:05Z");
    assert_eq!(TITLE.is_null().to_string(), "title eq null");
    assert_eq!(f.eq(f64::NAN).to_string(), "x eq NaN");
    assert_eq!(f.lt(f64::NEG_INFINITY).to_string(), "x lt -INF");
}

#[test]
fn combinations_keep_their_meaning() {
    let filter = (TITLE.eq("a") | TITLE.eq("b")) & COUNT.gt(1);
    assert_eq!(filter.to_string(), "(title eq 'a' or title eq 'b') and count gt 1");
    let filter = TITLE.eq("a") | (TITLE.eq("b") & COUNT.gt(1));
    assert_eq!(filter.to_string(), "title eq 'a' or (title eq 'b' and count gt 1)");
    assert_eq!((!TITLE.contains("x")).to_string(), "not (contains(title,'x'))");
    let query = Query::new().filter(TITLE.eq("a")).filter(COUNT.gt(1) | COUNT.lt(0));
    assert_eq!(query.filter.as_deref(), Some("(title eq 'a') and (count gt 1 or count lt 0)"));
}

#[test]
fn the_query_string_is_encoded_once() {
    let query = Query::new()
        .select(TITLE)
        .select(COUNT)
        .select(TITLE)
        .filter(TITLE.eq("a&b=c #1+2%"))
        .order_by(COUNT.desc())
        .order_by(TITLE.asc())
        .top(5)
        .skip(10)
        .count(true)
        .search(TITLE.search("x"));
    assert_eq!(
        query.to_query_string(),
        "$select=title,count&$filter=title%20eq%20%27a%26b=c%20%231%2B2%25%27&$orderby=count%20desc,title%20asc&$top=5&$skip=10&$count=true&$search=%22title:x%22"
    );
    assert!(query.needs_eventual_consistency());
}

#[test]
fn the_default_select_is_the_declared_properties() {
    let query = Query::<Task>::new();
    assert_eq!(query.render(&["id", "title"]), "$select=id,title");
    assert_eq!(query.clone().select(COUNT).render(&["id", "title"]), "$select=count");
    assert_eq!(query.select_all().render(&["id", "title"]), "");
}

/// Found by the attack review: `$search` took raw text, so a `"` in a user's input added
/// clauses (`x" OR "mail:y`).
#[test]
fn search_words_are_data() {
    let typed = TITLE.search(r#"x" OR "mail:y"#);
    assert_eq!(typed.to_string(), r#""title:x\" OR \"mail:y""#);
    let query = Query::new().search(typed);
    // One phrase: the quote and the clause are inside it, percent-encoded once.
    assert_eq!(query.to_query_string(), "$search=%22title:x%5C%22%20OR%20%5C%22mail:y%22");
    assert_eq!(TITLE.search(r"a\b").to_string(), r#""title:a\\b""#);
    let both = TITLE.search("renew") & (TITLE.search("lease") | Search::text("plants"));
    assert_eq!(both.to_string(), r#""title:renew" AND ("title:lease" OR "plants")"#);
    let chain = TITLE.search("a") | TITLE.search("b") | Search::text("c");
    assert_eq!(chain.to_string(), r#""title:a" OR "title:b" OR "c""#);
    let twice = Query::new().search(TITLE.search("a")).search(Search::text("b"));
    assert_eq!(twice.search.as_ref().map(ToString::to_string), Some(r#""title:a" AND "b""#.into()));
    assert!(twice.needs_eventual_consistency());
    // The raw form is sent as written, under a name that says so, and kept whole.
    let raw =
        Query::<Task>::new().search_raw(r#""title:a" OR "title:b""#).search(TITLE.search("c"));
    assert_eq!(
        raw.search.as_ref().map(ToString::to_string),
        Some(r#"("title:a" OR "title:b") AND "title:c""#.into())
    );
}

/// Found by the attack review: `$expand` took raw text, which could add options.
#[test]
fn expand_names_a_navigation() {
    const STEPS: Navigation<Task> = Navigation::__new("checklistItems");
    let query = Query::new().expand(STEPS);
    assert_eq!(query.render(&[]), "$expand=checklistItems");
    let raw = Query::<Task>::new().expand_raw("attachments($select=id)");
    assert_eq!(raw.render(&[]), "$expand=attachments($select=id)");
}

/// Found by the attack review: `is_in([])` rendered `x in ()`, which Graph refuses.
#[test]
fn an_empty_in_is_refused_before_anything_is_sent() {
    assert_eq!(Query::<Task>::new().problem(), None);
    let empty: [i32; 0] = [];
    let query = Query::new().filter(COUNT.is_in(empty) | TITLE.eq("a"));
    assert!(query.problem().is_some_and(|p| p.contains("`count in ()`")), "{:?}", query.problem());
    assert!(Query::new().filter(!COUNT.is_in(empty)).problem().is_some());
    assert!(query.for_count().problem().is_some());
    assert_eq!(Query::new().filter(COUNT.is_in([1])).problem(), None);
}
