//! Who may write what: credentials from the deployment CA (a jurisdiction and a role bound
//! to a node's key) and the rule every replica applies to every op it receives.
//!
//! The rule is a function of the op and its origin's credential alone — the credential
//! travels in the origin's own seals, the controlled jurisdiction is part of the record id
//! (`AdminCode::scoped_id`) — so every replica decides the same whatever the arrival order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use onemap_domain::AdminCode;

use crate::identity::{Identity, PublicKey, verify_message};
use crate::op::{Change, Op};

/// What the deployment CA grants one node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// The centre or console, for people (e.g. `东昌区应急管理局`).
    pub name: String,
    /// The jurisdiction it acts for.
    pub jurisdiction: AdminCode,
    /// Its role, a key of the deployment's role table.
    pub role: String,
    /// The node's Ed25519 public key, hex.
    pub key: String,
}

/// A grant signed by the deployment CA: the certificate an origin carries in its seals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    pub grant: Grant,
    /// The CA's Ed25519 signature over `onemap-grant-1 ‖ JSON(grant)`, hex.
    pub sig: String,
}

const GRANT_CONTEXT: &[u8] = b"onemap-grant-1";

fn grant_message(grant: &Grant) -> Vec<u8> {
    let mut m = GRANT_CONTEXT.to_vec();
    m.extend(serde_json::to_vec(grant).expect("grants always serialise"));
    m
}

impl Credential {
    /// The CA signs `grant`.
    pub fn issue(ca: &Identity, grant: Grant) -> Self {
        let sig = hex(&ca.sign_message(&grant_message(&grant)));
        Self { grant, sig }
    }

    /// The grant, if this credential is `ca`'s (any issuer when there is no CA) for `key`.
    pub fn check(&self, ca: Option<&PublicKey>, key: &PublicKey) -> Result<Grant, String> {
        if let Some(ca) = ca {
            let sig = unhex(&self.sig).ok_or("the credential's signature is not hex")?;
            if !verify_message(ca, &grant_message(&self.grant), &sig) {
                return Err(format!("the credential of `{}` is not signed by this deployment's CA", self.grant.name));
            }
        }
        if self.grant.key != hex(key) {
            return Err(format!("the credential of `{}` was issued for another key", self.grant.name));
        }
        Ok(self.grant.clone())
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// What a role may write: entity kinds (`*` for all) it may set or move; any credentialed
/// role that writes at all may append events (reports and requests go to any tier).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rights {
    pub writes: Vec<String>,
}

/// The rule a replica applies to incoming ops.
#[derive(Debug, Clone, Default)]
pub enum Authority {
    /// No deployment CA (a stand-alone console, a demo): every authentic op is admitted.
    #[default]
    Open,
    /// Only origins with a credential from `ca` write, within their jurisdiction and role.
    Deployment { ca: PublicKey, roles: BTreeMap<String, Rights> },
}

impl Authority {
    /// The grant a credential in a seal carries for `key`, or why it carries none.
    pub fn grant(&self, cert: &Credential, key: &PublicKey) -> Result<Grant, String> {
        match self {
            Self::Open => cert.check(None, key),
            Self::Deployment { ca, .. } => cert.check(Some(ca), key),
        }
    }

    /// Whether an origin holding `grant` (or refused one, with the reason) may make `op`.
    pub fn admits(&self, grant: Option<&Result<Grant, String>>, op: &Op) -> Result<(), String> {
        let Self::Deployment { roles, .. } = self else { return Ok(()) };
        let grant = match grant {
            None => return Err("its origin presented no credential of this deployment".into()),
            Some(Err(why)) => return Err(format!("its origin's credential is refused: {why}")),
            Some(Ok(g)) => g,
        };
        let who = format!("{} ({}, role {})", grant.name, grant.jurisdiction, grant.role);
        let rights = roles.get(&grant.role).ok_or_else(|| format!("{who}: the role is not in this deployment"))?;
        if rights.writes.is_empty() {
            return Err(format!("{who}: the role may not write"));
        }
        if let Change::Append(_) = op.change {
            return Ok(());
        }
        let kind = op.entity.kind.as_str();
        if !rights.writes.iter().any(|k| k == "*" || k == kind) {
            return Err(format!("{who}: the role may not change {kind} records"));
        }
        match AdminCode::scope_of(&op.entity.id) {
            Some(scope) if !grant.jurisdiction.contains(&scope) => {
                Err(format!("{who}: {kind} {} belongs to jurisdiction {scope}, outside its own", op.entity.id))
            }
            _ => Ok(()),
        }
    }
}
