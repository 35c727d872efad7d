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
    let types = |schema: &Schema| schema.types().len();
    let v1 = measure(runs, || Schema::load_v1().expect("the embedded schema"), types);
    let beta = measure(runs, || Schema::load_beta().expect("the embedded beta schema"), types);
    let reference = measure(runs, Permissions::load, Permissions::len);
    reference.print("permissions reference", "paths and methods", "read");
    v1.print("v1.0 schema", "types", "decoded and indexed");
    beta.print("beta schema", "types", "decoded and indexed");
}

/// `runs` loads, sorted by time, and the size the last one reported.
struct Loads {
    times: Vec<Duration>,
    size: usize,
}

/// Times `runs` calls of `load` (not dropping what it loaded), and says its `size`.
fn measure<T>(runs: usize, mut load: impl FnMut() -> T, size: impl Fn(&T) -> usize) -> Loads {
    let mut times = Vec::with_capacity(runs);
    let mut last = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let loaded = load();
        times.push(started.elapsed());
        last = size(std::hint::black_box(&loaded));
    }
    times.sort_unstable();
    Loads { times, size: last }
}

impl Loads {
    fn print(&self, what: &str, unit: &str, done: &str) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let (runs, times) = (self.times.len(), &self.times);
        println!(
            "{what} ({} {unit}) {done}: median {:.1} ms of {runs} (fastest {:.1}, slowest {:.1})",
            self.size,
            ms(times[runs / 2]),
            ms(times[0]),
            ms(times[runs - 1])
        );
    }
}
