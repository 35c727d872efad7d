//! Reads Microsoft's v1.0 metadata of the three clouds and the reconstructed beta metadata once,
//! at build time, and writes the compact forms the crate embeds: no user build parses XML.

#[path = "src/compact.rs"]
#[allow(dead_code, unreachable_pub)]
mod compact;
#[path = "src/csdl.rs"]
#[allow(dead_code, unreachable_pub)]
mod csdl;
#[path = "src/model.rs"]
#[allow(dead_code, unreachable_pub)]
mod model;
#[path = "src/permissions/table.rs"]
#[allow(dead_code, unreachable_pub)]
mod permissions;

use std::path::PathBuf;

use model::Clouds;

fn main() {
    let metadata = PathBuf::from("metadata");
    println!("cargo::rerun-if-changed=metadata");
    println!("cargo::rerun-if-changed=src/compact.rs");
    println!("cargo::rerun-if-changed=src/csdl.rs");
    println!("cargo::rerun-if-changed=src/model.rs");
    println!("cargo::rerun-if-changed=src/permissions/table.rs");
    let mut merged: Option<model::Model> = None;
    // The global metadata first: where the clouds differ, its definitions stand.
    for (file, clouds) in [
        ("v1.0-Prod.csdl", Clouds::GLOBAL),
        ("v1.0-Fairfax.csdl", Clouds::US_GOV),
        ("v1.0-Mooncake.csdl", Clouds::CHINA),
    ] {
        let model = read(&metadata.join(file), clouds);
        match &mut merged {
            None => merged = Some(model),
            Some(all) => all.merge(model),
        }
    }
    let merged = merged.unwrap_or_default();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("v1.0.schema"), compact::encode(&merged))
        .expect("cannot write the compact schema");
    // Beta: one document, the converter's reconstruction of the global service's (see
    // `beta/README.md`). Its items exist in every cloud but where the document says otherwise
    // (`GraphEntity.Clouds`: what China's beta document lacks).
    let beta = read(&metadata.join("beta-Prod.csdl"), Clouds::ALL);
    std::fs::write(out.join("beta.schema"), compact::encode(&beta))
        .expect("cannot write the compact beta schema");
    let reference = read_permissions(&metadata.join("permissions.json"));
    std::fs::write(out.join("permissions.table"), permissions::write(&reference))
        .expect("cannot write the permissions table");
}

/// A CSDL document read for these clouds.
fn read(path: &std::path::Path, clouds: Clouds) -> model::Model {
    let xml = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    csdl::read(&xml, clouds).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Microsoft's permissions reference (`permissions.<name>.schemes` and `.pathSets[]`).
fn read_permissions(path: &std::path::Path) -> Vec<permissions::Reference> {
    use serde_json::Value;
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let json: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let Some(all) = json["permissions"].as_object() else {
        panic!("{}: no `permissions` object", path.display())
    };
    let mut out = Vec::new();
    for (name, permission) in all {
        let level = |scheme: &str| {
            permission["schemes"][scheme]["privilegeLevel"]
                .as_u64()
                .and_then(|l| u8::try_from(l).ok())
        };
        let levels = [level("Application"), level("DelegatedWork"), level("DelegatedPersonal")];
        let mut sets = Vec::new();
        for set in permission["pathSets"].as_array().into_iter().flatten() {
            let strings = |value: &Value| -> Vec<String> {
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            };
            let methods = strings(&set["methods"]);
            let schemes =
                permissions::scheme_bits(strings(&set["schemeKeys"]).iter().map(String::as_str));
            let mut entries = Vec::new();
            for (path, flags) in set["paths"].as_object().into_iter().flatten() {
                // `least=DelegatedWork,Application`, or nothing, or `AlsoRequires=…`.
                let least = flags
                    .as_str()
                    .and_then(|f| f.split(';').find_map(|f| f.trim().strip_prefix("least=")))
                    .map_or(0, |names| permissions::scheme_bits(names.split(',')));
                entries.push((path.clone(), least));
            }
            sets.push((methods, schemes, entries));
        }
        out.push(permissions::Reference { name: name.clone(), levels, sets });
    }
    out
}
