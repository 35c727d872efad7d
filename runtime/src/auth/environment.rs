//! [`EnvironmentCredential`]: a credential the environment configures.

use super::certificate::ClientCertificateCredential;
use super::flow::delegate_credential;
use super::secret::ClientSecretCredential;
use super::token::{AccessToken, TokenCredential};
use crate::error::AuthError;
use futures_util::future::BoxFuture;

/// A credential configured by the environment, with the variable names the Azure SDKs use:
///
/// | variable | meaning |
/// |---|---|
/// | `AZURE_TENANT_ID` | the tenant (required) |
/// | `AZURE_CLIENT_ID` | the application (client) id (required) |
/// | `AZURE_CLIENT_SECRET` | a client secret, or: |
/// | `AZURE_CLIENT_CERTIFICATE_PATH` | a PEM file with the certificate and its RSA private key |
/// | `AZURE_AUTHORITY_HOST` | the login host, instead of the cloud's |
/// | `GRAPH_CLOUD` | `global` (default), `usgovl4`, `usgovl5dod` or `china` |
///
/// ```
/// use graph_entity_runtime::{Client, NationalCloud, auth::EnvironmentCredential};
///
/// let vars = [("AZURE_TENANT_ID", "contoso.onmicrosoft.com"), ("AZURE_CLIENT_ID", "app"), ("AZURE_CLIENT_SECRET", "s"), ("GRAPH_CLOUD", "china")];
/// let credential = EnvironmentCredential::from_lookup(|name| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()))?;
/// assert_eq!(credential.cloud(), NationalCloud::China);
/// let client = Client::builder().cloud(credential.cloud()).credential(credential).build()?;
/// assert_eq!(client.base_url(), "https://microsoftgraph.chinacloudapi.cn/v1.0");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct EnvironmentCredential {
    inner: Box<dyn TokenCredential>,
    cloud: crate::NationalCloud,
}

impl EnvironmentCredential {
    /// Reads the process environment.
    ///
    /// # Errors
    ///
    /// An [`AuthError`] naming every missing or invalid variable.
    pub fn from_env() -> Result<Self, AuthError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads variables through `lookup` (for tests and for configuration kept elsewhere).
    ///
    /// # Errors
    ///
    /// As [`from_env`](Self::from_env).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, AuthError> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let invalid = |message: String| AuthError::new(None, "invalid_configuration", message);
        let cloud: crate::NationalCloud = match var("GRAPH_CLOUD") {
            Some(name) => name
                .parse()
                .map_err(|e: crate::cloud::UnknownCloud| invalid(format!("GRAPH_CLOUD: {e}")))?,
            None => crate::NationalCloud::Global,
        };
        let authority = match var("AZURE_AUTHORITY_HOST") {
            Some(host) if host.contains("://") => host,
            Some(host) => format!("https://{host}"),
            None => cloud.login_host().to_owned(),
        };
        let (tenant, client_id) = (var("AZURE_TENANT_ID"), var("AZURE_CLIENT_ID"));
        let (secret, certificate) =
            (var("AZURE_CLIENT_SECRET"), var("AZURE_CLIENT_CERTIFICATE_PATH"));
        let mut missing = Vec::new();
        if tenant.is_none() {
            missing.push("AZURE_TENANT_ID");
        }
        if client_id.is_none() {
            missing.push("AZURE_CLIENT_ID");
        }
        if secret.is_none() && certificate.is_none() {
            missing.push("AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH");
        }
        let (Some(tenant), Some(client_id)) = (tenant, client_id) else {
            return Err(invalid(format!("set {}", missing.join(", "))));
        };
        let inner: Box<dyn TokenCredential> = match (secret, certificate) {
            (Some(secret), _) => {
                Box::new(ClientSecretCredential::new(&authority, &tenant, client_id, secret)?)
            }
            (None, Some(path)) => Box::new(ClientCertificateCredential::from_pem_file(
                &authority, &tenant, client_id, path,
            )?),
            (None, None) => return Err(invalid(format!("set {}", missing.join(", ")))),
        };
        Ok(Self { inner, cloud })
    }

    /// The national cloud `GRAPH_CLOUD` named (default [`Global`](crate::NationalCloud::Global)).
    pub fn cloud(&self) -> crate::NationalCloud {
        self.cloud
    }
}

delegate_credential!(EnvironmentCredential, inner);
