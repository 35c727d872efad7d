#!/usr/bin/env bash
# Compile time of 100 `#[graph_entity]` structs vs the same 100 structs with plain serde
# derives, in three crates: graph-entity with its HTTP client (the default), graph-entity with
# `default-features = false` (types, wire format and validation only), and serde derives.
#
# 1. Rebuild: dependencies are built once; then each crate is rebuilt RUNS times after touching
#    its source, so what is timed is the crate itself (the macros' expansion and the generated
#    code). Prints the median of each and the ratio to serde.
# 2. From clean: each crate is built CLEAN_RUNS times in an empty target folder, dependencies
#    included (crates.io sources must be in the local registry cache: run it once online).
#
#   bash benches/compile-time.sh [RUNS] [CLEAN_RUNS]     (defaults 5 and 1)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${1:-5}
clean_runs=${2:-1}
work=$root/target/compile-time
mkdir -p "$work"

generate() { # $1 = macro|types|serde
    local dir=$work/$1
    mkdir -p "$dir/src"
    if [ "$1" = macro ] || [ "$1" = types ]; then
        local features=""
        [ "$1" = types ] && features=", default-features = false"
        cat > "$dir/Cargo.toml" <<TOML
[package]
name = "bench-$1"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
graph-entity = { path = "$root"$features }
[workspace]
TOML
    else
        cat > "$dir/Cargo.toml" <<TOML
[package]
name = "bench-serde"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
serde = { version = "1", features = ["derive"] }
serde_json = "1"
[workspace]
TOML
    fi
    {
        if [ "$1" != serde ]; then
            echo 'use graph_entity::{DateTimeOffset, graph_entity};'
        else
            echo 'use serde::{Deserialize, Serialize};'
        fi
        for i in $(seq 1 100); do
            if [ "$1" != serde ]; then
                # Checked against Microsoft's metadata: a real path, type and properties.
                echo "#[graph_entity(path = \"/deviceAppManagement/mobileAppConfigurations\", odata_type = \"#microsoft.graph.iosMobileAppConfiguration\")]"
                echo "#[derive(Debug, Clone, PartialEq)]"
                echo "pub struct Entity$i {"
                echo "    #[graph(key)] pub id: Option<String>,"
                echo "    #[graph(required)] pub display_name: Option<String>,"
                echo "    pub version: i32,"
                echo "    pub description: Option<String>,"
                echo "    pub last_modified_date_time: DateTimeOffset,"
                echo "    pub targeted_mobile_apps: Option<Vec<String>>,"
                echo "}"
            else
                echo "#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]"
                echo "#[serde(rename_all = \"camelCase\")]"
                echo "pub struct Entity$i {"
                echo "    #[serde(skip_serializing_if = \"Option::is_none\")] pub id: Option<String>,"
                echo "    #[serde(skip_serializing_if = \"Option::is_none\")] pub display_name: Option<String>,"
                echo "    pub version: i32,"
                echo "    #[serde(skip_serializing_if = \"Option::is_none\")] pub description: Option<String>,"
                echo "    pub last_modified_date_time: String,"
                echo "    #[serde(skip_serializing_if = \"Option::is_none\")] pub targeted_mobile_apps: Option<Vec<String>>,"
                echo "}"
            fi
        done
    } > "$dir/src/lib.rs"
}

now() { date +%s.%N; }

median() { sort -g | awk -v n="$1" 'NR == int((n + 1) / 2) { print }'; }

measure() { # $1 = macro|types|serde ; prints the median seconds of a rebuild
    local dir=$work/$1 times=()
    (cd "$dir" && CARGO_TARGET_DIR=$work/target-$1 cargo build -q 2>/dev/null)
    for _ in $(seq 1 "$runs"); do
        touch "$dir/src/lib.rs"
        local start end
        start=$(now)
        (cd "$dir" && CARGO_TARGET_DIR=$work/target-$1 cargo build -q)
        end=$(now)
        times+=("$(echo "$end - $start" | bc -l)")
    done
    printf '%s\n' "${times[@]}" | median "$runs"
}

measure_clean() { # $1 = macro|types|serde ; prints the median seconds from clean
    local dir=$work/$1 times=()
    for _ in $(seq 1 "$clean_runs"); do
        rm -rf "$work/clean-$1"
        local start end
        start=$(now)
        (cd "$dir" && CARGO_TARGET_DIR=$work/clean-$1 cargo build -q --offline 2>/dev/null \
            || CARGO_TARGET_DIR=$work/clean-$1 cargo build -q)
        end=$(now)
        times+=("$(echo "$end - $start" | bc -l)")
    done
    rm -rf "$work/clean-$1"
    printf '%s\n' "${times[@]}" | median "$clean_runs"
}

for variant in macro types serde; do generate "$variant"; done
macro_s=$(measure macro)
types_s=$(measure types)
serde_s=$(measure serde)
printf '| rebuild of the crate (median of %s) | %.2f s | %.2f s | %.2f s | %.3f | %.3f |\n' \
    "$runs" "$macro_s" "$types_s" "$serde_s" \
    "$(echo "$macro_s / $serde_s" | bc -l)" "$(echo "$types_s / $serde_s" | bc -l)"
macro_c=$(measure_clean macro)
types_c=$(measure_clean types)
serde_c=$(measure_clean serde)
printf '| from clean, dependencies included (median of %s) | %.1f s | %.1f s | %.1f s | %.2f | %.2f |\n' \
    "$clean_runs" "$macro_c" "$types_c" "$serde_c" \
    "$(echo "$macro_c / $serde_c" | bc -l)" "$(echo "$types_c / $serde_c" | bc -l)"
