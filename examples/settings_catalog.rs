//! Settings Catalog, which exists only in Graph beta, under the same compile-time checks as v1.0:
//! creates a configuration policy with one setting, assigns it to a group (created through
//! v1.0 by the same client), lists policies and the policy's settings, and deletes it, against
//! the Graph emulator's `/beta`, printing each request as the emulator received it.
//!
//! ```text
//! cargo run --example settings_catalog
//! ```
//!
//! Every declaration below says `beta`: the macros check it against Graph beta's metadata
//! (as `graph-entity-schema` reconstructs it from Microsoft's sources) and its requests go to
//! `/beta`, whatever the client's default version; the group is a v1.0 declaration and goes to
//! `/v1.0` through the very same client.
//!
//! Against Microsoft Graph, set `GRAPH_TOKEN` (a token of an app with
//! `DeviceManagementConfiguration.ReadWrite.All` and `Group.Create`) and `GRAPH_CLOUD`
//! (default `global`): the example then creates, assigns and deletes a real policy, and
//! creates a security group named "Contoso Windows devices" that it leaves in place
//! (`Group.Create` cannot delete it).

use std::error::Error;
use std::process::ExitCode;

use graph_emulator::{Emulator, RunningEmulator};
use graph_entity::intune::{DeviceAndAppManagementAssignmentTarget, GroupAssignmentTarget};
use graph_entity::prelude::*;
use graph_entity::{Client, Json, NationalCloud, auth::StaticToken};

/// A Settings Catalog policy (`deviceManagementConfigurationPolicy`, beta only).
#[graph_entity(path = "/deviceManagement/configurationPolicies", beta)]
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Policy {
    #[graph(key)]
    pub id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub platforms: Option<Platforms>,
    pub technologies: Option<Technologies>,
    pub role_scope_tag_ids: Option<Vec<String>>,
    pub setting_count: Option<i32>,
}

/// The platforms a policy applies to (a flags enum: Graph may join several with commas).
#[graph_enum(name = "deviceManagementConfigurationPlatforms", beta)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Platforms {
    None,
    Windows10,
    MacOS,
    #[graph(other)]
    Other(String),
}

/// The technologies that deliver a policy (a flags enum).
#[graph_enum(name = "deviceManagementConfigurationTechnologies", beta)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Technologies {
    None,
    Mdm,
    #[graph(other)]
    Other(String),
}

/// One setting of a policy: `POST .../configurationPolicies/{id}/settings`.
#[graph_entity(
    path = "/deviceManagement/configurationPolicies/{deviceManagementConfigurationPolicyId}/settings",
    beta
)]
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    #[graph(key)]
    pub id: Option<String>,
    pub setting_instance: Option<SettingInstance>,
}

/// A setting's value: one of the instance types (abstract in the metadata), by `@odata.type`.
#[graph_complex(name = "deviceManagementConfigurationSettingInstance", beta)]
#[derive(Debug, Clone, PartialEq)]
pub enum SettingInstance {
    Choice(ChoiceSettingInstance),
    /// An instance of a type this program does not declare, kept whole.
    #[graph(other)]
    Other(Json),
}

/// A setting whose value is one of the definition's options.
#[graph_complex(
    odata_type = "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
    beta
)]
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceSettingInstance {
    pub setting_definition_id: String,
    pub choice_setting_value: ChoiceSettingValue,
}

/// The option chosen, and the settings it brings (none here).
#[graph_complex(
    odata_type = "#microsoft.graph.deviceManagementConfigurationChoiceSettingValue",
    beta
)]
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceSettingValue {
    pub value: Option<String>,
    pub children: Option<Vec<SettingInstance>>,
}

/// A policy's assignment, as `assign` takes and returns them.
#[graph_entity(
    path = "/deviceManagement/configurationPolicies/{deviceManagementConfigurationPolicyId}/assignments",
    beta
)]
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyAssignment {
    #[graph(key)]
    pub id: Option<String>,
    /// v1.0's complex type, declared by `graph_entity::intune`: the same Graph type in beta.
    pub target: Option<DeviceAndAppManagementAssignmentTarget>,
}

/// Replaces a policy's assignments.
#[graph_action(
    path = "/deviceManagement/configurationPolicies/{deviceManagementConfigurationPolicyId}/assign",
    returns = Vec<PolicyAssignment>,
    beta
)]
#[derive(Debug, Clone, PartialEq)]
pub struct AssignPolicy {
    pub assignments: Vec<PolicyAssignment>,
}

/// A security group (v1.0) to assign the policy to.
#[graph_entity(path = "/groups")]
#[derive(Debug, Clone)]
pub struct Group {
    #[graph(key)]
    pub id: Option<String>,
    pub display_name: Option<String>,
    pub mail_enabled: Option<bool>,
    pub mail_nickname: Option<String>,
    pub security_enabled: Option<bool>,
}

/// What this program needs granted, as `graph-entity-gen --permissions
/// examples/settings_catalog.rs` prints it: the emulator's application holds exactly this.
const PROGRAM_NEEDS: [&str; 2] = ["DeviceManagementConfiguration.ReadWrite.All", "Group.Create"];

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
    let token = std::env::var("GRAPH_TOKEN").ok().filter(|t| !t.trim().is_empty());
    let Some(token) = token else {
        let emulator = Emulator::builder().default_roles(PROGRAM_NEEDS).start().await?;
        println!("No GRAPH_TOKEN: using the Graph emulator at {}.\n", emulator.root_url());
        let token = emulator.issue_token(&PROGRAM_NEEDS, std::time::Duration::from_secs(600));
        // The client's default version is v1.0: the beta declarations go to `/beta` anyway.
        let client =
            Client::builder().base_url(emulator.graph_url("v1.0")).bearer_token(token).build()?;
        let mut witness = Witness { emulator: Some(&emulator), seen: 0 };
        let result = steps(&client, &mut witness).await;
        emulator.shutdown().await;
        return result;
    };
    let cloud: NationalCloud =
        std::env::var("GRAPH_CLOUD").as_deref().unwrap_or("global").parse()?;
    let client = Client::builder().cloud(cloud).credential(StaticToken::new(&token)?).build()?;
    steps(&client, &mut Witness { emulator: None, seen: 0 }).await
}

/// Create, add a setting, assign, list, delete: each step's requests and typed result.
async fn steps(client: &Client, witness: &mut Witness<'_>) -> Result<(), Box<dyn Error>> {
    println!("1. create a Settings Catalog policy (beta)");
    let policy = Policy {
        name: Some("Contoso Windows settings".into()),
        description: Some("Created by graph-entity's settings_catalog example".into()),
        platforms: Some(Platforms::Windows10),
        technologies: Some(Technologies::Mdm),
        role_scope_tag_ids: Some(vec!["0".into()]),
        ..Policy::default()
    };
    let policy = policy.create(client, ()).await?;
    witness.show();
    let policy_id = policy.id.clone().ok_or("the service returned no policy id")?;
    println!("   -> {policy:?}\n");

    println!("2. add one setting to it: no slide show on the lock screen");
    let setting = Setting {
        id: None,
        setting_instance: Some(SettingInstance::Choice(ChoiceSettingInstance {
            setting_definition_id:
                "device_vendor_msft_policy_config_devicelock_preventlockscreenslideshow".into(),
            choice_setting_value: ChoiceSettingValue {
                value: Some(
                    "device_vendor_msft_policy_config_devicelock_preventlockscreenslideshow_1"
                        .into(),
                ),
                children: Some(Vec::new()),
            },
        })),
    };
    let setting = setting.create(client, &policy_id).await?;
    witness.show();
    println!("   -> {setting:?}\n");

    println!("3. create a group to assign it to (v1.0, through the same client)");
    let group = Group {
        id: None,
        display_name: Some("Contoso Windows devices".into()),
        mail_enabled: Some(false),
        mail_nickname: Some("contoso-windows-devices".into()),
        security_enabled: Some(true),
    };
    let group = group.create(client, ()).await?;
    witness.show();
    let group_id = group.id.ok_or("the service returned no group id")?;
    println!("   -> group {group_id}\n");

    println!("4. assign the policy to the group (beta's `assign` action)");
    let target = GroupAssignmentTarget { group_id: Some(group_id) };
    let assignment = PolicyAssignment {
        id: None,
        target: Some(DeviceAndAppManagementAssignmentTarget::Group(target)),
    };
    let assigned =
        AssignPolicy { assignments: vec![assignment] }.invoke(client, &policy_id).await?;
    witness.show();
    println!("   -> {} assignment(s)\n", assigned.len());

    println!("5. list the policies, and the policy's settings");
    let policies = Policy::list(client, ()).collect_all().await?;
    let settings = Setting::list(client, &policy_id).collect_all().await?;
    witness.show();
    println!("   -> {} policies; {} setting(s) in ours\n", policies.len(), settings.len());

    println!("6. delete the policy");
    Policy::delete(client, (), &policy_id).await?;
    witness.show();
    println!("   -> deleted");
    Ok(())
}

/// Prints the requests the emulator received since the last call (nothing against Graph).
struct Witness<'a> {
    emulator: Option<&'a RunningEmulator>,
    seen: usize,
}

impl Witness<'_> {
    fn show(&mut self) {
        let Some(emulator) = self.emulator else { return };
        let requests = emulator.requests();
        for request in requests.iter().skip(self.seen) {
            println!("  {} {}", request.method, request.path);
            if !request.body.is_empty() {
                println!("  {}", String::from_utf8_lossy(&request.body));
            }
        }
        self.seen = requests.len();
    }
}
