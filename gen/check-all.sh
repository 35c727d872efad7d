#!/usr/bin/env bash
# Declares every entity type of Microsoft Graph's v1.0 metadata with graph-entity-gen and
# compiles the result against graph-entity, whose macro checks each declaration against the
# same metadata, with every operation (the default `client` feature). For the global metadata
# it then reads Microsoft's documented responses into those declarations and writes them back
# (gen/check-all/responses.rs; the reviewed disagreements: gen/check-all/responses.txt).
# Usage: bash gen/check-all.sh [global|us-gov|china]
set -euo pipefail
cd "$(dirname "$0")/.."
cloud=${1:-}
[ "$cloud" = global ] && cloud=
dir=target/gen-all${cloud:+-$cloud}
mkdir -p "$dir/src"
cargo run -q -p graph-entity-gen -- --all ${cloud:+--cloud "$cloud"} ${cloud:---registry} \
    >"$dir/src/lib.rs" 2>"$dir/skipped.txt"
tail -n 1 "$dir/skipped.txt"
echo "$(wc -l <"$dir/src/lib.rs") lines in $dir/src/lib.rs; the types not declared, and why: $dir/skipped.txt"
cat >"$dir/Cargo.toml" <<TOML
[package]
name = "graph-entity-gen-all${cloud:+-$cloud}"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
graph-entity = { path = "$PWD" }
graph-entity-schema = { path = "$PWD/schema" }
serde = "1"
serde_json = "1"

[workspace]

# No debug information for this crate (its dependencies are the workspace's, as built):
# a quarter less time to build the responses program.
[profile.dev.package.graph-entity-gen-all${cloud:+-$cloud}]
debug = 0
TOML
cp Cargo.lock "$dir/Cargo.lock"
# The workspace's target directory (or the one exported), not one of its own under "$dir".
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
if [ -n "$cloud" ]; then
    rm -f "$dir/src/main.rs"
    time cargo build --manifest-path "$dir/Cargo.toml"
else
    cp gen/check-all/responses.rs "$dir/src/main.rs"
    time cargo build --manifest-path "$dir/Cargo.toml"
    "$CARGO_TARGET_DIR/debug/graph-entity-gen-all" \
        emulator/tests/docs-examples/v1.0-examples.jsonl gen/check-all/responses.txt
fi
