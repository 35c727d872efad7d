//! Client certificates and the environment.

use graph_emulator::{ClientCertificate, Emulator, Registration, RunningEmulator};
use graph_entity::prelude::*;
use graph_entity::{
    Client, Error, NationalCloud,
    auth::{ClientCertificateCredential, EnvironmentCredential},
};

use crate::Stored as _;
use crate::{configuration, doc_example};

const APP: &str = "11111111-2222-3333-4444-555555555555";

/// A self-signed RSA certificate: (certificate PEM, private key PEM, what the emulator registers).
fn certificate() -> (String, String, ClientCertificate) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_RSA_SHA256).unwrap();
    let certificate = rcgen::CertificateParams::new(vec!["graph-entity-test".into()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let registered = ClientCertificate {
        der: certificate.der().to_vec(),
        public_key: key.public_key_raw().to_vec(),
    };
    (pem("CERTIFICATE", certificate.der()), pem("PRIVATE KEY", &key.serialize_der()), registered)
}

/// PEM armour (RFC 7468) around DER.
fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> =
        text.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap()).collect();
    format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"))
}

async fn emulator_with(registered: ClientCertificate) -> RunningEmulator {
    Emulator::builder()
        .client(Registration {
            client_id: APP.into(),
            client_secret: None,
            certificate: Some(registered),
            roles: vec!["DeviceManagementApps.ReadWrite.All".into()],
        })
        .start()
        .await
        .unwrap()
}

fn client_for(emulator: &RunningEmulator, credential: ClientCertificateCredential) -> Client {
    Client::builder().base_url(emulator.graph_url("v1.0")).credential(credential).build().unwrap()
}

#[tokio::test]
async fn a_certificate_signed_assertion_gets_a_token() {
    let (certificate_pem, key_pem, registered) = certificate();
    let emulator = emulator_with(registered).await;
    let credential = ClientCertificateCredential::new(
        emulator.root_url(),
        emulator.tenant(),
        APP,
        certificate_pem.as_bytes(),
        key_pem.as_bytes(),
    )
    .unwrap();
    let debug = format!("{credential:?}");
    assert!(!debug.contains("PRIVATE KEY") && !debug.contains(&key_pem[40..80]), "{debug}");
    let client = client_for(&emulator, credential);
    let parent = configuration(&client).await;
    doc_example().create(&client, &parent).await.unwrap();
    assert_eq!(emulator.user_statuses(&parent).unwrap().len(), 1);

    // The certificate and key in one file, as AZURE_CLIENT_CERTIFICATE_PATH names.
    let path = std::env::temp_dir().join(format!("graph-entity-test-{}.pem", std::process::id()));
    std::fs::write(&path, format!("{certificate_pem}{key_pem}")).unwrap();
    let from_file = ClientCertificateCredential::from_pem_file(
        emulator.root_url(),
        emulator.tenant(),
        APP,
        &path,
    );
    std::fs::remove_file(&path).unwrap();
    doc_example().create(&client_for(&emulator, from_file.unwrap()), &parent).await.unwrap();
}

#[tokio::test]
async fn a_wrong_key_or_certificate_is_refused_without_leaking_the_key() {
    let (certificate_pem, _, registered) = certificate();
    let (other_certificate_pem, other_key_pem, _) = certificate();
    let emulator = emulator_with(registered).await;
    let cases = [
        // The registered certificate with another key: the signature does not verify.
        (certificate_pem.as_str(), other_key_pem.as_str(), "signature validation"),
        // A certificate the application does not have.
        (other_certificate_pem.as_str(), other_key_pem.as_str(), "not registered"),
    ];
    for (certificate, key, reason) in cases {
        let credential = ClientCertificateCredential::new(
            emulator.root_url(),
            emulator.tenant(),
            APP,
            certificate.as_bytes(),
            key.as_bytes(),
        )
        .unwrap();
        let error =
            doc_example().create(&client_for(&emulator, credential), "c").await.unwrap_err();
        let Error::Auth(auth) = &error else { panic!("{error:?}") };
        assert_eq!(auth.code, "invalid_client");
        assert!(
            auth.description.starts_with("AADSTS700027") && auth.description.contains(reason),
            "{auth}"
        );
        let text = format!("{error} {error:?}");
        assert!(!text.contains(&key[40..80]));
    }
}

#[test]
fn unusable_pem_is_a_clear_error() {
    let (certificate_pem, key_pem, _) = certificate();
    let new = |certificate: &str, key: &str| {
        ClientCertificateCredential::new(
            "https://login.microsoftonline.com",
            "t",
            APP,
            certificate.as_bytes(),
            key.as_bytes(),
        )
    };
    assert!(new("", &key_pem).unwrap_err().description.contains("no PEM certificate"));
    assert!(new(&certificate_pem, "").unwrap_err().description.contains("no PEM private key"));
    let ec = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    assert!(
        new(&certificate_pem, &pem("PRIVATE KEY", &ec.serialize_der()))
            .unwrap_err()
            .description
            .contains("not a usable RSA key")
    );
    assert!(new(&certificate_pem, &key_pem).is_ok());
}

#[test]
fn the_environment_names_the_credential_and_the_cloud() {
    let from = |vars: &[(&str, &str)]| {
        let vars: Vec<(String, String)> =
            vars.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
        EnvironmentCredential::from_lookup(move |name| {
            vars.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
        })
    };
    let error = from(&[]).unwrap_err();
    assert_eq!(
        error.description,
        "set AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH"
    );
    let error = from(&[("AZURE_TENANT_ID", "t"), ("AZURE_CLIENT_ID", "a")]).unwrap_err();
    assert_eq!(error.description, "set AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH");
    let secret =
        [("AZURE_TENANT_ID", "t"), ("AZURE_CLIENT_ID", "a"), ("AZURE_CLIENT_SECRET", "s3cret")];
    let credential = from(&secret).unwrap();
    assert_eq!(credential.cloud(), NationalCloud::Global);
    assert!(!format!("{credential:?}").contains("s3cret"));
    assert!(
        format!("{credential:?}").contains("https://login.microsoftonline.com/t/oauth2/v2.0/token")
    );
    let dod = from(&[secret[0], secret[1], secret[2], ("GRAPH_CLOUD", "usgovl5dod")]).unwrap();
    assert_eq!(dod.cloud(), NationalCloud::UsGovL5Dod);
    assert!(format!("{dod:?}").contains("https://login.microsoftonline.us/t/"));
    let custom =
        from(&[secret[0], secret[1], secret[2], ("AZURE_AUTHORITY_HOST", "login.example.test")])
            .unwrap();
    assert!(format!("{custom:?}").contains("https://login.example.test/t/"));
    let error = from(&[secret[0], secret[1], secret[2], ("GRAPH_CLOUD", "mars")]).unwrap_err();
    assert!(error.description.starts_with("GRAPH_CLOUD: unknown national cloud `mars`"), "{error}");
    let error =
        from(&[secret[0], secret[1], ("AZURE_CLIENT_CERTIFICATE_PATH", "/nonexistent/cert.pem")])
            .unwrap_err();
    assert!(error.description.contains("cannot read the certificate file"), "{error}");
}
