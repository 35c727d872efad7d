//! The types whose collections Graph serves under rules of their own, named once for the query
//! options, `$search` and the request checks.

/// Directory objects (users, groups, applications …): `$count` and `$search` need
/// `ConsistencyLevel: eventual`, string comparisons ignore case, `$skip` is refused.
pub(crate) const DIRECTORY_OBJECT: &str = "microsoft.graph.directoryObject";
/// Outlook items: `$search` is free text.
pub(crate) const MESSAGE: &str = "microsoft.graph.message";
