//! Verification of certificate-signed client assertions (RFC 7523), as Microsoft Entra ID does
//! for client credentials with a certificate.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use crate::Registration;

/// Clock skew tolerated on `nbf` and `exp`.
const SKEW_SECONDS: u64 = 300;

/// Checks `assertion` for `client` at `audience` (the token endpoint's URL); an AADSTS code and
/// description when it is refused.
pub(crate) fn verify(
    assertion: &str,
    client: &Registration,
    audience: &str,
) -> Result<(), (u32, String)> {
    let malformed = || (50_027, "JWT token is invalid or malformed.".to_owned());
    let mut parts = assertion.split('.');
    let (Some(header), Some(claims), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed());
    };
    let decode = |part: &str| URL_SAFE_NO_PAD.decode(part).map_err(|_| malformed());
    let header: Value = serde_json::from_slice(&decode(header)?).map_err(|_| malformed())?;
    let claims_json: Value = serde_json::from_slice(&decode(claims)?).map_err(|_| malformed())?;
    let signature = decode(signature)?;

    if header["alg"] != "RS256" {
        return Err((700_027, "The client assertion must be signed with RS256.".to_owned()));
    }
    let Some(certificate) = &client.certificate else {
        return Err((
            700_027,
            format!("No certificate is registered on application '{}'.", client.client_id),
        ));
    };
    let thumbprint =
        |algorithm| URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(algorithm, &certificate.der));
    let named = header["x5t#S256"].as_str()
        == Some(thumbprint(&aws_lc_rs::digest::SHA256).as_str())
        || header["x5t"].as_str()
            == Some(thumbprint(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY).as_str());
    if !named {
        return Err((
            700_027,
            "The certificate with identifier used to sign the client assertion is not registered on application.".to_owned(),
        ));
    }
    let signing_input = &assertion[..assertion.rfind('.').unwrap_or(0)];
    let key = aws_lc_rs::signature::UnparsedPublicKey::new(
        &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
        &certificate.public_key,
    );
    if key.verify(signing_input.as_bytes(), &signature).is_err() {
        return Err((700_027, "Client assertion failed signature validation.".to_owned()));
    }
    if claims_json["aud"].as_str() != Some(audience) {
        return Err((700_016, format!("The client assertion's audience must be '{audience}'.")));
    }
    let id = client.client_id.as_str();
    if claims_json["iss"].as_str() != Some(id) || claims_json["sub"].as_str() != Some(id) {
        return Err((
            700_021,
            "Client assertion application identifier doesn't match 'client_id' parameter."
                .to_owned(),
        ));
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (nbf, exp) =
        (claims_json["nbf"].as_u64().unwrap_or(0), claims_json["exp"].as_u64().unwrap_or(0));
    if exp + SKEW_SECONDS < now || nbf > now + SKEW_SECONDS {
        return Err((700_024, "Client assertion is not within its valid time range.".to_owned()));
    }
    Ok(())
}
