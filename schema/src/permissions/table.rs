//! The compact table of the permissions reference: written by the build script from the
//! reference's JSON, read by [`super::Permissions`]; the one rule both keep for a path's key.
//!
//! One line per permission (`P name app work personal`, each a privilege level or `-`), then
//! one line per path and method (`METHOD path grant…`, each grant `index:schemes:least`, the
//! schemes as bits: 1 application, 2 delegated work, 4 delegated personal).

use std::collections::BTreeMap;

/// The table's key of a method and path: the method, a space, and the path in the reference's
/// form (lower case; every `{placeholder}` `{id}`; a function's parameters and a query left
/// out).
pub(crate) fn key(method: &str, path: &str) -> String {
    format!("{} {}", method.to_ascii_uppercase(), normalize(path))
}

/// A path in the reference's form.
fn normalize(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    let mut out = String::with_capacity(path.len());
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        if segment.starts_with('{') && segment.ends_with('}') {
            out.push_str("{id}");
            continue;
        }
        let name = match segment.find('(') {
            Some(at) if at > 0 => &segment[..at],
            _ => segment,
        };
        out.extend(name.chars().map(|c| c.to_ascii_lowercase()));
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// A permission as the reference gives it: its name, its privilege level per scheme
/// (application, delegated work, delegated personal), and its path sets.
#[allow(dead_code)] // Built by the build script, which includes this file.
pub(crate) struct Reference {
    pub(crate) name: String,
    pub(crate) levels: [Option<u8>; 3],
    pub(crate) sets: Vec<PathSet>,
}

/// One path set of a permission: the methods, the schemes (bits), and each path with the
/// schemes the permission is least privileged for there (bits).
pub(crate) type PathSet = (Vec<String>, u8, Vec<(String, u8)>);

/// The bits of scheme names (`Application`, `DelegatedWork`, `DelegatedPersonal`); unknown
/// names count for nothing.
#[allow(dead_code)] // The build script's.
pub(crate) fn scheme_bits<'a>(names: impl IntoIterator<Item = &'a str>) -> u8 {
    names.into_iter().fold(0, |bits, name| {
        bits | match name.trim() {
            "Application" => 1,
            "DelegatedWork" => 2,
            "DelegatedPersonal" => 4,
            _ => 0,
        }
    })
}

/// Writes the table. A path whose key would hold white space (a query the reference writes
/// into a path) is left out: what it names is the path before its query, listed on its own.
#[allow(dead_code)] // The build script's.
pub(crate) fn write(reference: &[Reference]) -> String {
    let mut paths: BTreeMap<String, Vec<(usize, u8, u8)>> = BTreeMap::new();
    let mut out = String::new();
    for (index, permission) in reference.iter().enumerate() {
        let level = |l: Option<u8>| l.map_or_else(|| "-".to_owned(), |l| l.to_string());
        let [app, work, personal] = permission.levels.map(level);
        out.push_str(&format!("P {} {app} {work} {personal}\n", permission.name));
        for (methods, schemes, entries) in &permission.sets {
            for (path, least) in entries {
                for method in methods {
                    let key = key(method, path);
                    if key.split_whitespace().count() != 2 {
                        continue;
                    }
                    let grants = paths.entry(key).or_default();
                    match grants.iter_mut().find(|(p, _, _)| *p == index) {
                        Some((_, s, l)) => {
                            *s |= schemes;
                            *l |= least;
                        }
                        None => grants.push((index, *schemes, *least)),
                    }
                }
            }
        }
    }
    for (key, grants) in paths {
        out.push_str(&key);
        for (permission, schemes, least) in grants {
            out.push_str(&format!(" {permission}:{schemes}:{least}"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permissions::{Permissions, Scheme};

    #[test]
    fn a_table_written_reads_back_with_its_least_privileged_permissions() {
        let set = |methods: &[&str], schemes: &[&str], paths: &[(&str, &[&str])]| {
            let methods = methods.iter().map(|m| (*m).to_owned()).collect();
            let paths = paths
                .iter()
                .map(|(p, least)| ((*p).to_owned(), scheme_bits(least.iter().copied())))
                .collect();
            (methods, scheme_bits(schemes.iter().copied()), paths)
        };
        let reference = [
            Reference {
                name: "Thing.Read.All".into(),
                levels: [Some(2), Some(2), None],
                sets: vec![set(
                    &["GET"],
                    &["Application", "DelegatedWork"],
                    &[("/things", &["Application", "DelegatedWork"])],
                )],
            },
            Reference {
                name: "Thing.ReadWrite.All".into(),
                levels: [Some(3), Some(3), None],
                // One path set for reads and writes: least privileged for both, as the
                // reference writes it; reads still go to the read permission.
                sets: vec![set(
                    &["GET", "POST"],
                    &["Application", "DelegatedWork"],
                    &[
                        ("/Things", &["Application", "DelegatedWork"]),
                        ("/things?$filter=a eq 'b'", &[]),
                    ],
                )],
            },
        ];
        let table = write(&reference);
        let permissions = Permissions::parse(&table).unwrap();
        assert_eq!(permissions.len(), 2, "{table}");
        let read = permissions.lookup("GET", "/things").unwrap();
        assert_eq!(read.least(Scheme::Application), Some("Thing.Read.All"));
        assert_eq!(read.all(Scheme::DelegatedWork), ["Thing.Read.All", "Thing.ReadWrite.All"]);
        assert_eq!(read.least(Scheme::DelegatedPersonal), None);
        let write = permissions.lookup("POST", "/THINGS").unwrap();
        assert_eq!(write.least(Scheme::DelegatedWork), Some("Thing.ReadWrite.All"));
        let corrupt = Permissions::parse("P x 1 1 1\nGET /x 7:1:1\n").unwrap();
        assert!(corrupt.lookup("GET", "/x").is_none(), "an unknown index");
        assert!(Permissions::parse("GET /y 0:1:1\nGET /x 0:1:1\n").is_none(), "out of order");
    }

    #[test]
    fn every_line_of_the_embedded_table_reads() {
        let permissions = Permissions::get();
        assert!(permissions.permissions.len() > 900, "{}", permissions.permissions.len());
        for &line in &permissions.lines {
            let text = permissions.line(line);
            assert!(permissions.grants(text).is_some_and(|g| !g.is_empty()), "{text}");
        }
    }
}
