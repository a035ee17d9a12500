//! The deployment's certificate authority and the TLS settings of sync links. Every hub and
//! console gets a certificate issued by the deployment CA; a sync endpoint accepts only
//! peers presenting such a certificate, and a client trusts only endpoints that do.
//!
//! The same keys carry authority: the CA and every node hold Ed25519 keys; a node's key is
//! also the key its store signs change sets with (its node id derives from it), and the CA
//! signs each node's grant (jurisdiction and role), which the node publishes in its seals.
//!
//! Files: `ca.pem`/`ca.key`/`ca.name`/`ca.pub` (the CA, kept by whoever issues), and per
//! node `<name>.pem`/`<name>.key`/`<name>.grant` plus copies of `ca.pem` and `ca.pub`.

use std::path::Path;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    PKCS_ED25519, SanType,
};

use onemap_domain::AdminCode;
use onemap_store::authority::{Credential, Grant, hex, unhex};
use onemap_store::identity::PublicKey;
use onemap_store::{Identity, StoreError};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("certificate generation: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("{path}: not a PEM {what}")]
    Pem { path: String, what: &'static str },
    #[error("TLS settings: {0}")]
    Rustls(#[from] rustls::Error),
    #[error("client verifier: {0}")]
    Verifier(String),
    #[error("{path}: {reason}")]
    Membership { path: String, reason: String },
}

fn read(path: &Path) -> Result<Vec<u8>, TlsError> {
    std::fs::read(path).map_err(|source| TlsError::Io { path: path.display().to_string(), source })
}

fn write(path: &Path, text: &str, secret: bool) -> Result<(), TlsError> {
    let io = |source| TlsError::Io { path: path.display().to_string(), source };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    std::fs::write(path, text).map_err(io)?;
    if secret {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
    }
    Ok(())
}

/// The CA's certificate parameters; rebuilt from its name when issuing, so the issuer
/// named in every node certificate is exactly the CA's subject.
fn ca_params(name: &str) -> Result<CertificateParams, TlsError> {
    let mut params = CertificateParams::new(Vec::<String>::new())?;
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    Ok(params)
}

/// Creates the deployment CA in `dir` (`ca.pem`, `ca.key`, `ca.name`, `ca.pub`).
pub fn ca_init(dir: &Path, name: &str) -> Result<(), TlsError> {
    let key = KeyPair::generate_for(&PKCS_ED25519)?;
    let cert = ca_params(name)?.self_signed(&key)?;
    write(&dir.join("ca.pem"), &cert.pem(), false)?;
    write(&dir.join("ca.name"), name, false)?;
    write(&dir.join("ca.pub"), &hex(key.public_key_raw()), false)?;
    write(&dir.join("ca.key"), &key.serialize_pem(), true)
}

/// What a node is granted when its certificate is issued.
#[derive(Debug, Clone)]
pub struct Role {
    pub jurisdiction: AdminCode,
    /// A key of the deployment's role table (`fixtures/roles.toml`).
    pub role: String,
}

/// Issues node `name` (reachable as `hosts`) a key, a certificate and a grant of `role`,
/// signed by the CA in `ca_dir`, writing `<name>.pem`, `<name>.key`, `<name>.grant`,
/// `ca.pem` and `ca.pub` into `out`.
pub fn issue(ca_dir: &Path, name: &str, hosts: &[String], role: &Role, out: &Path) -> Result<(), TlsError> {
    let ca_pem = String::from_utf8_lossy(&read(&ca_dir.join("ca.pem"))?).into_owned();
    let ca_name = String::from_utf8_lossy(&read(&ca_dir.join("ca.name"))?).trim().to_owned();
    let ca_key = KeyPair::from_pem(&String::from_utf8_lossy(&read(&ca_dir.join("ca.key"))?))?;
    let ca_identity = Identity::from_pkcs8(&ca_key.serialize_der()).map_err(|e| TlsError::Membership {
        path: ca_dir.join("ca.key").display().to_string(),
        reason: format!("{e} (a CA from before signed change sets: run `ca init` again)"),
    })?;
    let issuer = Issuer::new(ca_params(&ca_name)?, ca_key);
    let key = KeyPair::generate_for(&PKCS_ED25519)?;
    let grant = Grant {
        name: name.to_owned(),
        jurisdiction: role.jurisdiction.clone(),
        role: role.role.clone(),
        key: hex(key.public_key_raw()),
    };
    let credential =
        serde_json::to_string_pretty(&Credential::issue(&ca_identity, grant)).expect("credentials always serialise");
    let mut params = CertificateParams::new(hosts.to_vec())?;
    params.distinguished_name.push(DnType::CommonName, name);
    params.subject_alt_names.push(SanType::DnsName(name.try_into()?));
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
    let cert = params.signed_by(&key, &issuer)?;
    write(&out.join(format!("{name}.pem")), &cert.pem(), false)?;
    write(&out.join(format!("{name}.key")), &key.serialize_pem(), true)?;
    write(&out.join(format!("{name}.grant")), &credential, false)?;
    write(&out.join("ca.pub"), &hex(&ca_identity.public()), false)?;
    write(&out.join("ca.pem"), &ca_pem, false)
}

/// A node's membership of the deployment, from the files `issue` wrote.
#[derive(Debug)]
pub struct Membership {
    /// The node's key: its TLS key and the key its store signs with.
    pub identity: Identity,
    /// The CA's grant, published in the node's seals.
    pub credential: Credential,
    /// The CA's public key, which every incoming credential must be signed by.
    pub ca: PublicKey,
}

/// Reads node `name`'s membership from `dir`, checking the parts belong together.
pub fn membership(dir: &Path, name: &str) -> Result<Membership, TlsError> {
    let bad = |file: &str, reason: String| TlsError::Membership { path: dir.join(file).display().to_string(), reason };
    let key_file = format!("{name}.key");
    let der = key(&dir.join(&key_file))?;
    let identity = Identity::from_pkcs8(der.secret_der()).map_err(|e: StoreError| bad(&key_file, e.to_string()))?;
    let grant_file = format!("{name}.grant");
    let credential: Credential = serde_json::from_slice(&read(&dir.join(&grant_file))?)
        .map_err(|e| bad(&grant_file, format!("not a grant: {e}")))?;
    let ca_hex = String::from_utf8_lossy(&read(&dir.join("ca.pub"))?).trim().to_owned();
    let ca: PublicKey = unhex(&ca_hex)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| bad("ca.pub", "not a hex Ed25519 public key".into()))?;
    credential.check(Some(&ca), &identity.public()).map_err(|reason| bad(&grant_file, reason))?;
    Ok(Membership { identity, credential, ca })
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let bytes = read(path)?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<_, _>>()
        .map_err(|_| TlsError::Pem { path: path.display().to_string(), what: "certificate" })?;
    if certs.is_empty() {
        return Err(TlsError::Pem { path: path.display().to_string(), what: "certificate" });
    }
    Ok(certs)
}

fn key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    PrivateKeyDer::from_pem_slice(&read(path)?)
        .map_err(|_| TlsError::Pem { path: path.display().to_string(), what: "private key" })
}

fn roots(dir: &Path) -> Result<rustls::RootCertStore, TlsError> {
    let mut roots = rustls::RootCertStore::empty();
    for c in certs(&dir.join("ca.pem"))? {
        roots.add(c)?;
    }
    Ok(roots)
}

/// Server side of sync: node `name`'s certificate from `dir`; peers must present a
/// certificate issued by the same CA.
pub fn server_config(dir: &Path, name: &str) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots(dir)?), provider())
        .build()
        .map_err(|e| TlsError::Verifier(e.to_string()))?;
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_single_cert(certs(&dir.join(format!("{name}.pem")))?, key(&dir.join(format!("{name}.key")))?)?;
    Ok(Arc::new(config))
}

/// Client side of sync: trust only the deployment CA, present node `name`'s certificate.
pub fn client_config(dir: &Path, name: &str) -> Result<ureq::tls::TlsConfig, TlsError> {
    let ca = read(&dir.join("ca.pem"))?;
    let roots = ureq::tls::parse_pem(&ca)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
            _ => None,
        })
        .collect::<Vec<_>>();
    let chain = ureq::tls::Certificate::from_pem(&read(&dir.join(format!("{name}.pem")))?)
        .map_err(|_| TlsError::Pem { path: format!("{name}.pem"), what: "certificate" })?;
    let key = ureq::tls::PrivateKey::from_pem(&read(&dir.join(format!("{name}.key")))?)
        .map_err(|_| TlsError::Pem { path: format!("{name}.key"), what: "private key" })?;
    Ok(ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::new_with_certs(&roots))
        .client_cert(Some(ureq::tls::ClientCert::new_with_certs(&[chain], key)))
        .build())
}
