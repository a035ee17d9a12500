//! Requests up the hierarchy (逐级调动): a centre that may not order a team asks the centre
//! one tier up, which orders it (when the team is within its jurisdiction), passes the
//! request up again, or declines. The request is a record of the asking centre; every answer
//! is an event appended to it by the centre answering (requests flow up, answers come back
//! down), and its state is folded from those events.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::admin::AdminCode;

/// What a centre answered, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "answer", rename_all = "snake_case")]
#[ts(export)]
pub enum RequestEvent {
    /// Passed on to the next tier up.
    Forwarded {
        by: AdminCode,
        to: AdminCode,
        at: String,
        note: String,
    },
    /// Ordered: the dispatch order the answering centre gave.
    Approved {
        by: AdminCode,
        order: Uuid,
        at: String,
        note: String,
    },
    Declined {
        by: AdminCode,
        at: String,
        note: String,
    },
}

impl RequestEvent {
    pub fn by(&self) -> &AdminCode {
        match self {
            Self::Forwarded { by, .. } | Self::Approved { by, .. } | Self::Declined { by, .. } => by,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RequestStatus {
    Pending,
    Approved,
    Declined,
}

/// A request as its answers leave it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RequestState {
    /// The centre whose answer is awaited (or that gave the final one).
    pub asked: AdminCode,
    pub status: RequestStatus,
    /// The dispatch order, once approved.
    pub order: Option<Uuid>,
    pub history: Vec<RequestEvent>,
    /// Answers that came after the request was settled (two centres answering at once): kept,
    /// shown, not acted on.
    pub late: Vec<RequestEvent>,
}

/// Folds the answers (in merge order) onto a request first put to `first_asked`. Only the
/// centre asked at that moment may answer; anything else is kept as late.
pub fn fold(first_asked: &AdminCode, events: &[RequestEvent]) -> RequestState {
    let mut s = RequestState {
        asked: first_asked.clone(),
        status: RequestStatus::Pending,
        order: None,
        history: Vec::new(),
        late: Vec::new(),
    };
    for e in events {
        if s.status != RequestStatus::Pending || e.by() != &s.asked {
            s.late.push(e.clone());
            continue;
        }
        match e {
            RequestEvent::Forwarded { to, .. } => s.asked = to.clone(),
            RequestEvent::Approved { order, .. } => {
                s.status = RequestStatus::Approved;
                s.order = Some(*order);
            }
            RequestEvent::Declined { .. } => s.status = RequestStatus::Declined,
        }
        s.history.push(e.clone());
    }
    s
}
