#!/usr/bin/env bash
# Compile time of 100 `#[graph_entity]` structs vs the same 100 structs with plain serde
# derives. Dependencies are built once; then each crate is rebuilt RUNS times after touching
# its source, so what is timed is the crate itself (the macros' expansion and the generated
# code), not reqwest or tokio. Prints the median of each and the ratio.
#
#   bash benches/compile-time.sh [RUNS]     (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${1:-5}
work=$root/target/compile-time
mkdir -p "$work"

generate() { # $1 = macro|serde
    local dir=$work/$1
    mkdir -p "$dir/src"
    if [ "$1" = macro ]; then
        cat > "$dir/Cargo.toml" <<TOML
[package]
name = "bench-macro"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
graph-entity = { path = "$root" }
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
        if [ "$1" = macro ]; then
            echo 'use graph_entity::{DateTimeOffset, graph_entity};'
        else
            echo 'use serde::{Deserialize, Serialize};'
        fi
        for i in $(seq 1 100); do
            if [ "$1" = macro ]; then
                echo "#[graph_entity(path = \"/things/{thingId}/parts$i\")]"
                echo "#[derive(Debug, Clone, PartialEq)]"
                echo "pub struct Entity$i {"
                echo "    #[graph(key)] pub id: Option<String>,"
                echo "    #[graph(required)] pub display_name: Option<String>,"
                echo "    pub devices_count: i32,"
                echo "    pub description: Option<String>,"
                echo "    pub last_modified_date_time: DateTimeOffset,"
                echo "    pub targeted_apps: Option<Vec<String>>,"
                echo "}"
            else
                echo "#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]"
                echo "#[serde(rename_all = \"camelCase\")]"
                echo "pub struct Entity$i {"
                echo "    #[serde(skip_serializing_if = \"Option::is_none\")] pub id: Option<String>,"
                echo "    #[serde(skip_serializing_if = \"Option::is_none\")] pub display_name: Option<String>,"
                echo "    pub devices_count: i32,"
                echo "    #[serde(skip_serializing_if = \"Option::is_none\")] pub description: Option<String>,"
                echo "    pub last_modified_date_time: String,"
                echo "    #[serde(skip_serializing_if = \"Option::is_none\")] pub targeted_apps: Option<Vec<String>>,"
                echo "}"
            fi
        done
    } > "$dir/src/lib.rs"
}

now() { date +%s.%N; }

measure() { # $1 = macro|serde ; prints the median seconds
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
    printf '%s\n' "${times[@]}" | sort -g | awk -v n="$runs" 'NR == int((n + 1) / 2) { print }'
}

generate macro
generate serde
macro_s=$(measure macro)
serde_s=$(measure serde)
printf '| 100 entities, rebuild of the crate (median of %s) | %.2f s | %.2f s (serde derives) | %.3f |\n' \
    "$runs" "$macro_s" "$serde_s" "$(echo "$macro_s / $serde_s" | bc -l)"
