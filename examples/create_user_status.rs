//! The main job: the whole lifecycle of the documentation's example user status — create, get,
//! list, update, get, delete — then the configuration's assignment to a group, with the
//! `assign` action, and its assignments listed.
//!
//! ```text
//! cargo run --example create_user_status
//! cargo run --example create_user_status -- --count 10000   # bulk, through $batch
//! ```
//!
//! Against Microsoft Graph, `--count` paces itself to Intune's documented limit (100 writes in
//! 20 s per app, each `$batch` item counted): 10,000 creations take at least 2,000 s, and the
//! progress bar shows the paced time left. `--unpaced` sends as fast as the service lets it.
//!
//! ```text
//! ```
//!
//! With no configuration it starts the Graph emulator in-process, gets a token from its token
//! endpoint, creates an iOS app configuration, and runs the lifecycle of a user status under
//! it, printing each request as the server received it (token redacted) and each typed result.
//!
//! Against Microsoft Graph the assignment runs only when `GRAPH_ASSIGN_GROUP_ID` names a group
//! to assign the configuration to: `assign` replaces the configuration's assignments.
//!
//! To talk to Microsoft Graph instead, set `GRAPH_CONFIGURATION_ID` (an existing
//! `managedDeviceMobileAppConfiguration`), `GRAPH_CLOUD` (`global`, `usgovl4`, `usgovl5dod` or
//! `china`; default `global`), and either `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and
//! `AZURE_CLIENT_SECRET` or `AZURE_CLIENT_CERTIFICATE_PATH` (an app with
//! `DeviceManagementApps.ReadWrite.All`; `AZURE_AUTHORITY_HOST` overrides the cloud's login
//! host), or `GRAPH_TOKEN` (a bearer token obtained elsewhere).

use std::error::Error;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};

use graph_emulator::{Emulator, RunningEmulator};
use graph_entity::intune::{
    AssignMobileAppConfiguration, ComplianceStatus, DeviceAndAppManagementAssignmentTarget,
    GroupAssignmentTarget, ManagedDeviceMobileAppConfigurationAssignment,
    ManagedDeviceMobileAppConfigurationUserStatus,
};
use graph_entity::prelude::*;
use graph_entity::{
    Client, NationalCloud,
    auth::{ClientSecretCredential, EnvironmentCredential, StaticToken},
    client::BulkOptions,
    entity::{RequestPermissions, Throttling},
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

/// A security group to assign the configuration to.
#[graph_entity(path = "/groups")]
#[derive(Debug, Clone)]
struct Group {
    #[graph(key)]
    id: Option<String>,
    display_name: Option<String>,
    mail_enabled: Option<bool>,
    mail_nickname: Option<String>,
    security_enabled: Option<bool>,
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
    let args = Args::parse();
    let status = documentation_example()?;
    match Target::from_env()? {
        Target::Emulator => against_emulator(&status, args.count).await,
        Target::Graph { client, configuration_id } => match args.count {
            // Intune's applications service allows 100 writes in 20 s per app: send at the
            // documented pace of the entity's service rather than into 429s.
            Some(count) => {
                let documented = ManagedDeviceMobileAppConfigurationUserStatus::THROTTLING;
                let rate = documented.filter(|_| !args.unpaced);
                bulk(&client, &configuration_id, &status, count, rate).await
            }
            None => against_graph(&client, &configuration_id, &status).await,
        },
    }
}

/// The lifecycle of the documentation's example user status (create, get, list, update, get,
/// delete) against the Graph emulator started in-process, or against Microsoft Graph when
/// credentials are configured (see the environment variables below).
#[derive(Debug, Parser)]
#[command(
    name = "create_user_status",
    after_help = "Environment, for Microsoft Graph instead of the emulator: GRAPH_CONFIGURATION_ID (an existing managedDeviceMobileAppConfiguration), GRAPH_CLOUD (global, usgovl4, usgovl5dod or china), GRAPH_ASSIGN_GROUP_ID (optional: a group to assign the configuration to, replacing its assignments), and AZURE_TENANT_ID, AZURE_CLIENT_ID with AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH (AZURE_AUTHORITY_HOST optional), or GRAPH_TOKEN."
)]
struct Args {
    /// Create this many user statuses in bulk, through $batch, instead of the lifecycle of one.
    #[arg(long, value_name = "N")]
    count: Option<usize>,
    /// Against Microsoft Graph, do not pace bulk writes to Intune's documented limit (100 in
    /// 20 s per app): send as fast as the service lets them through.
    #[arg(long, requires = "count")]
    unpaced: bool,
}

/// Creates `count` variations of `status` through `$batch`, with a progress bar, and prints
/// the throughput.
async fn bulk(
    client: &Client,
    configuration_id: &str,
    status: &ManagedDeviceMobileAppConfigurationUserStatus,
    count: usize,
    pace: Option<Throttling>,
) -> Result<(), Box<dyn Error>> {
    let bar = ProgressBar::new(count as u64).with_style(ProgressStyle::with_template(
        "{bar:40} {pos}/{len} created ({per_sec}, {elapsed} elapsed, {msg})",
    )?);
    let progress = bar.clone();
    let mut options = BulkOptions::default().on_progress(move |p| {
        progress.set_position(p.done as u64);
        if let Some(eta) = p.eta {
            progress.set_message(format!("{:.0} s to go", eta.as_secs_f64()));
        }
    });
    if let Some(limit) = pace {
        println!(
            "Paced to {} writes in {} s, the documented limit per app of {} (--unpaced to not pace).",
            limit.writes(),
            limit.window().as_secs(),
            limit.service()
        );
        options = options.rate(limit.writes(), limit.window());
    }
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
    let emulator = Emulator::builder().default_roles(PROGRAM_NEEDS).start().await?;
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
    match client.granted().await? {
        Some(granted) => println!("The token holds: {}", granted.names().join(", ")),
        None => println!("The token does not say what it holds."),
    }
    println!("(What this program needs: `cargo run -p graph-entity-gen -- --permissions .`)\n");

    let configuration = IosMobileAppConfiguration {
        id: None,
        display_name: "Contoso Outlook for iOS settings".into(),
        description: Some("Created by graph-entity's create_user_status example".into()),
        targeted_mobile_apps: Some(vec![]),
    };
    let configuration = configuration.create(&client, ()).await?;
    let configuration_id =
        configuration.id.clone().ok_or("the service returned no configuration id")?;
    println!("Created configuration {:?} with id {configuration_id}\n", configuration.display_name);

    if let Some(count) = count {
        bulk(&client, &configuration_id, status, count, None).await?;
        let statuses =
            format!("/deviceAppManagement/mobileAppConfigurations/{configuration_id}/userStatuses");
        let stored = emulator.entities(&statuses).map_or(0, |s| s.len());
        println!("The emulator holds {stored} user statuses under the configuration.");
        emulator.shutdown().await;
        return Ok(());
    }
    let mut witness = Witness::Emulator { emulator: &emulator, seen: emulator.requests().len() };
    lifecycle(&client, &configuration_id, status, &mut witness).await?;

    println!("\n8. create a group to assign the configuration to");
    needs(&client, Group::PERMISSIONS.create).await;
    let group = Group {
        id: None,
        display_name: Some("Contoso iOS users".into()),
        mail_enabled: Some(false),
        mail_nickname: Some("contoso-ios-users".into()),
        security_enabled: Some(true),
    };
    let group = group.create(&client, ()).await?;
    witness.show(false);
    let group_id = group.id.ok_or("the service returned no group id")?;
    println!("   -> group {group_id}\n");
    assign(&client, &configuration_id, &group_id, &mut witness).await?;

    println!("\n11. create a user status with a token that may only read Intune's apps");
    let reader = emulator.issue_token(&["DeviceManagementApps.Read.All"], Duration::from_secs(600));
    let reader =
        Client::builder().base_url(emulator.graph_url("v1.0")).bearer_token(reader).build()?;
    needs(&reader, ManagedDeviceMobileAppConfigurationUserStatus::PERMISSIONS.create).await;
    match status.create(&reader, &configuration_id).await {
        Err(graph_entity::Error::MissingPermission(missing)) => {
            witness.show(false);
            println!("   -> refused before sending (nothing was received): {missing}");
        }
        Err(error) => return Err(error.into()),
        Ok(_) => return Err("a create without the permission for it succeeded".into()),
    }
    emulator.shutdown().await;
    Ok(())
}

/// Prints what a step needs, from Microsoft's permissions reference as the macros wrote it, and
/// whether the client's token holds it (the client checks the same before sending).
async fn needs(client: &Client, permissions: RequestPermissions) {
    let name = |n: Option<&str>| n.unwrap_or("not listed").to_owned();
    let held = match client.granted().await {
        Ok(Some(granted)) if granted.holds_one_of(&permissions) => "the token holds it",
        Ok(Some(_)) => "the token holds none of those that work: refused before sending",
        Ok(None) => "the token does not say what it holds",
        Err(_) => "no token",
    };
    println!(
        "   needs: application {}, delegated {} ({held})",
        name(permissions.application),
        name(permissions.delegated)
    );
}

/// What this program needs granted, as `graph-entity-gen --permissions .` prints it from its
/// sources: the emulator's application holds exactly this.
const PROGRAM_NEEDS: [&str; 2] = ["DeviceManagementApps.ReadWrite.All", "Group.Create"];

/// Assigns the configuration to the group (`assign`, which replaces its assignments) and lists
/// them.
async fn assign(
    client: &Client,
    configuration_id: &str,
    group_id: &str,
    witness: &mut Witness<'_>,
) -> Result<(), Box<dyn Error>> {
    println!("9. assign the configuration to the group (the `assign` action)");
    needs(client, <AssignMobileAppConfiguration as GraphAction>::PERMISSIONS).await;
    let target = GroupAssignmentTarget { group_id: Some(group_id.to_owned()) };
    let assign = AssignMobileAppConfiguration {
        assignments: vec![ManagedDeviceMobileAppConfigurationAssignment {
            id: None,
            target: Some(DeviceAndAppManagementAssignmentTarget::Group(target)),
        }],
    };
    assign.invoke(client, configuration_id).await?;
    witness.show(false);
    println!("   -> 204 No Content\n");

    println!("10. list the configuration's assignments");
    needs(client, ManagedDeviceMobileAppConfigurationAssignment::PERMISSIONS.list).await;
    let assignments = ManagedDeviceMobileAppConfigurationAssignment::list(client, configuration_id)
        .collect_all()
        .await?;
    witness.show(false);
    for assignment in &assignments {
        println!("   -> {} {:?}", assignment.id.as_deref().unwrap_or("?"), assignment.target);
    }
    let assigned = assignments.iter().any(|a| match &a.target {
        Some(DeviceAndAppManagementAssignmentTarget::Group(g)) => {
            g.group_id.as_deref() == Some(group_id)
        }
        _ => false,
    });
    if !assigned {
        return Err("the configuration is not assigned to the group after `assign`".into());
    }
    Ok(())
}

async fn against_graph(
    client: &Client,
    configuration_id: &str,
    status: &ManagedDeviceMobileAppConfigurationUserStatus,
) -> Result<(), Box<dyn Error>> {
    println!("Running the lifecycle against Microsoft Graph at {}.\n", client.base_url());
    lifecycle(client, configuration_id, status, &mut Witness::Graph).await?;
    match std::env::var("GRAPH_ASSIGN_GROUP_ID").ok().filter(|id| !id.trim().is_empty()) {
        Some(group_id) => assign(client, configuration_id, &group_id, &mut Witness::Graph).await,
        None => {
            println!("\n(Set GRAPH_ASSIGN_GROUP_ID to also assign the configuration to a group.)");
            Ok(())
        }
    }
}

/// Who shows what each step sent: the emulator's log, byte for byte as it received each
/// request (it redacts the token), or, against Graph, nothing more than the step.
enum Witness<'a> {
    Emulator { emulator: &'a RunningEmulator, seen: usize },
    Graph,
}

impl Witness<'_> {
    /// Prints the requests received since the last call; the headers of the first only.
    fn show(&mut self, headers: bool) {
        let Witness::Emulator { emulator, seen } = self else { return };
        let requests = emulator.requests();
        for request in requests.iter().skip(*seen) {
            println!("  {} {}", request.method, request.path);
            if headers {
                for (name, value) in &request.headers {
                    println!("  {name}: {value}");
                }
            }
            if !request.body.is_empty() {
                println!("  {}", String::from_utf8_lossy(&request.body));
            }
        }
        *seen = requests.len();
    }
}

/// Create, get, list, update, get, delete (and get once more): each step's request and typed
/// result.
async fn lifecycle(
    client: &Client,
    configuration_id: &str,
    status: &ManagedDeviceMobileAppConfigurationUserStatus,
    witness: &mut Witness<'_>,
) -> Result<(), Box<dyn Error>> {
    type Status = ManagedDeviceMobileAppConfigurationUserStatus;

    println!("1. create");
    needs(client, Status::PERMISSIONS.create).await;
    let created = status.create(client, configuration_id).await?;
    witness.show(true);
    println!("   -> {created:?}\n");
    let id = created.id.clone().ok_or("the service returned no id")?;

    println!("2. get");
    needs(client, Status::PERMISSIONS.get).await;
    let read = Status::get(client, configuration_id, &id).await?;
    witness.show(false);
    println!(
        "   -> {}\n",
        if read == created { "identical to what create returned" } else { "DIFFERENT" }
    );
    if read != created {
        return Err(format!("read back {read:#?}").into());
    }

    println!("3. list (a filtered, ordered stream, read one page at a time)");
    needs(client, Status::PERMISSIONS.list).await;
    let f = Status::fields();
    let query = Status::query()
        .filter(f.user_principal_name.eq(created.user_principal_name.clone().unwrap_or_default()))
        .order_by(f.last_reported_date_time.desc());
    let mut statuses = Status::list_with(client, configuration_id, &query);
    let mut listed = Vec::new();
    while let Some(next) = statuses.next().await {
        listed.push(next?);
    }
    witness.show(false);
    for status in &listed {
        println!(
            "   -> {} ({} devices)",
            status.id.as_deref().unwrap_or("?"),
            status.devices_count
        );
    }
    println!();

    println!("4. update (only what changes: a count, a status, and `null` for the display name)");
    needs(client, Status::PERMISSIONS.update).await;
    let patch = Status::patch()
        .devices_count(created.devices_count + 1)
        .status(ComplianceStatus::Compliant)
        .user_display_name(None);
    let answer = Status::update(client, configuration_id, &id, &patch).await?;
    witness.show(false);
    println!("   -> {}\n", if answer.is_none() { "204 No Content" } else { "the updated entity" });

    println!("5. get");
    let updated = Status::get(client, configuration_id, &id).await?;
    witness.show(false);
    println!("   -> {updated:?}\n");
    if updated.devices_count != created.devices_count + 1 || updated.user_display_name.is_some() {
        return Err(format!("the update did not hold: {updated:#?}").into());
    }

    println!("6. delete");
    needs(client, Status::PERMISSIONS.delete).await;
    Status::delete(client, configuration_id, &id).await?;
    witness.show(false);
    println!("   -> 204 No Content\n");

    println!("7. get, once more");
    let again = Status::get(client, configuration_id, &id).await;
    witness.show(false);
    match again {
        Err(error) if error.is_not_found() => println!("   -> deleted: {error}"),
        Err(error) => return Err(error.into()),
        Ok(_) => return Err("the user status is still there after its deletion".into()),
    }
    Ok(())
}
