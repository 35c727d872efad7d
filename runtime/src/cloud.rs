//! National cloud deployments and API versions.

use std::fmt;
use std::str::FromStr;

/// A Microsoft Graph national cloud deployment: where Graph and its token service live.
///
/// Tokens of one cloud are not accepted by another; the `.default` scope uses the cloud's own
/// Graph root.
///
/// ```
/// use graph_entity_runtime::NationalCloud;
///
/// let cloud: NationalCloud = "china".parse()?;
/// assert_eq!(cloud.graph_root(), "https://microsoftgraph.chinacloudapi.cn");
/// assert_eq!(cloud.login_host(), "https://login.chinacloudapi.cn");
/// assert_eq!(cloud.default_scope(), "https://microsoftgraph.chinacloudapi.cn/.default");
/// # Ok::<(), graph_entity_runtime::cloud::UnknownCloud>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum NationalCloud {
    /// The global service.
    #[default]
    Global,
    /// US Government L4 (GCC High).
    UsGovL4,
    /// US Government L5 (DoD).
    UsGovL5Dod,
    /// China, operated by 21Vianet.
    China,
}

impl NationalCloud {
    /// Every national cloud.
    pub const ALL: [NationalCloud; 4] = [
        NationalCloud::Global,
        NationalCloud::UsGovL4,
        NationalCloud::UsGovL5Dod,
        NationalCloud::China,
    ];

    /// The Graph service root, without the API version.
    pub const fn graph_root(self) -> &'static str {
        match self {
            NationalCloud::Global => "https://graph.microsoft.com",
            NationalCloud::UsGovL4 => "https://graph.microsoft.us",
            NationalCloud::UsGovL5Dod => "https://dod-graph.microsoft.us",
            NationalCloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The Microsoft Entra ID (login) authority host.
    pub const fn login_host(self) -> &'static str {
        match self {
            NationalCloud::Global => "https://login.microsoftonline.com",
            NationalCloud::UsGovL4 | NationalCloud::UsGovL5Dod => {
                "https://login.microsoftonline.us"
            }
            NationalCloud::China => "https://login.chinacloudapi.cn",
        }
    }

    /// The `.default` scope of client-credential tokens for this cloud's Graph.
    pub const fn default_scope(self) -> &'static str {
        match self {
            NationalCloud::Global => "https://graph.microsoft.com/.default",
            NationalCloud::UsGovL4 => "https://graph.microsoft.us/.default",
            NationalCloud::UsGovL5Dod => "https://dod-graph.microsoft.us/.default",
            NationalCloud::China => "https://microsoftgraph.chinacloudapi.cn/.default",
        }
    }

    /// The canonical name, as accepted by [`FromStr`] and `GRAPH_CLOUD`.
    pub const fn name(self) -> &'static str {
        match self {
            NationalCloud::Global => "global",
            NationalCloud::UsGovL4 => "usgovl4",
            NationalCloud::UsGovL5Dod => "usgovl5dod",
            NationalCloud::China => "china",
        }
    }
}

impl fmt::Display for NationalCloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for NationalCloud {
    type Err = UnknownCloud;

    /// Accepts the canonical names and common aliases, in any case: `global` (`public`),
    /// `usgovl4` (`usgov`, `gcchigh`), `usgovl5dod` (`dod`, `usgovl5`), `china` (`21vianet`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        Ok(match lower.as_str() {
            "global" | "public" | "azurepubliccloud" => NationalCloud::Global,
            "usgovl4" | "usgov" | "gcchigh" | "azureusgovernment" => NationalCloud::UsGovL4,
            "usgovl5dod" | "usgovl5" | "dod" => NationalCloud::UsGovL5Dod,
            "china" | "21vianet" | "azurechinacloud" => NationalCloud::China,
            _ => return Err(UnknownCloud(s.to_owned())),
        })
    }
}

/// A name that is not a national cloud.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown national cloud `{0}`; expected one of `global`, `usgovl4`, `usgovl5dod`, `china`")]
pub struct UnknownCloud(String);

/// The Graph API version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ApiVersion {
    /// `v1.0`, the stable API.
    #[default]
    V1,
    /// `beta`: preview APIs that may change.
    Beta,
}

impl ApiVersion {
    /// The path segment: `v1.0` or `beta`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}
