//! The operations every `#[graph_entity]` gets (`create`, `get`, `list`, `count`, `update`,
//! `delete`, and their `_with` forms), described once: the expansion gives them bodies that call
//! the runtime, the fallback (after an error) the same signatures with bodies that never run.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

/// One generated method.
pub(crate) struct Operation {
    /// The lines of its documentation.
    doc: Vec<String>,
    /// `pub async fn get(client: &Client, ...) -> Result<Self, Error>`.
    signature: TokenStream,
    /// What it does, through the runtime.
    body: TokenStream,
}

/// What the operations need to know of the entity.
pub(crate) struct Signature<'a> {
    pub(crate) krate: &'a TokenStream,
    /// One `&str` argument per path placeholder, in order.
    pub(crate) args: &'a [Ident],
    /// The placeholders, for the documentation.
    pub(crate) placeholders: &'a [String],
    /// The collection's path.
    pub(crate) path: &'a str,
    /// The update type, `{Entity}Patch`.
    pub(crate) patch: &'a Ident,
}

/// The operations, in the order they are documented.
pub(crate) fn operations(s: &Signature<'_>) -> Vec<Operation> {
    let krate = s.krate;
    let private = quote!(#krate::__private);
    let args = s.args;
    let patch = s.patch;
    // The key's argument; `key` when a placeholder is already called `id`.
    let key =
        if args.iter().any(|a| a == "id") { format_ident!("key") } else { format_ident!("id") };
    let path = s.path;
    let client = quote!(client: &#krate::Client);
    let result = |ok: TokenStream| quote!(#private::Result<#ok, #krate::Error>);
    let (entity_result, unit_result, count_result) =
        (result(quote!(Self)), result(quote!(())), result(quote!(u64)));
    let updated = result(quote!(#private::Option<Self>));
    let list = quote!(#krate::client::List<'__c, Self>);
    let query = quote!(#krate::Query<Self>);
    let options = quote!(#krate::client::RequestOptions);
    let path_args = quote!(&[#(#args),*]);
    let op = |doc: Vec<String>, signature: TokenStream, body: TokenStream| Operation {
        doc,
        signature,
        body,
    };
    let args_doc = args_doc(s);
    let errors =
        |what: &str| vec![String::new(), " # Errors".into(), String::new(), format!(" {what}")];
    let with = |mut lines: Vec<String>, more: Vec<String>| {
        lines.extend(more);
        lines
    };
    vec![
        op(
            with(
                vec![
                    format!(" Creates this entity: validates it, sends `POST {path}`,"),
                    " and returns the entity the service created.".into(),
                ],
                with(args_doc.clone(), errors("A validation or path error before any I/O, or the error of the request: see `Error`.")),
            ),
            quote!(pub async fn create(&self, #client, #(#args: &str),*) -> #entity_result),
            quote!(#private::create(client, self, #path_args).await),
        ),
        op(
            with(
                vec![
                    format!(" Reads the entity with key `{key}`: `GET {path}/{{{key}}}`, selecting exactly"),
                    " the declared properties.".into(),
                ],
                with(args_doc.clone(), errors("`Error::NotFound` when it does not exist; a path error before any I/O, or the error of the request.")),
            ),
            quote!(pub async fn get(#client, #(#args: &str,)* #key: &str) -> #entity_result),
            quote!(client.get::<Self>(#path_args, #key).await),
        ),
        op(
            with(
                vec![" `get` with query options (`$select`, `$expand`).".into()],
                errors("As `get`."),
            ),
            quote!(pub async fn get_with(#client, #(#args: &str,)* #key: &str, query: &#query) -> #entity_result),
            quote!(client.get_with::<Self>(#path_args, #key, query).await),
        ),
        op(
            with(
                vec![
                    format!(" The entities of `{path}`, as a stream that reads a page at a time"),
                    " (`.next().await`, or `.collect_all().await` for all of them).".into(),
                ],
                args_doc.clone(),
            ),
            quote!(pub fn list<'__c>(client: &'__c #krate::Client, #(#args: &str),*) -> #list),
            quote!(client.list::<Self>(#path_args)),
        ),
        op(
            vec![" `list` with query options: `$filter`, `$orderby`, `$top`, `$skip`, `$count`, `$search`, `$select`.".into()],
            quote!(pub fn list_with<'__c>(client: &'__c #krate::Client, #(#args: &str,)* query: &#query) -> #list),
            quote!(client.list_with::<Self>(#path_args, query)),
        ),
        op(
            with(
                vec![format!(" How many entities of `{path}` match the query's `$filter` and `$search` (`/$count`).")],
                errors("As `get`."),
            ),
            quote!(pub async fn count(#client, #(#args: &str,)* query: &#query) -> #count_result),
            quote!(client.count::<Self>(#path_args, query).await),
        ),
        op(
            with(
                vec![
                    format!(" Updates the entity with key `{key}`: `PATCH {path}/{{{key}}}` with only the"),
                    " properties the patch sets. `None` for `204 No Content`, else the updated entity.".into(),
                ],
                errors("As `get`; `Error::UnknownOutcome` when it may have been applied but the answer was lost."),
            ),
            quote!(pub async fn update(#client, #(#args: &str,)* #key: &str, patch: &#patch) -> #updated),
            quote!(client.update(#path_args, #key, patch).await),
        ),
        op(
            with(vec![" `update` with options: `If-Match`, the retry policy.".into()], errors("As `update`.")),
            quote!(pub async fn update_with(#client, #(#args: &str,)* #key: &str, patch: &#patch, options: &#options) -> #updated),
            quote!(client.update_with(#path_args, #key, patch, options).await),
        ),
        op(
            with(
                vec![format!(" Deletes the entity with key `{key}`: `DELETE {path}/{{{key}}}`.")],
                errors("`Error::NotFound` when it does not exist; a path error before any I/O, or the error of the request."),
            ),
            quote!(pub async fn delete(#client, #(#args: &str,)* #key: &str) -> #unit_result),
            quote!(client.delete::<Self>(#path_args, #key).await),
        ),
        op(
            with(vec![" `delete` with options: `If-Match`, the retry policy.".into()], errors("As `delete`.")),
            quote!(pub async fn delete_with(#client, #(#args: &str,)* #key: &str, options: &#options) -> #unit_result),
            quote!(client.delete_with::<Self>(#path_args, #key, options).await),
        ),
    ]
}

/// The lines saying which argument fills which placeholder.
fn args_doc(s: &Signature<'_>) -> Vec<String> {
    if s.args.is_empty() {
        return Vec::new();
    }
    let mut doc = vec![
        String::new(),
        " Each path argument fills one segment, percent-encoded; it must not be empty:".to_owned(),
    ];
    for (arg, name) in s.args.iter().zip(s.placeholders) {
        let arg = arg.to_string();
        doc.push(format!(" - `{}` fills `{{{name}}}`", arg.trim_start_matches("r#")));
    }
    doc
}

/// The methods with their bodies, or (`stand_in`) with bodies that never run.
pub(crate) fn methods(operations: &[Operation], stand_in: bool) -> TokenStream {
    let methods = operations.iter().map(|op| {
        let (doc, signature) = (&op.doc, &op.signature);
        let body = if stand_in { quote!(::core::unreachable!()) } else { op.body.clone() };
        let allow = stand_in.then(|| quote!(#[allow(unused_variables)]));
        quote! {
            #(#[doc = #doc])*
            #allow
            #signature {
                #body
            }
        }
    });
    quote!(#(#methods)*)
}
