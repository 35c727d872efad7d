//! The main job: create the documentation's example user status.
//!
//! ```text
//! cargo run --example create_user_status
//! cargo run --example create_user_status -- --count 10000   # bulk, through $batch
//! ```
//!
//! With no configuration it starts the Graph emulator in-process, gets a token from its token
//! endpoint, creates an iOS app configuration, creates the user status under it, and prints the
//! request as the server received it (token redacted) and the typed result.
//!
//! To talk to Microsoft Graph instead, set `GRAPH_CONFIGURATION_ID` (an existing
//! `managedDeviceMobileAppConfiguration`), `GRAPH_CLOUD` (`global`, `usgovl4`, `usgovl5dod` or
//! `china`; default `global`), and either `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and
//! `AZURE_CLIENT_SECRET` or `AZURE_CLIENT_CERTIFICATE_PATH` (an app with
//! `DeviceManagementApps.ReadWrite.All`; `AZURE_AUTHORITY_HOST` overrides the cloud's login
//! host), or `GRAPH_TOKEN` (a bearer token obtained elsewhere).

use std::error::Error;
use std::process::ExitCode;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use graph_emulator::{Emulator, RunningEmulator};
use graph_entity::intune::{ComplianceStatus, ManagedDeviceMobileAppConfigurationUserStatus};
use graph_entity::{
    Client, NationalCloud,
    auth::{ClientSecretCredential, EnvironmentCredential, StaticToken},
    client::BulkOptions,
    graph_entity,
};

/// The parent of user statuses: `managedDeviceMobileAppConfiguration` is abstract, so a
/// configuration is created as a derived type.
#[graph_entity(
    path = "/deviceAppManagement/mobileAppConfigurations",
    odata_type = "#microsoft.graph.iosMobileAppConfiguration"
)]
#[derive(Debug, Clone)]
struct IosMobileAppConfiguration {
    #[graph(key)]
    id: Option<String>,
    display_name: String,
    description: Option<String>,
    targeted_mobile_apps: Option<Vec<String>>,
}

/// The example of Microsoft's documentation page for this endpoint.
fn documentation_example() -> Result<ManagedDeviceMobileAppConfigurationUserStatus, Box<dyn Error>>
{
    Ok(ManagedDeviceMobileAppConfigurationUserStatus {
        id: None,
        user_display_name: Some("User Display Name value".into()),
        devices_count: 12,
        status: ComplianceStatus::NotApplicable,
        last_reported_date_time: "2017-01-01T00:00:17.7769392-08:00".parse()?,
        user_principal_name: Some("User Principal Name value".into()),
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn Error>> {
    let count = count_argument()?;
    let status = documentation_example()?;
    match Target::from_env()? {
        Target::Emulator => against_emulator(&status, count).await,
        Target::Graph { client, configuration_id } => match count {
            Some(count) => bulk(&client, &configuration_id, &status, count).await,
            None => against_graph(&client, &configuration_id, &status).await,
        },
    }
}

/// `--count N`: create N statuses in bulk instead of one.
fn count_argument() -> Result<Option<usize>, Box<dyn Error>> {
    const USAGE: &str = "usage: create_user_status [--count N]";
    let mut args = std::env::args().skip(1);
    let mut count = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--count" => {
                let value = args.next().ok_or(USAGE)?;
                let n: usize = value
                    .parse()
                    .map_err(|_| format!("--count takes a whole number, not `{value}`; {USAGE}"))?;
                count = Some(n);
            }
            other => return Err(format!("unknown argument `{other}`; {USAGE}").into()),
        }
    }
    Ok(count)
}

/// Creates `count` variations of `status` through `$batch`, with a progress bar, and prints
/// the throughput.
async fn bulk(
    client: &Client,
    configuration_id: &str,
    status: &ManagedDeviceMobileAppConfigurationUserStatus,
    count: usize,
) -> Result<(), Box<dyn Error>> {
    let bar = ProgressBar::new(count as u64).with_style(ProgressStyle::with_template(
        "{bar:40} {pos}/{len} created ({per_sec}, {elapsed} elapsed, eta {eta})",
    )?);
    let progress = bar.clone();
    let options =
        BulkOptions::default().on_progress(move |done, _| progress.set_position(done as u64));
    let items = (0..count).map(|n| {
        let item = ManagedDeviceMobileAppConfigurationUserStatus {
            user_display_name: Some(format!("User {n}")),
            user_principal_name: Some(format!("user{n}@contoso.com")),
            devices_count: i32::try_from(n % 100).unwrap_or(0),
            ..status.clone()
        };
        (item, [configuration_id])
    });
    let started = Instant::now();
    let results = client.create_many(items, &options).await?;
    bar.finish();
    let seconds = started.elapsed().as_secs_f64();
    let failed = results.iter().filter(|r| r.is_err()).count();
    println!(
        "Created {} of {count} user statuses in {seconds:.2} s: {:.0} per second, {failed} failed.",
        count - failed,
        (count - failed) as f64 / seconds.max(f64::EPSILON)
    );
    match results.iter().find_map(|r| r.as_ref().err()) {
        Some(error) => Err(format!("first failure: {error}").into()),
        None => Ok(()),
    }
}

enum Target {
    Emulator,
    Graph { client: Client, configuration_id: String },
}

impl Target {
    fn from_env() -> Result<Self, Box<dyn Error>> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let azure = [
            "AZURE_TENANT_ID",
            "AZURE_CLIENT_ID",
            "AZURE_CLIENT_SECRET",
            "AZURE_CLIENT_CERTIFICATE_PATH",
        ];
        let token = var("GRAPH_TOKEN");
        if !azure.iter().any(|name| var(name).is_some()) && token.is_none() {
            return Ok(Target::Emulator);
        }
        let client = if azure.iter().any(|name| var(name).is_some()) {
            // Reads AZURE_* and GRAPH_CLOUD, and names whatever is missing.
            let credential = EnvironmentCredential::from_env()?;
            Client::builder().cloud(credential.cloud()).credential(credential).build()?
        } else {
            let cloud: NationalCloud = var("GRAPH_CLOUD").as_deref().unwrap_or("global").parse()?;
            let token = StaticToken::new(&token.unwrap_or_default())?;
            Client::builder().cloud(cloud).credential(token).build()?
        };
        let configuration_id = var("GRAPH_CONFIGURATION_ID")
            .ok_or("set GRAPH_CONFIGURATION_ID to the id of an existing managedDeviceMobileAppConfiguration")?;
        Ok(Target::Graph { client, configuration_id })
    }
}

async fn against_emulator(
    status: &ManagedDeviceMobileAppConfigurationUserStatus,
    count: Option<usize>,
) -> Result<(), Box<dyn Error>> {
    let emulator = Emulator::builder().start().await?;
    println!(
        "No Microsoft Graph credentials configured: using the Graph emulator at {}.",
        emulator.root_url()
    );
    println!(
        "(Set AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, GRAPH_CLOUD and GRAPH_CONFIGURATION_ID to use Microsoft Graph.)\n"
    );

    let (client_id, secret) = emulator.default_client();
    let credential =
        ClientSecretCredential::new(emulator.root_url(), emulator.tenant(), client_id, secret)?;
    println!("Token: client credentials from {}", credential.token_url());
    let client =
        Client::builder().base_url(emulator.graph_url("v1.0")).credential(credential).build()?;

    let configuration = IosMobileAppConfiguration {
        id: None,
        display_name: "Contoso Outlook for iOS settings".into(),
        description: Some("Created by graph-entity's create_user_status example".into()),
        targeted_mobile_apps: Some(vec![]),
    };
    let configuration = configuration.create(&client).await?;
    let configuration_id =
        configuration.id.clone().ok_or("the service returned no configuration id")?;
    println!("Created configuration {:?} with id {configuration_id}\n", configuration.display_name);

    if let Some(count) = count {
        bulk(&client, &configuration_id, status, count).await?;
        let stored = emulator.user_statuses(&configuration_id).map_or(0, |s| s.len());
        println!("The emulator holds {stored} user statuses under the configuration.");
        emulator.shutdown().await;
        return Ok(());
    }
    let created = status.create(&client, &configuration_id).await?;
    print_sent_request(&emulator)?;
    print_result(&client, &configuration_id, &created).await?;
    emulator.shutdown().await;
    Ok(())
}

async fn against_graph(
    client: &Client,
    configuration_id: &str,
    status: &ManagedDeviceMobileAppConfigurationUserStatus,
) -> Result<(), Box<dyn Error>> {
    let path =
        <ManagedDeviceMobileAppConfigurationUserStatus as graph_entity::GraphEntity>::TEMPLATE
            .render(&[configuration_id])?;
    println!("Sending to Microsoft Graph:\nPOST {}{path}", client.base_url());
    println!(
        "Authorization: Bearer <redacted>\nAccept: application/json\nContent-Type: application/json\n"
    );
    println!("{}\n", serde_json::to_string_pretty(status)?);
    let created = status.create(client, configuration_id).await?;
    print_result(client, configuration_id, &created).await
}

/// The create request exactly as the emulator received it (it redacts the token).
fn print_sent_request(emulator: &RunningEmulator) -> Result<(), Box<dyn Error>> {
    let request = emulator
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.method == "POST" && r.path.ends_with("/userStatuses"))
        .ok_or("the emulator saw no create request")?;
    println!("Request sent, byte for byte as the emulator received it (it redacts the token):");
    println!("{} {}", request.method, request.path);
    for (name, value) in &request.headers {
        println!("{name}: {value}");
    }
    println!("\n{}\n", String::from_utf8_lossy(&request.body));
    Ok(())
}

async fn print_result(
    client: &Client,
    configuration_id: &str,
    created: &ManagedDeviceMobileAppConfigurationUserStatus,
) -> Result<(), Box<dyn Error>> {
    println!("Created (typed result):\n{created:#?}\n");
    let id = created.id.as_deref().ok_or("the service returned no id")?;
    let read: ManagedDeviceMobileAppConfigurationUserStatus =
        client.get(&[configuration_id], id).await?;
    println!("Read back by id {id}: {}", if read == *created { "identical" } else { "DIFFERENT" });
    if read != *created {
        return Err(format!("read back {read:#?}").into());
    }
    Ok(())
}
