//! How long the macros wait for the schema: decoding and indexing the embedded v1.0 form (and
//! the beta form, for crates with beta declarations), which `Schema::v1` (`Schema::beta`) does
//! once per process (once per compiler process for the macros), and reading
//! the permissions reference's table, which `Permissions::get` does once.
//!
//! ```sh
//! cargo bench -p graph-entity-schema --bench load                 # release
//! cargo bench -p graph-entity-schema --bench load --profile dev   # as a user's debug build runs the macros
//! ```
//!
//! Prints the median of `LOAD_RUNS` loads (default 15) and the fastest and slowest.

use std::time::{Duration, Instant};

use graph_entity_schema::Schema;
use graph_entity_schema::permissions::Permissions;

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runs: usize =
        std::env::var("LOAD_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(15).max(1);
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut types = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let schema = Schema::load_v1().expect("the embedded schema");
        times.push(started.elapsed());
        types = std::hint::black_box(&schema).types().len();
    }
    let mut beta_times: Vec<Duration> = Vec::with_capacity(runs);
    let mut beta_types = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let schema = Schema::load_beta().expect("the embedded beta schema");
        beta_times.push(started.elapsed());
        beta_types = std::hint::black_box(&schema).types().len();
    }
    beta_times.sort_unstable();
    let mut reference: Vec<Duration> = Vec::with_capacity(runs);
    let mut paths = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let permissions = Permissions::load();
        reference.push(started.elapsed());
        paths = std::hint::black_box(&permissions).len();
    }
    reference.sort_unstable();
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "permissions reference ({paths} paths and methods) read: median {:.1} ms of {runs} (fastest {:.1}, slowest {:.1})",
        ms(reference[runs / 2]),
        ms(reference[0]),
        ms(reference[runs - 1])
    );
    println!(
        "v1.0 schema ({types} types) decoded and indexed: median {:.1} ms of {runs} (fastest {:.1}, slowest {:.1})",
        ms(times[runs / 2]),
        ms(times[0]),
        ms(times[runs - 1])
    );
    println!(
        "beta schema ({beta_types} types) decoded and indexed: median {:.1} ms of {runs} (fastest {:.1}, slowest {:.1})",
        ms(beta_times[runs / 2]),
        ms(beta_times[0]),
        ms(beta_times[runs - 1])
    );
}
