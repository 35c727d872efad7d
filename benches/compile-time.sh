#!/usr/bin/env bash
# Compile time of 100 `#[graph_entity]` structs vs the same 100 structs with plain serde
# derives, in four crates: graph-entity with its HTTP client (the default), graph-entity with
# `default-features = false` (types, wire format and validation only), serde derives, and serde
# derives in a crate that also depends on reqwest and tokio (what a hand-written Graph client
# depends on: the yardstick for the first).
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

generate() { # $1 = macro|types|serde|client
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
name = "bench-$1"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
serde = { version = "1", features = ["derive"] }
serde_json = "1"
TOML
        if [ "$1" = client ]; then
            cat >> "$dir/Cargo.toml" <<TOML
reqwest = { version = "0.13", default-features = false, features = ["rustls", "http2", "json"] }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
TOML
        fi
        echo "[workspace]" >> "$dir/Cargo.toml"
    fi
    {
        if [ "$1" = macro ] || [ "$1" = types ]; then
            echo 'use graph_entity::{DateTimeOffset, graph_entity};'
        else
            echo 'use serde::{Deserialize, Serialize};'
        fi
        for i in $(seq 1 100); do
            if [ "$1" = macro ] || [ "$1" = types ]; then
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

variants="macro client types serde"

build_once() { # $1 = variant, $2 = target folder
    (cd "$work/$1" && CARGO_TARGET_DIR=$2 cargo build -q --offline 2>/dev/null \
        || CARGO_TARGET_DIR=$2 cargo build -q)
}

timed() { # $1 = variant, $2 = target folder ; prints the seconds of one build
    local start end
    start=$(now)
    build_once "$1" "$2"
    end=$(now)
    echo "$end - $start" | bc -l
}

# Rebuilds, the variants in turn run by run, so that a slow spell of the machine hits all alike.
declare -A rebuild clean
for variant in $variants; do generate "$variant"; build_once "$variant" "$work/target-$variant"; done
for _ in $(seq 1 "$runs"); do
    for variant in $variants; do
        touch "$work/$variant/src/lib.rs"
        rebuild[$variant]+="$(timed "$variant" "$work/target-$variant") "
    done
done
for _ in $(seq 1 "$clean_runs"); do
    for variant in $variants; do
        rm -rf "$work/clean-$variant"
        clean[$variant]+="$(timed "$variant" "$work/clean-$variant") "
        rm -rf "$work/clean-$variant"
    done
done

row() { # $1 = label, $2 = runs, then the four medians
    printf '| %s (median of %s) | %.2f s | %.2f s | %.3f | %.2f s | %.2f s | %.3f |\n' "$1" "$2" \
        "$3" "$4" "$(echo "$3 / $4" | bc -l)" "$5" "$6" "$(echo "$5 / $6" | bc -l)"
}
echo "| build | graph-entity | serde derives + reqwest, tokio | ratio | graph-entity, types only | serde derives | ratio |"
echo "|---|---|---|---|---|---|---|"
medians() { # $1 = name of the array, $2 = runs
    local -n figures=$1
    for variant in $variants; do
        printf '%s\n' ${figures[$variant]} | median "$2"
    done
}
# shellcheck disable=SC2046
row "rebuild of the crate" "$runs" $(medians rebuild "$runs")
# shellcheck disable=SC2046
row "from clean, dependencies included" "$clean_runs" $(medians clean "$clean_runs")
