//! `graph-emulator`: run a local Microsoft Graph.
//!
//! ```text
//! cargo run -p graph-emulator -- --port 8080
//! ```
//!
//! Every option can also be set by an environment variable, `GRAPH_EMULATOR_` and the option's
//! name (`--page-size`: `GRAPH_EMULATOR_PAGE_SIZE`); an option on the command line wins.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use clap::builder::RangedU64ValueParser;
use graph_emulator::{Emulator, Faults, Limits, LimitsRetryAfter, RetryAfter};

/// The largest `--max-body-bytes`: 1 GiB.
const MAX_BODY_BYTES: u64 = 1 << 30;

/// A local Microsoft Graph v1.0, served from Microsoft's metadata: every entity set, singleton
/// and contained collection (POST, GET with query options, PATCH, DELETE), with a
/// client-credentials token endpoint and `$batch`.
///
/// Faults apply to Graph calls, not to the token endpoint; rates are fractions of requests, from
/// 0 to 1. Links in answers are written in the origin the client named (its Host header), so
/// `http://localhost:PORT` works as well as the address. It listens on loopback by default:
/// anywhere else, the published development secret is exposed on the network (a warning says
/// so).
#[derive(Debug, Parser)]
#[command(name = "graph-emulator", version)]
struct Cli {
    /// The port to listen on (0: a free one).
    #[arg(long, value_name = "PORT", env = "GRAPH_EMULATOR_PORT", default_value_t = 8080)]
    port: u16,

    /// The IP address to listen on. Anything but loopback (such as 0.0.0.0 or ::) exposes the
    /// published development secret on the network: a warning is printed.
    #[arg(long, value_name = "IP", env = "GRAPH_EMULATOR_HOST",
          default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,

    /// The largest page of a collection, at least 1.
    #[arg(long, value_name = "N", env = "GRAPH_EMULATOR_PAGE_SIZE", default_value_t = 100,
          value_parser = at_least_one)]
    page_size: usize,

    /// How long issued tokens are valid, in seconds: at most ten years (315360000).
    #[arg(long, value_name = "SECONDS", env = "GRAPH_EMULATOR_TOKEN_TTL", default_value_t = 3599,
          value_parser = clap::value_parser!(u64).range(0..=Emulator::MAX_TOKEN_TTL.as_secs()))]
    token_ttl: u64,

    /// The largest request body accepted, in bytes, from 1 to 1 GiB (1073741824); a larger one
    /// is answered 413.
    #[arg(long, value_name = "N", env = "GRAPH_EMULATOR_MAX_BODY_BYTES",
          default_value_t = 1024 * 1024,
          value_parser = RangedU64ValueParser::<usize>::new().range(1..=MAX_BODY_BYTES))]
    max_body_bytes: usize,

    /// The most bytes the answer to a read may take, and the answers of a $batch together, from
    /// 65536 to 1 GiB: a page ends before it would pass it (its next link goes on from there),
    /// and an answer that cannot fit is answered 400.
    #[arg(long, value_name = "N", env = "GRAPH_EMULATOR_MAX_RESPONSE_BYTES",
          default_value_t = 16 * 1024 * 1024,
          value_parser = RangedU64ValueParser::<usize>::new().range(65_536..=MAX_BODY_BYTES))]
    max_response_bytes: usize,

    /// The most entities stored at once, at least 1; a create past it is answered with Graph's
    /// 400 Directory_QuotaExceeded.
    #[arg(long, value_name = "N", env = "GRAPH_EMULATOR_MAX_ENTITIES", default_value_t = 1_000_000,
          value_parser = at_least_one)]
    max_entities: usize,

    /// The most removals remembered per collection read through delta: a delta link from before
    /// the oldest one forgotten is answered 410 syncStateNotFound.
    #[arg(long, value_name = "N", env = "GRAPH_EMULATOR_DELTA_REMOVALS", default_value_t = 10_000)]
    delta_removals: usize,

    /// The tenant the token endpoint accepts.
    #[arg(long, value_name = "NAME", env = "GRAPH_EMULATOR_TENANT",
          default_value = graph_emulator::DEFAULT_TENANT)]
    tenant: String,

    /// The application permissions of the default application, comma-separated, or `all` for
    /// every application permission of Microsoft's permissions reference (default: the write
    /// permissions of Intune, the directory, To Do, mail, calendars and contacts).
    #[arg(long, value_name = "ROLES", env = "GRAPH_EMULATOR_ROLES", value_delimiter = ',')]
    roles: Option<Vec<String>>,

    /// The rate of requests answered 429 Too Many Requests.
    #[arg(long, value_name = "RATE", env = "GRAPH_EMULATOR_THROTTLE_RATE", default_value_t = 0.0,
          value_parser = rate)]
    throttle_rate: f64,

    /// What throttled answers say about when to retry: `none` (no header), whole seconds (`2`),
    /// fractional seconds (`2.128`) or an HTTP date so many seconds ahead (`date:2`); at most a
    /// day (86400 seconds).
    #[arg(long, value_name = "MODE", env = "GRAPH_EMULATOR_RETRY_AFTER",
          default_value_t = Faults::default().retry_after,
          value_parser = str::parse::<RetryAfter>)]
    retry_after: RetryAfter,

    /// The rate of requests answered 503 Service Unavailable.
    #[arg(long, value_name = "RATE", env = "GRAPH_EMULATOR_UNAVAILABLE_RATE",
          default_value_t = 0.0, value_parser = rate)]
    unavailable_rate: f64,

    /// The rate of requests answered 504 Gateway Timeout.
    #[arg(long, value_name = "RATE", env = "GRAPH_EMULATOR_GATEWAY_TIMEOUT_RATE",
          default_value_t = 0.0, value_parser = rate)]
    gateway_timeout_rate: f64,

    /// Latency added to every Graph call, in milliseconds.
    #[arg(long, value_name = "MS", env = "GRAPH_EMULATOR_LATENCY_MS", default_value_t = 0)]
    latency_ms: u64,

    /// The rate of creations under a parent entity (such as user statuses) that are stored and
    /// then lose their connection.
    #[arg(long, value_name = "RATE", env = "GRAPH_EMULATOR_DROP_AFTER_STORE_RATE",
          default_value_t = 0.0, value_parser = rate)]
    drop_after_store_rate: f64,

    /// The service's documented throttling limits: `intune` (each Intune service of Microsoft's
    /// throttling-limits page with windows of its own: writes 100 / 20 s per app and 200 / 20 s
    /// per tenant, any request 1000 / 20 s per app and 2000 / 20 s per tenant, twice as many for
    /// the devices service; each request of a `$batch` counted on its own; requests of no
    /// Intune service not limited) or `none`.
    #[arg(long, value_name = "LIMITS", env = "GRAPH_EMULATOR_LIMITS", default_value = "none",
          value_parser = str::parse::<Limits>)]
    limits: Limits,

    /// How much faster than real time the limits' windows run, from 0.001 to 1000000: `100`
    /// makes a 20 s window last 200 ms.
    #[arg(long, value_name = "F", env = "GRAPH_EMULATOR_TIME_SCALE", default_value_t = 1.0,
          value_parser = time_scale)]
    time_scale: f64,

    /// What answers refused by the limits say about when to come back, in real time: `seconds`
    /// (whole, rounded up), `fractional` (three decimals) or `none` (no Retry-After, as Intune
    /// often answers).
    #[arg(long, value_name = "MODE", env = "GRAPH_EMULATOR_LIMITS_RETRY_AFTER",
          default_value_t = LimitsRetryAfter::default(),
          value_parser = str::parse::<LimitsRetryAfter>)]
    limits_retry_after: LimitsRetryAfter,

    /// The seed of the fault generator: the same seed and requests inject the same faults.
    #[arg(long, value_name = "N", env = "GRAPH_EMULATOR_SEED",
          default_value_t = Faults::default().seed)]
    seed: u64,
}

/// The default application's roles: those named, every one for `all`, else the default ones.
fn roles(named: Option<Vec<String>>) -> Vec<String> {
    match named {
        Some(roles) if roles.iter().any(|r| r.trim() == "all") => {
            graph_emulator::application_permissions().into_iter().map(str::to_owned).collect()
        }
        Some(roles) => {
            roles.iter().map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()).collect()
        }
        None => graph_emulator::DEFAULT_ROLES.iter().map(|r| (*r).to_owned()).collect(),
    }
}

/// A count of at least 1.
fn at_least_one(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(count) if count >= 1 => Ok(count),
        _ => Err("expected a whole number of at least 1".to_owned()),
    }
}

/// A rate: a fraction from 0 to 1.
fn rate(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err("a rate is a number from 0 to 1".to_owned()),
    }
}

/// A time scale: a number from [`Limits::MIN_TIME_SCALE`] to [`Limits::MAX_TIME_SCALE`].
fn time_scale(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(scale) if (Limits::MIN_TIME_SCALE..=Limits::MAX_TIME_SCALE).contains(&scale) => {
            Ok(scale)
        }
        _ => Err("a time scale is a number from 0.001 to 1000000".to_owned()),
    }
}

impl Cli {
    /// The emulator these options describe.
    fn emulator(self) -> Emulator {
        let faults = Faults {
            throttle_rate: self.throttle_rate,
            retry_after: self.retry_after,
            unavailable_rate: self.unavailable_rate,
            gateway_timeout_rate: self.gateway_timeout_rate,
            latency: Duration::from_millis(self.latency_ms),
            drop_after_store_rate: self.drop_after_store_rate,
            seed: self.seed,
        };
        Emulator::builder()
            .address(SocketAddr::new(self.host, self.port))
            .page_size(self.page_size)
            .token_ttl(Duration::from_secs(self.token_ttl))
            .max_body_bytes(self.max_body_bytes)
            .max_entities(self.max_entities)
            .delta_removals(self.delta_removals)
            .max_response_bytes(self.max_response_bytes)
            .tenant(self.tenant)
            .default_roles(roles(self.roles))
            .faults(faults)
            .limits(self.limits.time_scale(self.time_scale).retry_after(self.limits_retry_after))
    }
}

/// The warning printed at start when the emulator listens beyond loopback: its published
/// development secret then lets anyone on the network in.
fn exposure_warning(host: IpAddr) -> Option<String> {
    let reach = if host.is_unspecified() {
        format!("every network interface ({host})")
    } else if host.is_loopback() {
        return None;
    } else {
        format!("{host}, which is not loopback")
    };
    Some(format!(
        "graph-emulator: WARNING: listening on {reach}: the published development client secret \
         ({}) is then exposed on the network, and anyone who can reach this port can use it. \
         Listen on 127.0.0.1 or ::1 unless that is what you want.",
        graph_emulator::DEFAULT_CLIENT_SECRET
    ))
}

fn main() -> ExitCode {
    // Errors as clap prints them, with exit code 2; `--help` and `--version` exit 0.
    let cli = Cli::parse();
    if let Some(warning) = exposure_warning(cli.host) {
        eprintln!("{warning}");
    }
    run(cli.emulator())
}

fn run(emulator: Emulator) -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("graph-emulator: cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let running = match emulator.start().await {
            Ok(running) => running,
            Err(error) => {
                eprintln!("graph-emulator: cannot listen: {error}");
                return ExitCode::FAILURE;
            }
        };
        let (client_id, secret) = running.default_client();
        println!("graph-emulator listening on {}", running.root_url());
        println!(
            "  Graph service root: {} (and {})",
            running.graph_url("v1.0"),
            running.graph_url("beta")
        );
        println!(
            "  token endpoint:     {}/{}/oauth2/v2.0/token",
            running.root_url(),
            running.tenant()
        );
        println!("  client id:          {client_id}");
        println!("  client secret:      {secret}  (a published development credential)");
        let limits = running.limits();
        if !limits.is_none() {
            println!("  limits:             {limits}");
        }
        println!("Press Ctrl-C to stop.");
        running.run_until_ctrl_c().await;
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use clap::CommandFactory as _;
    use clap::error::ErrorKind;

    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("graph-emulator").chain(args.iter().copied()))
    }

    #[test]
    fn listening_beyond_loopback_is_warned_of() {
        for host in ["0.0.0.0", "::", "192.168.1.5", "fe80::1"] {
            let warning = exposure_warning(host.parse().unwrap()).unwrap();
            assert!(warning.contains("development client secret"), "{host}: {warning}");
            assert!(warning.contains("exposed on the network"), "{host}: {warning}");
        }
        assert!(exposure_warning("0.0.0.0".parse().unwrap()).unwrap().contains("every network"));
        for host in ["127.0.0.1", "::1", "127.1.2.3"] {
            assert_eq!(exposure_warning(host.parse().unwrap()), None, "{host}");
        }
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn defaults_are_the_builders() {
        let cli = parse(&[]).unwrap();
        assert_eq!((cli.port, cli.host), (8080, IpAddr::V4(Ipv4Addr::LOCALHOST)));
        assert_eq!((cli.page_size, cli.token_ttl, cli.max_body_bytes), (100, 3599, 1 << 20));
        assert_eq!(cli.tenant, graph_emulator::DEFAULT_TENANT);
        assert_eq!((cli.max_entities, cli.max_response_bytes), (1_000_000, 16 << 20));
        let defaults = Faults::default();
        assert_eq!((cli.retry_after, cli.seed), (defaults.retry_after, defaults.seed));
        assert_eq!(cli.throttle_rate + cli.unavailable_rate + cli.gateway_timeout_rate, 0.0);
        assert_eq!((cli.latency_ms, cli.drop_after_store_rate), (0, 0.0));
        assert_eq!((cli.limits, cli.time_scale), (Limits::none(), 1.0));
        assert_eq!(cli.limits_retry_after, Limits::none().retry_after);
    }

    #[test]
    fn every_option_is_read() {
        let cli = parse(&[
            "--port=9000",
            "--host=::1",
            "--page-size=7",
            "--token-ttl=60",
            "--max-body-bytes=2048",
            "--max-entities=9",
            "--max-response-bytes=70000",
            "--tenant=contoso",
            "--throttle-rate=0.5",
            "--retry-after=date:3",
            "--unavailable-rate=0.25",
            "--gateway-timeout-rate=1",
            "--latency-ms=15",
            "--drop-after-store-rate=0",
            "--seed=42",
            "--limits=intune",
            "--time-scale=100",
            "--limits-retry-after=fractional",
        ])
        .unwrap();
        assert_eq!((&cli.limits, cli.time_scale), (&Limits::intune(), 100.0));
        assert_eq!(cli.limits_retry_after, LimitsRetryAfter::Fractional);
        assert_eq!((cli.port, cli.host.to_string().as_str()), (9000, "::1"));
        assert_eq!((cli.page_size, cli.token_ttl, cli.max_body_bytes), (7, 60, 2048));
        assert_eq!((cli.tenant.as_str(), cli.max_entities), ("contoso", 9));
        assert_eq!(cli.max_response_bytes, 70_000);
        assert_eq!((cli.throttle_rate, cli.unavailable_rate), (0.5, 0.25));
        assert_eq!((cli.gateway_timeout_rate, cli.drop_after_store_rate), (1.0, 0.0));
        assert_eq!((cli.retry_after, cli.latency_ms, cli.seed), (RetryAfter::HttpDate(3), 15, 42));
        let _ = cli.emulator();
    }

    #[test]
    fn values_in_bounds_are_accepted() {
        for args in [
            ["--retry-after", "86400"],
            ["--retry-after", "86400.0"],
            ["--retry-after", "date:86400"],
            ["--retry-after", "none"],
            ["--token-ttl", "315360000"],
            ["--token-ttl", "0"],
            ["--page-size", "1"],
            ["--max-body-bytes", "1"],
            ["--max-body-bytes", "1073741824"],
            ["--max-response-bytes", "65536"],
            ["--throttle-rate", "0"],
            ["--throttle-rate", "1.0"],
            ["--limits", "none"],
            ["--time-scale", "0.001"],
            ["--time-scale", "1000000"],
            ["--time-scale", "2.5"],
            ["--limits-retry-after", "none"],
            ["--limits-retry-after", "seconds"],
        ] {
            assert!(parse(&args).is_ok(), "{args:?}");
        }
    }

    #[test]
    fn values_out_of_bounds_are_refused() {
        let cases: &[(&[&str], &str)] = &[
            (&["--retry-after", "86401"], "at most 86400 seconds"),
            (&["--retry-after", "86400.001"], "at most 86400 seconds"),
            (&["--retry-after", "1e300"], "at most 86400 seconds"),
            (&["--retry-after", "date:18446744073709551615"], "at most 86400 seconds"),
            (&["--retry-after", "soon"], "not a Retry-After mode"),
            (&["--token-ttl", "315360001"], "315360001 is not in 0..=315360000"),
            (&["--token-ttl=-1"], "--token-ttl"),
            (&["--page-size", "0"], "at least 1"),
            (&["--page-size", "many"], "at least 1"),
            (&["--max-entities", "0"], "at least 1"),
            (&["--max-body-bytes", "0"], "--max-body-bytes"),
            (&["--max-response-bytes", "65535"], "65535 is not in 65536..=1073741824"),
            (&["--max-body-bytes", "1073741825"], "1073741825 is not in 1..=1073741824"),
            (&["--throttle-rate", "1.01"], "a rate is a number from 0 to 1"),
            (&["--unavailable-rate=-0.1"], "--unavailable-rate"),
            (&["--gateway-timeout-rate", "NaN"], "a rate is a number from 0 to 1"),
            (&["--drop-after-store-rate", "x"], "--drop-after-store-rate"),
            (&["--port", "65536"], "--port"),
            (&["--host", "localhost"], "--host"),
            (&["--latency-ms=-5"], "--latency-ms"),
            (&["--limits", "graph"], "not a set of limits"),
            (&["--limits", "Intune"], "not a set of limits"),
            (&["--time-scale", "0"], "a time scale is a number from 0.001 to 1000000"),
            (&["--time-scale=-100"], "--time-scale"),
            (&["--time-scale", "NaN"], "a time scale is a number"),
            (&["--time-scale", "inf"], "a time scale is a number"),
            (&["--time-scale", "1e7"], "a time scale is a number"),
            (&["--time-scale", "fast"], "a time scale is a number"),
            (&["--limits-retry-after", "2"], "not a Retry-After mode"),
        ];
        for (args, expected) in cases {
            let error = parse(args).err().unwrap_or_else(|| panic!("{args:?} accepted"));
            assert_eq!(error.kind(), ErrorKind::ValueValidation, "{args:?}: {error}");
            assert_eq!(error.exit_code(), 2);
            let message = error.to_string();
            assert!(message.contains(expected), "{args:?}: {message}");
        }
    }

    #[test]
    fn unknown_options_and_missing_values_are_refused() {
        for (args, kind) in [
            (&["--bogus"][..], ErrorKind::UnknownArgument),
            (&["--port"][..], ErrorKind::InvalidValue),
        ] {
            assert_eq!(parse(args).err().map(|e| e.kind()), Some(kind), "{args:?}");
        }
        assert_eq!(parse(&["--help"]).err().map(|e| e.kind()), Some(ErrorKind::DisplayHelp));
    }

    #[test]
    fn every_option_has_its_environment_variable() {
        let command = Cli::command();
        let mut options = 0;
        for arg in command.get_arguments() {
            let Some(long) = arg.get_long() else { continue };
            if ["help", "version"].contains(&long) {
                continue;
            }
            options += 1;
            let expected = format!("GRAPH_EMULATOR_{}", long.replace('-', "_").to_uppercase());
            let env = arg.get_env().and_then(|e| e.to_str());
            assert_eq!(env, Some(expected.as_str()), "--{long}");
            assert!(arg.get_help().is_some(), "--{long} is described");
        }
        assert_eq!(options, 20);
    }
}
