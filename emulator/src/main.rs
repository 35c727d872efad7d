//! `graph-emulator`: run a local Microsoft Graph.
//!
//! ```text
//! cargo run -p graph-emulator -- --port 8080
//! ```

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use graph_emulator::{Emulator, Faults};

const USAGE: &str = "usage: graph-emulator [--port PORT] [--host IP] [--page-size N] [--token-ttl SECONDS] [--max-body-bytes N] [--tenant NAME]
                      [--throttle-rate R] [--retry-after none|S|S.FFF|date:S] [--unavailable-rate R]
                      [--gateway-timeout-rate R] [--latency-ms MS] [--drop-after-store-rate R] [--seed N]

A local Microsoft Graph for deviceAppManagement/mobileAppConfigurations and their userStatuses,
with a client-credentials token endpoint. Defaults: 127.0.0.1, port 8080, pages of 100, tokens
valid for 3599 s, bodies up to 1 MiB, tenant `emulator`, no faults. Rates are fractions from 0 to 1.";

fn main() -> ExitCode {
    match parse(std::env::args().skip(1)) {
        Ok(None) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Some(emulator)) => run(emulator),
        Err(message) => {
            eprintln!("graph-emulator: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Emulator>, String> {
    let mut emulator = Emulator::builder();
    let mut faults = Faults::default();
    let mut host = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut port: u16 = 8080;
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Ok(None);
        }
        let value = args.next().ok_or_else(|| format!("`{flag}` needs a value"))?;
        let number = |what: &str| {
            value.parse::<u64>().map_err(|_| format!("`{flag}` takes {what}, not `{value}`"))
        };
        match flag.as_str() {
            "--port" => {
                port = u16::try_from(number("a port number")?)
                    .map_err(|_| format!("port `{value}` is out of range"))?
            }
            "--host" => {
                host = value
                    .parse()
                    .map_err(|_| format!("`--host` takes an IP address, not `{value}`"))?
            }
            "--page-size" => {
                emulator =
                    emulator.page_size(usize::try_from(number("a count")?).unwrap_or(usize::MAX))
            }
            "--token-ttl" => emulator = emulator.token_ttl(Duration::from_secs(number("seconds")?)),
            "--max-body-bytes" => {
                emulator = emulator
                    .max_body_bytes(usize::try_from(number("a size")?).unwrap_or(usize::MAX))
            }
            "--tenant" => emulator = emulator.tenant(value),
            "--throttle-rate" => faults.throttle_rate = rate(&flag, &value)?,
            "--unavailable-rate" => faults.unavailable_rate = rate(&flag, &value)?,
            "--gateway-timeout-rate" => faults.gateway_timeout_rate = rate(&flag, &value)?,
            "--drop-after-store-rate" => faults.drop_after_store_rate = rate(&flag, &value)?,
            "--retry-after" => faults.retry_after = value.parse()?,
            "--latency-ms" => faults.latency = Duration::from_millis(number("milliseconds")?),
            "--seed" => faults.seed = number("a number")?,
            _ => return Err(format!("unknown argument `{flag}`")),
        }
    }
    Ok(Some(emulator.faults(faults).address(SocketAddr::new(host, port))))
}

fn rate(flag: &str, value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(format!("`{flag}` takes a rate from 0 to 1, not `{value}`")),
    }
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
        println!("Press Ctrl-C to stop.");
        running.run_until_ctrl_c().await;
        ExitCode::SUCCESS
    })
}
