//! A program's whole need: the permissions to grant for the operations its sources call on its
//! declarations, from Microsoft's permissions reference. `graph-entity-gen --permissions DIR`.
//!
//! The sources are read as syntax (`scan`): declarations by their attribute, calls by the
//! operation's name on a type the syntax names (`Status::get(…)`, `client.get::<Status>(…)`,
//! `status.create(…)` where `status` is a struct literal, a typed `let` or parameter). A call
//! of an operation whose type the syntax does not tell is listed, not counted, when it is
//! evidently one of ours (a `create`, `invoke` or `call`, a bulk call, any call on a value of
//! type `Client`); a `.get(…)` on a value of unknown type is not seen.

mod scan;

use std::collections::BTreeSet;
use std::fmt;
use std::path::PathBuf;

use graph_entity_schema::Schema;
use graph_entity_schema::permissions::{Operation, Permissions, Scheme};

use scan::{Kind, Sources};

/// One operation a program calls on one declaration, and what it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needed {
    /// The declaration's name.
    pub declaration: String,
    /// The operation.
    pub operation: Operation,
    /// The request's method and path (the metadata's form).
    pub request: Option<(&'static str, String)>,
    /// Every application permission that works, and the least privileged one.
    pub application: (Vec<&'static str>, Option<&'static str>),
    /// Every delegated permission (work or school account) that works, and the least
    /// privileged one.
    pub delegated: (Vec<&'static str>, Option<&'static str>),
    /// Where it is called first: `file:line`.
    pub at: String,
}

impl Needed {
    /// Whether Microsoft's reference lists the request.
    pub fn is_known(&self) -> bool {
        !self.application.0.is_empty() || !self.delegated.0.is_empty()
    }
}

/// What a program needs: the permissions to grant for each scheme, each operation's need, and
/// what could not be counted.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The fewest application permissions that together allow every operation (each one's
    /// least privileged, less those another one chosen already allows).
    pub application: Vec<&'static str>,
    /// The same for delegated permissions (work or school account).
    pub delegated: Vec<&'static str>,
    /// Each operation called on each declaration, in the order of the declarations.
    pub needed: Vec<Needed>,
    /// What was not counted, and why: `file:line: …`.
    pub notes: Vec<String>,
    /// Files read, declarations found.
    pub files: usize,
    /// Declarations found.
    pub declarations: usize,
}

/// Reads the sources at `paths` (files, directories, or crates: their `src/` and `examples/`)
/// and reports what they need.
pub fn report(paths: &[PathBuf], schema: &Schema) -> Report {
    let sources = scan::scan(paths);
    let mut report = Report {
        files: sources.files,
        declarations: sources.declarations.len(),
        ..Report::default()
    };
    for (file, why) in &sources.unreadable {
        report.notes.push(format!("{}: not read: {why}", file.display()));
    }
    needed(&sources, schema, &mut report);
    report.application = fewest(&report.needed, |n| &n.application);
    report.delegated = fewest(&report.needed, |n| &n.delegated);
    report
}

/// Each operation called on a declaration, once, with what it needs.
fn needed(sources: &Sources, schema: &Schema, report: &mut Report) {
    let reference = Permissions::get();
    let mut seen = BTreeSet::new();
    for declaration in &sources.declarations {
        let calls = sources.uses.iter().filter(|u| u.ty.as_deref() == Some(&declaration.name));
        for call in calls {
            let fits = match declaration.kind {
                Kind::Entity => !matches!(call.operation, Operation::Invoke | Operation::Call),
                Kind::Action => call.operation == Operation::Invoke,
                Kind::Function => call.operation == Operation::Call,
            };
            if !fits || !seen.insert((declaration.name.clone(), call.operation)) {
                continue;
            }
            let Some(path) = &declaration.path else {
                report.notes.push(format!(
                    "{}: `{}` is `unchecked`: what its {} needs is unknown",
                    call.at,
                    declaration.name,
                    call.operation.name()
                ));
                continue;
            };
            // A `beta` declaration's path is beta's (its metadata decoded only then).
            let schema = if declaration.beta { Schema::beta() } else { schema };
            let (single, cast) = match declaration.kind {
                Kind::Entity => match schema.resolve(path) {
                    Ok(resolved) => {
                        let cast = declaration.odata_type.as_deref().filter(|t| *t != resolved.ty);
                        (!resolved.collection, cast)
                    }
                    Err(problem) => {
                        report.notes.push(format!(
                            "{}: `{}`'s path `{path}` is not in the metadata: {}",
                            declaration.at, declaration.name, problem.message
                        ));
                        continue;
                    }
                },
                Kind::Action | Kind::Function => (false, None),
            };
            let request = call.operation.request(path, single, cast);
            let found = request.as_ref().and_then(|(m, p)| reference.lookup(m, p));
            let of = |scheme| match &found {
                Some(found) => (found.all(scheme), found.least(scheme)),
                None => (Vec::new(), None),
            };
            let needed = Needed {
                declaration: declaration.name.clone(),
                operation: call.operation,
                request,
                application: of(Scheme::Application),
                delegated: of(Scheme::DelegatedWork),
                at: call.at.clone(),
            };
            if !needed.is_known() {
                let request = needed
                    .request
                    .as_ref()
                    .map_or_else(String::new, |(m, p)| format!(" ({m} {p})"));
                report.notes.push(format!(
                    "{}: `{}`'s {}{request} is not in Microsoft's permissions reference: unknown",
                    call.at,
                    declaration.name,
                    call.operation.name()
                ));
            }
            report.needed.push(needed);
        }
    }
    // Calls on a type the sources do not declare (`File::create`, a map's `get`) are not ours.
    for call in &sources.uses {
        if call.ty.is_none() {
            report.notes.push(format!(
                "{}: `{}`: the syntax does not say which declaration it calls {} on (write the type, as in `Type::{}` or `::<Type>`)",
                call.at,
                call.call,
                call.operation.name(),
                call.operation.name()
            ));
        }
    }
}

/// The fewest permissions (of one scheme) that allow every operation: each one's least
/// privileged, then without those whose operations the others chosen allow too (a read
/// permission next to the write one, say), read ones dropped first.
fn fewest(
    needed: &[Needed],
    scheme: impl Fn(&Needed) -> &(Vec<&'static str>, Option<&'static str>),
) -> Vec<&'static str> {
    let needs: Vec<&(Vec<&str>, Option<&str>)> =
        needed.iter().map(&scheme).filter(|(all, _)| !all.is_empty()).collect();
    let mut chosen: BTreeSet<&'static str> =
        needs.iter().filter_map(|(all, least)| least.or_else(|| all.first().copied())).collect();
    let mut candidates: Vec<&str> = chosen.iter().copied().collect();
    // Read permissions first, so that a write one chosen for a write stays.
    candidates.sort_by_key(|name| (name.contains("ReadWrite"), *name));
    for candidate in candidates {
        let others_suffice = needs
            .iter()
            .filter(|(all, _)| all.contains(&candidate))
            .all(|(all, _)| all.iter().any(|p| *p != candidate && chosen.contains(p)));
        if others_suffice {
            chosen.remove(candidate);
        }
    }
    chosen.into_iter().collect()
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |names: &[&str]| {
            if names.is_empty() { "none".to_owned() } else { names.join(", ") }
        };
        writeln!(f, "Application: {}", list(&self.application))?;
        writeln!(f, "Delegated (work or school account): {}", list(&self.delegated))?;
        writeln!(
            f,
            "\nWhat each operation needs, least privileged (application / delegated), from Microsoft's permissions reference:"
        )?;
        for needed in &self.needed {
            let request = needed
                .request
                .as_ref()
                .map_or_else(|| "-".to_owned(), |(method, path)| format!("{method} {path}"));
            let least = |(all, least): &(Vec<&str>, Option<&str>)| match (least, all.first()) {
                (Some(least), _) => (*least).to_owned(),
                (None, Some(first)) => (*first).to_owned(),
                (None, None) => "none".to_owned(),
            };
            writeln!(
                f,
                "  {}::{}  {request}  {} / {}",
                needed.declaration,
                needed.operation.name(),
                least(&needed.application),
                least(&needed.delegated)
            )?;
        }
        if !self.notes.is_empty() {
            writeln!(f, "\nNot counted:")?;
            for note in &self.notes {
                writeln!(f, "  {note}")?;
            }
        }
        write!(
            f,
            "\n{} files read, {} declarations, {} operations called on them.",
            self.files,
            self.declarations,
            self.needed.len()
        )
    }
}

#[cfg(test)]
mod tests;
