//! Administrative division codes: the 12-digit statistical code (GB/T 2260 + township +
//! village digits) and the tier it denotes.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::FieldError;

/// Government tier of a jurisdiction, derived from the zero pattern of its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Tier {
    Province,
    City,
    County,
    Township,
    Village,
}

impl Tier {
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "province" => Ok(Self::Province),
            "city" => Ok(Self::City),
            "county" => Ok(Self::County),
            "township" => Ok(Self::Township),
            "village" => Ok(Self::Village),
            other => Err(format!("unknown tier `{other}`; expected province, city, county, township or village")),
        }
    }
}

/// A 12-digit statistical division code such as `220502100000` (东昌区 金厂镇).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(try_from = "String", into = "String")]
#[ts(export, type = "string")]
pub struct AdminCode(String);

impl AdminCode {
    /// Parses a 12-digit code; a 6-digit GB/T 2260 code is accepted and padded with zeros.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let padded = match s.len() {
            6 => format!("{s}000000"),
            12 => s.to_owned(),
            n => return Err(format!("`{s}` has {n} characters; an admin code has 12 digits (or 6)")),
        };
        if !padded.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("`{s}` is not all digits"));
        }
        if &padded[0..2] == "00" {
            return Err(format!("`{s}` has no province part (first two digits are 00)"));
        }
        // A lower-tier part may only be set if the part above it is set. The city part may be
        // 00 under a set county part: province-administered county-level units (e.g. 429004).
        let part_zero = |r: std::ops::Range<usize>| padded[r].bytes().all(|b| b == b'0');
        if !part_zero(9..12) && part_zero(6..9) {
            return Err(format!("`{s}` has a village part but no township part"));
        }
        if !part_zero(6..9) && part_zero(4..6) {
            return Err(format!("`{s}` has a township part but no county part"));
        }
        let code = Self(padded);
        Ok(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn tier(&self) -> Tier {
        let c = self.0.as_bytes();
        let zero = |r: std::ops::Range<usize>| c[r].iter().all(|&b| b == b'0');
        if zero(2..12) {
            Tier::Province
        } else if zero(4..12) {
            Tier::City
        } else if zero(6..12) {
            Tier::County
        } else if zero(9..12) {
            Tier::Township
        } else {
            Tier::Village
        }
    }

    /// The id of this jurisdiction's own record (its natural key is the code).
    pub fn record_id(&self) -> Uuid {
        self.scoped_id(crate::entity::EntityKind::Jurisdiction.id_for_key(self.as_str()).into_bytes())
    }

    /// Whether `other` lies within this jurisdiction (or is it).
    pub fn contains(&self, other: &AdminCode) -> bool {
        std::iter::successors(Some(other.clone()), AdminCode::parent).any(|c| &c == self)
    }

    /// A new record id controlled by this jurisdiction: a UUIDv8 whose first 40 bits are the
    /// code, so every replica can tell, from an op alone, whose record it touches.
    pub fn scoped_id(&self, rest: [u8; 16]) -> Uuid {
        let code: u64 = self.0.parse().expect("an admin code is 12 digits");
        let mut bytes = rest;
        bytes[..5].copy_from_slice(&code.to_be_bytes()[3..]);
        uuid::Builder::from_custom_bytes(bytes).into_uuid()
    }

    /// The jurisdiction that controls a record, when its id was made by [`Self::scoped_id`].
    pub fn scope_of(id: &Uuid) -> Option<AdminCode> {
        if id.get_version_num() != 8 {
            return None;
        }
        let mut code = [0u8; 8];
        code[3..].copy_from_slice(&id.as_bytes()[..5]);
        AdminCode::parse(&format!("{:012}", u64::from_be_bytes(code))).ok()
    }

    /// The code of the enclosing jurisdiction one tier up, if any.
    pub fn parent(&self) -> Option<AdminCode> {
        let keep = match self.tier() {
            Tier::Province => return None,
            Tier::City => 2,
            Tier::County => 4,
            Tier::Township => 6,
            Tier::Village => 9,
        };
        let mut s = self.0[..keep].to_owned();
        s.extend(std::iter::repeat_n('0', 12 - keep));
        Some(AdminCode(s))
    }

    pub fn field(field: &str, s: &str) -> Result<Self, FieldError> {
        Self::parse(s).map_err(|m| FieldError::new(field, m))
    }
}

impl fmt::Display for AdminCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for AdminCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}

impl From<AdminCode> for String {
    fn from(c: AdminCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scoped_ids_carry_their_jurisdiction() {
        let county = AdminCode::parse("220502").expect("code");
        let id = county.scoped_id([0xab; 16]);
        assert_eq!(AdminCode::scope_of(&id), Some(county.clone()));
        assert_eq!(AdminCode::scope_of(&Uuid::now_v7()), None, "ids of other versions have no scope");
        let province = AdminCode::parse("220000").expect("code");
        let township = AdminCode::parse("220502001000").expect("code");
        assert!(province.contains(&county) && county.contains(&township) && county.contains(&county));
        assert!(!county.contains(&province), "a county does not contain its province");
        assert!(!county.contains(&AdminCode::parse("220503").expect("code")), "nor a sibling");
    }

    #[test]
    fn tiers_follow_the_zero_pattern() {
        let cases = [
            ("220000000000", Tier::Province),
            ("220500000000", Tier::City),
            ("220502000000", Tier::County),
            ("220502100000", Tier::Township),
            ("220502100201", Tier::Village),
            ("220502", Tier::County),
        ];
        for (code, tier) in cases {
            assert_eq!(AdminCode::parse(code).unwrap().tier(), tier, "{code}");
        }
    }

    #[test]
    fn parents_follow_the_tiers() {
        let town = AdminCode::parse("220502100000").unwrap();
        let county = town.parent().unwrap();
        assert_eq!(county.as_str(), "220502000000");
        assert_eq!(county.parent().unwrap().as_str(), "220500000000");
        assert_eq!(AdminCode::parse("220000000000").unwrap().parent(), None);
    }

    #[test]
    fn malformed_codes_are_refused_with_the_reason() {
        for bad in ["22050210000", "2205021000000", "22050210000x", "000502100000", "220502000201"] {
            assert!(AdminCode::parse(bad).is_err(), "{bad} should be refused");
        }
        assert!(AdminCode::parse("22A502").unwrap_err().contains("not all digits"));
    }
}
