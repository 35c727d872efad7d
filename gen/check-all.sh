#!/usr/bin/env bash
# Declares every entity type of Microsoft Graph's v1.0 metadata, and every action and function
# bound to what their paths address, with graph-entity-gen and compiles the result (the workspace member gen/check-all, feature `all`) against graph-entity,
# whose macros check each declaration against the same metadata, with every operation (the
# default `client` feature). For the global metadata it then reads Microsoft's documented
# responses into those declarations and writes them back (gen/check-all/tests/responses.rs; the
# reviewed disagreements: gen/check-all/responses.txt).
#
# Run after `cargo test --workspace` (as CI does), it builds with that command's dependencies as
# built: the same packages, features and lock file, so only the declarations are compiled.
# `beta` declares every entity type, action and function of the beta metadata (as
# graph-entity-schema reconstructs it), each `beta`, and compiles them likewise.
# Usage: bash gen/check-all.sh [global|us-gov|china|beta]
set -euo pipefail
cd "$(dirname "$0")/.."
cloud=${1:-}
[ "$cloud" = global ] && cloud=
target=${CARGO_TARGET_DIR:-$PWD/target}
out=$target/gen-all${cloud:+-$cloud}
mkdir -p "$out"
# The generator as `cargo test --workspace` builds it (its integration tests run it).
cargo test -q --workspace --no-run 2>/dev/null
# The global declarations also fill the registry the responses program reads.
args=(--all)
case "$cloud" in
    "") args+=(--registry) ;;
    beta) args+=(--beta) ;;
    *) args+=(--cloud "$cloud") ;;
esac
"$target/debug/graph-entity-gen" "${args[@]}" >"$out/lib.rs" 2>"$out/skipped.txt"
tail -n 1 "$out/skipped.txt"
echo "$(wc -l <"$out/lib.rs") lines in $out/lib.rs; the types not declared, and why: $out/skipped.txt"
export GRAPH_ENTITY_CHECK_ALL=$out/lib.rs
if [ -n "$cloud" ]; then
    time cargo build -p graph-entity-check-all --features all
else
    time cargo test --workspace --features graph-entity-check-all/all --test responses
fi
