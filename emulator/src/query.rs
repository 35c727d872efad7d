//! Query options: `$filter` (in [`crate::filter`]), `$orderby`, `$top`, `$skip`, `$count`,
//! `$search`, `$select`, `$expand` and `$skiptoken`, parsed and checked against the entity type,
//! and the rules Graph adds for directory objects (`ConsistencyLevel: eventual`).

use std::cmp::Ordering;

use graph_entity_schema::Schema;
use serde_json::{Map, Value};

use crate::filter::{Filter, Kind, PropertyPath, QueryError};
use crate::search::Search;
use crate::special::DIRECTORY_OBJECT;

/// Which operation the options are read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Use {
    /// A collection's page.
    List,
    /// `…/$count`.
    Count,
    /// One entity.
    Entity,
    /// A round of a collection's changes (its `delta` function): `$select` and the tokens.
    Delta,
}

/// Where a round of changes resumes: a page of it (`$skiptoken`) or the round after another
/// (`$deltatoken`), as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DeltaToken {
    Skip(String),
    Delta(String),
}

/// The options of one request.
#[derive(Debug, Default)]
pub(crate) struct Query {
    pub(crate) filter: Option<Filter>,
    pub(crate) order_by: Vec<(PropertyPath, bool)>,
    pub(crate) top: Option<usize>,
    pub(crate) skip: usize,
    pub(crate) skip_token: usize,
    pub(crate) count: bool,
    pub(crate) search: Option<Search>,
    pub(crate) select: Option<Vec<String>>,
    pub(crate) expand: Vec<Expand>,
    /// The options a next link carries on (all but `$top`, `$skip` and the tokens), encoded.
    pub(crate) carried: Vec<(String, String)>,
    /// For [`Use::Delta`]: where the round resumes.
    pub(crate) delta: Option<DeltaToken>,
    /// String comparisons ignore case.
    pub(crate) fold_case: bool,
}

/// A navigation to expand, and the properties to select in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expand {
    pub(crate) navigation: String,
    pub(crate) select: Option<Vec<String>>,
}

fn invalid<T>(message: impl Into<String>) -> Result<T, QueryError> {
    Err(QueryError::Invalid(message.into()))
}

/// Reads the query string of a request for the entity type `ty`. `eventual` says whether the
/// request has `ConsistencyLevel: eventual`.
pub(crate) fn parse(
    schema: &Schema,
    ty: &str,
    raw: Option<&str>,
    use_: Use,
    eventual: bool,
) -> Result<Query, QueryError> {
    let directory = schema.is_derived_from(ty, DIRECTORY_OBJECT);
    let mut query = Query { fold_case: directory, ..Query::default() };
    let mut seen: Vec<String> = Vec::new();
    let mut filter_text = None;
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        let (name, value) = (name.into_owned(), value.into_owned());
        if !name.starts_with('$') {
            // Graph ignores parameters that are not query options.
            continue;
        }
        let lower = name.to_ascii_lowercase();
        if seen.contains(&lower) {
            return invalid(format!(
                "Query option '{name}' was specified more than once, but it must be specified at most once."
            ));
        }
        seen.push(lower.clone());
        let applies = match lower.as_str() {
            "$select" => use_ != Use::Count,
            "$expand" => !matches!(use_, Use::Count | Use::Delta),
            "$filter" | "$search" => !matches!(use_, Use::Entity | Use::Delta),
            "$orderby" | "$top" | "$skip" | "$count" => use_ == Use::List,
            "$skiptoken" => matches!(use_, Use::List | Use::Delta),
            "$deltatoken" => use_ == Use::Delta,
            _ => {
                return invalid(format!(
                    "The query option '{name}' is not supported; the options are $filter, $orderby, $top, $skip, $count, $search, $select, $expand, $skiptoken and $deltatoken."
                ));
            }
        };
        if !applies {
            return invalid(format!("The query option '{name}' does not apply to this request."));
        }
        if !matches!(lower.as_str(), "$top" | "$skip" | "$skiptoken" | "$deltatoken") {
            query.carried.push((name.clone(), value.clone()));
        }
        match lower.as_str() {
            "$filter" => filter_text = Some(value),
            "$orderby" => query.order_by = order_by(schema, ty, &value)?,
            "$top" => match value.parse::<usize>() {
                Ok(top) if top > 0 => query.top = Some(top),
                _ => {
                    return invalid(format!(
                        "Invalid value '{value}' for $top: expected a positive integer."
                    ));
                }
            },
            "$skip" => {
                if directory {
                    return Err(QueryError::Coded(
                        "Request_BadRequest",
                        "'$skip' is not supported by the service.".into(),
                    ));
                }
                query.skip = value.parse().map_err(|_| {
                    QueryError::Invalid(format!(
                        "Invalid value '{value}' for $skip: expected a non-negative integer."
                    ))
                })?;
            }
            "$skiptoken" if use_ == Use::Delta => query.delta = Some(DeltaToken::Skip(value)),
            "$deltatoken" => query.delta = Some(DeltaToken::Delta(value)),
            "$skiptoken" => {
                query.skip_token =
                    value.parse().map_err(|_| QueryError::Invalid("Invalid $skiptoken.".into()))?;
            }
            "$count" => match value.as_str() {
                "true" => query.count = true,
                "false" => query.count = false,
                _ => {
                    return invalid(format!(
                        "Invalid value '{value}' for $count: expected true or false."
                    ));
                }
            },
            "$search" => query.search = Some(Search::parse(schema, ty, &value)?),
            "$select" => query.select = Some(select(schema, ty, &value)?),
            "$expand" => query.expand = expand(schema, ty, &value)?,
            _ => {}
        }
    }
    if let Some(text) = filter_text {
        query.filter = Some(Filter::parse(schema, ty, &text, directory)?);
    }
    if directory && !eventual {
        if query.search.is_some() {
            return Err(QueryError::Coded(
                "Request_UnsupportedQuery",
                "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'".into(),
            ));
        }
        if query.count || use_ == Use::Count {
            return Err(QueryError::Coded(
                "Request_BadRequest",
                "$count is not currently supported without the request header 'ConsistencyLevel: eventual'.".into(),
            ));
        }
    }
    if directory && !(eventual && (query.count || use_ == Use::Count)) {
        if let Some(operator) = query.filter.as_ref().and_then(|f| f.advanced) {
            return Err(QueryError::Coded(
                "Request_UnsupportedQuery",
                format!(
                    "Operator '{operator}' is not supported because the required parameters might be missing. Try adding $count with a value of true and the ConsistencyLevel header with a value of eventual."
                ),
            ));
        }
    }
    Ok(query)
}

/// `$orderby=a desc, b/c asc`.
fn order_by(
    schema: &Schema,
    ty: &str,
    text: &str,
) -> Result<Vec<(PropertyPath, bool)>, QueryError> {
    let mut keys = Vec::new();
    for item in text.split(',') {
        let mut words = item.split_whitespace();
        let Some(name) = words.next() else {
            return invalid(format!("Syntax error in $orderby '{text}': an empty item."));
        };
        let descending = match words.next() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(other) => {
                return invalid(format!(
                    "Syntax error in $orderby '{text}': expected 'asc' or 'desc', found '{other}'."
                ));
            }
        };
        if let Some(extra) = words.next() {
            return invalid(format!("Syntax error in $orderby '{text}': unexpected '{extra}'."));
        }
        let path = PropertyPath::resolve(schema, ty, name)?;
        if let Kind::Other(kind) = path.kind() {
            return invalid(format!(
                "The property '{name}' of type '{kind}' cannot be ordered by."
            ));
        }
        keys.push((path, descending));
    }
    Ok(keys)
}

/// Whether `name` is a property or navigation property of `ty` or of a type derived from it.
fn member_of(schema: &Schema, ty: &str, name: &str) -> bool {
    let on = |t: &str| schema.property(t, name).is_some() || schema.navigation(t, name).is_some();
    on(ty) || schema.derived(ty).iter().any(|t| on(&t.name))
}

/// `$select=a,b` (or `microsoft.graph.derived/a`, or `*`).
fn select(schema: &Schema, ty: &str, text: &str) -> Result<Vec<String>, QueryError> {
    let mut names = Vec::new();
    for item in text.split(',').map(str::trim) {
        if item == "*" {
            return Ok(Vec::from(["*".to_owned()]));
        }
        let (owner, name) = match item.rsplit_once('/') {
            Some((cast, name)) => match schema.get(cast) {
                Some(t) if schema.is_derived_from(&t.name, ty) => (t.name.clone(), name),
                _ => {
                    return invalid(format!(
                        "The type cast '{cast}' in $select does not derive from '{ty}'."
                    ));
                }
            },
            None => (ty.to_owned(), item),
        };
        if name.is_empty() || !member_of(schema, &owner, name) {
            return invalid(format!("Could not find a property named '{name}' on type '{owner}'."));
        }
        names.push(name.to_owned());
    }
    Ok(names)
}

/// `$expand=a,b($select=x,y)`: contained navigations only.
fn expand(schema: &Schema, ty: &str, text: &str) -> Result<Vec<Expand>, QueryError> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1).ok_or_else(|| {
                    QueryError::Invalid(format!("Unbalanced ')' in $expand '{text}'."))
                })?
            }
            ',' if depth == 0 => {
                items.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return invalid(format!("Unbalanced '(' in $expand '{text}'."));
    }
    items.push(&text[start..]);
    let mut expands = Vec::new();
    for item in items.into_iter().map(str::trim) {
        let (name, options) = match item.split_once('(') {
            Some((name, rest)) => (name.trim(), rest.strip_suffix(')').unwrap_or(rest)),
            None => (item, ""),
        };
        if name == "*" {
            return Err(QueryError::Unsupported(
                "$expand=* is not served by the emulator; name the navigation properties.".into(),
            ));
        }
        let Some(navigation) = schema.navigation(ty, name) else {
            return invalid(format!(
                "Could not find a navigation property named '{name}' on type '{ty}'."
            ));
        };
        if !navigation.contains_target {
            return Err(QueryError::Unsupported(format!(
                "Expanding '{name}', which does not contain its targets, is not served by the emulator."
            )));
        }
        let mut select_names = None;
        for option in options.split(';').map(str::trim).filter(|o| !o.is_empty()) {
            match option.split_once('=') {
                Some(("$select", value)) => {
                    select_names = Some(select(schema, &navigation.ty.name, value)?)
                }
                _ => {
                    return Err(QueryError::Unsupported(format!(
                        "The option '{option}' inside $expand is not served by the emulator (only $select is)."
                    )));
                }
            }
        }
        expands.push(Expand { navigation: name.to_owned(), select: select_names });
    }
    Ok(expands)
}

impl Query {
    /// Sorts by `$orderby` (stable: ties keep creation order).
    pub(crate) fn sort(&self, entities: &mut [&Map<String, Value>]) {
        if self.order_by.is_empty() {
            return;
        }
        entities.sort_by(|a, b| {
            for (path, descending) in &self.order_by {
                let order = path.value(a).sort_order(&path.value(b), self.fold_case);
                let order = if *descending { order.reverse() } else { order };
                if order != Ordering::Equal {
                    return order;
                }
            }
            Ordering::Equal
        });
    }

    /// Whether an entity passes `$filter` and `$search`.
    pub(crate) fn keeps(&self, entity: &Map<String, Value>) -> bool {
        self.filter.as_ref().is_none_or(|f| f.matches(entity))
            && self.search.as_ref().is_none_or(|s| s.matches(entity))
    }
}

/// The fuzz target's way in ([`crate::fuzz_query`]): `$filter` (and `$orderby`, if given) of the
/// v1.0 entity type `ty`, read as a request with `ConsistencyLevel: eventual` and `$count=true`
/// would be, then evaluated on `entities` and the ones kept sorted; how many were kept, or
/// Graph's answer to the options.
pub(crate) fn fuzz(
    ty: &str,
    filter: &str,
    order_by: Option<&str>,
    entities: &[Value],
) -> Result<usize, (u16, &'static str, String)> {
    let mut raw = url::form_urlencoded::Serializer::new(String::new());
    raw.append_pair("$filter", filter).append_pair("$count", "true");
    if let Some(order_by) = order_by {
        raw.append_pair("$orderby", order_by);
    }
    let query = parse(Schema::v1(), ty, Some(&raw.finish()), Use::List, true)
        .map_err(QueryError::into_answer)?;
    let mut kept: Vec<&Map<String, Value>> =
        entities.iter().filter_map(Value::as_object).filter(|e| query.keeps(e)).collect();
    query.sort(&mut kept);
    Ok(kept.len())
}

/// An entity with only the selected properties (and its `@odata.type` when it is not the
/// declared type); all of it without `$select` or with `*`.
pub(crate) fn project(
    entity: &Map<String, Value>,
    select: Option<&[String]>,
    declared: &str,
) -> Map<String, Value> {
    let Some(names) = select.filter(|n| !n.iter().any(|n| n == "*")) else {
        return entity.clone();
    };
    let mut out = Map::new();
    if let Some(Value::String(ty)) = entity.get("@odata.type")
        && ty.strip_prefix('#') != Some(declared)
    {
        out.insert("@odata.type".into(), Value::String(ty.clone()));
    }
    for name in names {
        out.insert(name.clone(), entity.get(name).cloned().unwrap_or(Value::Null));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    const STATUS: &str = "microsoft.graph.managedDeviceMobileAppConfigurationUserStatus";
    const USER: &str = "microsoft.graph.user";

    fn list(ty: &str, raw: &str, eventual: bool) -> Result<Query, QueryError> {
        parse(Schema::v1(), ty, Some(raw), Use::List, eventual)
    }

    fn code(result: Result<Query, QueryError>) -> String {
        match result {
            Err(QueryError::Coded(code, _)) => code.to_owned(),
            Err(QueryError::Invalid(_)) => "invalid".into(),
            Err(QueryError::Unsupported(_)) => "unsupported".into(),
            Ok(_) => "ok".into(),
        }
    }

    #[test]
    fn options_are_read_and_carried() {
        let q = list(STATUS, "$filter=devicesCount%20gt%201&$orderby=userDisplayName%20desc,devicesCount&$top=5&$skip=2&$count=true&$select=id,status&$skiptoken=7&other=1", false).unwrap();
        assert!(q.filter.is_some());
        assert_eq!(q.order_by.len(), 2);
        assert!(q.order_by[0].1 && !q.order_by[1].1);
        assert_eq!((q.top, q.skip, q.skip_token, q.count), (Some(5), 2, 7, true));
        assert_eq!(q.select.as_deref(), Some(&["id".to_owned(), "status".to_owned()][..]));
        let carried: Vec<&str> = q.carried.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(carried, ["$filter", "$orderby", "$count", "$select"]);
    }

    #[test]
    fn invalid_options_are_refused() {
        for raw in [
            "$top=0",
            "$top=-1",
            "$top=x",
            "$skip=-1",
            "$count=yes",
            "$orderby=colour",
            "$orderby=status%20up",
            "$orderby=",
            "$select=colour",
            "$expand=colour",
            "$filter=x eq",
            "$top=1&$top=2",
            "$bogus=1",
            "$skiptoken=-1",
            "$search=%22a%22",
            "$select=microsoft.graph.user/id",
        ] {
            assert_eq!(code(list(STATUS, raw, false)), "invalid", "{raw}");
        }
        assert_eq!(code(list(STATUS, "$expand=*", false)), "unsupported");
        assert_eq!(
            code(parse(Schema::v1(), STATUS, Some("$top=1"), Use::Entity, false)),
            "invalid"
        );
    }

    #[test]
    fn directory_objects_need_consistency_level_for_count_and_search() {
        assert_eq!(code(list(USER, "$count=true", false)), "Request_BadRequest");
        assert_eq!(code(list(USER, "$count=true", true)), "ok");
        assert_eq!(code(parse(Schema::v1(), USER, None, Use::Count, false)), "Request_BadRequest");
        assert_eq!(code(parse(Schema::v1(), USER, None, Use::Count, true)), "ok");
        assert_eq!(
            code(list(USER, "$search=%22displayName:ad%22", false)),
            "Request_UnsupportedQuery"
        );
        assert_eq!(code(list(USER, "$search=%22displayName:ad%22", true)), "ok");
        assert_eq!(
            code(list(USER, "$filter=endswith(mail,'a')", false)),
            "Request_UnsupportedQuery"
        );
        assert_eq!(
            code(list(USER, "$filter=endswith(mail,'a')", true)),
            "Request_UnsupportedQuery"
        );
        assert_eq!(code(list(USER, "$filter=endswith(mail,'a')&$count=true", true)), "ok");
        assert_eq!(code(list(USER, "$skip=1", true)), "Request_BadRequest");
        // Elsewhere no header is needed.
        assert_eq!(code(list(STATUS, "$count=true&$filter=devicesCount ne 1", false)), "ok");
    }

    #[test]
    fn search_matches_word_prefixes() {
        let q =
            list(USER, "$search=%22displayName:ad%20la%22%20OR%20%22mail:zed%22", true).unwrap();
        let search = q.search.unwrap();
        let user = |name: &str, mail: &str| {
            json!({"displayName": name, "mail": mail}).as_object().unwrap().clone()
        };
        assert!(!search.matches(&user("Ada Lovelace", "a@x")), "no word begins with 'la'");
        assert!(search.matches(&user("Lab Adams", "a@x")));
        assert!(search.matches(&user("ada LAMB", "a@x")));
        assert!(!search.matches(&user("Adam Smith", "a@x")));
        assert!(search.matches(&user("Bob", "zed@x")));
        for raw in [
            "$search=displayName:ad",
            "$search=%22displayName:ad",
            "$search=%22displayName:ad%22%20XOR%20%22a:b%22",
            "$search=%22colour:x%22",
            "$search=%22ad%22",
            "$search=%22displayName:a%22%20AND",
        ] {
            assert_eq!(code(list(USER, raw, true)), "invalid", "{raw}");
        }
    }

    #[test]
    fn projection_keeps_the_selected_and_a_derived_type() {
        let entity = json!({"@odata.type": "#microsoft.graph.iosMobileAppConfiguration", "id": "1", "displayName": "x", "version": 1});
        let entity = entity.as_object().unwrap();
        let names = ["displayName".to_owned(), "description".to_owned()];
        let projected =
            project(entity, Some(&names), "microsoft.graph.managedDeviceMobileAppConfiguration");
        assert_eq!(
            Value::Object(projected),
            json!({"@odata.type": "#microsoft.graph.iosMobileAppConfiguration", "displayName": "x", "description": null})
        );
        let same = project(entity, Some(&names[..1]), "microsoft.graph.iosMobileAppConfiguration");
        assert_eq!(Value::Object(same), json!({"displayName": "x"}));
    }

    #[test]
    fn doubles_sort_in_a_total_order_with_nan_and_infinities() {
        // Graph writes NaN and the infinities of `Edm.Double` as strings; they are ordered as
        // .NET's `Double.CompareTo` orders them: NaN first, then -INF, the numbers, INF.
        const METRIC: &str = "microsoft.graph.userExperienceAnalyticsMetric";
        let metric = |value: Value| json!({"value": value}).as_object().unwrap().clone();
        let values = [
            json!(1.5),
            json!("INF"),
            json!("NaN"),
            json!(-2),
            json!("-INF"),
            json!(0),
            json!(null),
        ];
        let entities: Vec<Map<String, Value>> = values.iter().cloned().map(metric).collect();
        for (raw, expected) in [
            ("$orderby=value", ["null", "\"NaN\"", "\"-INF\"", "-2", "0", "1.5", "\"INF\""]),
            ("$orderby=value desc", ["\"INF\"", "1.5", "0", "-2", "\"-INF\"", "\"NaN\"", "null"]),
        ] {
            let query = list(METRIC, raw, false).unwrap();
            let mut sorted: Vec<&Map<String, Value>> = entities.iter().collect();
            query.sort(&mut sorted);
            let order: Vec<String> = sorted.iter().map(|e| e["value"].to_string()).collect();
            assert_eq!(order, expected, "{raw}");
        }
        // Any mixture, odd values included, sorts without a panic, in an order that is total:
        // every element is in place with respect to every other.
        let query = list(METRIC, "$orderby=value", false).unwrap();
        let pool = [
            json!("NaN"),
            json!("INF"),
            json!("-INF"),
            json!(1),
            json!(-0.0),
            json!(0),
            json!("x"),
            json!(true),
            json!(null),
            json!(2.5),
            json!([1]),
        ];
        let mut rng = fastrand::Rng::with_seed(4);
        for _ in 0..200 {
            let entities: Vec<Map<String, Value>> = (0..rng.usize(0..60))
                .map(|_| metric(pool[rng.usize(..pool.len())].clone()))
                .collect();
            let mut sorted: Vec<&Map<String, Value>> = entities.iter().collect();
            query.sort(&mut sorted);
            let key = &query.order_by[0].0;
            for (i, a) in sorted.iter().enumerate() {
                for b in &sorted[i..] {
                    assert_ne!(key.value(a).sort_order(&key.value(b), false), Ordering::Greater);
                }
            }
        }
    }
}
