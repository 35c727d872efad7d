//! The client assertion of a certificate credential: a JWT signed (RS256) with the
//! certificate's RSA private key, naming the certificate by its thumbprints.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::AuthError;

/// An RSA private key and the thumbprints of its certificate.
pub(super) struct CertificateKey {
    key: aws_lc_rs::signature::RsaKeyPair,
    x5t: String,
    x5t_s256: String,
}

impl CertificateKey {
    pub(super) fn from_pem(
        certificate_pem: &[u8],
        private_key_pem: &[u8],
    ) -> Result<Self, AuthError> {
        use rustls_pki_types::pem::PemObject as _;
        use rustls_pki_types::{CertificateDer, PrivateKeyDer};

        let invalid = |message: &str| AuthError::new(None, "invalid_configuration", message);
        let certificate = CertificateDer::from_pem_slice(certificate_pem)
            .map_err(|_| invalid("no PEM certificate (`-----BEGIN CERTIFICATE-----`) was found"))?;
        let key = PrivateKeyDer::from_pem_slice(private_key_pem)
            .map_err(|_| invalid("no PEM private key (`-----BEGIN PRIVATE KEY-----`) was found"))?;
        let key = match &key {
            PrivateKeyDer::Pkcs8(der) => aws_lc_rs::signature::RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()),
            PrivateKeyDer::Pkcs1(der) => aws_lc_rs::signature::RsaKeyPair::from_der(der.secret_pkcs1_der()),
            _ => return Err(invalid("the private key is not a usable RSA key: Microsoft's identity platform expects RS256 assertions")),
        }
        .map_err(|_| {
            invalid("the private key is not a usable RSA key: Microsoft's identity platform expects RS256 assertions")
        })?;
        let thumbprint = |algorithm| {
            URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(algorithm, certificate.as_ref()))
        };
        Ok(Self {
            key,
            x5t: thumbprint(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY),
            x5t_s256: thumbprint(&aws_lc_rs::digest::SHA256),
        })
    }

    /// A client assertion for `audience` (the token endpoint), valid for ten minutes.
    pub(super) fn assertion(&self, audience: &str, client_id: &str) -> Result<String, AuthError> {
        let header = serde_json::json!({"alg": "RS256", "typ": "JWT", "x5t": self.x5t, "x5t#S256": self.x5t_s256});
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let claims = serde_json::json!({
            "aud": audience,
            "iss": client_id,
            "sub": client_id,
            "jti": uuid::Uuid::new_v4().to_string(),
            "nbf": now,
            "iat": now,
            "exp": now + 600,
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0; self.key.public_modulus_len()];
        self.key
            .sign(
                &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                &aws_lc_rs::rand::SystemRandom::new(),
                signing_input.as_bytes(),
                &mut signature,
            )
            .map_err(|_| {
                AuthError::new(None, "signing_failed", "signing the client assertion failed")
            })?;
        Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }
}
