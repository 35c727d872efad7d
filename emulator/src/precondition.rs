//! Optimistic concurrency as Graph does it: `If-Match` on `PATCH` and `DELETE`, against the
//! entity's `@odata.etag` ([`crate::store::etag`]).
//!
//! Without `If-Match` a write applies as it always has, except on Planner's entities, which
//! require it. `*` applies to an entity that exists; otherwise one of the listed etags must be
//! the current one, exactly as the emulator wrote it (`W/"…"`) or in its strong form (`"…"`).
//! Anything else is `412 Precondition Failed`. An entity that does not exist is `404` whatever
//! `If-Match` says (the answer the request would get without it, as RFC 9110 §13.2.1 has it).

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;

use crate::respond::{Ids, graph_error};

/// Planner's entity types, whose `PATCH` and `DELETE` need `If-Match`.
///
/// Microsoft's documentation says so for each: "If-Match: Last known ETag value for the
/// plannerTask to be updated. Required." (learn.microsoft.com/graph/api/plannertask-update,
/// and likewise plannerplan-update, plannerbucket-update, plannertaskdetails-update,
/// plannerplandetails-update, planneruser-update and the three task board formats' updates,
/// and the `-delete` pages). Its status for a request without it is given in "Use the Planner
/// REST API" (learn.microsoft.com/graph/api/resources/planner-overview), section "Common
/// Planner error conditions": under "412 Precondition Failed", "All Planner API POST, PATCH,
/// and DELETE requests require the If-Match header to be specified with the last known etag
/// value of the resource that is subject to the request." So: `412`, not `400`. (`POST`
/// creates, and there is no etag to send before there is an entity: the create pages do not
/// list `If-Match`, and the emulator does not ask for it.) The message is the one Graph is
/// seen to answer with.
const PLANNER: &[&str] = &[
    "microsoft.graph.plannerTask",
    "microsoft.graph.plannerPlan",
    "microsoft.graph.plannerBucket",
    "microsoft.graph.plannerTaskDetails",
    "microsoft.graph.plannerPlanDetails",
    "microsoft.graph.plannerAssignedToTaskBoardTaskFormat",
    "microsoft.graph.plannerBucketTaskBoardTaskFormat",
    "microsoft.graph.plannerProgressTaskBoardTaskFormat",
    "microsoft.graph.plannerUser",
];

/// Why a precondition does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failed {
    /// `If-Match` is required (Planner) and absent.
    Missing,
    /// `If-Match` names no current etag.
    Stale { current: String },
}

/// Whether the entities of `ty` need `If-Match` on `PATCH` and `DELETE`.
pub(crate) fn required(ty: &str) -> bool {
    PLANNER.contains(&ty)
}

/// Checks `If-Match` (every such header, each a comma-separated list) against the current
/// etag of an entity that exists.
pub(crate) fn check(headers: &HeaderMap, current: &str, required: bool) -> Result<(), Failed> {
    let values: Vec<_> = headers.get_all(header::IF_MATCH).iter().collect();
    if values.is_empty() {
        return if required { Err(Failed::Missing) } else { Ok(()) };
    }
    let strong = current.strip_prefix("W/").unwrap_or(current);
    let holds = values
        .iter()
        // A value that is not text names no etag of the emulator's.
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag == current || tag == strong);
    if holds { Ok(()) } else { Err(Failed::Stale { current: current.to_owned() }) }
}

/// Graph's `412` for a precondition that does not hold.
pub(crate) fn failed(ids: &Ids, failed: Failed) -> Response {
    let message = match failed {
        Failed::Missing => "The If-Match header must be specified for this kind of request.".into(),
        Failed::Stale { current } => format!(
            "The If-Match header does not match the current version of the resource: it has been changed or replaced since that etag was read (its current etag is {current}). Read it again and apply the change to that version."
        ),
    };
    graph_error(ids, StatusCode::PRECONDITION_FAILED, "PreconditionFailed", message, &[])
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(header::IF_MATCH, HeaderValue::from_str(value).expect(value));
        }
        headers
    }

    const CURRENT: &str = "W/\"J2VtdWxhdG9yLTcn\"";

    #[test]
    fn if_match_holds_for_the_current_etag_or_a_star() {
        for (sent, holds) in [
            (&[][..], true),
            (&["*"][..], true),
            (&[CURRENT][..], true),
            (&["\"J2VtdWxhdG9yLTcn\""][..], true),
            (&["W/\"other\", W/\"J2VtdWxhdG9yLTcn\""][..], true),
            (&["W/\"other\"", CURRENT][..], true),
            (&["W/\"J2VtdWxhdG9yLTYn\""][..], false),
            (&["J2VtdWxhdG9yLTcn"][..], false),
            (&["w/\"J2VtdWxhdG9yLTcn\""][..], false),
            (&[""][..], false),
        ] {
            let result = check(&headers(sent), CURRENT, false);
            assert_eq!(result.is_ok(), holds, "{sent:?}");
            if !holds {
                assert_eq!(result, Err(Failed::Stale { current: CURRENT.into() }));
            }
        }
    }

    #[test]
    fn planner_requires_if_match() {
        assert!(required("microsoft.graph.plannerTask"));
        assert!(required("microsoft.graph.plannerTaskDetails"));
        assert!(!required("microsoft.graph.todoTask"));
        assert_eq!(check(&HeaderMap::new(), CURRENT, true), Err(Failed::Missing));
        assert_eq!(check(&headers(&["*"]), CURRENT, true), Ok(()));
    }
}
