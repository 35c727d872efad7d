//! [`ClientCertificateCredential`]: client credentials with a certificate.

use std::fmt;

use super::assertion::CertificateKey;
use super::endpoint::Proof;
use super::flow::{ClientCredentials, delegate_credential, proxy_settings};
use super::token::{AccessToken, TokenCredential};
use crate::error::AuthError;
use crate::http::Proxy;
use futures_util::future::BoxFuture;

/// OAuth 2.0 client credentials with a certificate: each token request carries a client
/// assertion, a JWT signed (RS256) with the certificate's RSA private key and naming the
/// certificate by its SHA-1 and SHA-256 thumbprints (`x5t`, `x5t#S256`), as Microsoft's identity
/// platform accepts. Caching and refreshing are as for
/// [`ClientSecretCredential`](super::ClientSecretCredential).
///
/// The private key never leaves the credential and never shows in `Debug`.
pub struct ClientCertificateCredential(ClientCredentials);

impl fmt::Debug for ClientCertificateCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ClientCertificateCredential").field(&self.0).finish()
    }
}

impl ClientCertificateCredential {
    /// A credential from a PEM certificate and a PEM RSA private key (PKCS#8 `PRIVATE KEY` or
    /// PKCS#1 `RSA PRIVATE KEY`); both may be in one buffer.
    ///
    /// # Errors
    ///
    /// An [`AuthError`] when the authority is not acceptable (see
    /// [`ClientSecretCredential::new`](super::ClientSecretCredential::new)) or the PEM holds no
    /// certificate or no usable RSA key; the error never contains key material.
    pub fn new(
        authority: &str,
        tenant: &str,
        client_id: impl Into<String>,
        certificate_pem: &[u8],
        private_key_pem: &[u8],
    ) -> Result<Self, AuthError> {
        let key = CertificateKey::from_pem(certificate_pem, private_key_pem)?;
        ClientCredentials::new(
            authority,
            tenant,
            client_id.into(),
            Proof::Certificate(Box::new(key)),
        )
        .map(Self)
    }

    /// A credential from a PEM file holding the certificate and its private key, as
    /// `AZURE_CLIENT_CERTIFICATE_PATH` names.
    ///
    /// # Errors
    ///
    /// As [`new`](Self::new), and when the file cannot be read.
    pub fn from_pem_file(
        authority: &str,
        tenant: &str,
        client_id: impl Into<String>,
        path: impl AsRef<std::path::Path>,
    ) -> Result<Self, AuthError> {
        let path = path.as_ref();
        let pem = std::fs::read(path).map_err(|e| {
            AuthError::new(
                None,
                "invalid_configuration",
                format!("cannot read the certificate file {}: {e}", path.display()),
            )
        })?;
        Self::new(authority, tenant, client_id, &pem, &pem)
    }

    /// The token endpoint this credential posts to.
    pub fn token_url(&self) -> &str {
        self.0.token_url.as_str()
    }
}

proxy_settings!(ClientCertificateCredential);
delegate_credential!(ClientCertificateCredential, 0);
