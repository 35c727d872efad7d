//! Microsoft's permissions reference (`metadata/permissions.json`): for each path and method,
//! the permissions that work, for which schemes (application, delegated work or school account,
//! delegated personal account), and which the reference calls least privileged.
//!
//! The build script writes it into a compact table (`permissions.table`, one line per path and
//! method); [`Permissions::get`] reads it once per process. The reference writes its paths in
//! lower case with `{id}` for every key and lists them through navigation; a lookup normalizes
//! a path the same way, so that `/deviceAppManagement/mobileAppConfigurations/{configurationId}`
//! finds `/deviceappmanagement/mobileappconfigurations/{id}`. A path the reference does not list
//! is unknown (`None`), never guessed.
//!
//! ```
//! use graph_entity_schema::permissions::{Permissions, Scheme};
//!
//! let seed = "/deviceAppManagement/mobileAppConfigurations/{id}/userStatuses";
//! let create = Permissions::get().lookup("POST", seed).unwrap();
//! assert_eq!(create.least(Scheme::Application), Some("DeviceManagementApps.ReadWrite.All"));
//! ```

mod operation;
mod table;

pub use operation::Operation;

use std::sync::OnceLock;

use table::key;

/// The compact table the build script writes from the reference.
static TABLE: &str = include_str!(concat!(env!("OUT_DIR"), "/permissions.table"));

/// How an application holds a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// An application's own permission (an app role: the token's `roles` claim).
    Application,
    /// Delegated by a work or school account (the token's `scp` claim).
    DelegatedWork,
    /// Delegated by a personal Microsoft account.
    DelegatedPersonal,
}

impl Scheme {
    /// The three schemes, in the reference's order.
    pub const ALL: [Scheme; 3] =
        [Scheme::Application, Scheme::DelegatedWork, Scheme::DelegatedPersonal];

    fn bit(self) -> u8 {
        match self {
            Scheme::Application => 1,
            Scheme::DelegatedWork => 2,
            Scheme::DelegatedPersonal => 4,
        }
    }

    fn index(self) -> usize {
        match self {
            Scheme::Application => 0,
            Scheme::DelegatedWork => 1,
            Scheme::DelegatedPersonal => 2,
        }
    }

    /// The reference's name of the scheme: `Application`, `DelegatedWork`, `DelegatedPersonal`.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::Application => "Application",
            Scheme::DelegatedWork => "DelegatedWork",
            Scheme::DelegatedPersonal => "DelegatedPersonal",
        }
    }
}

/// A permission of the reference: its name and its privilege level per scheme (1 the least
/// privileged, 4 the most; `None` where the reference gives none).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Permission {
    name: String,
    levels: [Option<u8>; 3],
}

/// One permission that works on a path and method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Grant {
    permission: u32,
    /// The schemes it works for, as bits.
    schemes: u8,
    /// The schemes the reference calls it least privileged for, as bits.
    least: u8,
}

/// Microsoft's permissions reference: its permissions, and its table of paths and methods, in
/// the order of their keys, each line read when it is looked up.
#[derive(Debug)]
pub struct Permissions {
    permissions: Vec<Permission>,
    /// The indexes of `permissions`, in the order of their names.
    by_name: Vec<u32>,
    text: Box<str>,
    /// Where each path line is in `text`, sorted by key.
    lines: Vec<(u32, u32)>,
}

/// What works on one path and method.
#[derive(Debug, Clone)]
pub struct PathPermissions<'p> {
    reference: &'p Permissions,
    grants: Vec<Grant>,
}

impl Permissions {
    /// The reference, read on first use, once per process.
    ///
    /// # Panics
    ///
    /// Never for a build of this crate: the table is written by its own build script (a
    /// corrupt one would be a bug, caught by this crate's tests).
    pub fn get() -> &'static Permissions {
        static PERMISSIONS: OnceLock<Permissions> = OnceLock::new();
        PERMISSIONS.get_or_init(Permissions::load)
    }

    /// Reads the embedded table anew: what [`Permissions::get`] does once per process. For
    /// `benches/load.rs`.
    ///
    /// # Panics
    ///
    /// As [`Permissions::get`].
    pub fn load() -> Permissions {
        #[allow(clippy::expect_used)]
        Permissions::parse(TABLE).expect("the permissions table is written by build.rs")
    }

    /// The permissions that work for `method` (`GET`, `POST` …) on `path`, a path of the
    /// metadata's form (any placeholder names, any case); `None` when the reference does not
    /// list it.
    ///
    /// A path with a type cast (`…/{id}/microsoft.graph.win32LobApp`, as the client sends
    /// it) is looked up as written, then with the cast before the key (as the reference writes
    /// some: `/servicePrincipals/microsoft.graph.agentIdentity/{id}`), then without its casts: a
    /// cast narrows the type, not the resource. Only segments naming entity types count as
    /// casts; an operation's qualified name stays.
    pub fn lookup(&self, method: &str, path: &str) -> Option<PathPermissions<'_>> {
        let segments: Vec<&str> = path.split('/').collect();
        let is_cast = |segment: &str| {
            segment.starts_with("microsoft.graph.")
                && crate::Schema::v1()
                    .get(segment)
                    .is_some_and(|t| t.kind == crate::TypeKind::Entity)
        };
        let is_key = |segment: &str| segment.starts_with('{') && segment.ends_with('}');
        let mut candidates = vec![path.to_owned()];
        if segments.iter().any(|s| is_cast(s)) {
            let mut moved = segments.clone();
            for i in 1..moved.len() {
                if is_cast(moved[i]) && is_key(moved[i - 1]) {
                    moved.swap(i - 1, i);
                }
            }
            candidates.push(moved.join("/"));
            let uncast: Vec<&str> = segments.iter().copied().filter(|s| !is_cast(s)).collect();
            candidates.push(uncast.join("/"));
        }
        candidates.iter().find_map(|candidate| self.lookup_key(&key(method, candidate)))
    }

    fn lookup_key(&self, key: &str) -> Option<PathPermissions<'_>> {
        let at = self.lines.binary_search_by(|&line| line_key(self.line(line)).cmp(key)).ok()?;
        let grants = self.grants(self.line(self.lines[at]))?;
        Some(PathPermissions { reference: self, grants })
    }

    /// The `ReadWrite` permission of a `Read` one (`Mail.Read` → `Mail.ReadWrite`,
    /// `User.Read.All` → `User.ReadWrite.All`), when the reference has it for `scheme`.
    pub(crate) fn read_write_of(&self, name: &str, scheme: Scheme) -> Option<&str> {
        let (resource, rest) = name.split_once(".Read")?;
        if !(rest.is_empty() || rest.starts_with('.')) {
            return None;
        }
        let wanted = format!("{resource}.ReadWrite{rest}");
        let at = self.by_name.binary_search_by(|&i| self.name_of(i).cmp(&wanted)).ok()?;
        let found = self.permissions.get(self.by_name[at] as usize)?;
        found.levels[scheme.index()].is_some().then_some(found.name.as_str())
    }

    fn name_of(&self, index: u32) -> &str {
        self.permissions.get(index as usize).map_or("", |p| p.name.as_str())
    }

    /// Every permission the reference has for `scheme`, by name, sorted.
    pub fn names(&self, scheme: Scheme) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .permissions
            .iter()
            .filter(|p| p.levels[scheme.index()].is_some())
            .map(|p| p.name.as_str())
            .collect();
        names.sort_unstable();
        names
    }

    /// How many paths and methods the reference lists.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether the reference lists nothing (never, for the embedded one).
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    fn line(&self, (start, end): (u32, u32)) -> &str {
        self.text.get(start as usize..end as usize).unwrap_or_default()
    }

    /// The grants of a path line (`METHOD path index:schemes:least …`); `None` when one is
    /// not of that form or names no permission.
    fn grants(&self, line: &str) -> Option<Vec<Grant>> {
        line.split(' ')
            .skip(2)
            .map(|grant| {
                let mut parts = grant.split(':');
                let permission: u32 = parts.next()?.parse().ok()?;
                let schemes = parts.next()?.parse().ok()?;
                let least = parts.next()?.parse().ok()?;
                ((permission as usize) < self.permissions.len()).then_some(Grant {
                    permission,
                    schemes,
                    least,
                })
            })
            .collect()
    }

    /// Reads the table: `P` lines name the permissions (`P name app work personal`, `-` for no
    /// level), then one line per path and method, in the order of their keys (`METHOD path
    /// grant…`), read when looked up. `None` when a permission line is malformed or the path
    /// lines are out of order.
    fn parse(table: &str) -> Option<Permissions> {
        let mut permissions = Vec::new();
        let mut lines = Vec::new();
        let mut previous = "";
        let mut start = 0;
        for line in table.split_inclusive('\n') {
            let end = start + line.len();
            let text = line.trim_end_matches('\n');
            if let Some(rest) = text.strip_prefix("P ") {
                let mut fields = rest.split(' ');
                let name = fields.next()?.to_owned();
                let mut levels = [None; 3];
                for level in &mut levels {
                    *level = fields.next()?.parse().ok();
                }
                permissions.push(Permission { name, levels });
            } else if !text.is_empty() {
                let key = line_key(text);
                if key <= previous {
                    return None;
                }
                previous = key;
                lines.push((u32::try_from(start).ok()?, u32::try_from(start + text.len()).ok()?));
            }
            start = end;
        }
        let mut by_name: Vec<u32> = (0..u32::try_from(permissions.len()).ok()?).collect();
        by_name.sort_by(|&a, &b| permissions[a as usize].name.cmp(&permissions[b as usize].name));
        Some(Permissions { permissions, by_name, text: table.into(), lines })
    }
}

/// A path line's key: its method and path, before the grants.
fn line_key(line: &str) -> &str {
    let method = line.find(' ').map_or(line.len(), |at| at + 1);
    let end = line[method..].find(' ').map_or(line.len(), |at| method + at);
    &line[..end]
}

impl<'p> PathPermissions<'p> {
    /// The least privileged permission for `scheme`, as the reference says: of those it calls
    /// least privileged, the one of the lowest privilege level, then a read permission before
    /// a write one, then by name (the reference may call several least privileged when one of
    /// its path sets covers several methods). `None` when it calls none so for the scheme.
    pub fn least(&self, scheme: Scheme) -> Option<&'p str> {
        let reference = self.reference;
        self.grants
            .iter()
            .filter(|g| g.schemes & g.least & scheme.bit() != 0)
            .filter_map(|g| reference.permissions.get(g.permission as usize))
            .min_by_key(|p| {
                let level = p.levels[scheme.index()].unwrap_or(u8::MAX);
                (level, p.name.contains("ReadWrite"), p.name.as_str())
            })
            .map(|p| p.name.as_str())
    }

    /// Every permission that works for `scheme`, by name: those the reference lists and, as
    /// Microsoft names its permissions, the `ReadWrite` permission of each `Read` one listed
    /// (`User.ReadWrite.All` for `User.Read.All`), where the reference has it for the scheme: a
    /// permission to read and write reads. (The reference leaves it out of some lists, such as
    /// `getMemberGroups`'; this is the one fact here that is inferred.)
    pub fn all(&self, scheme: Scheme) -> Vec<&'p str> {
        let reference = self.reference;
        let mut names: Vec<&str> = self
            .grants
            .iter()
            .filter(|g| g.schemes & scheme.bit() != 0)
            .filter_map(|g| reference.permissions.get(g.permission as usize))
            .map(|p| p.name.as_str())
            .collect();
        let writes: Vec<&str> =
            names.iter().filter_map(|name| reference.read_write_of(name, scheme)).collect();
        names.extend(writes);
        names.sort_unstable();
        names.dedup();
        names
    }
}
