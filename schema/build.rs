//! Reads Microsoft's v1.0 metadata of the three clouds once, at build time, and writes the
//! compact form the crate embeds: no user build parses XML.

#[path = "src/compact.rs"]
#[allow(dead_code, unreachable_pub)]
mod compact;
#[path = "src/csdl.rs"]
#[allow(dead_code, unreachable_pub)]
mod csdl;
#[path = "src/model.rs"]
#[allow(dead_code, unreachable_pub)]
mod model;

use std::path::PathBuf;

use model::Clouds;

fn main() {
    let metadata = PathBuf::from("metadata");
    println!("cargo::rerun-if-changed=metadata");
    println!("cargo::rerun-if-changed=src/compact.rs");
    println!("cargo::rerun-if-changed=src/csdl.rs");
    println!("cargo::rerun-if-changed=src/model.rs");
    let mut merged: Option<model::Model> = None;
    // The global metadata first: where the clouds differ, its definitions stand.
    for (file, clouds) in [
        ("v1.0-Prod.csdl", Clouds::GLOBAL),
        ("v1.0-Fairfax.csdl", Clouds::US_GOV),
        ("v1.0-Mooncake.csdl", Clouds::CHINA),
    ] {
        let path = metadata.join(file);
        let xml = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let model = csdl::read(&xml, clouds).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        match &mut merged {
            None => merged = Some(model),
            Some(all) => all.merge(model),
        }
    }
    let merged = merged.unwrap_or_default();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("v1.0.schema"), compact::encode(&merged))
        .expect("cannot write the compact schema");
}
