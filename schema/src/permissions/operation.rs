//! What request each operation of a declaration sends: the one rule the macros (for a
//! declaration's `PERMISSIONS`) and the generator (for a program's whole need) look permissions
//! up by.

/// An operation of a declaration, as the client sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    /// `POST` to the collection.
    Create,
    /// `GET` of one entity: by key below a collection, or the single entity itself.
    Get,
    /// `GET` of the collection.
    List,
    /// `PATCH` of one entity (by key, or the single entity).
    Update,
    /// `DELETE` of one entity by key.
    Delete,
    /// `GET {collection}/delta`: a round of changes.
    Delta,
    /// An action: `POST` to its path.
    Invoke,
    /// A function: `GET` of its path.
    Call,
}

impl Operation {
    /// The operations of an entity, in the order `EntityPermissions` has them.
    pub const ENTITY: [Operation; 6] = [
        Operation::Create,
        Operation::Get,
        Operation::List,
        Operation::Update,
        Operation::Delete,
        Operation::Delta,
    ];

    /// Its name: `create`, `get` … (the methods' names without `_with` or `_many`).
    pub fn name(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Get => "get",
            Operation::List => "list",
            Operation::Update => "update",
            Operation::Delete => "delete",
            Operation::Delta => "delta",
            Operation::Invoke => "invoke",
            Operation::Call => "call",
        }
    }

    /// The method and path (the metadata's form, `{id}` for the key) of the request the
    /// operation sends for a declaration at `path`, a collection's or (`single`) a single
    /// entity's, of a type derived from the path's (`cast`, qualified) or not, as the client
    /// sends it: a list and a get name the cast (`{path}/{cast}`, `{path}/{id}/{cast}`), and a
    /// single entity's update;
    /// `None` where the declaration has no such operation (a single entity is only read and
    /// updated).
    ///
    /// ```
    /// use graph_entity_schema::permissions::Operation;
    ///
    /// let users = "/users";
    /// assert_eq!(Operation::Get.request(users, false, None), Some(("GET", "/users/{id}".to_owned())));
    /// assert_eq!(Operation::Delete.request("/deviceManagement", true, None), None);
    /// let cast = Some("microsoft.graph.agentIdentity");
    /// assert_eq!(
    ///     Operation::List.request("/servicePrincipals", false, cast),
    ///     Some(("GET", "/servicePrincipals/microsoft.graph.agentIdentity".to_owned()))
    /// );
    /// ```
    pub fn request(
        self,
        path: &str,
        single: bool,
        cast: Option<&str>,
    ) -> Option<(&'static str, String)> {
        let one = || if single { path.to_owned() } else { format!("{path}/{{id}}") };
        let cast_to = |path: String| match cast {
            Some(cast) => format!("{path}/{cast}"),
            None => path,
        };
        Some(match (self, single) {
            (Operation::Create, false) => ("POST", path.to_owned()),
            (Operation::Get, _) => ("GET", cast_to(one())),
            (Operation::List, false) => ("GET", cast_to(path.to_owned())),
            (Operation::Update, true) => ("PATCH", cast_to(one())),
            (Operation::Update, false) => ("PATCH", one()),
            (Operation::Delete, false) => ("DELETE", one()),
            (Operation::Delta, false) => ("GET", format!("{path}/delta")),
            (Operation::Invoke, _) => ("POST", path.to_owned()),
            (Operation::Call, _) => ("GET", path.to_owned()),
            _ => return None,
        })
    }
}
