//! Graph itself, from the metadata: every path under `/{version}/` is resolved
//! ([`crate::routing`]), authorized ([`crate::auth`]) and served from the one store
//! ([`crate::store`]) as a [`Request`]: reads in [`crate::read`], writes in [`crate::write`],
//! actions and functions in [`crate::operation`].

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;

use crate::bounded::Budget;
use crate::request::Request;
use crate::respond::{Answer, Ids, bad_request, not_allowed, not_implemented};
use crate::routing::{self, Kind, Refusal};
use crate::state::AppState;
use crate::{operation, read, write};

/// What the frame passes on about a request besides its method, URI, headers and body.
pub(crate) struct Frame<'a> {
    pub(crate) ids: &'a Ids,
    /// The origin the request named (`http://localhost:8080`), for links.
    pub(crate) root: &'a str,
    /// The bytes the answer to a read may take.
    pub(crate) budget: Budget,
}

/// Serves a Graph call (the frame has bounded and logged it, and injected any fault): the
/// answer, or the error answer.
pub(crate) fn serve(
    state: &AppState,
    frame: &Frame<'_>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Answer {
    let Frame { ids, root, budget } = *frame;
    let path = uri.path().strip_prefix('/').unwrap_or(uri.path());
    let (version, rest) = path.split_once('/').unwrap_or((path, ""));
    let Some(schema) = state.schema(version) else {
        return Err(bad_request(
            ids,
            format!("Invalid version: '{version}'. Use 'v1.0' or 'beta'."),
        ));
    };
    let grant = crate::auth::authenticate(state, ids, headers)?;
    if rest.is_empty() || rest.starts_with('$') && !rest.contains('/') {
        return Err(not_implemented(
            ids,
            format!(
                "'/{version}/{rest}' (the service document, $metadata …) is not served by the emulator."
            ),
        ));
    }
    let target = routing::resolve(schema, &routing::segments(rest)).map_err(|r| refused(ids, r))?;
    let directory = schema.is_derived_from(target.ty(), "microsoft.graph.directoryObject");
    crate::auth::permit(ids, &grant, method.as_str(), &target, directory)?;
    let request =
        Request { state, ids, root, budget, schema, version, target: &target, uri, headers, body };
    match (method.as_str(), &target.kind) {
        (method, Kind::Operation { .. }) => operation::invoke(&request, method),
        ("GET", Kind::Collection) => read::list(&request),
        ("GET", Kind::Count) => read::count(&request),
        ("GET", Kind::Member { .. } | Kind::Single { .. }) => read::get(&request),
        ("GET", Kind::Property { .. }) => read::property(&request),
        ("POST", Kind::Collection) => write::create(&request),
        ("PATCH", Kind::Member { .. } | Kind::Single { .. }) => write::update(&request),
        ("DELETE", Kind::Member { .. }) => write::delete(&request),
        ("DELETE", Kind::Single { .. }) => Err(not_allowed(
            ids,
            format!(
                "'{}' is a single entity that exists with its parent: it cannot be deleted.",
                target.context
            ),
        )),
        ("PUT", _) => {
            Err(not_allowed(ids, "PUT is not served by the emulator: update with PATCH.".into()))
        }
        (method, _) => Err(not_allowed(
            ids,
            format!("The method '{method}' is not allowed on '{}'.", target.context),
        )),
    }
}

fn refused(ids: &Ids, refusal: Refusal) -> Response {
    match refusal {
        Refusal::BadRequest(message) => bad_request(ids, message),
        Refusal::NotServed(message) => not_implemented(ids, message),
    }
}
