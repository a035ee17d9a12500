//! Stock allocation (调拨): the stages an allocation passes (reserved → in transit →
//! received, or cancelled while reserved), the ledger movements each stage makes, and what a
//! stock line can still give.
//!
//! Quantities are never overwritten: reserving adds to the line's `reserved` ledger, shipping
//! takes the units off `reserved` and `on_hand`, receiving adds them to the destination's
//! `supplies_<item>` ledger. Two centres reserving from one line at once both keep their
//! movements after a merge; if together they promise more than the line holds, the line's
//! available quantity goes negative and that is raised as an overdraw alert, never hidden.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::entity::{Allocation, EntityKind, EntityRef, account};

/// The stages of an allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AllocStage {
    /// 已预留: promised, still in the warehouse.
    Reserved,
    /// 在途
    InTransit,
    /// 已接收
    Received,
    /// 已撤销: called off before shipping; the reservation is released.
    Cancelled,
}

impl AllocStage {
    /// The field of [`Allocation`] that records when it reached this stage.
    pub fn field(self) -> &'static str {
        match self {
            Self::Reserved => "reserved_at",
            Self::InTransit => "shipped_at",
            Self::Received => "received_at",
            Self::Cancelled => "cancelled_at",
        }
    }

    pub fn next(self) -> &'static [AllocStage] {
        match self {
            Self::Reserved => &[Self::InTransit, Self::Cancelled],
            Self::InTransit => &[Self::Received],
            Self::Received | Self::Cancelled => &[],
        }
    }
}

impl Allocation {
    /// Each stage reached, with its time, in order.
    pub fn stages(&self) -> Vec<(AllocStage, &str)> {
        [
            (AllocStage::Reserved, Some(&self.reserved_at)),
            (AllocStage::InTransit, self.shipped_at.as_ref()),
            (AllocStage::Received, self.received_at.as_ref()),
            (AllocStage::Cancelled, self.cancelled_at.as_ref()),
        ]
        .into_iter()
        .filter_map(|(s, t)| t.map(|t| (s, t.as_str())))
        .collect()
    }

    /// The furthest stage reached.
    pub fn stage(&self) -> AllocStage {
        self.stages().last().map_or(AllocStage::Reserved, |(s, _)| *s)
    }

    /// The line this allocation draws on.
    pub fn line_ref(&self) -> EntityRef {
        EntityRef { kind: EntityKind::StockLine, id: self.line }
    }
}

/// Why a stage change is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("an allocation at stage {from:?} cannot move to {to:?}; it may move to {allowed:?}")]
pub struct AllocStageError {
    pub from: AllocStage,
    pub to: AllocStage,
    pub allowed: Vec<AllocStage>,
}

/// One ledger movement: `delta` units on `account` of `entity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Movement {
    pub entity: EntityRef,
    pub account: String,
    pub delta: i64,
}

fn qty(a: &Allocation) -> i64 {
    i64::try_from(a.quantity).expect("quantities are far below i64::MAX (checked on input)")
}

/// The movements of making the reservation.
pub fn reserve(a: &Allocation) -> Vec<Movement> {
    vec![Movement { entity: a.line_ref(), account: account::RESERVED.into(), delta: qty(a) }]
}

/// Checks a stage change and returns the movements it makes.
pub fn advance(a: &Allocation, to: AllocStage) -> Result<Vec<Movement>, AllocStageError> {
    let from = a.stage();
    if !from.next().contains(&to) {
        return Err(AllocStageError { from, to, allowed: from.next().to_vec() });
    }
    let q = qty(a);
    let line = a.line_ref();
    Ok(match to {
        AllocStage::InTransit => vec![
            Movement { entity: line, account: account::RESERVED.into(), delta: -q },
            Movement { entity: line, account: account::ON_HAND.into(), delta: -q },
        ],
        AllocStage::Received => vec![Movement { entity: a.to, account: account::supplies(&a.item_code), delta: q }],
        AllocStage::Cancelled => vec![Movement { entity: line, account: account::RESERVED.into(), delta: -q }],
        AllocStage::Reserved => unreachable!("no stage leads back to reserved"),
    })
}

/// What a line can still promise: on hand less what is reserved.
pub fn available(on_hand: i64, reserved: i64) -> i64 {
    on_hand - reserved
}
