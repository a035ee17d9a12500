//! The replica's hybrid logical clock (uhlc), kept ahead of every timestamp it has seen.

use crate::op::{Hlc, NodeId};

pub struct Clock {
    hlc: uhlc::HLC,
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clock").field("id", self.hlc.get_id()).finish()
    }
}

impl Clock {
    pub fn new(node: NodeId) -> Self {
        let id = uhlc::ID::try_from(node.0.as_bytes()).unwrap_or_else(|_| uhlc::ID::rand());
        Self {
            hlc: uhlc::HLCBuilder::new()
                .with_id(id)
                .with_max_delta(std::time::Duration::from_secs(u32::MAX as u64))
                .build(),
        }
    }

    pub fn now(&self) -> Hlc {
        Hlc(self.hlc.new_timestamp().get_time().as_u64())
    }

    /// Moves the clock past a timestamp observed in another replica's op.
    pub fn observe(&self, seen: Hlc, origin: NodeId) {
        let id = uhlc::ID::try_from(origin.0.as_bytes()).unwrap_or_else(|_| uhlc::ID::rand());
        let ts = uhlc::Timestamp::new(uhlc::NTP64(seen.0), id);
        // The bound on clock skew is enforced by the sync layer before ops reach the store;
        // here the clock only has to stay ahead of what it has seen.
        let _accepted = self.hlc.update_with_timestamp(&ts).is_ok();
    }
}
