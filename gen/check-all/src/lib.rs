//! Every entity type of Microsoft Graph's v1.0 metadata (or a national cloud's), as
//! `graph-entity-gen --all` prints them, compiled against `graph-entity`: its macros check each
//! declaration against the same metadata. Empty unless the feature `all` is on:
//! `gen/check-all.sh` writes the declarations, names the file in `GRAPH_ENTITY_CHECK_ALL` and
//! builds this crate (and, for the global metadata, runs `tests/responses.rs`).
#![cfg(feature = "all")]

include!(env!("GRAPH_ENTITY_CHECK_ALL"));
